"""Job-loss analysis (减员分析), monthly, over the current reports the user may see.

Definitions (per month and group, over the current version of each report):
- 月初人数 / 月末人数: sums of the reports' start and end headcounts;
- 减少人数: sum of reductions of every type; 裁员人数: sum of ``layoffs`` (the reductions that count as
  layoffs under the parameters of the report's month, stored with the report);
- 岗位流失率 (job-loss rate) = 减少人数 / 月初人数 (a ratio of sums; empty when the start is 0);
- 裁员率 = 裁员人数 / 月初人数; 净增减 = 月末人数 − 月初人数 (= additions − reductions).
Groups (``BY``): each enterprise, GB/T 4754 section (门类, from the employer's industry code), size class,
ownership, street (the first nine digits of the enterprise's region code), or the total. One GROUP BY per
view; sections are merged from the division codes after the query (at most a hundred rows). Each figure
opens to ``queries.reports`` with the same filters (month and group), so a cell's number is the sum of the
list it links to.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries.enterprises import section_label, section_letter
from jiuye.monitoring.queries.reports import ReportSearch, _reports
from jiuye.regions.models import Region
from jiuye.registry.models import Ownership, SizeClass

BY = {"total": "合计", "enterprise": "企业", "industry": "行业", "size": "企业规模", "ownership": "经济类型",
      "region": "街道"}
_FIELDS = {"enterprise": "enterprise_id", "industry": "enterprise__employer__industry_code",
           "size": "enterprise__employer__size_class", "ownership": "enterprise__employer__ownership", "region": "street"}


@dataclass
class LossRow:
    month: datetime.date
    key: str
    label: str
    enterprises: int = 0
    start: int = 0
    end: int = 0
    additions: int = 0
    reductions: int = 0
    layoffs: int = 0
    filters: dict = field(default_factory=dict)  # the report-list filters behind this row

    @property
    def net(self) -> int:
        return self.end - self.start

    @property
    def loss_rate(self) -> Decimal | None:
        return (Decimal(self.reductions) * 100 / Decimal(self.start)).quantize(Decimal("0.01")) if self.start else None

    @property
    def layoff_rate(self) -> Decimal | None:
        return (Decimal(self.layoffs) * 100 / Decimal(self.start)).quantize(Decimal("0.01")) if self.start else None


@dataclass
class LossSearch:
    month_from: datetime.date
    month_to: datetime.date
    by: str = "industry"
    region_code: str = ""
    industry: str = ""
    size_class: str = ""
    ownership: str = ""


def _labels(by: str, keys) -> dict:
    if by == "enterprise":
        from jiuye.monitoring.models import MonitoredEnterprise

        return dict(MonitoredEnterprise.objects.filter(pk__in=list(keys)).values_list("pk", "employer__name"))
    if by == "size":
        return {k: str(dict(SizeClass.choices).get(k, "未填规模")) for k in keys}
    if by == "ownership":
        return {k: str(dict(Ownership.choices).get(k, "未填经济类型")) for k in keys}
    if by == "region":
        codes = {k: (k or "").ljust(12, "0") for k in keys}
        names = dict(Region.objects.filter(code__in=list(codes.values())).values_list("code", "name"))
        return {k: names.get(c, c) for k, c in codes.items()}
    return {}


def job_loss(user, s: LossSearch) -> list[LossRow]:
    """One row per month and group (months ascending, groups by their start headcount, largest first)."""
    by = s.by if s.by in BY else "industry"
    qs = _reports(user, ReportSearch(month_from=month_start(s.month_from), month_to=month_start(s.month_to),
                                     region_code=s.region_code, industry=s.industry, size_class=s.size_class,
                                     ownership=s.ownership))
    group = ["month"]
    if by == "region":
        qs = qs.annotate(street=Substr("region_id", 1, 9))
    if by != "total":
        group.append(_FIELDS[by])
    agg = (qs.values(*group).annotate(enterprises=Count("pk"), start=Sum("start_headcount"), end=Sum("end_headcount"),
                                      additions=Sum("additions"), reductions=Sum("reductions"), layoffs=Sum("layoffs"))
           .order_by())
    base = {"region": s.region_code, "industry": s.industry, "size_class": s.size_class, "ownership": s.ownership}
    rows: dict[tuple, LossRow] = {}
    raw = list(agg)
    labels = _labels(by, {r[_FIELDS[by]] for r in raw}) if by not in ("total", "industry") else {}
    for r in raw:
        month = r["month"]
        value = r.get(_FIELDS.get(by, ""), "")
        if by == "industry":
            key = section_letter(value)
            label = section_label(key)
            filters = {**base, "industry": key}
        elif by == "total":
            key, label, filters = "", "合计", dict(base)
        elif by == "enterprise":
            key, label, filters = str(value), labels.get(value, str(value)), {**base, "enterprise": value}
        elif by == "region":
            key = (value or "").ljust(12, "0")
            label, filters = labels.get(value, key), {**base, "region": key}
        else:
            key = value or ""
            label = labels.get(value, key)
            filters = {**base, ("size_class" if by == "size" else "ownership"): key}
        row = rows.get((month, key))
        if row is None:
            row = rows[(month, key)] = LossRow(month=month, key=key, label=label,
                                               filters={k: v for k, v in filters.items() if v not in ("", None)})
        row.enterprises += r["enterprises"]
        row.start += r["start"] or 0
        row.end += r["end"] or 0
        row.additions += r["additions"] or 0
        row.reductions += r["reductions"] or 0
        row.layoffs += r["layoffs"] or 0
    return sorted(rows.values(), key=lambda r: (r.month, -r.start, r.key))


def month_totals(rows: list[LossRow]) -> dict[datetime.date, LossRow]:
    """Totals per month of the rows (the table's total line; equals the ``total`` view)."""
    out: dict[datetime.date, LossRow] = {}
    for r in rows:
        t = out.setdefault(r.month, LossRow(month=r.month, key="", label="合计"))
        t.enterprises += r.enterprises
        t.start += r.start
        t.end += r.end
        t.additions += r.additions
        t.reductions += r.reductions
        t.layoffs += r.layoffs
    return out
