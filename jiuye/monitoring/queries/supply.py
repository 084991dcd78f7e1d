"""Supply and demand (人力资源市场供求), part "supply" of issue 11: scoped, set-based reads.

Definitions (docs/monitoring/supply.md has the sources):

- **需求人数 (openings)** of a period: the sum of ``Vacancy.openings`` of the vacancies *published in the
  period*: ``published_at`` (local time, Asia/Shanghai by default) on or after the period's first day and
  before the next period's first day, and a status that means the vacancy really went out
  (``COUNTED_STATUSES``: 招聘中, 已招满, 已关闭, 已过期). A draft never counts; a vacancy refused or waiting
  for review does not count even if it carries a publication time (it is not on the market). Region: the
  vacancy's place of work (``Vacancy.region``).
- **求职人数 (seekers)** of a period: the job-seeker registrations (``jobs.SeekerRegistration``) *started* in
  the period (``started_on`` within it), attributed to their 登记地 (``registered_in``).
- **求人倍率** = openings / seekers, rounded to two decimals; ``None`` (shown "—") when there are no seekers.

Breakdowns (``DIMENSIONS``), each one GROUP BY over the same filtered rows, so every breakdown adds up to the
overall total (a property test holds it): region (the child nodes of the chosen node: districts of a city,
streets of a district, communities of a street), occupation 大类 and 中类 (vacancy's occupation; seeker's first
intended occupation in ``SeekerProfile.occupations``; "未填写" when none), industry (GB/T 4754 section of the
employer; seeker's ``Person.preferred_industry`` when it maps to a section, else "未填写"), education
(``Vacancy.education_min``, "不限" when blank; ``Person.education``), age band (seekers: age on the
registration date; vacancies: "不限" without an age limit, else the band of ``age_max``, or of ``age_min``
when only a minimum is set).

Comparisons: the previous period of the same length and the same period a year earlier, counted by the same
query (a CASE puts each row into its period, one GROUP BY over the three periods).

Scope: vacancies by their place of work, seekers by their 登记地, both within the viewer's region
(``accounts.scoping.region_q``); a region filter outside the scope gives nothing, like a region with no data.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Substr, TruncMonth
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.jobs.models import Occupation, SeekerRegistration, Vacancy, VacancyStatus
from jiuye.monitoring.periods import MONTH, Period, months_between
from jiuye.paging import page, sorted_by
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, level_of, significant_prefix
from jiuye.regions.models import Region
from jiuye.regions.queries import within_q
from jiuye.registry.industries import DIVISIONS, SECTION_NAMES, SECTIONS
from jiuye.registry.models import Education

#: Vacancy statuses that mean "was really published" (see the module doc).
COUNTED_STATUSES = (VacancyStatus.PUBLISHED, VacancyStatus.FILLED, VacancyStatus.CLOSED, VacancyStatus.EXPIRED)

REGION, MAJOR, MEDIUM, INDUSTRY, EDUCATION, AGE = "region", "major", "medium", "industry", "education", "age"
DIMENSIONS = {REGION: "地区", MAJOR: "职业大类", MEDIUM: "职业中类", INDUSTRY: "行业", EDUCATION: "文化程度", AGE: "年龄段"}
NOT_GIVEN = "未填写"
NO_LIMIT = "不限"
OTHER = "其他"
AGE_BANDS = [(0, 15, "16岁以下"), (16, 24, "16–24岁"), (25, 34, "25–34岁"), (35, 44, "35–44岁"), (45, 54, "45–54岁"),
             (55, 200, "55岁及以上")]
EDUCATION_ORDER = [""] + list(Education.values)
CUR, PREV, YEAR_BEFORE = "cur", "prev", "yb"

#: Words people type as an intended industry that name one GB/T 4754 section (besides the codes and names).
INDUSTRY_WORDS = {
    "农业": "A", "种植": "A", "养殖": "A", "采矿": "B", "煤矿": "B", "制造": "C", "工厂": "C", "纺织": "C", "服饰": "C",
    "服装": "C", "食品": "C", "汽车部件": "C", "电子": "C", "机械": "C", "电力": "D", "热力": "D", "燃气": "D",
    "建筑": "E", "建设": "E", "装饰": "E", "装修": "E", "商贸": "F", "批发": "F", "零售": "F", "商店": "F", "超市": "F",
    "运输": "G", "物流": "G", "仓储": "G", "快递": "G", "邮政": "G", "酒店": "H", "住宿": "H", "餐饮": "H", "网络": "I",
    "软件": "I", "互联网": "I", "信息技术": "I", "金融": "J", "银行": "J", "保险": "J", "置业": "K", "房地产": "K",
    "物业": "K", "商务": "L", "租赁": "L", "咨询": "L", "检测": "M", "科研": "M", "市政": "N", "环保": "N",
    "家政": "O", "维修": "O", "服务": "O", "居民服务": "O", "教育": "P", "培训": "P", "医疗": "Q", "卫生": "Q",
    "养老": "Q", "社工": "Q", "文化": "R", "体育": "R", "娱乐": "R", "传媒": "R",
}


def industry_section_of_text(text: str) -> str | None:
    """The GB/T 4754 section a typed intended industry names: a section letter, a division code ("52", "5211"), a
    section or division name, or one of ``INDUSTRY_WORDS``; None when it names none."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) == 1 and value.upper() in SECTIONS:
        return value.upper()
    if value[:2].isdigit() and value[:2] in DIVISIONS:
        division = int(value[:2])
        return next((s for s, (lo, hi) in SECTIONS.items() if lo <= division <= hi), None)
    for letter, (name, lo, hi) in SECTION_NAMES.items():
        if value == name:
            return letter
    for code, name in DIVISIONS.items():
        if value == name:
            division = int(code)
            return next((s for s, (lo, hi) in SECTIONS.items() if lo <= division <= hi), None)
    return INDUSTRY_WORDS.get(value)


