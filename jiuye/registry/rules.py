"""Per-jurisdiction registry rule parameters, read from YAML (settings.JIUYE_RULES_FILE)."""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def all_rules() -> dict:
    return _load(settings.JIUYE_RULES_FILE)


def rules_for(region_code: str | None) -> dict[str, Any]:
    """Default rules overridden by every matching jurisdiction, shortest prefix first."""
    doc = all_rules()
    result = doc.get("default", {})
    jurisdictions = doc.get("jurisdictions") or {}
    for prefix in sorted(jurisdictions, key=len):
        if region_code and region_code.startswith(str(prefix)):
            result = _merge(result, jurisdictions[prefix])
    return result


def jurisdiction_prefixes() -> list[str]:
    """Prefixes with their own rules, longest first ('' stands for the default)."""
    doc = all_rules()
    return sorted((str(p) for p in (doc.get("jurisdictions") or {})), key=len, reverse=True) + [""]


def clear_cache() -> None:
    _load.cache_clear()
