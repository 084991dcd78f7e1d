"""Full-employment communities (充分就业社区): the criteria and the set-based assessment.

Each community (region level 5) of a region is judged on 31 December of the year assessed against the
criteria of its jurisdiction (dated parameters ``targets.fe_community.*``, read as of that day for the
community's county, so a district or city file can set its own values):

- ``zero_households`` 零就业家庭户数: open zero-employment spells (assistance.ZeroEmploymentSpell) on 31 Dec
  ≤ ``zero_households_max`` (0: dynamically cleared);
- ``hte_assisted`` 就业困难人员援助率: of the persons recognised hard-to-employ on 31 Dec (a recognition in force,
  assistance.queries.recognitions.in_force_q),
  the share with a hard-to-employ assistance case opened by then or employed on 31 Dec ≥ ``hte_assisted_min``;
- ``registered_unemployment`` 登记失业率: working-age registered unemployed ÷ (working-age employed + registered
  unemployed) of the community's persons on 31 Dec ≤ ``registered_unemployment_max``;
- ``able_willing_employed`` 有劳动能力和就业意愿人员就业率: of the working-age persons able and willing to work
  who are not in school, in the army, retired, deceased or moved away, the share employed on 31 Dec ≥
  ``able_willing_employed_min``;
- ``reemployed`` 登记失业人员再就业率: of the persons registered unemployed at some time in the year
  (unemployed on 1 January or with an unemployment registration effective in the year), the share employed
  on 31 Dec ≥ ``reemployed_min``.

A criterion with nobody to judge (no hard-to-employ person, no registered unemployed ...) passes: its value
is None and the evidence says "无" (nothing to judge) -- except ``able_willing_employed``: a community without
any working-age person able and willing to work in the registry does not pass (an empty registry proves
nothing). Every criterion is one GROUP BY over all communities
of the region (never a loop over persons); the status on a date is the registry's status table
(``jiuye.registry.status``), registrations as known on ``known_on``.
"""
from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_cte import with_cte

from jiuye.parameters import params
from jiuye.regions.queries import within_q
from jiuye.registry.models import EmploymentStatus, Person, Registration
from jiuye.registry.status import counting_registrations, join_cte, known_bound, last_entries_cte

PARAM = "targets.fe_community."

# (code, label, parameter key suffix, comparator): the order of the evidence.
CRITERIA = [
    ("zero_households", _("年末零就业家庭户数"), "zero_households_max", "at_most"),
    ("hte_assisted", _("就业困难人员援助率"), "hte_assisted_min", "at_least"),
    ("registered_unemployment", _("登记失业率"), "registered_unemployment_max", "at_most"),
    ("able_willing_employed", _("有劳动能力和就业意愿人员就业率"), "able_willing_employed_min", "at_least"),
    ("reemployed", _("登记失业人员再就业率"), "reemployed_min", "at_least"),
]
CRITERION_LABELS = {code: label for code, label, _k, _c in CRITERIA}
RATE_CRITERIA = {"hte_assisted", "registered_unemployment", "able_willing_employed", "reemployed"}
# A community with nobody able and willing to judge is not a full-employment community (an empty
# registry proves nothing); the other criteria with nobody to judge pass.
NEEDS_PEOPLE = {"able_willing_employed"}
NOT_COUNTED = [EmploymentStatus.IN_SCHOOL, EmploymentStatus.MILITARY, EmploymentStatus.RETIRED,
               EmploymentStatus.DECEASED, EmploymentStatus.MOVED_AWAY]


@dataclass
class Criterion:
    criterion: str
    label: str
    value: float | int | None  # a share (0..1) for rates, a count for zero_households; None: nobody to judge
    threshold: float | int
    comparator: str  # at_most | at_least
    passed: bool
    numerator: int = 0
    denominator: int = 0


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def thresholds(community_code: str, year: int) -> dict[str, Decimal]:
    """The criteria in force on 31 Dec of ``year`` for the jurisdiction of ``community_code``."""
    p = params(community_code, year_end(year))
    return {code: Decimal(str(p[PARAM + key])) for code, _l, key, _c in CRITERIA}


def _by_region(rows, *fields) -> dict[str, dict]:
    return {r["region_id"]: {f: int(r[f] or 0) for f in fields} for r in rows}


