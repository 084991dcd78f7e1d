"""The seeds' targets as data (``targets/data/*.yaml``), loaded by ``jiuye load_targets`` and by the demo.

Each file is one plan of one region: ``plan``, ``basis``, ``region``, ``start_year``, ``end_year``,
``baseline_year`` and ``targets`` = rows of ``kpi``, ``baseline`` (as written: "15.31", "—", "≈6", "≥90"),
``target`` (as written: "[60]", "＜5.5", "10万"), optional ``value`` (when the text is not a number),
``comparator``, ``scope`` (default: cumulative for a bracketed value, else level), ``nature``, ``factor``
(the table's unit to the catalogue's: 万人 → 人 is 10000) and ``note``.

Loading is idempotent (source "seed"): a current seed target with the same values is left alone, one with
other values is replaced by a new version, a target entered by hand for the same KPI, region, years and scope
is kept (reported). A region missing from the database is skipped with a message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from jiuye.regions.models import Region
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.models import Comparator, Target, TargetScope

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "seed"


@dataclass
class LoadReport:
    file: str
    plan: str = ""
    region: str = ""
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept_manual: int = 0
    skipped: str = ""  # why the whole file was skipped
    messages: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.replaced + self.unchanged + self.kept_manual


def files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def read(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def rows_of(doc: dict) -> list[dict]:
    """The service data (``services.check_target`` keys) of every target of a file."""
    from jiuye.targets.services import parse_bound

    out = []
    for item in doc["targets"]:
        kpi = KPIS[item["kpi"]]
        factor = Decimal(str(item.get("factor", 1)))
        text = str(item.get("target", ""))
        bracketed = any(mark in text for mark in "[〔")
        if "value" in item:
            sign, number = "", Decimal(str(item["value"]))
        else:
            sign, number = parse_bound(text)
            number = number * factor
        comparator = item.get("comparator") or sign or (Comparator.AT_MOST if kpi.lower_is_better else Comparator.AT_LEAST)
        scope = item.get("scope") or (TargetScope.CUMULATIVE if bracketed else TargetScope.LEVEL)
        baseline = str(item.get("baseline", "") or "")
        row = {"kpi": kpi.code, "region": doc["region"], "plan": doc["plan"], "basis": doc.get("basis", ""),
               "start_year": doc["start_year"], "end_year": doc["end_year"], "scope": scope,
               "nature": item.get("nature", "expected"), "comparator": comparator, "value": number,
               "value_text": text, "baseline_year": doc.get("baseline_year") if baseline else None,
               "baseline_text": baseline, "note": item.get("note", "")}
        if baseline and factor != 1:
            bsign, bnumber = parse_bound(baseline)
            row["baseline_value_scaled"] = bnumber * factor if bnumber is not None else None
        if item.get("unit_as_written"):
            row["note"] = (row["note"] + "；" if row["note"] else "") + f"原表单位：{item['unit_as_written']}"
        out.append(row)
    return out


def _same(target: Target, clean: dict) -> bool:
    keys = ("plan", "basis", "nature", "comparator", "value", "value_text", "baseline_text", "baseline_value",
            "baseline_year", "note")
    return all(getattr(target, k) == clean[k] for k in keys)


def load_file(path: Path, actor=None) -> LoadReport:
    from django.db import transaction

    from jiuye.targets import services

    doc = read(path)
    report = LoadReport(file=path.name, plan=doc["plan"], region=f"{doc.get('region_name', '')}（{doc['region']}）")
    if not Region.objects.filter(code=doc["region"]).exists():
        report.skipped = f"区划{doc.get('region_name', '')}（{doc['region']}）不在本库中，跳过“{doc['plan']}”"
        return report
    with transaction.atomic():
        for row in rows_of(doc):
            scaled = row.pop("baseline_value_scaled", "absent")
            clean = services.check_target(row)
            if scaled != "absent":
                clean["baseline_value"] = scaled
            current = services._current_conflict(clean)
            if current is None:
                target = services.create_target(actor, row, source=SOURCE, authorised=True)
                if scaled != "absent":
                    Target.objects.filter(pk=target.pk).update(baseline_value=scaled)
                report.created += 1
            elif current.source != SOURCE:
                report.kept_manual += 1
                report.messages.append(f"{KPIS[row['kpi']].name}：已有手工录入的现行目标，保留")
            elif _same(current, clean):
                report.unchanged += 1
            else:
                target = services.replace_target(actor, current, row, reason="规划文件数据更新", source=SOURCE,
                                                  authorised=True)
                if scaled != "absent":
                    Target.objects.filter(pk=target.pk).update(baseline_value=scaled)
                report.replaced += 1
    return report


def load_all(paths: list[Path] | None = None, actor=None) -> list[LoadReport]:
    return [load_file(p, actor) for p in (paths or files())]
