"""Where the parameter files come from, loaded once per process.

Two layers: the shipped files (``jiuye/parameters/data/`` and the directories apps add with
``schema.add_data_dir``) and the deployment's own directory (setting / environment variable
``JIUYE_PARAMETERS_DIR``). For each (jurisdiction, key) the deployment defines, its values replace
the shipped ones entirely (copy the shipped history you keep); everything else is the union.
Either layer with a mistake raises ``ParameterFilesInvalid`` and nothing is loaded.
"""
from __future__ import annotations

import datetime
import threading
from pathlib import Path

from jiuye.parameters.files import DatedValue, FileError, ParameterFilesInvalid, collect
from jiuye.parameters.resolve import Params, Table
from jiuye.parameters.schema import SCHEMA

SHIPPED_DIR = Path(__file__).resolve().parent / "data"

_lock = threading.Lock()
_loaded: tuple[tuple, Table] | None = None


def deployment_dir() -> str:
    try:
        from django.conf import settings

        return str(getattr(settings, "JIUYE_PARAMETERS_DIR", "") or "")
    except Exception:  # settings not configured (a plain script): no deployment layer
        return ""


def shipped_dirs() -> list[Path]:
    return [SHIPPED_DIR, *SCHEMA.data_dirs()]


def load_values() -> list[DatedValue]:
    """Shipped values overlaid with the deployment's (see module docstring); raises
    ``ParameterFilesInvalid`` listing every mistake of both layers."""
    shipped = collect(shipped_dirs(), SCHEMA)
    errors = list(shipped.errors)
    own: list[DatedValue] = []
    directory = deployment_dir()
    if directory:
        if not Path(directory).is_dir():
            errors.append(FileError(directory, 0, "JIUYE_PARAMETERS_DIR 指向的目录不存在"))
        else:
            deployed = collect([directory], SCHEMA)
            errors.extend(deployed.errors)
            own = deployed.values
    if errors:
        raise ParameterFilesInvalid(errors)
    replaced = {(v.jurisdiction, v.key) for v in own}
    return [v for v in shipped.values if (v.jurisdiction, v.key) not in replaced] + own


def table() -> Table:
    """The loaded table (loaded on first use, again after ``clear_cache`` or a schema change)."""
    global _loaded
    identity = (SCHEMA.version, deployment_dir())  # add_data_dir() bumps the schema's version
    current = _loaded
    if current is not None and current[0] == identity:
        return current[1]
    with _lock:
        current = _loaded
        if current is not None and current[0] == identity:
            return current[1]
        loaded = Table(load_values(), SCHEMA)
        _loaded = (identity, loaded)
        return loaded


def clear_cache() -> None:
    global _loaded
    with _lock:
        _loaded = None


def params(region_code: str | None, on: datetime.date | None = None) -> Params:
    """The parameters in force for ``region_code`` (any level; None or "" for national) on ``on``
    (default: today in the configured time zone)."""
    if on is None:
        from django.utils import timezone

        on = timezone.localdate()
    elif isinstance(on, datetime.datetime):
        raise TypeError("params(): 'on' is a date, not a datetime")
    return table().params(region_code, on)


def jurisdictions() -> list[str]:
    """Codes of the jurisdictions that have values, most specific first ("" for national last)."""
    return sorted(table().jurisdictions, key=lambda c: (-len(c), c))


def jurisdiction_name(code: str) -> str:
    return table().jurisdiction_name(code)
