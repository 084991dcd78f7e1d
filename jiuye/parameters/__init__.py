"""Dated parameters (OpenFisca style): values per jurisdiction and period, each with its legal basis.

    from jiuye.parameters import params
    p = params("610102001001", datetime.date(2020, 6, 30))
    p["registry.long_term_unemployed_months"]          # 12
    p.resolved("registry.long_term_unemployed_months").cite()   # 全国，早于现有文件起，依据 …

Floor: just above regions (imports ``jiuye.regions.codes`` only). Apps declare their keys with
``declare(Parameter(...))``; files are checked with ``validate(paths)`` / ``jiuye params check``.
See docs/parameters.md.
"""
from jiuye.parameters.files import (
    Basis,
    DatedValue,
    FileError,
    ParameterFilesInvalid,
    Source,
    collect,
    read,
    validate,
)
from jiuye.parameters.resolve import (
    NotInForceAnswer,
    NotSetAnswer,
    ParameterError,
    ParameterNotInForce,
    ParameterNotSet,
    Params,
    Resolved,
    UnknownParameter,
    chain,
)
from jiuye.parameters.schema import SCHEMA, Parameter, Schema, add_data_dir, declare
from jiuye.parameters.store import clear_cache, jurisdiction_name, jurisdictions, params, table
from jiuye.parameters import shared  # noqa: E402,F401  (declares the shared keys)

__all__ = [
    "SCHEMA", "Basis", "DatedValue", "FileError", "NotInForceAnswer", "NotSetAnswer", "Parameter",
    "ParameterError", "ParameterFilesInvalid", "ParameterNotInForce", "ParameterNotSet", "Params", "Resolved",
    "Schema", "Source", "UnknownParameter", "add_data_dir", "chain", "clear_cache", "collect", "declare",
    "jurisdiction_name", "jurisdictions", "params", "read", "table", "validate",
]
