"""Key groups (重点群体) and hard-to-employ categories (就业困难人员), derived from facts as of a date.

Each group is a rule with two faces that must agree (tests/test_groups.py checks it with hypothesis):
- ``explain(facts)``: for one person, the reason the group holds (Chinese text), or None;
- ``q(on, params)``: a filter over Person rows, for set-based work (search, screening, KPIs). The
  facts that change over time are aliases that ``with_history_annotations`` puts on the rows:
  ``_status_on_date``, ``_status_since_on_date``, ``_form_on_date`` (status from one pass over the
  registrations, status.py; today without a cutoff: the stored projection) and ``_zero_household``.
Parameters are the registry's dated values in force on ``on`` for the person's jurisdiction
(``jiuye.parameters``; keys declared in registry/parameters.py): the rule bodies get
``params(region, on)["registry"]``, so ``r["hard_to_employ"]["categories"]`` is the key
``registry.hard_to_employ.categories``. Sex appears only in the hard-to-employ
age category, which qualifies people for help; nothing here ranks or screens anyone out.

Every face takes ``on`` (facts effective on that date, as recorded now) and an optional ``known_on``
(registrations recorded after it are ignored, see status.py), so a kept screening can be reproduced.
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable

from dateutil.relativedelta import relativedelta
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_cte import with_cte

from jiuye.parameters import ParameterError, chain, jurisdictions, params
from jiuye.regions.codes import code_range
from jiuye.registry import parameters as _registry_parameters  # noqa: F401  (declares the keys used here)
from jiuye.registry.models import (
    HIGHER_EDUCATION,
    EmploymentForm,
    EmploymentStatus,
    Household,
    HouseholdMembership,
    HukouType,
    Person,
    PovertyStatus,
    Registration,
    SchoolType,
    VeteranKind,
)
from jiuye.registry.retirement import age_on, is_working_age
from jiuye.registry.status import StatusOnDate, join_cte, last_entries_cte, status_on


def fmt(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class PersonFacts:
    """What the rules need to know about one person on one date."""

    person: Person
    on: datetime.date
    status: StatusOnDate
    in_zero_employment_household: bool
    rules: Mapping = field(default_factory=dict)  # params(region, on)["registry"]

    @property
    def working_age(self) -> bool:
        return is_working_age(self.person.birth_date, self.person.retirement_date, self.on)


@dataclass(frozen=True)
class GroupMembership:
    code: str
    label: str
    reason: str


@dataclass(frozen=True)
class GroupRule:
    code: str
    label: object  # lazy translation
    explain: Callable[[PersonFacts], str | None]
    q: Callable[[datetime.date, dict], Q]
    #: whether ``q`` reads the status aliases / the zero-employment alias (else only the person's fields)
    uses_status: bool = True
    uses_household: bool = False


# ---------------------------------------------------------------------------------------------
# Helpers shared by both faces


def _is_college(person: Person) -> bool:
    return person.school_type == SchoolType.UNIVERSITY or person.education in HIGHER_EDUCATION


def _college_q() -> Q:
    return Q(school_type=SchoolType.UNIVERSITY) | Q(education__in=list(HIGHER_EDUCATION))


def _working_age_q(on: datetime.date) -> Q:
    return Q(birth_date__lte=on - relativedelta(years=16), retirement_date__gt=on)


def _status_q(on: datetime.date, status: str) -> Q:
    """Persons whose status on ``on`` is ``status`` (alias from ``with_history_annotations``)."""
    return Q(_status_on_date=status)


def _needs_history(on: datetime.date, known_on=None) -> bool:
    """Whether ``on``/``known_on`` need the history; today without a cutoff reads the projections."""
    return on != timezone.localdate() or known_on is not None


def months_cutoff(on: datetime.date, months: int) -> datetime.date:
    """The latest start date from which ``months`` whole months have passed on ``on``: the set-based
    twin of ``relativedelta(on, since)`` (whole months as ``_unemployed_months`` counts them, where
    ``since + N months`` falls on the month's last day when the day does not exist). When ``on`` is the
    last day of its month, every start later in the month N months back also reaches it (May 31 + 6
    months = Nov 30), so the cutoff is that month's last day."""
    cutoff = on - relativedelta(months=months)
    if (on + datetime.timedelta(days=1)).day == 1:
        cutoff = cutoff + relativedelta(day=31)
    return cutoff


def _unemployed_since_q(on: datetime.date, months: int) -> Q:
    cutoff = months_cutoff(on, months)
    return Q(_status_on_date=EmploymentStatus.UNEMPLOYED, _status_since_on_date__lte=cutoff)


def _unemployed_months(facts: PersonFacts) -> int | None:
    if facts.status.status != EmploymentStatus.UNEMPLOYED or facts.status.since is None:
        return None
    delta = relativedelta(facts.on, facts.status.since)
    return delta.years * 12 + delta.months


# ---------------------------------------------------------------------------------------------
# Graduates


def _graduate_current_year(f: PersonFacts) -> str | None:
    p = f.person
    if p.graduation_date and _is_college(p) and p.graduation_date.year == f.on.year:
        return _("%(d)s毕业，属%(y)d年毕业年度高校毕业生") % {"d": fmt(p.graduation_date), "y": f.on.year}
    return None


def _graduate_current_year_q(on, r) -> Q:
    return _college_q() & Q(graduation_date__gte=datetime.date(on.year, 1, 1), graduation_date__lte=datetime.date(on.year, 12, 31))


def _graduate_within(years_key: str, text: str):
    def explain(f: PersonFacts) -> str | None:
        years = f.rules["graduates"][years_key]
        p = f.person
        if p.graduation_date and _is_college(p) and f.on - relativedelta(years=years) < p.graduation_date <= f.on:
            return text % {"d": fmt(p.graduation_date), "on": fmt(f.on), "n": years}
        return None

    def q(on, r) -> Q:
        years = r["graduates"][years_key]
        return _college_q() & Q(graduation_date__gt=on - relativedelta(years=years), graduation_date__lte=on)

    return explain, q


_within_leaving = _graduate_within("within_years_after_leaving", gettext_lazy("%(d)s离校，截至%(on)s离校不满%(n)d年"))
_within_graduation = _graduate_within("within_years_after_graduation", gettext_lazy("%(d)s毕业，截至%(on)s毕业不满%(n)d年"))


# ---------------------------------------------------------------------------------------------
# Other key groups


def _migrant_worker(f: PersonFacts) -> str | None:
    if (
        f.person.hukou_type == HukouType.RURAL
        and f.status.status == EmploymentStatus.EMPLOYED
        and f.status.employment_form != EmploymentForm.AGRICULTURE
    ):
        return _("农村户籍，%(d)s起从事非农就业") % {"d": fmt(f.status.since)}
    return None


def _migrant_worker_q(on, r) -> Q:
    employed_non_farm = Q(_status_on_date=EmploymentStatus.EMPLOYED) & ~Q(_form_on_date=EmploymentForm.AGRICULTURE)
    return Q(hukou_type=HukouType.RURAL) & employed_non_farm


def _veteran(f: PersonFacts) -> str | None:
    p = f.person
    if not p.is_veteran:
        return None
    if p.veteran_kind == VeteranKind.SELF_EMPLOYED_OFFICER:
        return _("自主择业军队转业干部")
    return _("退役军人（%(k)s）") % {"k": p.get_veteran_kind_display() or _("退役军人")}


def _flag(attr: str, text):
    def explain(f: PersonFacts) -> str | None:
        return str(text) if getattr(f.person, attr) else None

    return explain, (lambda on, r: Q(**{attr: True}))


def _poverty(value: str, text):
    def explain(f: PersonFacts) -> str | None:
        return str(text) if f.person.poverty_status == value else None

    return explain, (lambda on, r: Q(poverty_status=value))


def _zero_household(f: PersonFacts) -> str | None:
    return _("所在家庭为零就业家庭") if f.in_zero_employment_household else None


def _zero_household_q(on, r) -> Q:
    return Q(_zero_household=True)


def _long_term_unemployed(f: PersonFacts) -> str | None:
    months = _unemployed_months(f)
    limit = f.rules["long_term_unemployed_months"]
    if months is not None and months >= limit:
        return _("%(d)s登记失业，至今已连续失业%(m)d个月") % {"d": fmt(f.status.since), "m": months}
    return None


def _long_term_unemployed_q(on, r) -> Q:
    return _unemployed_since_q(on, r["long_term_unemployed_months"])


# ---------------------------------------------------------------------------------------------
# Hard-to-employ: registered unemployed, of working age, and in at least one category.


HARD_TO_EMPLOY_CATEGORIES = [
    ("older_worker", gettext_lazy("大龄人员")),
    ("disability", gettext_lazy("残疾人")),
    ("dibao", gettext_lazy("低保家庭成员")),
    ("zero_employment_household", gettext_lazy("零就业家庭成员")),
    ("long_term_unemployed", gettext_lazy("长期失业人员")),
    ("land_lost_farmer", gettext_lazy("失地农民")),
    ("veteran_unemployed", gettext_lazy("失业退役军人")),
    ("released_or_rehabilitated", gettext_lazy("刑满释放或戒毒康复人员")),
    ("poor_household_graduate", gettext_lazy("困难家庭离校未就业高校毕业生")),
]


def hard_to_employ_categories(f: PersonFacts) -> list[str]:
    """The reasons of every hard-to-employ category the person's facts meet (status aside)."""
    return [reason for _category, reason in _hard_to_employ_reasons(f)]


def _hard_to_employ_reasons(f: PersonFacts) -> list[tuple[str, str]]:
    """(category, reason) for every category met; SQL face: ``_hard_to_employ_category_qs``."""
    p, cfg = f.person, f.rules["hard_to_employ"]
    enabled = set(cfg["categories"])
    out: list[tuple[str, str]] = []
    age = age_on(p.birth_date, f.on)
    months = _unemployed_months(f)
    if "older_worker" in enabled:
        if p.sex == "F" and age >= cfg["older_worker_female_age"]:
            out.append(("older_worker", _("女性%(a)d周岁（%(n)d周岁以上）") % {"a": age, "n": cfg["older_worker_female_age"]}))
        if p.sex == "M" and age >= cfg["older_worker_male_age"]:
            out.append(("older_worker", _("男性%(a)d周岁（%(n)d周岁以上）") % {"a": age, "n": cfg["older_worker_male_age"]}))
    if "disability" in enabled and p.has_disability:
        out.append(("disability", _("残疾人")))
    if "dibao" in enabled and p.is_dibao:
        out.append(("dibao", _("低保家庭成员")))
    if "zero_employment_household" in enabled and f.in_zero_employment_household:
        out.append(("zero_employment_household", _("零就业家庭成员")))
    if "long_term_unemployed" in enabled and months is not None and months >= cfg["long_term_unemployed_months"]:
        out.append(("long_term_unemployed", _("连续失业%(m)d个月（%(n)d个月以上）") % {"m": months, "n": cfg["long_term_unemployed_months"]}))
    if "land_lost_farmer" in enabled and p.is_land_lost_farmer:
        out.append(("land_lost_farmer", _("失地农民")))
    if "veteran_unemployed" in enabled and p.is_veteran and months is not None and months >= cfg["veteran_unemployed_months"]:
        out.append(("veteran_unemployed", _("退役军人失业%(m)d个月（%(n)d个月以上）") % {"m": months, "n": cfg["veteran_unemployed_months"]}))
    if "released_or_rehabilitated" in enabled and p.is_released_or_rehabilitated:
        out.append(("released_or_rehabilitated", _("刑满释放或戒毒康复人员")))
    if (
        "poor_household_graduate" in enabled
        and (p.poverty_status != PovertyStatus.NONE or p.is_dibao)
        and p.graduation_date
        and _is_college(p)
        and f.on - relativedelta(years=f.rules["graduates"]["within_years_after_leaving"]) < p.graduation_date <= f.on
    ):
        out.append(("poor_household_graduate", _("困难家庭离校未就业高校毕业生")))
    return out


def _hard_to_employ(f: PersonFacts) -> str | None:
    if f.status.status != EmploymentStatus.UNEMPLOYED or not f.working_age:
        return None
    categories = hard_to_employ_categories(f)
    if not categories:
        return None
    return _("%(d)s登记失业，符合：%(c)s") % {"d": fmt(f.status.since), "c": "；".join(categories)}


def _hard_to_employ_category_qs(on, r) -> dict[str, Q]:
    """Each enabled category's condition over Person rows (Python face: ``_hard_to_employ_reasons``)."""
    cfg = r["hard_to_employ"]
    enabled = set(cfg["categories"])
    out: dict[str, Q] = {}
    if "older_worker" in enabled:
        out["older_worker"] = Q(sex="F", birth_date__lte=on - relativedelta(years=cfg["older_worker_female_age"])) | Q(
            sex="M", birth_date__lte=on - relativedelta(years=cfg["older_worker_male_age"]))
    if "disability" in enabled:
        out["disability"] = Q(has_disability=True)
    if "dibao" in enabled:
        out["dibao"] = Q(is_dibao=True)
    if "zero_employment_household" in enabled:
        out["zero_employment_household"] = _zero_household_q(on, r)
    if "long_term_unemployed" in enabled:
        out["long_term_unemployed"] = _unemployed_since_q(on, cfg["long_term_unemployed_months"])
    if "land_lost_farmer" in enabled:
        out["land_lost_farmer"] = Q(is_land_lost_farmer=True)
    if "veteran_unemployed" in enabled:
        out["veteran_unemployed"] = Q(is_veteran=True) & _unemployed_since_q(on, cfg["veteran_unemployed_months"])
    if "released_or_rehabilitated" in enabled:
        out["released_or_rehabilitated"] = Q(is_released_or_rehabilitated=True)
    if "poor_household_graduate" in enabled:
        years = r["graduates"]["within_years_after_leaving"]
        out["poor_household_graduate"] = (
            (~Q(poverty_status=PovertyStatus.NONE) | Q(is_dibao=True))
            & _college_q()
            & Q(graduation_date__gt=on - relativedelta(years=years), graduation_date__lte=on)
        )
    return out


def _hard_to_employ_q(on, r) -> Q:
    any_category = Q(pk__in=[])
    for condition in _hard_to_employ_category_qs(on, r).values():
        any_category |= condition
    return _status_q(on, EmploymentStatus.UNEMPLOYED) & _working_age_q(on) & any_category


def _hard_to_employ_category(code: str, label) -> GroupRule:
    """One hard-to-employ category as a rule of its own: registered unemployed, of working age and in
    that category (screening and KPIs count by category). Filter with ``filter_group(qs, rule.code)``."""

    def explain(f: PersonFacts) -> str | None:
        if f.status.status != EmploymentStatus.UNEMPLOYED or not f.working_age:
            return None
        return "；".join(reason for category, reason in _hard_to_employ_reasons(f) if category == code) or None

    def q(on, r) -> Q:
        condition = _hard_to_employ_category_qs(on, r).get(code)
        if condition is None:  # not recognised in this jurisdiction
            return Q(pk__in=[])
        return _status_q(on, EmploymentStatus.UNEMPLOYED) & _working_age_q(on) & condition

    return GroupRule(f"hard_to_employ.{code}", label, explain, q, uses_household=code == "zero_employment_household")


GROUPS: list[GroupRule] = [
    GroupRule("graduate_current_year", gettext_lazy("毕业年度高校毕业生"), _graduate_current_year, _graduate_current_year_q, uses_status=False),
    GroupRule("graduate_within_2y", gettext_lazy("离校2年内高校毕业生"), *_within_leaving, uses_status=False),
    GroupRule("graduate_within_5y", gettext_lazy("毕业5年内高校毕业生"), *_within_graduation, uses_status=False),
    GroupRule("migrant_worker", gettext_lazy("农民工"), _migrant_worker, _migrant_worker_q),
    GroupRule("veteran", gettext_lazy("退役军人"), _veteran, lambda on, r: Q(is_veteran=True), uses_status=False),
    GroupRule("poverty_lifted", gettext_lazy("脱贫人口"), *_poverty(PovertyStatus.LIFTED, gettext_lazy("脱贫人口")), uses_status=False),
    GroupRule("poverty_monitored", gettext_lazy("防止返贫监测对象"), *_poverty(PovertyStatus.MONITORED, gettext_lazy("防止返贫监测对象")), uses_status=False),
    GroupRule("disabled", gettext_lazy("残疾人"), *_flag("has_disability", gettext_lazy("持有残疾人证")), uses_status=False),
    GroupRule("dibao", gettext_lazy("低保家庭成员"), *_flag("is_dibao", gettext_lazy("属最低生活保障家庭成员")), uses_status=False),
    GroupRule("zero_employment_household", gettext_lazy("零就业家庭成员"), _zero_household, _zero_household_q,
              uses_status=False, uses_household=True),
    GroupRule("long_term_unemployed", gettext_lazy("长期失业人员"), _long_term_unemployed, _long_term_unemployed_q),
    GroupRule("hard_to_employ", gettext_lazy("就业困难人员"), _hard_to_employ, _hard_to_employ_q, uses_household=True),
]
#: The hard-to-employ categories as rules of their own (codes "hard_to_employ.<category>"); not listed
#: among a person's groups (the hard_to_employ group gives the categories in its reason).
HARD_TO_EMPLOY_RULES: list[GroupRule] = [_hard_to_employ_category(code, label) for code, label in HARD_TO_EMPLOY_CATEGORIES]
GROUPS_BY_CODE = {g.code: g for g in GROUPS + HARD_TO_EMPLOY_RULES}
GROUP_CHOICES = [(g.code, g.label) for g in GROUPS]


# ---------------------------------------------------------------------------------------------
# Zero-employment households (零就业家庭)


def _open_membership_q(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}joined_on__lte": on}) & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on}))


def zero_employment_households(on: datetime.date | None = None, *, known_on=None) -> QuerySet[Household]:
    """Households where no working-age member able and willing to work is employed on ``on``, at least
    one such member is registered unemployed, and there is no business or investment income.
    (Requiring one registered unemployed member keeps households whose members were simply never
    registered from being flagged.) Today without a cutoff: the stored flag
    (``services.refresh_zero_employment`` keeps it); otherwise the rule (``zero_employment_rule``)."""
    on = on or timezone.localdate()
    if not _needs_history(on, known_on):
        return Household.objects.filter(is_zero_employment=True)
    return zero_employment_rule(on, known_on=known_on)


def zero_employment_rule(on: datetime.date, *, known_on=None, household_ids=None, last=None) -> QuerySet[Household]:
    """The rule itself in SQL, for all households or only ``household_ids`` (then only their members
    are read: milliseconds whatever the registry size). One grouped aggregate over the open memberships
    joined to each member's status on ``on``: from one pass over the registrations (status.py), or
    from the stored projection when ``on`` is today and there is no cutoff. Python face:
    ``is_zero_employment_household``; tests/test_groups.py holds them together. ``last``: a
    ``status.last_entries_cte`` the enclosing query already attaches (one pass shared with it)."""
    members = HouseholdMembership.objects.filter(_open_membership_q(on)).filter(
        person__able_to_work=True, person__willing_to_work=True,
        person__birth_date__lte=on - relativedelta(years=16), person__retirement_date__gt=on,
    )
    if household_ids is not None:
        members = members.filter(household_id__in=household_ids)
    if _needs_history(on, known_on):
        cte = last if last is not None else last_entries_cte(on, known_on, name="cte_zero")
        members = join_cte(members, cte, prefix="_zero", person_ref="person_id", outer=False)
        if last is None:
            members = with_cte(cte, select=members)
        employed, unemployed = Q(_zero_kind=Registration.Kind.EMPLOYMENT), Q(_zero_kind=Registration.Kind.UNEMPLOYMENT)
    else:
        employed = Q(person__employment_status=EmploymentStatus.EMPLOYED)
        unemployed = Q(person__employment_status=EmploymentStatus.UNEMPLOYED)
    qualifying = (
        members.order_by().values("household_id")
        .annotate(_employed=Count("pk", filter=employed), _unemployed=Count("pk", filter=unemployed))
        .filter(_employed=0, _unemployed__gt=0)
        .values("household_id")
    )
    households = Household.objects.filter(has_business_income=False, pk__in=qualifying)
    if household_ids is not None:
        households = households.filter(pk__in=household_ids)
    return households


def zero_employment_members(on: datetime.date, *, known_on=None, last=None) -> QuerySet[HouseholdMembership]:
    """Open memberships on ``on`` of the zero-employment households on ``on`` (``last``: see
    ``zero_employment_rule``)."""
    if _needs_history(on, known_on):
        households = zero_employment_rule(on, known_on=known_on, last=last).values("pk")
    else:
        households = zero_employment_households(on).values("pk")
    # An IN-list driven by the (small) set of households, not a per-person EXISTS.
    return HouseholdMembership.objects.filter(household__in=households).filter(_open_membership_q(on))


def is_zero_employment_household(household: Household, on: datetime.date | None = None, known_on=None) -> bool:
    """Python face of ``zero_employment_rule``, for one household (status replayed from the history)."""
    on = on or timezone.localdate()
    if household.has_business_income:
        return False
    memberships = household.memberships.filter(_open_membership_q(on)).select_related("person")
    eligible = [
        m.person
        for m in memberships
        if m.person.able_to_work and m.person.willing_to_work and is_working_age(m.person.birth_date, m.person.retirement_date, on)
    ]
    if not eligible:
        return False
    entries = Registration.objects.filter(person__in=eligible)
    by_person: dict[int, list[Registration]] = {}
    for e in entries:
        by_person.setdefault(e.person_id, []).append(e)
    statuses = [status_on(by_person.get(p.pk, []), on, known_on).status for p in eligible]
    return EmploymentStatus.EMPLOYED not in statuses and EmploymentStatus.UNEMPLOYED in statuses


# ---------------------------------------------------------------------------------------------
# Entry points


def facts_for(person: Person, on: datetime.date | None = None, known_on=None) -> PersonFacts:
    on = on or timezone.localdate()
    entries = list(person.registrations.all())
    membership = person.household_memberships.filter(_open_membership_q(on)).select_related("household").first()
    zero = bool(membership and is_zero_employment_household(membership.household, on, known_on))
    return PersonFacts(
        person=person, on=on, status=status_on(entries, on, known_on), in_zero_employment_household=zero,
        rules=params(person.region_id, on)["registry"],
    )


def groups_of(person: Person, on: datetime.date | None = None, known_on=None) -> list[GroupMembership]:
    """The person's groups on ``on`` (default today; registrations known by ``known_on``), each with its reason."""
    facts = facts_for(person, on, known_on)
    out = []
    for rule in GROUPS:
        reason = rule.explain(facts)
        if reason:
            out.append(GroupMembership(rule.code, str(rule.label), str(reason)))
    return out


def with_history_annotations(qs: QuerySet[Person], on: datetime.date, known_on=None, *, status: bool = True,
                             household: bool = True) -> QuerySet[Person]:
    """The aliases the ``q`` faces read: with ``status``, ``_status_on_date``, ``_status_since_on_date``
    and ``_form_on_date`` (status on ``on``); with ``household``, ``_zero_household`` (member of a
    zero-employment household on ``on``). From one pass over the registrations (one CTE, joined to the
    persons and to the household members alike), or from the projections for today without a cutoff."""
    aliases = {}
    if not _needs_history(on, known_on):
        if status:
            aliases.update(_status_on_date=F("employment_status"), _status_since_on_date=F("status_since"),
                           _form_on_date=F("employment_form"))
        cte = None
    else:
        n = len(getattr(qs.query, "_with_ctes", ()))  # unique names when group filters are combined
        cte = last_entries_cte(on, known_on, name=f"cte_groups{n}")
        if status:
            qs = join_cte(qs, cte, prefix=f"_groups{n}")
            aliases.update(_status_on_date=F(f"_groups{n}_status"), _status_since_on_date=F(f"_groups{n}_since"),
                           _form_on_date=F(f"_groups{n}_form"))
    if household:
        members = zero_employment_members(on, known_on=known_on, last=cte).values("person_id")
        # A conditional expression, so ``_zero_household=True`` compiles to ``id IN (members)``: an
        # IN-list driven by the (small) set of zero-employment households. (A CASE around it made SQLite
        # evaluate it for every person in scope: person search by this group 38 -> 198 ms p95 on 1M.)
        aliases["_zero_household"] = ExpressionWrapper(Q(pk__in=members), output_field=BooleanField())
    qs = qs.alias(**aliases)
    return with_cte(cte, select=qs) if cte is not None and (status or household) else qs


def filter_group(qs: QuerySet[Person], code: str, on: datetime.date | None = None, known_on=None) -> QuerySet[Person]:
    """Persons of ``qs`` who are in group ``code`` on ``on`` (registrations known by ``known_on``), each
    judged with the parameters in force on ``on`` for their jurisdiction."""
    on = on or timezone.localdate()
    rule = GROUPS_BY_CODE[code]
    if rule.uses_status or rule.uses_household:
        qs = with_history_annotations(qs, on, known_on, status=rule.uses_status, household=rule.uses_household)
    condition = group_condition(qs, code, on)
    return qs.filter(condition) if condition is not None else qs.none()


def group_condition(qs: QuerySet[Person], code: str, on: datetime.date) -> Q | None:
    """The condition of group ``code`` on ``on`` over ``qs``, which must carry the aliases of
    ``with_history_annotations`` the rule reads (``filter_group`` adds them; a caller counting several
    groups in one pass annotates once with both and uses this for each ``Count(filter=...)``).
    None: no person of ``qs`` can be in the group."""
    rule = GROUPS_BY_CODE[code]
    condition: Q | None = None
    covered: Q | None = None
    for prefix, r in _registry_params_by_jurisdiction(on):
        if prefix:
            lo, hi = code_range(prefix)
            inside = Q(region_id__gte=lo, region_id__lte=hi)
            where = inside & ~covered if covered is not None else inside
            covered = inside if covered is None else covered | inside
        else:
            where = ~covered if covered is not None else Q()
        try:
            part = where & rule.q(on, r)
        except ParameterError:
            # A jurisdiction whose value is not set or not in force on ``on`` only matters if ``qs``
            # has persons there; then the caller must hear which value is missing.
            if qs.filter(where).exists():
                raise
            continue
        condition = part if condition is None else condition | part
    return condition


def _registry_params_by_jurisdiction(on: datetime.date) -> list[tuple[str, Mapping]]:
    """(region-code prefix, registry parameters on ``on``), most specific first, national ("") last;
    a jurisdiction whose registry values equal its parent's is left to the parent's branch."""
    out = []
    for prefix in jurisdictions():
        r = params(prefix or None, on)["registry"]
        if prefix and r.fingerprint() == params(chain(prefix)[1] or None, on)["registry"].fingerprint():
            continue
        out.append((prefix, r))
    return out
