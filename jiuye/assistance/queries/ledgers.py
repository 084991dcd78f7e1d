"""The relocation communities' three ledgers (易地搬迁社区三本台账) as views of the registry on a date.

- 劳动力数据台账 (``labour``): every working-age resident of the relocation community on the date (16 to
  the statutory retirement date), with household number, sex, age, education, skills, able/willing to
  work, status on the date, employer or form, wish (preferred occupation and place) and key groups;
- 转移就业台账 (``transfer``): residents employed on the date, with the employer, where it is (县内 /
  县外市内 / 市外省内 / 省外, from the employer's region code against the community's), the form, since
  when, the contract and social insurance of the registration in force;
- 公益性岗位台账 (``posts``): residents whose counting employment registration on the date has the form
  公益性岗位, with employer, since and tenure (post name and subsidy: ``post_details``, from the posts catalogue).

"Residents" are the persons living in the community now (``Person.region``; household memberships as
of the date). Status, employer and form on the date follow the registry's status rule
(``registry.status``), read set-based as one index seek per resident (``with_status``; held to
``status.status_on`` by a property test); key groups are the registry's SQL faces
(``registry.groups.group_condition``, one query per group per chunk of ids, held to ``groups_of``), so
nothing loops over the ORM per person. Every read is scoped
(``region_q``); a community outside the scope, or not flagged, is "not found".
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_cte import CTE, with_cte

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.assistance.models import RelocationCommunity
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import significant_prefix
from jiuye.regions.queries import within_q
from jiuye.registry.groups import GROUPS, group_condition, zero_employment_members
from jiuye.registry.models import (
    Education,
    Employer,
    EmploymentForm,
    EmploymentStatus,
    HouseholdMembership,
    Person,
    Registration,
    Sex,
)
from jiuye.registry.retirement import age_on
from jiuye.registry.status import last_entries, status_case, status_label

NOT_FOUND = _("易地搬迁安置社区不存在或不在您的管辖范围内")

LABOUR, TRANSFER, POSTS = "labour", "transfer", "posts"
LEDGERS = {
    LABOUR: gettext_lazy("劳动力数据台账"),
    TRANSFER: gettext_lazy("转移就业台账"),
    POSTS: gettext_lazy("公益性岗位台账"),
}

# Where a resident works, from the employer's region code against the community's (转移就业去向).
COUNTY, CITY, PROVINCE, OUTSIDE, UNKNOWN = "county", "city", "province", "outside", "unknown"
DESTINATIONS = {
    COUNTY: gettext_lazy("县内"),
    CITY: gettext_lazy("县外市内"),
    PROVINCE: gettext_lazy("市外省内"),
    OUTSIDE: gettext_lazy("省外"),
    UNKNOWN: gettext_lazy("未登记就业单位"),
}

#: Sort keys of the ledgers (never by sex, age or household registration: see "Fairness").
LEDGER_SORTS = {
    "name": ("name",),
    "household": ("household_number", "name"),
    "community": ("region_id", "name"),
    "status": ("status_on_date", "name"),
    "since": ("status_since_on_date", "name"),
    "destination": ("destination", "name"),
}
LEDGER_DEFAULT_SORT = "household"


def may_read(user) -> bool:
    return roles.can_read_registry(user)


# ---------------------------------------------------------------------------------------------
# Relocation communities


def listed_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Relocation communities on the list on ``on`` (default today): never unflagged, or unflagged
    with effect after ``on`` (the ledgers of an earlier date stay reproducible)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})


def relocation_communities(user, on: datetime.date | None = None) -> QuerySet[RelocationCommunity]:
    """The relocation communities in the user's scope listed on ``on`` (default today), by code."""
    if not may_read(user):
        return RelocationCommunity.objects.none()
    return (RelocationCommunity.objects.filter(region_q(user, "region")).filter(listed_q(on))
            .select_related("region", "region__parent").order_by("region_id"))


def get_relocation_community(user, code: str, on: datetime.date | None = None) -> RelocationCommunity:
    """One relocation community in scope listed on ``on`` (default today); Http404 (one text) when
    missing, not flagged (or unflagged by then) or outside."""
    row = relocation_communities(user, on).filter(region_id=code).first() if code else None
    if row is None:
        raise Http404(NOT_FOUND)
    return row