# ---------------------------------------------------------------------------------------------
# The filtered rows (one place: the figures, the drill-down lists, the catalogue and the API read them)


def _bounds(first: datetime.date, after: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(after, datetime.time.min, tzinfo=tz))


def _node_prefix(user, region_code: str) -> str | None:
    """The significant prefix of the chosen node (the user's own node when none): None when outside the scope."""
    scope = scope_prefix(user)
    if scope is None:
        return None
    if not region_code:
        return scope
    try:
        prefix = significant_prefix(region_code)
    except ValueError:
        return None
    return prefix if prefix.startswith(scope) else None


def published_vacancies(first: datetime.date, after: datetime.date) -> QuerySet[Vacancy]:
    """Vacancies published on or after ``first`` and before ``after`` (local days), counted statuses only."""
    start, end = _bounds(first, after)
    return Vacancy.objects.filter(status__in=COUNTED_STATUSES, published_at__gte=start, published_at__lt=end)


def started_seekers(first: datetime.date, after: datetime.date) -> QuerySet[SeekerRegistration]:
    return SeekerRegistration.objects.filter(started_on__gte=first, started_on__lt=after)


def _vacancies(user, prefix: str | None, first, after) -> QuerySet[Vacancy]:
    return published_vacancies(first, after).filter(region_q(user), within_q(prefix, "region"))


def _seekers(user, prefix: str | None, first, after) -> QuerySet[SeekerRegistration]:
    return started_seekers(first, after).filter(region_q(user, "registered_in"), within_q(prefix, "registered_in"))


# ---------------------------------------------------------------------------------------------
# Dimension keys as SQL expressions (the same expression groups the figures and filters the drill-down)


def _child_width(prefix: str) -> int:
    level = {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}.get(len(prefix), 5) if prefix else 0
    return LEVEL_PREFIX_LENGTH.get(level + 1, 12) if prefix else 2


def _age_band(expr) -> Case:
    return Case(*[When(**{f"{expr}__lte": hi, f"{expr}__gte": lo}, then=Value(label)) for lo, hi, label in AGE_BANDS],
                default=Value(NOT_GIVEN), output_field=CharField())


