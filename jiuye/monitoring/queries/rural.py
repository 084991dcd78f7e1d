"""Rural labour transfer (农村劳动力转移就业), counted from the registry (DOMAIN.md §7 item 4; seed 000 §二十一).

Who: persons with a rural household registration (``Person.hukou_type == rural``) employed off the farm: an
employment registration (就业登记) whose form is not agriculture (务农). Two measures per period (month,
quarter, year):

- ``new`` (新增转移就业): persons with a counting employment registration off the farm effective in the period,
  each person once (their first such registration in the period decides the place);
- ``stock`` (转移就业人数): persons whose status at the period's last day is employed off the farm (their last
  counting entry on or before that day is such an employment registration).

Where: the place of work is the employer's region, else the registration's 登记地; it is compared with the
household registration county (``places.origin_county``: the 户籍地 text, else the identity number's first six
digits) → local (县内), within the province (省内跨县), across provinces (跨省), or unknown (户籍地未知).
Rows are per region of the registration's 登记地 (the children of the viewer's node, or of the filtered node);
the scope is the 登记地 within the viewer's region.

Set-based: one query per measure picks one registration per person (ROW_NUMBER window, as a CTE joined to
the persons) and groups by (户籍地 text, identity-number prefix, county of work, region); the groups are
classified in Python through the cached place resolver, never the persons one by one. The drill-down to
persons uses the same CTE with a filter built from the classified groups.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber, Substr
from django.utils.translation import gettext as _
from django_cte import CTE, with_cte

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, scope_prefix
from jiuye.monitoring import places
from jiuye.monitoring.periods import MONTH, Period, PeriodError, month_of, parse_period
from jiuye.regions.codes import code_range, pad, significant_prefix
from jiuye.regions.models import Region
from jiuye.registry.models import EmploymentForm, HukouType, Person, Registration
from jiuye.paging import page, sort_key, sorted_by
from jiuye.registry.status import counting_registrations

NEW, STOCK = "new", "stock"
MEASURES = {NEW: "新增转移就业人数", STOCK: "期末转移就业人数"}
SCOPES = (places.LOCAL, places.PROVINCE, places.CROSS, places.UNKNOWN_SCOPE)
SCOPE_LABELS = places.SCOPE_LABELS


PERSON_SORTS = {"name": ("name",), "date": ("entry_date",), "region": ("reg_code", "name")}


@dataclass
class RuralSearch:
    period: str = ""  # "2026-11", "2026-Q4", "2026"; default: the last full month
    region_code: str = ""


@dataclass
class RuralPersonSearch:
    period: str = ""
    measure: str = NEW
    region_code: str = ""  # the row's region (登记地 under it)
    scope: str = ""  # local / province / cross / unknown; blank: all
    origin: str = ""  # a county code of origin (the cross-province table's drill-down)
    sort: str = ""
    limit: int = 50
    offset: int = 0


@dataclass
class Row:
    code: str
    name: str
    counts: dict = field(default_factory=lambda: {s: 0 for s in SCOPES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def period_of_search(period: str, today: datetime.date | None = None) -> Period:
    if not (period or "").strip():
        today = today or datetime.date.today()
        return month_of(today).previous()
    return parse_period(period)


def _node(user, region_code: str) -> str:
    """The prefix of the node the rows are under: the filter (inside the scope) or the user's node."""
    prefix = scope_prefix(user)
    if prefix is None:
        raise OutOfScope(_("您的角色无权查看就业监测预警"))
    if region_code:
        try:
            filt = significant_prefix(region_code.strip())
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": region_code}) from None
        if not filt.startswith(prefix):
            raise ValueError(_("区划 %(c)s 不在您的管辖范围内") % {"c": region_code})
        return filt
    return prefix


def _child_width(prefix: str) -> int:
    for width in (2, 4, 6, 9, 12):
        if width > len(prefix):
            return width
    return 12