def _area_q(user, region_code: str, field: str, on: datetime.date | None = None) -> Q:
    """The relocation communities in scope listed on ``on``, narrowed to ``region_code`` (a community,
    street, county ... or "" for every one in scope)."""
    communities = relocation_communities(user, on)
    if region_code:
        try:
            communities = communities.filter(within_q(significant_prefix(region_code), "region"))
        except ValueError:
            return Q(pk__in=[])
    return Q(**{f"{field}__in": communities.values("region_id")})


# ---------------------------------------------------------------------------------------------
# The ledgers' rows


@dataclass
class LedgerSearch:
    ledger: str = LABOUR
    region_code: str = ""  # a relocation community, or a street/county: every relocation community under it
    on: datetime.date | None = None
    measure: str = ""  # one count of the ledger (LEDGER_MEASURES): the list behind that count
    sort: str = ""
    limit: int = 50
    offset: int = 0

    @property
    def date(self) -> datetime.date:
        return self.on or timezone.localdate()


def ledger_sort(search: LedgerSearch) -> str:
    return sort_key(LEDGER_SORTS, search.sort, LEDGER_DEFAULT_SORT)


def _working_age_q(on: datetime.date) -> Q:
    return Q(birth_date__lte=on - relativedelta(years=16), retirement_date__gt=on)


def _open_on(on: datetime.date) -> Q:
    return Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def status_cte(on: datetime.date, person_ids, name: str = "cte_ledger") -> CTE:
    """``registry.status.last_entries`` on ``on`` narrowed to ``person_ids`` (the window runs over
    those persons' registrations only, not the whole registry)."""
    return CTE(last_entries(on, person_ids=person_ids), name=name)


def with_status(qs: QuerySet[Person], on: datetime.date, *, prefix: str = "_lg") -> QuerySet[Person]:
    """``qs`` with each person's status on ``on`` as ``registry.status.annotate_status`` names it
    (``status_on_date``, ``status_since_on_date``, ``employer_on_date``, ``form_on_date``,
    ``registration_on_date``), the aliases the group rules read (``_status_on_date`` …) and
    ``<prefix>_destination`` (where the employer of the entry is, against the person's community).

    The same rule as ``status.last_entries`` (the last counting entry effective on or before ``on``,
    by effective date, recording time, id), read per person as seeks of the covering index
    ``registration_last_entry_idx`` instead of a window over the registrations: a ledger reads a few
    thousand residents, and the window joined to them made SQLite scan the materialised window once
    per resident (seconds on a 200,000-person city). Held to ``status.status_on`` by
    tests/test_assistance_ledgers.py (hypothesis)."""
    superseded = Registration.objects.filter(corrects_id=OuterRef("pk"))
    last = (Registration.objects.filter(person_id=OuterRef("pk"), effective_date__lte=on)
            .exclude(kind=Registration.Kind.VOID).filter(~Exists(superseded))
            .order_by("-effective_date", "-recorded_at", "-id"))
    # Where the entry's employer is, against the person's community (县内 / 县外市内 / 市外省内 / 省外).
    dest = last.annotate(_dest=Case(
        When(employer__isnull=True, then=Value(UNKNOWN)),
        When(Q(employer__region_id__gte=Substr(OuterRef("region_id"), 1, 6)) & Q(employer__region_id__lte=Concat(Substr(OuterRef("region_id"), 1, 6), Value("999999"))), then=Value(COUNTY)),
        When(Q(employer__region_id__gte=Substr(OuterRef("region_id"), 1, 4)) & Q(employer__region_id__lte=Concat(Substr(OuterRef("region_id"), 1, 4), Value("99999999"))), then=Value(CITY)),
        When(Q(employer__region_id__gte=Substr(OuterRef("region_id"), 1, 2)) & Q(employer__region_id__lte=Concat(Substr(OuterRef("region_id"), 1, 2), Value("9999999999"))), then=Value(PROVINCE)),
        default=Value(OUTSIDE), output_field=CharField())).values("_dest")[:1]
    qs = qs.alias(**{
        f"{prefix}_id": Subquery(last.values("id")[:1]),
        f"{prefix}_kind": Subquery(last.values("kind")[:1]),
        f"{prefix}_ending": Subquery(last.values("ending_reason")[:1]),
        f"{prefix}_since": Subquery(last.values("effective_date")[:1]),
        f"{prefix}_form": Subquery(last.values("employment_form")[:1]),
        f"{prefix}_employer": Subquery(last.values("employer_id")[:1]),
        f"{prefix}_destination": Subquery(dest, output_field=CharField()),
    })
    qs = qs.alias(**{f"{prefix}_status": status_case(f"{prefix}_kind", f"{prefix}_ending")})
    employed = Q(**{f"{prefix}_status": EmploymentStatus.EMPLOYED})
    qs = qs.alias(_status_on_date=F(f"{prefix}_status"), _status_since_on_date=F(f"{prefix}_since"),
                  _form_on_date=F(f"{prefix}_form"))
    return qs.annotate(
        status_on_date=F(f"{prefix}_status"),
        status_since_on_date=F(f"{prefix}_since"),
        employer_on_date=Case(When(employed, then=F(f"{prefix}_employer")), default=None),
        form_on_date=Case(When(employed, then=F(f"{prefix}_form")), default=Value(""), output_field=CharField()),
        registration_on_date=F(f"{prefix}_id"),
    )


