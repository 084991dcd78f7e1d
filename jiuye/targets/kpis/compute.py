"""Computing KPIs (指标计算): every computed KPI of the catalogue for many regions and one period, set-based.

What other modules call:

``compute(region_codes, period, *, codes=None, known_on=None) -> dict[(region_code, kpi_code), KpiValue]``
    ``region_codes``: 12-digit codes of any level (a node and its children, or every region of a city);
    ``period``: a ``monitoring.periods.Period``; ``codes``: KPI codes (default: every KPI of the catalogue,
    input series included: their current value for the region and period, or None); ``known_on``: the
    registry and the inputs as known at that time (a kept report is reproduced with it).
    Additive KPIs of a node equal the sum over its children (each person is attributed once, to the 登记地
    of the registration that counts them).

``records(user, kpi_code, region_code, period, *, known_on=None) -> QuerySet``
    The persons (or households) behind a computed count, scoped to ``user``; OutOfScope outside it.

How: each KPI is one (or a few) GROUP BY queries over the registry giving counts per 12-digit community
(the 登记地 of the counting registration, or the community of the household or person), then rolled up in
Python to every asked node over those few thousand community rows (each community adds to its five
ancestors' prefixes). Rates are rolled up as their numerator and denominator (``components``) and divided
per node. Definitions: docs/targets/kpis.md.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from jiuye.monitoring.periods import Period

# Years of schooling by the registry's education: dated parameters ``targets.schooling_years.<education>``
# (national values: 小学及以下 6, 初中 9, 高中/中职 12, 大专 15, 本科 16, 硕士 19, 博士 22; docs/targets/kpis.md),
# read per district as of the period's end. SCHOOLING_YEARS: the national values (the bench's DuckDB check).
SCHOOLING_YEARS = {"primary": 6, "junior": 9, "senior": 12, "vocational": 12, "college": 15, "bachelor": 16,
                   "master": 19, "doctor": 22}


def schooling_years(code: str, on: datetime.date) -> dict[str, int]:
    """{education: years} in force for ``code`` on ``on`` (the dated parameters)."""
    from jiuye.parameters import params
    p = params(code, on)
    return {level: int(p[f"targets.schooling_years.{level}"]) for level in SCHOOLING_YEARS}
PLACED_STATUSES = ("employed", "in_school", "military")
FLOW_KPIS = {"new_urban_jobs", "reemployed_unemployed", "hte_employed"}
RURAL_KPIS = {"rural_transfer_persons", "rural_local_transfer"}
LEVEL_WIDTHS = (2, 4, 6, 9, 12)
DESIGNATION_KPIS = {"fe_communities_national": "national", "fe_communities_provincial_star": "provincial_star",
                    "fe_communities_provincial": "provincial"}


@dataclass
class KpiValue:
    kpi: str
    region_code: str
    period: str  # Period.code
    value: Decimal | None  # None: not computable (no denominator entered, no input value)
    components: dict = field(default_factory=dict)  # e.g. {"gross": 900, "attrition": 30}
    source: str = "registry"  # "registry", or an input value's source (市统计局 ...)


# ---------------------------------------------------------------------------------------------
# Roll-up from communities to nodes


def _prefix(code: str) -> str:
    from jiuye.regions.codes import significant_prefix
    return significant_prefix(code)


def _common_node(prefixes: list[str]) -> str:
    """The prefix of a node above every asked region (narrows the queries' 登记地 range)."""
    if not prefixes:
        return ""
    common = prefixes[0]
    for p in prefixes[1:]:
        while not p.startswith(common):
            common = common[:-1]
    for width in reversed(LEVEL_WIDTHS):
        if len(common) >= width:
            return common[:width]
    return ""


class Rollup:
    """Sums of community rows for every ancestor prefix."""

    def __init__(self, rows: dict[str, int | Decimal] | None = None):
        self.sums: dict[str, int | Decimal] = defaultdict(int)
        if rows:
            self.add(rows)

    def add(self, rows: dict[str, int | Decimal]) -> None:
        for code, n in rows.items():
            if not n:
                continue
            for width in LEVEL_WIDTHS:
                self.sums[code[:width]] += n

    def of(self, prefix: str) -> int | Decimal:
        return self.sums.get(prefix, 0)


def _dec(n) -> Decimal:
    return Decimal(int(n)) if isinstance(n, int) else Decimal(n)


def _ratio(num, den, places: str) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal(places))