def _entries(measure: str, period: Period) -> QuerySet:
    """One registration per person (values: person_id, kind, form, work region, 登记地, date, id)."""
    base = counting_registrations()
    if measure == NEW:
        base = (base.filter(kind=Registration.Kind.EMPLOYMENT, effective_date__gte=period.start,
                            effective_date__lte=period.end)
                .exclude(employment_form=EmploymentForm.AGRICULTURE))
        order = [F("effective_date").asc(), F("recorded_at").asc(), F("id").asc()]
    else:
        base = base.filter(effective_date__lte=period.end)
        order = [F("effective_date").desc(), F("recorded_at").desc(), F("id").desc()]
    return (base.annotate(_rn=Window(RowNumber(), partition_by=[F("person_id")], order_by=order))
            .filter(_rn=1)
            .values("person_id", "id", "kind", "employment_form", "registered_in_id", "effective_date",
                    work_code=Coalesce("employer__region_id", "registered_in_id", output_field=CharField())))


def _joined(user, measure: str, period: Period, node: str) -> QuerySet:
    """Rural persons joined to their one registration, in scope (登记地 under ``node``), off the farm."""
    cte = CTE(_entries(measure, period), name=f"cte_rural_{measure}")
    qs = cte.join(Person.objects.filter(hukou_type=HukouType.RURAL), id=cte.col.person_id).alias(
        _kind=cte.col.kind, _form=cte.col.employment_form, _reg_code=cte.col.registered_in_id,
        _work_code=cte.col.work_code, _date=cte.col.effective_date, _rid=cte.col.id)
    if measure == STOCK:
        qs = qs.filter(_kind=Registration.Kind.EMPLOYMENT).exclude(_form=EmploymentForm.AGRICULTURE)
    if node:
        lo, hi = code_range(node)
        qs = qs.filter(_reg_code__gte=lo, _reg_code__lte=hi)
    return with_cte(cte, select=qs)


def _groups(user, measure: str, period: Period, node: str, width: int) -> list[dict]:
    qs = (_joined(user, measure, period, node)
          .annotate(id6=Substr("id_number", 1, 6), work6=Substr("_work_code", 1, 6), area=Substr("_reg_code", 1, width))
          .values("hukou_place", "id6", "work6", "area").annotate(n=Count("id")).order_by())
    return list(qs)


def classify_group(g: dict) -> tuple[str, str]:
    """(scope, origin county) of one group."""
    origin, _how = places.origin_county(g["hukou_place"], g["id6"])
    return places.classify(origin, g["work6"]), origin


def _names(codes) -> dict[str, str]:
    padded = {pad(c): c for c in codes}
    return {padded[r["code"]]: r["name"] for r in Region.objects.filter(code__in=list(padded)).values("code", "name")}


def rural_transfer(user, s: RuralSearch, *, today: datetime.date | None = None) -> dict:
    """Both measures of one period, per child region of the node, with the totals and the cross-province
    origins. ValueError (Chinese) for a bad period or region."""
    if not roles.can_read_monitoring(user):
        raise OutOfScope(_("您的角色无权查看就业监测预警"))
    try:
        period = period_of_search(s.period, today)
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    node = _node(user, s.region_code)
    width = _child_width(node)
    out = {"period": period, "node": node, "measures": {}}
    for measure in (NEW, STOCK):
        rows: dict[str, Row] = {}
        total = Row("", _("合计"))
        origins: dict[str, int] = defaultdict(int)
        for g in _groups(user, measure, period, node, width):
            scope, origin = classify_group(g)
            rows.setdefault(g["area"], Row(g["area"], "")).counts[scope] += g["n"]
            total.counts[scope] += g["n"]
            if scope == places.CROSS:
                origins[origin] += g["n"]
        names = _names(rows)
        for code, row in rows.items():
            row.name = names.get(code, code)
        out["measures"][measure] = {
            "rows": sorted(rows.values(), key=lambda r: r.code), "total": total,
            "origins": [{"code": c, "name": places.county_name(c) or c, "province": places.province_name(c), "n": n}
                        for c, n in sorted(origins.items(), key=lambda kv: (-kv[1], kv[0]))],
        }
    return out


