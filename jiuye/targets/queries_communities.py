"""Reads of the full-employment community assessments (scoped: roles.can_read_targets, the user's region).

- ``search_assessments`` / ``count_assessments`` / ``assessments_of_search``: the current assessments of a year
  under a region, filtered (passed or not, a criterion failed, a title) and sorted; the list and its export.
- ``community_history(user, code)``: one community's current assessments over the years (its evidence).
- ``passed_count(region_code, year)``: the number of communities that passed (the KPI
  ``full_employment_communities`` counts the same rows).
- ``designation_counts(region_code, year)`` / ``designation_counts_by_region(codes, year)``: the communities
  holding each awarded title by ``year`` (each community once, at the highest title awarded to it in a
  current assessment of a year up to ``year``), for Ankang's targets (national ≥4, provincial star ≥20,
  provincial ≥45, municipal ≥1,500).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, in_scope, region_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import significant_prefix
from jiuye.regions.queries import within_q
from jiuye.regions.models import Region
from jiuye.targets.models import CommunityAssessment, Designation

NOT_FOUND = "未找到该社区，或不在您的管辖范围内"
DESIGNATION_ORDER = [Designation.NATIONAL, Designation.PROVINCIAL_STAR, Designation.PROVINCIAL, Designation.MUNICIPAL]
RANK = {d.value: i for i, d in enumerate(DESIGNATION_ORDER, start=1)}


def _check(user) -> None:
    if not roles.can_read_targets(user):
        raise OutOfScope(_("您的角色无权查看目标任务"))


@dataclass
class AssessmentSearch:
    year: int
    region_code: str = ""  # a region under the user's (default: the user's whole scope)
    passed: str = ""  # "" | "yes" | "no"
    failed: str = ""  # a criterion code: communities that failed it
    designation: str = ""  # a Designation value, or "any"
    sort: str = ""
    limit: int = 50
    offset: int = 0


SORTS = {"region": ("region_id",), "passed": ("passed", "region_id"), "assessed_at": ("assessed_at", "region_id"),
         "designation": ("designation", "region_id")}
DEFAULT_SORT = "region"


def assessment_sort(s: AssessmentSearch) -> str:
    return sort_key(SORTS, s.sort, DEFAULT_SORT)


def _assessments(user, s: AssessmentSearch) -> QuerySet[CommunityAssessment]:
    _check(user)
    qs = CommunityAssessment.objects.filter(region_q(user), year=s.year, is_current=True)
    if s.region_code:
        if not in_scope(user, s.region_code):
            return qs.none()
        qs = qs.filter(within_q(significant_prefix(s.region_code)))
    if s.passed in ("yes", "no"):
        qs = qs.filter(passed=s.passed == "yes")
    if s.failed:
        # The evidence is a JSON list (no portable JSON path query on SQLite and PG): read the year's
        # assessments of the scope once (one row per community, never per person) and keep the failing ones.
        ids = [a.pk for a in qs.only("pk", "evidence")
               if any(e.get("criterion") == s.failed and not e.get("passed") for e in a.evidence)]
        qs = qs.filter(pk__in=ids)
    if s.designation == "any":
        qs = qs.exclude(designation="")
    elif s.designation:
        qs = qs.filter(designation=s.designation)
    return qs.select_related("region", "region__parent", "assessed_by")


def assessments_of_search(user, s: AssessmentSearch) -> QuerySet[CommunityAssessment]:
    return sorted_by(_assessments(user, s), SORTS, assessment_sort(s), DEFAULT_SORT)


def search_assessments(user, s: AssessmentSearch) -> tuple[list[CommunityAssessment], bool]:
    return page(assessments_of_search(user, s), s.limit, s.offset)


def count_assessments(user, s: AssessmentSearch) -> int:
    return _assessments(user, s).count()


def summary(user, year: int, region_code: str = "") -> dict:
    """{"communities", "passed", "failed_by": {criterion: n}} of the current assessments of ``year``."""
    rows = list(_assessments(user, AssessmentSearch(year=year, region_code=region_code)).values_list("passed", "evidence"))
    failed_by: dict[str, int] = {}
    for _p, ev in rows:
        for e in ev:
            if not e.get("passed"):
                failed_by[e["criterion"]] = failed_by.get(e["criterion"], 0) + 1
    return {"communities": len(rows), "passed": sum(1 for p, _e in rows if p), "failed_by": failed_by}


def community(user, code: str) -> Region:
    _check(user)
    region = Region.objects.filter(code=code, level=Region.Level.COMMUNITY).select_related("parent").first()
    if region is None or not in_scope(user, region.code):
        raise OutOfScope(_(NOT_FOUND))
    return region


def community_history(user, code: str) -> list[CommunityAssessment]:
    region = community(user, code)
    return list(CommunityAssessment.objects.filter(region=region, is_current=True)
                .select_related("assessed_by").order_by("-year"))


def years_assessed(user) -> list[int]:
    _check(user)
    return list(CommunityAssessment.objects.filter(region_q(user), is_current=True)
                .values_list("year", flat=True).distinct().order_by("-year"))


def passed_count(region_code: str, year: int) -> int:
    """Communities under ``region_code`` that passed the current assessment of ``year`` (unscoped: the KPI)."""
    return CommunityAssessment.objects.filter(within_q(significant_prefix(region_code)), year=year,
                                              is_current=True, passed=True).count()


def _rank_case():
    return Case(*[When(designation=d, then=Value(r)) for d, r in RANK.items()], default=Value(99),
                output_field=IntegerField())


def designation_counts_by_region(codes, year: int) -> dict[str, dict[str, int]]:
    """{region code: {designation: communities}} for each of ``codes`` (unscoped: the kpis part calls it).
    Each community counts once, at the highest title awarded to it for a year up to ``year``."""
    codes = list(codes)
    out = {c: {d.value: 0 for d in DESIGNATION_ORDER} for c in codes}
    if not codes:
        return out
    from django.db.models import Min
    best = (CommunityAssessment.objects.filter(is_current=True, year__lte=year).exclude(designation="")
            .annotate(rank=_rank_case()).values("region_id").annotate(best=Min("rank")).order_by())
    by_rank = {r: d for d, r in RANK.items()}
    prefixes = {c: significant_prefix(c) for c in codes}
    for row in best:  # one row per designated community (a few thousand at most), not per person
        title = by_rank.get(row["best"])
        if title is None:
            continue
        for c, p in prefixes.items():
            if row["region_id"].startswith(p):
                out[c][title] += 1
    return out


def designation_counts(region_code: str, year: int) -> dict[str, int]:
    return designation_counts_by_region([region_code], year)[region_code]





def scoped_designation_counts(user, region_code: str, year: int) -> dict[str, int]:
    """``designation_counts`` for a reader of targets, within their scope (OutOfScope outside it)."""
    _check(user)
    if not region_code or not in_scope(user, region_code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    return designation_counts(region_code, year)