# ---------------------------------------------------------------------------------------------
# Per-KPI community rows


def _zero_households(period, node: str) -> tuple[dict, dict]:
    from jiuye.assistance.models import SpellEnd, ZeroEmploymentSpell
    qs = ZeroEmploymentSpell.objects.all()
    if node:
        from jiuye.regions.codes import code_range
        lo, hi = code_range(node)
        qs = qs.filter(region_id__gte=lo, region_id__lte=hi)
    open_ = (qs.filter(Q(started_on__lte=period.end), Q(ended_on__isnull=True) | Q(ended_on__gt=period.end))
             .values("region_id").annotate(n=Count("household_id", distinct=True)).order_by())
    resolved = (qs.filter(ended_on__gte=period.start, ended_on__lte=period.end, end_kind=SpellEnd.RESOLVED)
                .values("region_id").annotate(n=Count("household_id", distinct=True)).order_by())
    return {r["region_id"]: r["n"] for r in open_}, {r["region_id"]: r["n"] for r in resolved}


def _person_range(qs, node: str, field_name: str = "region_id"):
    if not node:
        return qs
    from jiuye.regions.codes import code_range
    lo, hi = code_range(node)
    return qs.filter(**{f"{field_name}__gte": lo, f"{field_name}__lte": hi})


def graduates_query(period, node: str, known_on=None):
    """Graduates of P's year (普通高等学校), living under ``node``, with ``_status`` on 31 December (or P's end
    if earlier)."""
    from jiuye.registry.models import Person, SchoolType
    from jiuye.targets.kpis.stocks import status_alias
    year = period.end.year
    day = min(datetime.date(year, 12, 31), period.end)
    grads = _person_range(Person.objects.filter(
        school_type=SchoolType.UNIVERSITY, graduation_date__gte=datetime.date(year, 1, 1),
        graduation_date__lte=datetime.date(year, 12, 31)), node)
    return status_alias(grads, day, known_on)


def _graduates(period, node: str, known_on=None) -> tuple[dict, dict]:
    rows = (graduates_query(period, node, known_on).values("region_id")
            .annotate(n=Count("id"), placed=Count("id", filter=Q(_status__in=PLACED_STATUSES))).order_by())
    rows = list(rows)
    return {r["region_id"]: r["n"] for r in rows}, {r["region_id"]: r["placed"] for r in rows}


def _schooling(period, node: str) -> tuple[dict, dict, dict]:
    """Working-age persons (16 to their retirement date) by community and education: (persons, with an
    education, sum of years), grouped by (community, education) and converted in Python."""
    from dateutil.relativedelta import relativedelta

    from jiuye.registry.models import Person
    end = period.end
    qs = _person_range(Person.objects.filter(birth_date__lte=end - relativedelta(years=16), retirement_date__gt=end),
                       node)
    n, with_edu, years = defaultdict(int), defaultdict(int), defaultdict(int)
    tables: dict[str, dict[str, int]] = {}  # per district (the jurisdictions' files are at district level or above)
    for r in qs.values("region_id", "education").annotate(k=Count("id")).order_by():
        code = r["region_id"]
        n[code] += r["k"]
        district = code[:6]
        if district not in tables:
            tables[district] = schooling_years(district.ljust(12, "0"), end)
        if r["education"] in tables[district]:
            with_edu[code] += r["k"]
            years[code] += r["k"] * tables[district][r["education"]]
    return n, with_edu, years