def persons_query(user, s: RuralPersonSearch, *, today: datetime.date | None = None) -> QuerySet:
    """The persons behind one figure (a cell of the table): same CTE and scope, filtered to the groups of the
    cell's scope class (or origin county). Ordered by name. ValueError for bad input."""
    if not roles.can_read_monitoring(user):
        raise OutOfScope(_("您的角色无权查看就业监测预警"))
    try:
        period = period_of_search(s.period, today)
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    if s.measure not in MEASURES:
        raise ValueError(_("口径“%(m)s”无效") % {"m": s.measure})
    if s.scope and s.scope not in SCOPES:
        raise ValueError(_("转移范围“%(m)s”无效") % {"m": s.scope})
    node = _node(user, s.region_code)
    qs = _joined(user, s.measure, period, node).annotate(
        id6=Substr("id_number", 1, 6), work6=Substr("_work_code", 1, 6), work_code=F("_work_code"),
        reg_code=F("_reg_code"), entry_date=F("_date"), entry_id=F("_rid"))
    if s.scope or s.origin:
        wanted = Q(pk__in=[])
        by_work: dict[str, tuple[set, set, set]] = defaultdict(lambda: (set(), set(), set()))
        for g in _groups(user, s.measure, period, node, 2):
            scope, origin = classify_group(g)
            if (s.scope and scope != s.scope) or (s.origin and origin != s.origin):
                continue
            resolved, unresolved, id6s = by_work[g["work6"]]
            if places.county_of_place(g["hukou_place"]):
                resolved.add(g["hukou_place"])
            else:
                unresolved.add(g["hukou_place"])
                id6s.add(g["id6"])
        for work6, (resolved, unresolved, id6s) in by_work.items():
            place_q = Q(hukou_place__in=sorted(resolved)) if resolved else Q(pk__in=[])
            if unresolved:
                place_q |= Q(hukou_place__in=sorted(unresolved), id6__in=sorted(id6s))
            wanted |= Q(work6=work6) & place_q
        qs = qs.filter(wanted)
    return sorted_by(qs, PERSON_SORTS, s.sort, "name")


def person_sort(s: RuralPersonSearch) -> str:
    return sort_key(PERSON_SORTS, s.sort, "name")


def person_rows(rows) -> list[dict]:
    """Each person row with its origin, place of work and scope (the cached resolver, per distinct place)."""
    out = []
    for p in rows:
        origin, how = places.origin_county(p.hukou_place, p.id6)
        out.append({"p": p, "origin": origin, "origin_name": places.county_name(origin) or _("未知"), "how": how,
                    "scope": places.classify(origin, p.work6),
                    "scope_label": SCOPE_LABELS[places.classify(origin, p.work6)]})
    return out


def search_persons(user, s: RuralPersonSearch, *, today=None) -> tuple[list, bool]:
    return page(persons_query(user, s, today=today), s.limit, s.offset)


def count_persons(user, s: RuralPersonSearch, *, today=None) -> int:
    return persons_query(user, s, today=today).count()


def latest_month_summary(user, *, today: datetime.date) -> dict | None:
    """The last full month's totals of both measures (the monitoring home)."""
    if not roles.can_read_monitoring(user):
        return None
    data = rural_transfer(user, RuralSearch(period=""), today=today)
    return {"period": data["period"], "new": data["measures"][NEW]["total"], "stock": data["measures"][STOCK]["total"]}


__all__ = ["RuralSearch", "RuralPersonSearch", "rural_transfer", "persons_query", "person_rows", "search_persons",
           "count_persons", "latest_month_summary", "MEASURES", "SCOPES", "SCOPE_LABELS", "NEW", "STOCK", "MONTH"]


# ---------------------------------------------------------------------------------------------
# Scope-free set-based helpers (targets/kpis: the rural transfer KPIs, same definitions as the page above).
# The "new" measure with an optional ``known_on`` cutoff; the caller checks scope and roles.