def annotated_residents(user, region_code: str, on: datetime.date) -> QuerySet[Person]:
    """The residents of the relocation communities (in scope, under ``region_code``) with their status
    on ``on`` (``status_on_date``, ``status_since_on_date``, ``employer_on_date``, ``form_on_date``,
    ``registration_on_date``), household number on ``on`` and the destination of their work."""
    if not may_read(user):
        return Person.objects.none()
    qs = with_status(Person.objects.filter(region_q(user), _area_q(user, region_code, "region_id", on)), on)
    household = HouseholdMembership.objects.filter(_open_on(on), person_id=OuterRef("pk")).order_by("-joined_on", "-pk")
    return qs.annotate(
        household_number=Subquery(household.values("household__number")[:1]),
        destination=Case(When(status_on_date=EmploymentStatus.EMPLOYED, then=F("_lg_destination")), default=Value(""),
                         output_field=CharField()))


def key_groups(ids: list[int], on: datetime.date) -> dict[int, list[str]]:
    """The key groups (``registry.groups.GROUPS``) of the persons ``ids`` on ``on``: the groups' SQL
    faces (``group_condition``) over one status pass narrowed to these persons and their household
    co-members; one query per group. Held to ``groups.groups_of`` by tests/test_assistance_ledgers.py."""
    if not ids:
        return {}
    households = HouseholdMembership.objects.filter(person_id__in=ids).values("household_id")
    reading = Person.objects.filter(Q(pk__in=ids) | Q(pk__in=HouseholdMembership.objects.filter(
        household_id__in=households).values("person_id"))).values("pk")
    out: dict[int, list[str]] = {}
    plain = with_status(Person.objects.filter(pk__in=ids), on, prefix="_lgg")
    cte = status_cte(on, reading, name="cte_ledger_groups")
    members = zero_employment_members(on, last=cte).values("person_id")
    household = with_cte(cte, select=plain.alias(
        _zero_household=ExpressionWrapper(Q(pk__in=members), output_field=BooleanField())))
    for rule in GROUPS:
        qs = household if rule.uses_household else plain
        condition = group_condition(qs, rule.code, on)
        if condition is None:
            continue
        for pk in qs.filter(condition).values_list("pk", flat=True):
            out.setdefault(pk, []).append(str(rule.label))
    return out


def ledger_condition(ledger: str, on: datetime.date) -> Q:
    """Who is on each ledger (the counts use the same conditions)."""
    if ledger == LABOUR:
        return _working_age_q(on)
    if ledger == TRANSFER:
        return Q(status_on_date=EmploymentStatus.EMPLOYED)
    if ledger == POSTS:
        return Q(status_on_date=EmploymentStatus.EMPLOYED, form_on_date=EmploymentForm.PUBLIC_WELFARE)
    raise Http404(NOT_FOUND)


#: The counts each ledger's list can be narrowed to (the page's count cells link to them).
LEDGER_MEASURES = {
    LABOUR: ["employed", "unemployed", "not_working"],
    TRANSFER: list(DESTINATIONS),
    POSTS: [],
}


def measure_condition(key: str, on: datetime.date) -> Q:
    """The condition of one count (``ledger_counts``), the same for the count and its list."""
    labour = ledger_condition(LABOUR, on)
    employed = Q(status_on_date=EmploymentStatus.EMPLOYED)
    unemployed = Q(status_on_date=EmploymentStatus.UNEMPLOYED)
    if key == "employed":
        return labour & employed
    if key == "unemployed":
        return labour & unemployed
    if key == "not_working":
        return labour & ~employed & ~unemployed
    if key in DESTINATIONS:
        return ledger_condition(TRANSFER, on) & Q(destination=key)
    return ledger_condition(key, on)