def hte_assistance_query(period, node: str, known_on=None):
    """Persons recognised hard-to-employ on P's end (living under ``node``), with ``_assisted`` (1/0): an
    assistance case opened on or before P's end, or employed on P's end."""
    from jiuye.assistance.models import Case as AssistanceCase, CaseKind
    from jiuye.assistance.queries.recognitions import recognised_q
    from jiuye.registry.models import Person
    from jiuye.registry.status import known_bound
    from jiuye.targets.kpis.stocks import status_alias
    end = period.end
    persons = _person_range(Person.objects.filter(recognised_q(end, known_on)), node)
    cases = AssistanceCase.objects.filter(person_id=OuterRef("pk"), kind=CaseKind.HARD_TO_EMPLOY, opened_on__lte=end)
    bound = known_bound(known_on)
    if bound is not None:
        cases = cases.filter(opened_at__lt=bound)
    qs = status_alias(persons, end, known_on).alias(_case=Exists(cases))
    return qs.alias(_assisted=Case(When(Q(_case=True) | Q(_status="employed"), then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))


def _hte_assistance(period, node: str, known_on=None) -> tuple[dict, dict]:
    rows = list(hte_assistance_query(period, node, known_on).values("region_id")
                .annotate(n=Count("id"), assisted=Sum("_assisted")).order_by())
    return {r["region_id"]: r["n"] for r in rows}, {r["region_id"]: int(r["assisted"] or 0) for r in rows}


def _assessments(period, node: str, known_on=None) -> dict:
    from jiuye.registry.status import known_bound
    from jiuye.targets.models import CommunityAssessment
    year = period.end.year
    bound = known_bound(known_on)
    qs = _person_range(CommunityAssessment.objects.filter(year=year), node)
    if bound is None:
        qs = qs.filter(is_current=True, passed=True)
        return {r["region_id"]: r["n"] for r in qs.values("region_id").annotate(n=Count("id")).order_by()}
    # as known then: each community's last assessment of the year made before the cutoff
    latest = (qs.filter(assessed_at__lt=bound)
              .annotate(_rn=Window(RowNumber(), partition_by=[F("region_id")],
                                   order_by=[F("assessed_at").desc(), F("id").desc()]))
              .values("region_id", "passed", "_rn"))
    out: dict[str, int] = defaultdict(int)
    for r in latest:  # one row per community assessed (a few thousand at most)
        if r["_rn"] == 1 and r["passed"]:
            out[r["region_id"]] += 1
    return out


def _series_values(indicator: str, codes: list[str], month: datetime.date, known_on=None) -> dict:
    """{region code: StatSeriesValue} of the version current as known on ``known_on``."""
    from jiuye.monitoring.models import StatSeriesValue
    from jiuye.registry.status import known_bound
    qs = StatSeriesValue.objects.filter(indicator=indicator, month=month, region_id__in=codes)
    bound = known_bound(known_on)
    if bound is None:
        return {v.region_id: v for v in qs.filter(is_current=True)}
    out = {}
    for v in qs.filter(entered_at__lt=bound).order_by("region_id", "version"):
        out[v.region_id] = v  # the highest version entered by then
    return out


def _input_values(kpi_codes: list[str], codes: list[str], period_code: str, known_on=None) -> dict:
    """{(kpi, region): InputValue} current as known on ``known_on`` (entered by then, not replaced by a
    version entered by then)."""
    from jiuye.registry.status import known_bound
    from jiuye.targets.models import InputValue
    qs = InputValue.objects.filter(kpi__in=kpi_codes, region_id__in=codes, period=period_code)
    bound = known_bound(known_on)
    if bound is None:
        qs = qs.filter(is_current=True)
    else:
        replaced = InputValue.objects.filter(entered_at__lt=bound, replaces__isnull=False).values("replaces_id")
        qs = qs.filter(entered_at__lt=bound).exclude(pk__in=replaced)
    out = {}
    for v in qs.order_by("entered_at", "id"):
        out[(v.kpi, v.region_id)] = v
    return out


# ---------------------------------------------------------------------------------------------
# compute


def compute(region_codes: Sequence[str], period: Period, *, codes: Iterable[str] | None = None,
            known_on: datetime.datetime | datetime.date | None = None) -> dict[tuple[str, str], KpiValue]:
    from jiuye.monitoring.models import SeriesIndicator
    from jiuye.monitoring.periods import month_start
    from jiuye.monitoring.queries import rural
    from jiuye.monitoring.queries.unemployment import registered_rate
    from jiuye.regions.codes import pad
    from jiuye.targets.kpis import flows, stocks
    from jiuye.targets.kpis.catalogue import KPIS

    wanted = list(codes) if codes is not None else list(KPIS)
    for c in wanted:
        if c not in KPIS:
            raise ValueError(_("未知的指标代码：%(c)s") % {"c": c})
    regions = [pad(c) for c in region_codes]
    if not regions:
        return {}
    prefixes = {c: _prefix(c) for c in regions}
    node = _common_node(list(prefixes.values()))
    want = set(wanted)
    pcode = period.code
    out: dict[tuple[str, str], KpiValue] = {}

    def put(kpi, values: dict[str, tuple]):
        for r in regions:
            value, components, *rest = values[r]
            out[(r, kpi)] = KpiValue(kpi, r, pcode, value, components, *(rest or []))

    # flows: one query for every flag needed
    flags = []
    if "new_urban_jobs" in want:
        flags += [flows.GROSS, flows.ATTRITION]
    if "reemployed_unemployed" in want:
        flags.append(flows.REEMPLOYED)
    if "hte_employed" in want:
        flags.append(flows.HTE)
    if "rural_transfer_persons" in want:
        flags.append(flows.RURAL)
    if "rural_transfer_person_times" in want:
        flags.append(flows.RURAL_TIMES)
    if flags:
        counts = flows.flow_counts(period.start, period.end, known_on, flags=tuple(flags), node=node)
        roll = {f: Rollup(rows) for f, rows in counts.items()}
        if "new_urban_jobs" in want:
            put("new_urban_jobs", {r: (
                _dec(roll[flows.GROSS].of(p) - roll[flows.ATTRITION].of(p)),
                {"gross": roll[flows.GROSS].of(p), "attrition": roll[flows.ATTRITION].of(p)})
                for r, p in prefixes.items()})
        for kpi, flag in (("reemployed_unemployed", flows.REEMPLOYED), ("hte_employed", flows.HTE),
                          ("rural_transfer_persons", flows.RURAL)):
            if kpi in want:
                put(kpi, {r: (_dec(roll[flag].of(p)), {}) for r, p in prefixes.items()})

    if want & {"zero_employment_households", "zero_employment_resolved"}:
        open_, resolved = _zero_households(period, node)
        ro, rr = Rollup(open_), Rollup(resolved)
        if "zero_employment_households" in want:
            put("zero_employment_households", {r: (_dec(ro.of(p)), {}) for r, p in prefixes.items()})
        if "zero_employment_resolved" in want:
            put("zero_employment_resolved", {r: (_dec(rr.of(p)), {}) for r, p in prefixes.items()})

    last_month = month_start(period.end)
    if want & {"registered_urban_unemployed", "registered_unemployment_rate"}:
        ru = Rollup(stocks.unemployed_by_community(period.end, known_on, node))
        if "registered_urban_unemployed" in want:
            put("registered_urban_unemployed", {r: (_dec(ru.of(p)), {}) for r, p in prefixes.items()})
        if "registered_unemployment_rate" in want:
            employed = _series_values(SeriesIndicator.URBAN_EMPLOYED, regions, last_month, known_on)
            values = {}
            for r, p in prefixes.items():
                e = employed.get(r)
                u = ru.of(p)
                values[r] = (registered_rate(u, e.value if e else None),
                             {"unemployed": u, "urban_employed": e.value if e else None},
                             e.source if e else "registry")
            put("registered_unemployment_rate", values)

    if "graduate_destination_rate_estimate" in want:
        grads, placed = _graduates(period, node, known_on)
        rg, rp = Rollup(grads), Rollup(placed)
        put("graduate_destination_rate_estimate", {r: (
            _ratio(rp.of(p), rg.of(p), "0.1"), {"graduates": rg.of(p), "placed": rp.of(p)}) for r, p in prefixes.items()})

    if "rural_transfer_person_times" in want:
        times = roll[flows.RURAL_TIMES]
        put("rural_transfer_person_times", {r: (Decimal(times.of(p)) / Decimal(10000), {"registrations": times.of(p)})
                                            for r, p in prefixes.items()})
    if "rural_local_transfer" in want:
        cells = rural.new_transfer_counts(period, node=node, known_on=known_on)
        total = Rollup({c: sum(v.values()) for c, v in cells.items()})
        local = Rollup({c: v.get(rural.places.LOCAL, 0) for c, v in cells.items()})
        put("rural_local_transfer", {r: (_dec(local.of(p)), {"transferred": total.of(p)}) for r, p in prefixes.items()})

    if "avg_schooling_years" in want:
        n, with_edu, years = (Rollup(x) for x in _schooling(period, node))
        put("avg_schooling_years", {r: (
            (Decimal(years.of(p)) / Decimal(with_edu.of(p))).quantize(Decimal("0.01")) if with_edu.of(p) else None,
            {"persons": n.of(p), "with_education": with_edu.of(p)}) for r, p in prefixes.items()})

    if "full_employment_communities" in want:
        fc = Rollup(_assessments(period, node, known_on))
        put("full_employment_communities", {r: (_dec(fc.of(p)), {}) for r, p in prefixes.items()})

    # titles awarded to full-employment communities (recorded by managers, seed 002 item 8): each community once,
    # at its highest title for a year up to P's year (targets.queries_communities)
    titled = [k for k in DESIGNATION_KPIS if k in want]
    if titled:
        from jiuye.targets.queries_communities import designation_counts_by_region
        counts = designation_counts_by_region(regions, period.end.year)
        for k in titled:
            put(k, {r: (_dec(counts[r][DESIGNATION_KPIS[k]]), {}) for r in regions})

    if "hte_assistance_rate" in want:
        rec, assisted = (Rollup(x) for x in _hte_assistance(period, node, known_on))
        put("hte_assistance_rate", {r: (_ratio(assisted.of(p), rec.of(p), "0.1"),
                                        {"recognised": rec.of(p), "assisted": assisted.of(p)})
                                    for r, p in prefixes.items()})

    # input series
    inputs = [c for c in wanted if not KPIS[c].computed]
    targets_inputs = [c for c in inputs if KPIS[c].series == "targets"]
    if targets_inputs:
        found = _input_values(targets_inputs, regions, pcode, known_on)
        for c in targets_inputs:
            for r in regions:
                v = found.get((c, r))
                out[(r, c)] = KpiValue(c, r, pcode, _shown(c, v.value) if v else None, {}, v.source if v else "")
    for c in inputs:
        series = KPIS[c].series
        if not series.startswith("monitoring:"):
            continue
        found = _series_values(series.split(":", 1)[1], regions, last_month, known_on)
        for r in regions:
            v = found.get(r)
            out[(r, c)] = KpiValue(c, r, pcode, _shown(c, v.value) if v else None, {}, v.source if v else "")

    for c in wanted:  # anything not computed above (a KPI added to the catalogue without a query yet)
        for r in regions:
            out.setdefault((r, c), KpiValue(c, r, pcode, None))
    return out


def _shown(code: str, value: Decimal) -> Decimal:
    """An input value as the KPI writes it: stored with four decimals, shown with the KPI's own (5.3000 → 5.3);
    a value entered with more precision than the KPI's keeps it."""
    from jiuye.targets.kpis.catalogue import KPIS
    exact = value.normalize()
    places = max(KPIS[code].decimals, -exact.as_tuple().exponent if exact.as_tuple().exponent < 0 else 0)
    return value.quantize(Decimal(1).scaleb(-places))


# ---------------------------------------------------------------------------------------------
# records


RECORD_KPIS = {
    "new_urban_jobs": "persons", "reemployed_unemployed": "persons", "hte_employed": "persons",
    "zero_employment_households": "households", "zero_employment_resolved": "households",
    "registered_urban_unemployed": "persons", "registered_unemployment_rate": "persons",
    "graduate_destination_rate_estimate": "persons", "rural_transfer_persons": "persons",
    "rural_local_transfer": "persons", "hte_assistance_rate": "persons",
}


def records(user, kpi_code: str, region_code: str, period: Period, *, known_on=None):
    """The persons (or households) behind one computed count of ``region_code``: new urban jobs → the
    persons of the gross part; the rates → the persons of their numerator (placed graduates, unemployed,
    assisted hard-to-employ). OutOfScope for a role that may not open records behind figures or a region
    outside the user's scope; ValueError for a KPI without records behind it."""
    from jiuye.accounts import roles
    from jiuye.accounts.scoping import OutOfScope, scope_prefix
    from jiuye.assistance.models import SpellEnd, ZeroEmploymentSpell
    from jiuye.monitoring.queries import rural
    from jiuye.regions.codes import code_range, pad
    from jiuye.registry.models import Household, Person
    from jiuye.targets.kpis import flows

    if not roles.can_open_figure_records(user):
        raise OutOfScope(_("您的角色无权查看指标背后的人员名单"))
    try:
        code = pad(region_code)
    except ValueError:
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code}) from None
    scope = scope_prefix(user)
    if scope is None or not code.startswith(scope):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    if kpi_code not in RECORD_KPIS:
        raise ValueError(_("指标“%(c)s”没有对应的人员或家庭名单") % {"c": kpi_code})
    node = _prefix(code)
    lo, hi = code_range(node)

    flag = {"new_urban_jobs": flows.GROSS, "reemployed_unemployed": flows.REEMPLOYED, "hte_employed": flows.HTE,
            "rural_transfer_persons": flows.RURAL}.get(kpi_code)
    if flag:
        sql, params = flows.flow_person_ids_sql(flag, period.start, period.end, node, known_on)
        return Person.objects.filter(pk__in=RawSQL(sql, params))
    if kpi_code in ("zero_employment_households", "zero_employment_resolved"):
        spells = ZeroEmploymentSpell.objects.filter(region_id__gte=lo, region_id__lte=hi)
        if kpi_code == "zero_employment_households":
            spells = spells.filter(Q(started_on__lte=period.end), Q(ended_on__isnull=True) | Q(ended_on__gt=period.end))
        else:
            spells = spells.filter(ended_on__gte=period.start, ended_on__lte=period.end, end_kind=SpellEnd.RESOLVED)
        return Household.objects.filter(pk__in=spells.values("household_id"))
    if kpi_code in ("registered_urban_unemployed", "registered_unemployment_rate"):
        from jiuye.targets.kpis.stocks import unemployed_registrations
        return Person.objects.filter(pk__in=unemployed_registrations(period.end, known_on, node).values("person_id"))
    if kpi_code == "graduate_destination_rate_estimate":
        return graduates_query(period, node, known_on).filter(_status__in=PLACED_STATUSES)
    if kpi_code == "hte_assistance_rate":
        return hte_assistance_query(period, node, known_on).filter(_assisted=1)
    # rural_local_transfer: the CTE query of the monitoring page, as a list of ids (one region's transfers)
    ids = rural.new_transfer_persons(period, node=node, scope=rural.places.LOCAL, known_on=known_on).values("id")
    return Person.objects.filter(pk__in=[p["id"] for p in ids])