def _entries_known(period, known_on=None) -> QuerySet:
    """``_entries(NEW, period)`` as known on ``known_on`` (the same registration picked per person)."""
    base = (counting_registrations(known_on)
            .filter(kind=Registration.Kind.EMPLOYMENT, effective_date__gte=period.start, effective_date__lte=period.end)
            .exclude(employment_form=EmploymentForm.AGRICULTURE))
    order = [F("effective_date").asc(), F("recorded_at").asc(), F("id").asc()]
    return (base.annotate(_rn=Window(RowNumber(), partition_by=[F("person_id")], order_by=order))
            .filter(_rn=1)
            .values("person_id", "id", "registered_in_id",
                    work_code=Coalesce("employer__region_id", "registered_in_id", output_field=CharField())))


def _new_joined(period, node: str = "", known_on=None) -> QuerySet:
    cte = CTE(_entries_known(period, known_on), name="cte_rural_kpi")
    qs = cte.join(Person.objects.filter(hukou_type=HukouType.RURAL), id=cte.col.person_id).alias(
        _reg_code=cte.col.registered_in_id, _work_code=cte.col.work_code)
    if node:
        lo, hi = code_range(node)
        qs = qs.filter(_reg_code__gte=lo, _reg_code__lte=hi)
    return with_cte(cte, select=qs)


def new_transfer_counts(period, *, node: str = "", known_on=None) -> dict[str, dict[str, int]]:
    """{12-digit 登记地 community: {scope: persons}} of the "new" measure (rural persons with a counting
    off-farm employment registration in the period, first one per person), under ``node`` (a prefix; ""
    everything). One grouped query; groups classified through the cached place resolver."""
    qs = (_new_joined(period, node, known_on)
          .annotate(id6=Substr("id_number", 1, 6), work6=Substr("_work_code", 1, 6), area=F("_reg_code"))
          .values("hukou_place", "id6", "work6", "area").annotate(n=Count("id")).order_by())
    out: dict[str, dict[str, int]] = {}
    for g in qs:
        scope, _origin = classify_group(g)
        cell = out.setdefault(g["area"], {s: 0 for s in SCOPES})
        cell[scope] += g["n"]
    return out


def new_transfer_persons(period, *, node: str = "", scope: str = "", known_on=None) -> QuerySet:
    """The rural persons behind ``new_transfer_counts`` under ``node`` (all scopes, or one ``scope``)."""
    qs = _new_joined(period, node, known_on)
    if not scope:
        return qs
    qs = qs.annotate(id6=Substr("id_number", 1, 6), work6=Substr("_work_code", 1, 6))
    groups = (_new_joined(period, node, known_on)
              .annotate(id6=Substr("id_number", 1, 6), work6=Substr("_work_code", 1, 6))
              .values("hukou_place", "id6", "work6").annotate(n=Count("id")).order_by())
    wanted = Q(pk__in=[])
    for g in groups:
        if classify_group(g)[0] == scope:
            wanted |= Q(hukou_place=g["hukou_place"], id6=g["id6"], work6=g["work6"])
    return qs.filter(wanted)


def transfer_registration_counts(period, *, node: str = "", known_on=None) -> dict[str, int]:
    """{12-digit 登记地: number of counting off-farm employment registrations of rural persons in the period}
    (人次: every registration, not persons)."""
    qs = (counting_registrations(known_on)
          .filter(kind=Registration.Kind.EMPLOYMENT, effective_date__gte=period.start, effective_date__lte=period.end,
                  person__hukou_type=HukouType.RURAL)
          .exclude(employment_form=EmploymentForm.AGRICULTURE))
    if node:
        lo, hi = code_range(node)
        qs = qs.filter(registered_in_id__gte=lo, registered_in_id__lte=hi)
    return {r["registered_in_id"]: r["n"] for r in qs.values("registered_in_id").annotate(n=Count("id")).order_by()}