def _section_case(code_expr: str) -> Case:
    """GB/T 4754 section of an employer's stored industry: a section letter as stored, or from the division digits."""
    whens = [When(**{f"{code_expr}__in": list(SECTIONS)}, then=F(code_expr))]
    for letter, (lo, hi) in SECTIONS.items():
        whens.append(When(**{"_div__gte": f"{lo:02d}", "_div__lte": f"{hi:02d}"}, then=Value(letter)))
    return Case(*whens, default=Value(NOT_GIVEN), output_field=CharField())


def _vacancy_keys(qs: QuerySet[Vacancy], dimension: str, prefix: str) -> QuerySet[Vacancy]:
    if dimension == REGION:
        return qs.annotate(key=Substr("region_id", 1, _child_width(prefix)))
    if dimension == MAJOR:
        return qs.annotate(key=Coalesce(Substr("occupation__code", 1, 1), Value("")))
    if dimension == MEDIUM:
        return qs.annotate(key=Coalesce(Substr("occupation__code", 1, 4), Value("")))
    if dimension == INDUSTRY:
        return qs.annotate(_div=Substr("employer__industry_code", 1, 2)).annotate(key=_section_case("employer__industry_code"))
    if dimension == EDUCATION:
        return qs.annotate(key=F("education_min"))
    if dimension == AGE:
        return qs.annotate(key=Case(When(age_max__isnull=False, then=_age_band("age_max")),
                                    When(age_min__isnull=False, then=_age_band("age_min")),
                                    default=Value(NO_LIMIT), output_field=CharField()))
    raise ValueError(dimension)


def _industry_texts(qs: QuerySet[SeekerRegistration]) -> Case:
    """Map the distinct typed industries of these seekers to sections (one DISTINCT query, then one CASE)."""
    texts = qs.exclude(person__preferred_industry="").values_list("person__preferred_industry", flat=True).distinct()
    by_section: dict[str, list[str]] = {}
    for text in texts:
        section = industry_section_of_text(text)
        if section:
            by_section.setdefault(section, []).append(text)
    whens = [When(person__preferred_industry__in=values, then=Value(s)) for s, values in sorted(by_section.items())]
    return Case(*whens, default=Value(NOT_GIVEN), output_field=CharField()) if whens else Value(NOT_GIVEN, CharField())


def _seeker_keys(qs: QuerySet[SeekerRegistration], dimension: str, prefix: str) -> QuerySet[SeekerRegistration]:
    if dimension == REGION:
        return qs.annotate(key=Substr("registered_in_id", 1, _child_width(prefix)))
    if dimension in (MAJOR, MEDIUM):
        first = KeyTextTransform("0", "person__seeker_profile__occupations")
        return qs.annotate(_occ=first).annotate(key=Coalesce(Substr("_occ", 1, 1 if dimension == MAJOR else 4), Value("")))
    if dimension == INDUSTRY:
        return qs.annotate(key=_industry_texts(qs))
    if dimension == EDUCATION:
        return qs.annotate(key=F("person__education"))
    if dimension == AGE:
        age = (ExtractYear("started_on") - ExtractYear("person__birth_date")
               - Case(When(_md_start__lt=F("_md_birth"), then=Value(1)), default=Value(0), output_field=IntegerField()))
        return (qs.annotate(_md_start=ExtractMonth("started_on") * 100 + ExtractDay("started_on"),
                            _md_birth=ExtractMonth("person__birth_date") * 100 + ExtractDay("person__birth_date"))
                .annotate(_age=age).annotate(key=_age_band("_age")))
    raise ValueError(dimension)


# ---------------------------------------------------------------------------------------------
# Labels


def _labels(dimension: str, keys: set[str], side_blank: str = NOT_GIVEN) -> dict[str, str]:
    if dimension == REGION:
        codes = {k.ljust(12, "0"): k for k in keys if k and k.isdigit()}
        names = dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))
        return {k: names.get(code, k) for code, k in codes.items()}
    if dimension in (MAJOR, MEDIUM):
        codes = {(k + "-00-00-00")[:10] if dimension == MAJOR else k + "-00-00": k for k in keys if k}
        names = dict(Occupation.objects.filter(code__in=list(codes)).values_list("code", "name"))
        return {k: f"{k} {names.get(code, '')}".strip() for code, k in codes.items()}
    if dimension == INDUSTRY:
        return {k: f"{k} {SECTION_NAMES[k][0]}" for k in keys if k in SECTION_NAMES}
    if dimension == EDUCATION:
        return {k: str(v) for k, v in Education.choices}
    return {}