def _ledger(user, search: LedgerSearch) -> QuerySet[Person]:
    on = search.date
    qs = annotated_residents(user, search.region_code, on).filter(ledger_condition(search.ledger, on))
    if search.measure in LEDGER_MEASURES.get(search.ledger, []):
        qs = qs.filter(measure_condition(search.measure, on))
    return qs


def ledger_of_search(user, search: LedgerSearch) -> QuerySet[Person]:
    qs = _ledger(user, search).select_related("region", "region__parent")
    return sorted_by(qs, LEDGER_SORTS, ledger_sort(search), LEDGER_DEFAULT_SORT)


def count_ledger(user, search: LedgerSearch) -> int:
    return _ledger(user, search).count()


@dataclass
class PostInfo:
    """A public-welfare post's name and monthly subsidy (from the posts catalogue)."""

    post_name: str = ""
    subsidy: object = None


def post_details(registration_ids: list[int], on: datetime.date) -> dict[int, PostInfo]:
    """The post name and monthly subsidy of each placement (``Placement``, the posts catalogue), keyed by
    the employment registration the placement created (one query per chunk of registration ids). A
    registration with form 公益性岗位 made outside the catalogue (an old ledger's import) has none: the
    ledger shows "—"."""
    from jiuye.assistance.models import Placement

    out: dict[int, PostInfo] = {}
    for start in range(0, len(registration_ids), 500):
        rows = (Placement.objects.filter(registration_id__in=registration_ids[start:start + 500])
                .values_list("registration_id", "post__title", "monthly_subsidy"))
        for registration_id, title, subsidy in rows:
            out[registration_id] = PostInfo(title, subsidy)
    return out


@dataclass
class LedgerRow:
    """One line of a ledger, with everything its columns show (read per chunk, not per person)."""

    person: Person
    serial: int = 0
    age: int | None = None
    status_label: str = ""
    employer_name: str = ""
    form_label: str = ""
    registration: Registration | None = None
    groups: list[str] = field(default_factory=list)
    post: PostInfo | None = None
    tenure: str = ""

    @property
    def destination_label(self) -> str:
        d = getattr(self.person, "destination", "")
        return str(DESTINATIONS[d]) if d in DESTINATIONS else ""


_EDUCATION = dict(Education.choices)
_FORMS = dict(EmploymentForm.choices)
_SEX = dict(Sex.choices)


def sex_label(person: Person) -> str:
    return str(_SEX.get(person.sex, ""))


def education_label(person: Person) -> str:
    return str(_EDUCATION.get(person.education, ""))


def tenure_text(since: datetime.date | None, on: datetime.date) -> str:
    if since is None or since > on:
        return ""
    delta = relativedelta(on, since)
    months = delta.years * 12 + delta.months
    if months == 0:
        return _("不满1个月")
    years, months = divmod(months, 12)
    return (_("%(y)d年") % {"y": years} if years else "") + (_("%(m)d个月") % {"m": months} if months else "")


def fill_rows(persons: list[Person], on: datetime.date, *, ledger: str, start: int = 0) -> list[LedgerRow]:
    """The rows of a chunk of annotated persons: employer names, registrations and key groups read for
    the chunk's ids at once (a few queries per chunk, whatever its size)."""
    ids = [p.pk for p in persons]
    employer_ids = {p.employer_on_date for p in persons if getattr(p, "employer_on_date", None)}
    employers = dict(Employer.objects.filter(pk__in=employer_ids).values_list("pk", "name")) if employer_ids else {}
    registration_ids = [p.registration_on_date for p in persons if getattr(p, "registration_on_date", None)]
    registrations = Registration.objects.in_bulk(registration_ids) if registration_ids and ledger != LABOUR else {}
    posts = post_details(registration_ids, on) if ledger == POSTS else {}
    groups = key_groups(ids, on) if ledger == LABOUR else {}
    rows = []
    for i, p in enumerate(persons, start=start + 1):
        rows.append(LedgerRow(
            person=p, serial=i, age=age_on(p.birth_date, on),
            status_label=status_label(p.status_on_date, p.status_since_on_date),
            employer_name=employers.get(p.employer_on_date, "") if p.employer_on_date else "",
            form_label=str(_FORMS.get(p.form_on_date, "")) if p.form_on_date else "",
            registration=registrations.get(p.registration_on_date) if p.registration_on_date else None,
            groups=groups.get(p.pk, []), post=posts.get(p.registration_on_date) if ledger == POSTS else None,
            tenure=tenure_text(p.status_since_on_date, on) if ledger == POSTS else "",
        ))
    return rows