def zero_households(prefix: str, on: datetime.date) -> dict[str, dict]:
    from jiuye.assistance.models import ZeroEmploymentSpell
    rows = (ZeroEmploymentSpell.objects.filter(within_q(prefix), started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .values("region_id").annotate(n=Count("id")).order_by())
    return _by_region(rows, "n")


def hte_assisted(prefix: str, on: datetime.date, known_on=None) -> dict[str, dict]:
    from jiuye.assistance.models import Case, CaseKind, Recognition
    from jiuye.assistance.queries.recognitions import in_force_q
    recs = Recognition.objects.filter(within_q(prefix)).filter(in_force_q(on, known_on))  # the assistance's rule
    cases = Case.objects.filter(person_id=OuterRef("person_id"), kind=CaseKind.HARD_TO_EMPLOY, opened_on__lte=on)
    bound = known_bound(known_on)
    if bound is not None:
        cases = cases.filter(opened_at__lt=bound)
    cte = last_entries_cte(on, known_on, name="cte_fe_hte")
    qs = join_cte(recs.alias(_case=Exists(cases)), cte, prefix="_fh", person_ref="person_id")
    qs = qs.values("region_id").annotate(
        total=Count("person_id", distinct=True),
        assisted=Count("person_id", distinct=True, filter=Q(_case=True) | Q(_fh_status=EmploymentStatus.EMPLOYED)),
    ).order_by()
    return _by_region(with_cte(cte, select=qs), "total", "assisted")


def person_counts(prefix: str, year: int, known_on=None) -> dict[str, dict]:
    """Per community, in one pass over its persons with their status on 1 January and 31 December."""
    end = year_end(year)
    start = datetime.date(year, 1, 1)
    before = start - datetime.timedelta(days=1)
    cte_end = last_entries_cte(end, known_on, name="cte_fe_end")
    cte_start = last_entries_cte(before, known_on, name="cte_fe_start")
    registered = counting_registrations(known_on).filter(kind=Registration.Kind.UNEMPLOYMENT,
                                                         effective_date__gte=start, effective_date__lte=end)
    persons = Person.objects.filter(within_q(prefix))
    qs = join_cte(persons, cte_end, prefix="_fe")
    qs = join_cte(qs, cte_start, prefix="_fs")
    working_age = Q(birth_date__lte=datetime.date(end.year - 16, end.month, end.day), retirement_date__gt=end)
    employed = Q(_fe_status=EmploymentStatus.EMPLOYED)
    unemployed = Q(_fe_status=EmploymentStatus.UNEMPLOYED)
    able = working_age & Q(able_to_work=True, willing_to_work=True) & ~Q(_fe_status__in=NOT_COUNTED)
    in_year = Q(_fs_status=EmploymentStatus.UNEMPLOYED) | Q(pk__in=registered.values("person_id"))
    qs = qs.values("region_id").annotate(
        wa_employed=Count("id", filter=working_age & employed),
        wa_unemployed=Count("id", filter=working_age & unemployed),
        able=Count("id", filter=able),
        able_employed=Count("id", filter=able & employed),
        unemployed_in_year=Count("id", filter=in_year),
        reemployed=Count("id", filter=in_year & employed),
    ).order_by()
    return _by_region(with_cte(cte_end, cte_start, select=qs), "wa_employed", "wa_unemployed", "able",
                      "able_employed", "unemployed_in_year", "reemployed")


def _judge(code: str, comparator: str, threshold: Decimal, numerator: int, denominator: int | None) -> Criterion:
    if denominator is None:  # a count
        value: float | int | None = numerator
    else:
        value = round(numerator / denominator, 4) if denominator else None
    if value is None:
        passed = code not in NEEDS_PEOPLE
    elif comparator == "at_most":
        passed = Decimal(str(value)) <= threshold
    else:
        passed = Decimal(str(value)) >= threshold
    thr = int(threshold) if code == "zero_households" else float(threshold)
    return Criterion(code, str(CRITERION_LABELS[code]), value, thr, comparator, passed, numerator,
                     denominator if denominator is not None else 0)


def evaluate(region_code: str, year: int, known_on=None) -> dict[str, list[Criterion]]:
    """The criteria of every community under ``region_code`` for ``year``: {community code: [Criterion]}."""
    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.models import Region
    prefix = significant_prefix(region_code)
    end = year_end(year)
    codes = list(Region.objects.filter(code__startswith=prefix, level=Region.Level.COMMUNITY)
                 .order_by("code").values_list("code", flat=True))
    zero = zero_households(prefix, end)
    hte = hte_assisted(prefix, end, known_on)
    people = person_counts(prefix, year, known_on)
    by_county: dict[str, dict[str, Decimal]] = {}
    out: dict[str, list[Criterion]] = {}
    for code in codes:  # a loop over communities (not persons): the thresholds of each one's jurisdiction
        county = code[:6]
        if county not in by_county:
            by_county[county] = thresholds(code, year)
        t = by_county[county]
        z, h, p = zero.get(code, {}), hte.get(code, {}), people.get(code, {})
        wa = p.get("wa_employed", 0) + p.get("wa_unemployed", 0)
        out[code] = [
            _judge("zero_households", "at_most", t["zero_households"], z.get("n", 0), None),
            _judge("hte_assisted", "at_least", t["hte_assisted"], h.get("assisted", 0), h.get("total", 0)),
            _judge("registered_unemployment", "at_most", t["registered_unemployment"], p.get("wa_unemployed", 0), wa),
            _judge("able_willing_employed", "at_least", t["able_willing_employed"], p.get("able_employed", 0),
                   p.get("able", 0)),
            _judge("reemployed", "at_least", t["reemployed"], p.get("reemployed", 0), p.get("unemployed_in_year", 0)),
        ]
    return out


def evidence(criteria: list[Criterion]) -> list[dict]:
    return [asdict(c) for c in criteria]


def passed(criteria: list[Criterion]) -> bool:
    return all(c.passed for c in criteria)


def show_value(item: dict) -> str:
    """An evidence value as a person reads it: 3户, 2.5%, 无 (nothing to judge)."""
    v = item.get("value")
    if v is None:
        return str(_("无"))
    if item.get("criterion") in RATE_CRITERIA:
        return f"{float(v) * 100:.1f}%"
    return f"{v}"


def show_threshold(item: dict) -> str:
    sign = "≤" if item.get("comparator") == "at_most" else "≥"
    t = item.get("threshold")
    if item.get("criterion") in RATE_CRITERIA:
        return f"{sign}{float(t) * 100:.1f}%"
    return f"{sign}{t}"