def label_of(dimension: str, key: str) -> str:
    if key in ("", None):
        return NOT_GIVEN
    return _labels(dimension, {key}).get(key, key)


# ---------------------------------------------------------------------------------------------
# Figures


def ratio(openings: int, seekers: int) -> Decimal | None:
    """求人倍率 = openings / seekers (two decimals); None without seekers (never a guess)."""
    if not seekers:
        return None
    return (Decimal(openings) / Decimal(seekers)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def change(now, before) -> dict:
    """Absolute and relative change (None where a side is missing, % None when the base is 0)."""
    if now is None or before is None:
        return {"abs": None, "pct": None}
    diff = now - before
    pct = (Decimal(diff) * 100 / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if before else None
    return {"abs": diff, "pct": pct}


@dataclass
class FigureRow:
    key: str
    label: str
    openings: int = 0
    seekers: int = 0
    prev_openings: int = 0
    prev_seekers: int = 0
    yb_openings: int = 0
    yb_seekers: int = 0

    @property
    def ratio(self):
        return ratio(self.openings, self.seekers)

    @property
    def prev_ratio(self):
        return ratio(self.prev_openings, self.prev_seekers)

    @property
    def yb_ratio(self):
        return ratio(self.yb_openings, self.yb_seekers)

    def changes(self) -> dict:
        return {
            "openings_prev": change(self.openings, self.prev_openings),
            "openings_yb": change(self.openings, self.yb_openings),
            "seekers_prev": change(self.seekers, self.prev_seekers),
            "seekers_yb": change(self.seekers, self.yb_seekers),
            "ratio_prev": change(self.ratio, self.prev_ratio),
            "ratio_yb": change(self.ratio, self.yb_ratio),
        }


@dataclass
class Figures:
    period: Period
    dimension: str
    region_code: str  # the chosen node (12 digits), "" for the user's whole scope
    region_name: str
    rows: list[FigureRow] = field(default_factory=list)
    total: FigureRow | None = None


def _tag(field_name: str, periods: dict[str, Period], dates: bool) -> Case:
    whens = []
    for tag, p in periods.items():
        lo, hi = (p.start, p.next().start) if dates else _bounds(p.start, p.next().start)
        whens.append(When(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi}, then=Value(tag)))
    return Case(*whens, default=Value(""), output_field=CharField())


def supply_figures(user, period: Period, *, dimension: str = REGION, region_code: str = "",
                   compare: bool = True) -> Figures:
    """The openings, seekers and 求人倍率 of ``period`` broken down by ``dimension`` under ``region_code`` (the user's
    scope when blank), with the previous period and the same period a year earlier. Two GROUP BY queries (one per
    side) plus the labels."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    prefix = _node_prefix(user, region_code)
    periods = {CUR: period}
    if compare:
        periods.update({PREV: period.previous(), YEAR_BEFORE: period.year_before()})
    node = (prefix or "").ljust(12, "0") if prefix else ""
    name = Region.objects.filter(code=node).values_list("name", flat=True).first() if node else "全部"
    figures = Figures(period=period, dimension=dimension, region_code=node if region_code else "",
                      region_name=name or node)
    if prefix is None:
        figures.total = FigureRow(key="", label="合计")
        return figures
    rows: dict[str, FigureRow] = {}
    spans = [(p.start, p.next().start) for p in periods.values()]
    vq = Q()
    sq = Q()
    for lo, hi in spans:
        a, b = _bounds(lo, hi)
        vq |= Q(published_at__gte=a, published_at__lt=b)
        sq |= Q(started_on__gte=lo, started_on__lt=hi)
    vacancies = (Vacancy.objects.filter(status__in=COUNTED_STATUSES).filter(vq)
                 .filter(region_q(user), within_q(prefix, "region")))
    seekers = SeekerRegistration.objects.filter(sq).filter(region_q(user, "registered_in"),
                                                           within_q(prefix, "registered_in"))
    v_rows = (_vacancy_keys(vacancies, dimension, prefix).annotate(tag=_tag("published_at", periods, False))
              .values("tag", "key").annotate(n=Sum("openings")).order_by().values_list("tag", "key", "n"))
    s_rows = (_seeker_keys(seekers, dimension, prefix).annotate(tag=_tag("started_on", periods, True))
              .values("tag", "key").annotate(n=Count("pk")).order_by().values_list("tag", "key", "n"))
    names = {CUR: "", PREV: "prev_", YEAR_BEFORE: "yb_"}
    for side, result in (("openings", v_rows), ("seekers", s_rows)):
        for tag, key, n in result:
            key = key or ""
            row = rows.setdefault(key, FigureRow(key=key, label=""))
            attr = names[tag] + side
            setattr(row, attr, getattr(row, attr) + (n or 0))
    labels = _labels(dimension, set(rows))
    blank = NO_LIMIT if dimension == EDUCATION else NOT_GIVEN
    for key, row in rows.items():
        row.label = labels.get(key, key) if key else blank
        if dimension == EDUCATION and not key:
            row.label = f"{NO_LIMIT}/{NOT_GIVEN}"
    figures.rows = sorted(rows.values(), key=lambda r: _order(dimension, r))
    total = FigureRow(key="", label="合计")
    for r in rows.values():
        for attr in ("openings", "seekers", "prev_openings", "prev_seekers", "yb_openings", "yb_seekers"):
            setattr(total, attr, getattr(total, attr) + getattr(r, attr))
    figures.total = total
    return figures


def _order(dimension: str, row: FigureRow):
    if dimension == AGE:
        order = [label for _lo, _hi, label in AGE_BANDS] + [NO_LIMIT, NOT_GIVEN]
        return (order.index(row.key) if row.key in order else 99, row.key)
    if dimension == EDUCATION:
        return (EDUCATION_ORDER.index(row.key) if row.key in EDUCATION_ORDER else 99, row.key)
    return (row.key == "" or row.key == NOT_GIVEN, row.key)


def monthly_series(user, last_month: datetime.date, months: int = 24, *, region_code: str = "") -> dict:
    """Openings and seekers per month for the ``months`` months ending with ``last_month``, per child region of the
    chosen node and in total: two GROUP BY (month, region) queries. Returns ``{"months": [date], "regions":
    [(key, name)], "openings": {key: [n]}, "seekers": {key: [n]}, "total": {"openings": [...], "seekers": [...],
    "ratio": [...]}}``."""
    prefix = _node_prefix(user, region_code)
    first = (last_month.replace(day=1) - _months(months - 1))
    month_list = months_between(first, last_month)
    after = Period(month_list[-1], MONTH).next().start
    out = {"months": month_list, "regions": [], "openings": {}, "seekers": {},
           "total": {"openings": [0] * len(month_list), "seekers": [0] * len(month_list), "ratio": []}}
    if prefix is None:
        out["total"]["ratio"] = [None] * len(month_list)
        return out
    width = _child_width(prefix)
    tz = timezone.get_current_timezone()
    v = (_vacancies(user, prefix, first, after).annotate(m=TruncMonth("published_at", tzinfo=tz),
                                                         key=Substr("region_id", 1, width))
         .values("m", "key").annotate(n=Sum("openings")).order_by().values_list("m", "key", "n"))
    s = (_seekers(user, prefix, first, after).annotate(m=TruncMonth("started_on"), key=Substr("registered_in_id", 1, width))
         .values("m", "key").annotate(n=Count("pk")).order_by().values_list("m", "key", "n"))
    index = {m: i for i, m in enumerate(month_list)}
    keys = set()
    for side, result in (("openings", v), ("seekers", s)):
        for m, key, n in result:
            if isinstance(m, datetime.datetime):
                m = m.date()
            i = index.get(m)
            if i is None:
                continue
            keys.add(key)
            out[side].setdefault(key, [0] * len(month_list))[i] += n or 0
            out["total"][side][i] += n or 0
    for side in ("openings", "seekers"):
        for key in keys:
            out[side].setdefault(key, [0] * len(month_list))
    labels = _labels(REGION, keys)
    out["regions"] = [(k, labels.get(k, k)) for k in sorted(keys)]
    out["total"]["ratio"] = [ratio(o, s) for o, s in zip(out["total"]["openings"], out["total"]["seekers"])]
    return out


def _months(n: int):
    from dateutil.relativedelta import relativedelta

    return relativedelta(months=n)


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind a figure


@dataclass
class SupplyRecords:
    period: str = ""  # a period code ("2026-11", "2026-Q4", "2026")
    dimension: str = ""
    key: str = ""  # the dimension's key of the row ("" with a dimension = the row 未填写/不限; no dimension = all)
    region: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


VACANCY_RECORD_SORTS = {"published": ("published_at",), "title": ("title",), "openings": ("openings",),
                        "region": ("region_id",), "employer": ("employer__name",)}
SEEKER_RECORD_SORTS = {"started": ("started_on",), "region": ("registered_in_id",), "name": ("person__name",)}


def _period_of(s: SupplyRecords) -> Period:
    from jiuye.monitoring.periods import parse_period

    return parse_period(s.period)


def _keyed(qs, keyed, s: SupplyRecords, prefix: str):
    """The rows of one figure's cell: the same key expression the figure grouped by, equal to the row's key."""
    if not s.dimension:
        return qs
    if s.dimension not in DIMENSIONS:
        return qs.none()
    return keyed(qs, s.dimension, prefix).filter(key=s.key or "")


def _vacancy_records(user, s: SupplyRecords) -> QuerySet[Vacancy]:
    p = _period_of(s)
    prefix = _node_prefix(user, s.region)
    return _keyed(_vacancies(user, prefix, p.start, p.next().start), _vacancy_keys, s, prefix or "")


def _seeker_records(user, s: SupplyRecords) -> QuerySet[SeekerRegistration]:
    p = _period_of(s)
    prefix = _node_prefix(user, s.region)
    return _keyed(_seekers(user, prefix, p.start, p.next().start), _seeker_keys, s, prefix or "")


def vacancy_records_of_search(user, s: SupplyRecords) -> QuerySet[Vacancy]:
    qs = _vacancy_records(user, s).select_related("employer", "region", "occupation")
    return sorted_by(qs, VACANCY_RECORD_SORTS, s.sort, "-published")


def search_vacancy_records(user, s: SupplyRecords):
    return page(vacancy_records_of_search(user, s), s.limit, s.offset)


def count_vacancy_records(user, s: SupplyRecords) -> int:
    return _vacancy_records(user, s).count()


def sum_vacancy_openings(user, s: SupplyRecords) -> int:
    return _vacancy_records(user, s).aggregate(n=Sum("openings"))["n"] or 0


def seeker_records_of_search(user, s: SupplyRecords) -> QuerySet[SeekerRegistration]:
    qs = _seeker_records(user, s).select_related("person", "registered_in")
    return sorted_by(qs, SEEKER_RECORD_SORTS, s.sort, "-started")


def search_seeker_records(user, s: SupplyRecords):
    return page(seeker_records_of_search(user, s), s.limit, s.offset)


def count_seeker_records(user, s: SupplyRecords) -> int:
    return _seeker_records(user, s).count()


def shows_names(user) -> bool:
    """Persons' names in the seeker drill-down only for roles that read the registry."""
    return roles.can_read_registry(user)


def region_level_name(code: str) -> str:
    return {1: "省", 2: "市", 3: "区县", 4: "街道", 5: "社区"}.get(level_of(code), "")


# ---------------------------------------------------------------------------------------------
# The shortage-occupation catalogue: monthly figures per occupation, and who reads which catalogue


def occupation_months(prefix: str, year: int) -> dict[str, dict]:
    """Openings and seekers per detailed occupation and month of ``year`` under the region ``prefix``: two GROUP BY
    (occupation, month) queries. ``{code: {"openings": [12 ints], "seekers": [12 ints]}}``; seekers by the first
    intended occupation of their profile, vacancies by their occupation (vacancies and seekers without one are left
    out: they name no occupation)."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    tz = timezone.get_current_timezone()
    v = (published_vacancies(first, after).filter(within_q(prefix, "region"), occupation__isnull=False)
         .annotate(m=TruncMonth("published_at", tzinfo=tz), code=F("occupation__code"))
         .values("code", "m").annotate(n=Sum("openings")).order_by().values_list("code", "m", "n"))
    s = (started_seekers(first, after).filter(within_q(prefix, "registered_in"))
         .annotate(_occ=KeyTextTransform("0", "person__seeker_profile__occupations"))
         .annotate(code=Coalesce(Substr("_occ", 1, 10), Value("")), m=TruncMonth("started_on")).exclude(code="")
         .values("code", "m").annotate(n=Count("pk")).order_by().values_list("code", "m", "n"))
    out: dict[str, dict] = {}
    for side, rows in (("openings", v), ("seekers", s)):
        for code, m, n in rows:
            entry = out.setdefault(code, {"openings": [0] * 12, "seekers": [0] * 12})
            entry[side][m.month - 1] += n or 0
    return out


def home_region(user) -> str | None:
    """The region a user belongs to for reading published catalogues: their node, else the community of their own
    person record (a resident) or their employer's region (an employer user)."""
    if user is None or not user.is_authenticated:
        return None
    if user.region_id:
        return user.region_id
    from jiuye.registry.models import Employer, Person
    from jiuye.registry.queries import linked_employer_id, linked_person_id

    person_id = linked_person_id(user)
    if person_id:
        return Person.objects.filter(pk=person_id).values_list("region_id", flat=True).first()
    employer_id = linked_employer_id(user)
    if employer_id:
        return Employer.objects.filter(pk=employer_id).values_list("region_id", flat=True).first()
    return None


def catalogues_visible_to(user):
    """Published (and replaced) catalogues of the user's region and the regions above it, for everyone logged in;
    besides, for monitoring readers every catalogue within their scope, and drafts for managers."""
    from jiuye.monitoring.models import CatalogueStatus, ShortageCatalogue

    if user is None or not user.is_authenticated:
        return ShortageCatalogue.objects.none()
    home = home_region(user)
    public = Q(status__in=[CatalogueStatus.PUBLISHED, CatalogueStatus.REPLACED])
    cond = Q(pk__in=[])
    if user.is_superuser:
        cond = Q()
    elif home:
        ancestors = [home[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]
        cond = public & Q(region_id__in=ancestors)
    if roles.can_read_monitoring(user):
        cond |= public & region_q(user)
    if roles.can_manage_monitoring(user):
        cond |= Q(status=CatalogueStatus.DRAFT) & region_q(user)
    return ShortageCatalogue.objects.filter(cond).select_related("region", "published_by", "computed_by")


def catalogue_list(user):
    return catalogues_visible_to(user).order_by("-year", "region_id", "status", "-pk")


def get_catalogue(user, pk: int):
    """One catalogue the user may read; NotFound (404) alike for missing and not visible."""
    from jiuye.registry.queries import NotFound

    cat = catalogues_visible_to(user).filter(pk=pk).first()
    if cat is None:
        raise NotFound("目录不存在或不在您的查看范围内")
    return cat


@dataclass
class CatalogueSearch:
    year: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


CATALOGUE_SORTS = {"year": ("year",), "region": ("region_id",), "status": ("status",), "published": ("published_at",)}


def catalogues_of_search(user, s: CatalogueSearch):
    qs = catalogues_visible_to(user)
    if s.year:
        qs = qs.filter(year=s.year)
    return sorted_by(qs, CATALOGUE_SORTS, s.sort, "-year")


def search_catalogues(user, s: CatalogueSearch):
    return page(catalogues_of_search(user, s), s.limit, s.offset)


def count_catalogues(user, s: CatalogueSearch) -> int:
    qs = catalogues_visible_to(user)
    return (qs.filter(year=s.year) if s.year else qs).count()