def search_ledger(user, search: LedgerSearch) -> tuple[list[LedgerRow], bool]:
    persons, more = page(ledger_of_search(user, search), search.limit, search.offset)
    return fill_rows(persons, search.date, ledger=search.ledger, start=search.offset), more


def ledger_rows(user, search: LedgerSearch, *, chunk: int = 2000, limit: int | None = None) -> Iterator[LedgerRow]:
    """Every row of the ledger in its order (the export), read a chunk at a time."""
    qs = ledger_of_search(user, search)
    done = 0
    while limit is None or done < limit:
        size = chunk if limit is None else min(chunk, limit - done)
        persons = list(qs[done:done + size])
        if not persons:
            return
        yield from fill_rows(persons, search.date, ledger=search.ledger, start=done)
        done += len(persons)
        if len(persons) < size:
            return


# ---------------------------------------------------------------------------------------------
# Counts (the ledger page's summary and the list of relocation communities)

COUNT_KEYS = ["residents", "labour", "employed", "unemployed", "not_working", "transfer", *DESTINATIONS, "posts"]
COUNT_LABELS = {
    "residents": gettext_lazy("常住人口"), "labour": gettext_lazy("劳动力"), "employed": gettext_lazy("已就业"),
    "unemployed": gettext_lazy("登记失业"), "not_working": gettext_lazy("未就业未登记失业"),
    "transfer": gettext_lazy("转移就业"), "posts": gettext_lazy("公益性岗位"), **DESTINATIONS,
}


def _measures(on: datetime.date) -> dict:
    out = {"residents": Count("pk")}
    out.update({key: Count("pk", filter=measure_condition(key, on)) for key in COUNT_KEYS if key != "residents"})
    return out


def _counting_rows(user, region_code: str, on: datetime.date) -> QuerySet:
    """The residents' status columns read once per person (a CTE), with the names the measures read
    (``status_on_date``, ``form_on_date``, ``destination``, ``birth_date``, ``retirement_date``), so
    that the counts' conditions are the lists' own (``measure_condition``) without evaluating the
    per-person lookups once per count."""
    inner = (annotated_residents(user, region_code, on).order_by()
             .values("pk", "region_id", "birth_date", "retirement_date")
             .annotate(_k=F("_lg_kind"), _e=F("_lg_ending"), _f=F("_lg_form"), _d=F("_lg_destination")))
    cte = CTE(inner, name="ledger_rows", materialized=True)  # read each person once, not once per count
    rows = cte.queryset().annotate(status_on_date=status_case("_k", "_e"))
    employed = Q(status_on_date=EmploymentStatus.EMPLOYED)
    rows = rows.annotate(
        form_on_date=Case(When(employed, then=F("_f")), default=Value(""), output_field=CharField()),
        destination=Case(When(employed, then=F("_d")), default=Value(""), output_field=CharField()))
    return with_cte(cte, select=rows)


def ledger_counts(user, region_code: str = "", on: datetime.date | None = None) -> dict[str, int]:
    """The counts of the ledgers of ``region_code`` (a relocation community, or all under a region)
    on ``on``: residents, labour force, employed / unemployed / neither (of the labour force),
    transfer employment and its destinations, public-welfare posts. The same conditions as the lists."""
    on = on or timezone.localdate()
    if not may_read(user):
        return dict.fromkeys(COUNT_KEYS, 0)
    row = _counting_rows(user, region_code, on).aggregate(**_measures(on))
    return {k: row.get(k) or 0 for k in COUNT_KEYS}


def counts_by_community(user, on: datetime.date | None = None) -> dict[str, dict[str, int]]:
    """``ledger_counts`` for every relocation community in scope at once (one grouped query)."""
    on = on or timezone.localdate()
    if not may_read(user):
        return {}
    out: dict[str, dict[str, int]] = {}
    for row in _counting_rows(user, "", on).order_by().values("region_id").annotate(**_measures(on)):
        out[row["region_id"]] = {k: row.get(k) or 0 for k in COUNT_KEYS}
    return out


@dataclass
class CommunityRow:
    community: RelocationCommunity
    counts: dict[str, int]


def community_rows(user, on: datetime.date | None = None) -> list[CommunityRow]:
    """The relocation communities in scope with their counts on ``on`` (a community with no resident
    has zeros)."""
    counts = counts_by_community(user, on)
    zero = dict.fromkeys(COUNT_KEYS, 0)
    return [CommunityRow(c, counts.get(c.region_id, zero)) for c in relocation_communities(user, on)]
