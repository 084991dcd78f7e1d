"""Region codes for the identity numbers of the demo city.

python-stdnum validates the first six digits of a 公民身份号码 against the county codes that were in
force in the holder's birth year (its ``cn/loc`` database). 610102 (新城区) exists from 1983 on, so a
resident born earlier gets 610120 (西安市市区, in force until 1983), as stdnum requires.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

LOCAL_CODE = "610102"
LOCAL_PLACE = "陕西省西安市新城区"
XIAN_URBAN = ["610103", "610104", "610111", "610112", "610113"]  # other 西安 districts (from 1983)
PROVINCES = {"61": "陕西省", "62": "甘肃省"}


@dataclass(frozen=True)
class County:
    code: str
    name: str
    start: int | None
    end: int | None

    def valid_in(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@lru_cache(maxsize=1)
def counties() -> dict[str, list[County]]:
    """County-level codes of 陕西省 and 甘肃省 from stdnum's database, with their validity years."""
    from stdnum import numdb

    db = numdb.get("cn/loc")
    out: dict[str, list[County]] = {}
    for number in range(610100, 630000):
        code = str(number)
        if code.endswith("00") or code[4:] == "01":
            continue
        info = {k: v for _part, props in db.info(code) for k, v in props.items()}
        if "county" not in info:
            continue
        entries = []
        for item in info["county"].split(","):
            if item.startswith("["):
                span, name = item[1:].split("]")
                start, end = span.split("-")
                entries.append(County(code, name, int(start) if start else None, int(end) if end else None))
            else:
                entries.append(County(code, item, None, None))
        if entries and not any(n in entries[0].name for n in ("市辖区", "市区")):
            out[code] = entries
    return out


@lru_cache(maxsize=None)
def migrant_codes(year: int) -> tuple[tuple[str, str], ...]:
    """(code, place name) of 陕西/甘肃 counties, other than 新城区, valid for a birth in ``year``."""
    rows = []
    for code, entries in counties().items():
        if code == LOCAL_CODE or code.startswith("6101") and code[4] == "0":
            continue
        for entry in entries:
            if entry.valid_in(year):
                rows.append((code, PROVINCES[code[:2]] + entry.name))
                break
    return tuple(rows)


@lru_cache(maxsize=None)
def local_code(year: int) -> str:
    return LOCAL_CODE if year >= 1983 else "610120"


@lru_cache(maxsize=None)
def xian_urban_codes(year: int) -> tuple[str, ...]:
    return tuple(XIAN_URBAN) if year >= 1983 else ("610120",)


def is_valid_code(code: str, birth: datetime.date) -> bool:
    if code == "610120":
        return birth.year <= 1983
    entries = counties().get(code)
    return bool(entries) and any(e.valid_in(birth.year) for e in entries)
