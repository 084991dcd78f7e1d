"""Household registration place (户籍地) → county code, for rural labour transfer (农村劳动力转移就业).

``Person.hukou_place`` is free text such as "陕西省汉阴县" or "陕西省西安市新城区" (often followed by a
township or village). It is resolved with python-stdnum's ``cn/loc`` database (the administrative division
codes with their validity years, the same data stdnum validates identity numbers with): the longest prefix
of the text that names a county-level division, written as province + prefecture + county, province +
county, prefecture + county, or a county name that is unique in the country. A name used by several codes
over time resolves to the one still in force (else the one that ended last). A place that does not resolve
falls back to the first six digits of the identity number (the birth registration place) when they are a
county-level code of the database, and otherwise stays unknown (未知).

Everything is cached per process: the index is built once, each distinct text resolved once.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

UNKNOWN = ""  # the county code of a place we cannot resolve (shown as 未知)
_SKIP = ("市辖区", "市区", "郊区", "矿区")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str
    start: int | None
    end: int | None


def _items(value: str):
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if item.startswith("["):
            span, name = item[1:].split("]", 1)
            start, end = span.split("-")
            yield name, (int(start) if start else None), (int(end) if end else None)
        else:
            yield item, None, None


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, list[Division]], dict[str, list[Division]]]:
    """(province code → name, prefecture code (4 digits) → divisions, county code → divisions) from cn/loc."""
    text = (resources.files("stdnum") / "cn" / "loc.dat").read_text(encoding="utf-8")
    provinces: dict[str, str] = {}
    prefectures: dict[str, list[Division]] = {}
    counties: dict[str, list[Division]] = {}
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            code, _sep, rest = line.partition(" ")
            province = code
            if 'province="' in rest:
                provinces[code] = rest.split('province="', 1)[1].split('"', 1)[0]
            continue
        suffix, _sep, rest = line.strip().partition(" ")
        if 'county="' not in rest:
            continue
        value = rest.split('county="', 1)[1].split('"', 1)[0]
        code = province + suffix
        entries = [Division(code, n, s, e) for n, s, e in _items(value)]
        if suffix == "0000":
            continue
        if suffix.endswith("00"):
            prefectures[code[:4]] = entries
        else:
            counties[code] = entries
    return provinces, prefectures, counties


def _rank(d: Division) -> tuple:
    return (d.end is None, d.end or 0, d.start or 0)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Every way of writing a county-level division → its code (the one in force when several share it)."""
    provinces, prefectures, counties = _divisions()
    best: dict[str, tuple[tuple, str]] = {}
    bare: dict[str, set[str]] = {}

    def put(key: str, d: Division) -> None:
        rank = _rank(d)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, d.code)

    for code, entries in counties.items():
        prov = provinces.get(code[:2], "")
        prefs = [p.name for p in prefectures.get(code[:4], [])]
        for d in entries:
            if d.name in _SKIP:
                continue
            put(prov + d.name, d)
            for pref in prefs:
                if pref != prov:
                    put(prov + pref + d.name, d)
                    put(pref + d.name, d)
            if d.end is None:
                bare.setdefault(d.name, set()).add(code)
    for name, codes in bare.items():
        if len(codes) == 1:  # a county name in force in one place only (汉阴县, not 新城区)
            code = next(iter(codes))
            put(name, max(counties[code], key=_rank))
    return {key: code for key, (_rank_, code) in best.items()}


@lru_cache(maxsize=1)
def _county_codes() -> frozenset[str]:
    return frozenset(_divisions()[2])  # 市区 codes too: 610120 was 西安's birth registration code until 1983


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@lru_cache(maxsize=65536)
def county_of_place(text: str) -> str:
    """The county code named at the start of ``text`` (户籍地), or ``UNKNOWN``."""
    value = normalise(text)
    index = _index()
    for end in range(len(value), 1, -1):
        code = index.get(value[:end])
        if code:
            return code
    return UNKNOWN


def county_of_id_prefix(prefix: str) -> str:
    """The first six digits of an identity number, when they are a county-level code (else ``UNKNOWN``)."""
    prefix = (prefix or "")[:6]
    return prefix if len(prefix) == 6 and prefix in _county_codes() else UNKNOWN


@lru_cache(maxsize=65536)
def origin_county(hukou_place: str, id_prefix: str) -> tuple[str, str]:
    """(county code, how it was found: "place", "id_number" or "unknown")."""
    code = county_of_place(hukou_place)
    if code:
        return code, "place"
    code = county_of_id_prefix(id_prefix)
    if code:
        return code, "id_number"
    return UNKNOWN, "unknown"


def province_name(code: str) -> str:
    return _divisions()[0].get((code or "")[:2], "") if code else ""


@lru_cache(maxsize=4096)
def county_name(code: str) -> str:
    """"陕西省安康市汉阴县" for 610921 (the names in force, else the last ones)."""
    if not code:
        return ""
    provinces, prefectures, counties = _divisions()
    parts = [provinces.get(code[:2], "")]
    pref = prefectures.get(code[:4])
    if pref:
        name = max(pref, key=_rank).name
        if name != parts[0] and name not in _SKIP:
            parts.append(name)
    entries = counties.get(code)
    if entries:
        name = max(entries, key=_rank).name
        if name not in _SKIP or len(parts) == 1:
            parts.append(name)
    return "".join(parts)


LOCAL, PROVINCE, CROSS, UNKNOWN_SCOPE = "local", "province", "cross", "unknown"
SCOPE_LABELS = {LOCAL: "县内（本地）", PROVINCE: "省内跨县", CROSS: "跨省", UNKNOWN_SCOPE: "户籍地未知"}


def classify(origin: str, work_region: str) -> str:
    """Local (same county), within the province (another county of the same province), across provinces,
    or unknown (origin not resolved), comparing the origin county with the place of work's code."""
    if not origin or not work_region:
        return UNKNOWN_SCOPE
    if origin[:6] == work_region[:6]:
        return LOCAL
    if origin[:2] == work_region[:2]:
        return PROVINCE
    return CROSS
