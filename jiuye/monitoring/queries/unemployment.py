"""Reads of the unemployment part: registered urban unemployed at month ends (spells), the statistics bureau's
series, the registered rate and its level, forecasts; all scoped to the viewer's region.

**Registered urban unemployed (城镇登记失业人员)** on a day: the persons whose status on that day is
"unemployed" under the registry's rule (``registry.status``: the last counting entry on or before the day
decides; voids and replaced entries do not count, ``counting_registrations``), attributed by the 登记地
(``registered_in``) of the unemployment registration in force, counted only where that community is urban
(``regions.models.urban_q``: urban-rural code 1xx).

Set-based, without a status pass per month: every counting entry gets the effective date of the person's
next counting entry (``LAG(effective_date) OVER (PARTITION BY person ORDER BY effective_date DESC,
recorded_at DESC, id DESC)``, the order of ``last_entries``); an unemployment entry and that next date are a
*spell*, and the spell covers a day when ``effective_date <= day < next_date`` (no next entry: open).
Two ways to count, one answer:
- any days: join the spells with the days and group by region prefix and day (one query; its cost is
  spells × days, fine for a day or a few);
- month ends (the figures of every page): a spell covers the end of month m when month(start) <= m <
  month(next), so it adds +1 at its first month and −1 at the month of the next entry; the deltas grouped
  by region and month (one query, linear in the spells) and a running sum give every region and month.
tests/test_monitoring_unemp_spells.py holds both to ``annotate_status_on`` with hypothesis.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lag
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, region_q, scope_prefix
from jiuye.monitoring import levels
from jiuye.monitoring.models import ForecastRun, RateIndicator, SeriesIndicator, StatSeriesValue
from jiuye.monitoring.periods import month_start
from jiuye.paging import page, sorted_by
from jiuye.parameters import params
from jiuye.parameters.resolve import ParameterError
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, code_range, level_of, pad, significant_prefix
from jiuye.regions.models import Region
from jiuye.registry.models import Registration
from jiuye.registry.queries import NotFound
from jiuye.registry.status import counting_registrations

NOT_FOUND = "区划不存在或不在您的管辖范围内"
NO_DENOMINATOR = "未录入分母"


def month_end(month: datetime.date) -> datetime.date:
    first = month_start(month)
    nxt = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------------------------------------
# Spells


def _spells_sql(known_on=None) -> tuple[str, list]:
    """Every counting entry with the effective date of the person's next counting entry (NULL: none).

    Written as ``LAG`` over the descending order of ``last_entries`` (the row before in that order is the
    next entry): the same window order as the status table, which SQLite reads from the index
    ``registration_last_entry_idx`` without sorting."""
    qs = counting_registrations(known_on).annotate(next_date=Window(
        Lag("effective_date"), partition_by=[F("person_id")],
        order_by=[F("effective_date").desc(), F("recorded_at").desc(), F("id").desc()],
    )).values("id", "person_id", "kind", "registered_in_id", "effective_date", "next_date")
    sql, sql_params = qs.query.sql_with_params()
    return sql, list(sql_params)


def _kept_spells_sql(known_on, kind: str, prefix: str) -> tuple[str, list]:
    """The spells of ``kind`` whose 登记地 lies under ``prefix`` (filtered after the window, which must see
    every entry of a person): what the counting queries read, materialized once."""
    spells, spell_params = _spells_sql(known_on)
    lo, hi = code_range(prefix)
    sql = (f"SELECT x.id, x.person_id, x.kind, x.registered_in_id, x.effective_date, x.next_date FROM ({spells}) x "
           "WHERE x.kind = %s AND x.registered_in_id >= %s AND x.registered_in_id <= %s")
    return sql, spell_params + [kind, lo, hi]


def _day_param(day: datetime.date):
    return day if connection.vendor == "postgresql" else day.isoformat()


def _days_sql(days: list[datetime.date]) -> tuple[str, list]:
    cell = "(CAST(%s AS date))" if connection.vendor == "postgresql" else "(%s)"
    return "VALUES " + ", ".join([cell] * len(days)), [_day_param(d) for d in days]


def _covering_sql(days: list[datetime.date], prefix: str, known_on=None, select: str = "",
                  kind: str = Registration.Kind.UNEMPLOYMENT) -> tuple[str, list]:
    """SQL of the unemployment spells covering each of ``days`` whose 登记地 is an urban community under
    ``prefix``; ``select`` is the outer SELECT list over ``s`` (spells) and ``ends.d``."""
    spells, spell_params = _kept_spells_sql(known_on, kind, prefix)
    values, day_params = _days_sql(days)
    sql = (
        f"WITH spells (id, person_id, kind, registered_in_id, effective_date, next_date) AS MATERIALIZED ({spells}), "
        f"ends (d) AS ({values}) "
        f"SELECT {select} FROM spells s "
        "JOIN ends ON s.effective_date <= ends.d AND (s.next_date IS NULL OR s.next_date > ends.d) "
        "JOIN regions_region r ON r.code = s.registered_in_id "
        "WHERE r.urban_rural >= %s AND r.urban_rural < %s"
    )
    return sql, spell_params + day_params + ["1", "2"]


def _month_index_sql(column: str) -> str:
    """year × 12 + month − 1 of a date column: the one expression that differs between the databases
    (SQLite stores a date as ISO text; Django's Extract functions would call Python per row there)."""
    if connection.vendor == "postgresql":
        return f"(CAST(EXTRACT(YEAR FROM {column}) AS integer) * 12 + CAST(EXTRACT(MONTH FROM {column}) AS integer) - 1)"
    return f"(CAST(substr({column}, 1, 4) AS integer) * 12 + CAST(substr({column}, 6, 2) AS integer) - 1)"


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_of_index(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end_sql(first: int, last: int, prefix: str, width: int, known_on=None,
                  kind: str = Registration.Kind.UNEMPLOYMENT) -> tuple[str, list]:
    """The deltas query of ``_month_end_counts`` (bench/ runs the same text on DuckDB)."""
    spells, spell_params = _kept_spells_sql(known_on, kind, prefix)
    sm, em = _month_index_sql("s.effective_date"), _month_index_sql("s.next_date")
    w = int(width)
    sql = (
        # MATERIALIZED: the window pass runs once whatever the planner estimates (PostgreSQL would otherwise
        # rescan it per region on a bad row estimate); the regions are joined to the small grouped deltas
        f"WITH spells (id, person_id, kind, registered_in_id, effective_date, next_date) AS MATERIALIZED ({spells}), "
        f"v AS (SELECT s.registered_in_id AS code, {sm} AS sm, {em} AS em FROM spells s), "
        "w AS (SELECT code, sm, em FROM v WHERE sm <= %s AND (em IS NULL OR (em > %s AND em > sm))), "
        "d AS (SELECT code, CASE WHEN sm < %s THEN %s ELSE sm END AS m, 1 AS delta FROM w "
        "UNION ALL SELECT code, em AS m, -1 AS delta FROM w WHERE em IS NOT NULL AND em <= %s), "
        "g AS MATERIALIZED (SELECT code, m, SUM(delta) AS delta FROM d GROUP BY code, m) "
        f"SELECT substr(g.code, 1, {w}) AS code, g.m, SUM(g.delta) FROM g "
        "JOIN regions_region r ON r.code = g.code WHERE r.urban_rural >= %s AND r.urban_rural < %s "
        f"GROUP BY substr(g.code, 1, {w}), g.m"
    )
    return sql, spell_params + [last, first, first, first, last, "1", "2"]


def running_sums(rows, first: int, last: int) -> dict[tuple[str, int], int]:
    """(code, month, delta) rows → {(code, month): count} for every month with someone."""
    deltas: dict[str, dict[int, int]] = {}
    for code, m, delta in rows:
        deltas.setdefault(code, {})[int(m)] = int(delta)
    out: dict[tuple[str, int], int] = {}
    for code, by_month in deltas.items():
        running = 0
        for m in range(first, last + 1):
            running += by_month.get(m, 0)
            if running:
                out[(code, m)] = running
    return out


def _month_end_counts(first: int, last: int, prefix: str, width: int, known_on=None,
                      kind: str = Registration.Kind.UNEMPLOYMENT) -> dict[tuple[str, int], int]:
    """{(code, month index): count at that month end} for months ``first``..``last`` (indexes), linear in
    the spells: a spell covers the end of month m when month(start) <= m < month(next entry); each spell adds
    +1 at max(month(start), first) and −1 at month(next entry), and a running sum per region gives every
    month. One query (the deltas per region and month), then the running sum over those few rows."""
    sql, sql_params = month_end_sql(first, last, prefix, width, known_on, kind)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return running_sums(cursor.fetchall(), first, last)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def unemployed_counts(days: list[datetime.date], *, prefix: str = "", width: int = 12,
                      known_on=None, kind: str = Registration.Kind.UNEMPLOYMENT) -> dict[tuple[str, datetime.date], int]:
    """{(12-digit region code, day): registered urban unemployed} for the regions of code length ``width``
    (12 community, 9 street, 6 district …) under ``prefix``, for every one of ``days``; one query.
    Regions and days with nobody are absent (read them as 0). ``kind="employment"`` counts the registered
    employed the same way (the demo derives its urban employed series from it)."""
    days = sorted(set(days))
    if not days or prefix is None:
        return {}
    if all(d == month_end(d) for d in days):  # month ends: the linear path (same counts, tested)
        first, last = _month_index(days[0]), _month_index(days[-1])
        wanted = {_month_index(d): d for d in days}
        counts = _month_end_counts(first, last, prefix, width, known_on, kind)
        return {(pad(code), wanted[m]): n for (code, m), n in counts.items() if m in wanted}
    select = f"substr(s.registered_in_id, 1, {int(width)}) AS code, ends.d AS day, COUNT(*) AS n"
    sql, sql_params = _covering_sql(days, prefix, known_on, select, kind)
    sql += " GROUP BY substr(s.registered_in_id, 1, %d), ends.d" % int(width)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    return {(pad(code), _as_date(day)): n for code, day, n in rows}


def unemployed_registration_ids(day: datetime.date, prefix: str, known_on=None) -> RawSQL:
    """The ids of the unemployment registrations in force on ``day`` under ``prefix`` (urban 登记地), as a
    subquery for ``pk__in``: the records behind one figure of ``unemployed_counts``."""
    sql, sql_params = _covering_sql([day], prefix, known_on, "s.id")
    return RawSQL(sql, sql_params)


# ---------------------------------------------------------------------------------------------
# Scope and regions


def ensure_reader(user) -> None:
    if not roles.can_read_monitoring(user):
        raise OutOfScope(_("您的角色无权查看就业监测数据"))


def _scoped_region(user, code: str | None) -> Region:
    """The region ``code`` (default: the user's own node) if it is in the user's scope; NotFound otherwise."""
    ensure_reader(user)
    prefix = scope_prefix(user)
    if prefix is None:
        raise NotFound(_(NOT_FOUND))
    if not code:
        code = user.region_id if user.region_id else None
        if code is None:  # a superuser without a node: the first district
            region = Region.objects.filter(level=Region.Level.COUNTY).order_by("code").first()
            if region is None:
                raise NotFound(_(NOT_FOUND))
            return region
    try:
        code = pad(code)
    except ValueError:
        raise NotFound(_(NOT_FOUND)) from None
    if not code.startswith(prefix):
        raise NotFound(_(NOT_FOUND))
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_(NOT_FOUND))
    return region


def get_region(user, code: str | None) -> Region:
    return _scoped_region(user, code)


def child_width(region: Region) -> int | None:
    level = level_of(region.code)
    return LEVEL_PREFIX_LENGTH.get(level + 1)


def forecast_regions(prefix: str = "") -> list[Region]:
    """The regions forecast: districts and streets (communities are too small for a stable series)."""
    qs = Region.objects.filter(level__in=[Region.Level.COUNTY, Region.Level.STREET])
    if prefix:
        lo, hi = code_range(prefix)
        qs = qs.filter(code__gte=lo, code__lte=hi)
    return list(qs.order_by("code"))


# ---------------------------------------------------------------------------------------------
# The statistics bureau's series


def current_values(codes: list[str], months: list[datetime.date], indicator: str) -> dict[tuple[str, datetime.date], StatSeriesValue]:
    rows = StatSeriesValue.objects.filter(region_id__in=codes, month__in=months, indicator=indicator, is_current=True)
    return {(v.region_id, v.month): v for v in rows}


def latest_series_month(user, region: Region | None = None) -> datetime.date | None:
    qs = StatSeriesValue.objects.filter(region_q(user), is_current=True)
    if region is not None:
        lo, hi = code_range(significant_prefix(region.code))
        qs = qs.filter(region_id__gte=lo, region_id__lte=hi)
    return qs.order_by("-month").values_list("month", flat=True).first()


def registered_rate(unemployed: int, employed) -> Decimal | None:
    """城镇登记失业率 in percent: unemployed / (employed + unemployed) × 100; None without the denominator."""
    if employed is None:
        return None
    denominator = Decimal(employed) + unemployed
    if denominator <= 0:
        return None
    return (Decimal(unemployed) * 100 / denominator).quantize(Decimal("0.01"))


def limits_of(code: str, on: datetime.date) -> dict:
    """The limits and level ratios in force for ``code`` on ``on`` (None where not set or not in force)."""
    p = params(code, on)
    out = {}
    for name, key in (("registered", "monitoring.unemployment.registered_limit"),
                      ("surveyed", "monitoring.unemployment.surveyed_limit"),
                      ("ratios", "monitoring.unemployment.level_ratios")):
        try:
            out[name] = p[key]
        except ParameterError:
            out[name] = None
    return out


@dataclass
class RateRow:
    region: Region
    month: datetime.date
    unemployed: int
    employed: Decimal | None
    employed_source: str
    rate: Decimal | None
    surveyed: Decimal | None
    surveyed_source: str
    registered_limit: Decimal | None
    surveyed_limit: Decimal | None
    level: str | None
    surveyed_level: str | None
    is_total: bool = False

    @property
    def rate_text(self) -> str:
        return f"{self.rate}%" if self.rate is not None else _(NO_DENOMINATOR)

    @property
    def surveyed_text(self) -> str:
        return f"{self.surveyed.normalize():f}%" if self.surveyed is not None else _("未录入")

    def as_dict(self) -> dict:
        return {
            "region_code": self.region.code, "region_name": self.region.name, "month": self.month.strftime("%Y-%m"),
            "unemployed": self.unemployed, "urban_employed": None if self.employed is None else float(self.employed),
            "employed_source": self.employed_source, "registered_rate": None if self.rate is None else float(self.rate),
            "registered_rate_text": self.rate_text,
            "surveyed_rate": None if self.surveyed is None else float(self.surveyed), "surveyed_source": self.surveyed_source,
            "registered_limit": None if self.registered_limit is None else float(self.registered_limit),
            "surveyed_limit": None if self.surveyed_limit is None else float(self.surveyed_limit),
            "level": self.level or "", "surveyed_level": self.surveyed_level or "", "is_total": self.is_total,
        }


def _rows(regions: list[Region], months: list[datetime.date], counts: dict, *, total_code: str | None = None) -> list[RateRow]:
    codes = [r.code for r in regions]
    employed = current_values(codes, months, SeriesIndicator.URBAN_EMPLOYED)
    surveyed = current_values(codes, months, SeriesIndicator.SURVEYED_RATE)
    out = []
    limit_cache: dict = {}
    for month in months:
        end = month_end(month)
        for region in regions:
            e = employed.get((region.code, month))
            s = surveyed.get((region.code, month))
            unemployed = counts.get((region.code, end), 0)
            rate = registered_rate(unemployed, e.value if e else None)
            key = (region.code, end)
            if key not in limit_cache:
                limit_cache[key] = limits_of(region.code, end)
            lim = limit_cache[key]
            out.append(RateRow(
                region=region, month=month, unemployed=unemployed, employed=e.value if e else None,
                employed_source=e.source if e else "", rate=rate, surveyed=s.value if s else None,
                surveyed_source=s.source if s else "", registered_limit=lim["registered"], surveyed_limit=lim["surveyed"],
                level=levels.level_of(rate, lim["registered"], lim["ratios"]),
                surveyed_level=levels.level_of(s.value if s else None, lim["surveyed"], lim["ratios"]),
                is_total=region.code == total_code))
    return out


def region_table(user, month: datetime.date, code: str | None = None) -> list[RateRow]:
    """The region ``code`` (default: the user's node) and its child regions for ``month``: registered urban
    unemployed at the month end, the urban employed entered, the rate (only where the denominator is entered),
    the surveyed rate, the limits and levels. Counts: one query for the children (the node's own count is
    their sum: the attribution is by community, so every community is under exactly one child)."""
    region = _scoped_region(user, code)
    month = month_start(month)
    end = month_end(month)
    prefix = significant_prefix(region.code)
    width = child_width(region)
    children = list(Region.objects.filter(parent=region).order_by("code")) if width else []
    counts = unemployed_counts([end], prefix=prefix, width=width or 12)
    if width:
        total = sum(n for (c, d), n in counts.items())
        counts[(region.code, end)] = total
    else:
        counts = {(region.code, end): counts.get((region.code, end), 0)}
    return _rows([region] + children, [month], counts, total_code=region.code)


def region_history(user, code: str, first: datetime.date, last: datetime.date) -> list[RateRow]:
    """One region's rows for every month from ``first`` to ``last`` (one count query for all months)."""
    region = _scoped_region(user, code)
    months, m = [], month_start(first)
    while m <= month_start(last):
        months.append(m)
        m = add_months(m, 1)
    prefix = significant_prefix(region.code)
    counts = unemployed_counts([month_end(m) for m in months], prefix=prefix, width=len(prefix))
    return _rows([region], months, counts)


def unemployed_registrations(user, code: str, month: datetime.date, known_on=None):
    """The registrations behind the registered-unemployed figure of ``code`` at the end of ``month``."""
    region = _scoped_region(user, code)
    ids = unemployed_registration_ids(month_end(month), significant_prefix(region.code), known_on)
    return region, Registration.objects.filter(pk__in=ids).select_related("person", "registered_in")


UNEMPLOYED_SORTS = {"name": ("person__name",), "since": ("effective_date",), "region": ("registered_in_id",)}


@dataclass
class UnemployedSearch:
    region_code: str = ""
    month: datetime.date | None = None
    sort: str = "region"
    limit: int = 50
    offset: int = 0


def _unemployed(user, s: UnemployedSearch):
    month = s.month or month_start(datetime.date.today())
    return unemployed_registrations(user, s.region_code, month)[1]


def unemployed_of_search(user, s: UnemployedSearch):
    return sorted_by(_unemployed(user, s), UNEMPLOYED_SORTS, s.sort, "region")


def search_unemployed(user, s: UnemployedSearch):
    return page(unemployed_of_search(user, s), s.limit, s.offset)


def count_unemployed(user, s: UnemployedSearch) -> int:
    return _unemployed(user, s).count()


# ---------------------------------------------------------------------------------------------
# Series lists


SERIES_SORTS = {"month": ("month", "region_id", "indicator"), "region": ("region_id", "month", "indicator"),
                "indicator": ("indicator", "region_id", "month"), "entered": ("entered_at",)}


@dataclass
class SeriesSearch:
    region_code: str = ""
    indicator: str = ""
    month_from: datetime.date | None = None
    month_to: datetime.date | None = None
    history: bool = False  # every version, not only the current ones
    sort: str = "-month"
    limit: int = 50
    offset: int = 0


def _series(user, s: SeriesSearch):
    ensure_reader(user)
    qs = StatSeriesValue.objects.filter(region_q(user))
    if not s.history:
        qs = qs.filter(is_current=True)
    if s.region_code:
        try:
            lo, hi = code_range(significant_prefix(s.region_code))
        except ValueError:
            return qs.none()
        qs = qs.filter(region_id__gte=lo, region_id__lte=hi)
    if s.indicator:
        qs = qs.filter(indicator=s.indicator)
    if s.month_from:
        qs = qs.filter(month__gte=month_start(s.month_from))
    if s.month_to:
        qs = qs.filter(month__lte=month_start(s.month_to))
    return qs.select_related("region", "entered_by")


def series_of_search(user, s: SeriesSearch):
    return sorted_by(_series(user, s), SERIES_SORTS, s.sort, "-month")


def search_series(user, s: SeriesSearch):
    return page(series_of_search(user, s), s.limit, s.offset)


def count_series(user, s: SeriesSearch) -> int:
    return _series(user, s).count()


def series_versions(user, code: str, indicator: str, month: datetime.date) -> list[StatSeriesValue]:
    """Every version of one value, newest first (NotFound when there is none in the user's scope)."""
    region = _scoped_region(user, code)
    rows = list(StatSeriesValue.objects.filter(region=region, indicator=indicator, month=month_start(month))
                .select_related("entered_by").order_by("-version"))
    if not rows:
        raise NotFound(_("没有该数据或不在您的管辖范围内"))
    return rows


# ---------------------------------------------------------------------------------------------
# Forecasts


def latest_forecast(region_code: str, indicator: str) -> ForecastRun | None:
    return (ForecastRun.objects.filter(region_id=region_code, indicator=indicator)
            .order_by("-made_at", "-pk").first())


def forecasts_of(user, code: str) -> dict[str, ForecastRun | None]:
    region = _scoped_region(user, code)
    return {ind: latest_forecast(region.code, ind) for ind in RateIndicator.values}
