"""Scoped reads of screening runs and their results (政策找人): the runs list, one run, its results (filters,
sorts, count, export) and the outreach list per community of the eligible who have not claimed.

A run's stored results are limited to its starter's scope; a reader sees, of any run, only the results
handled within their own scope (``accounts.scoping.region_q`` over the result's region), so a run started
by a district officer shows a community worker their community only. A run whose results the reader can
see none of, and which they did not start, is "not found".
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.paging import page, sort_key, sorted_by
from jiuye.policies.models import ScreeningResult, ScreeningRun
from jiuye.regions.queries import region_filter_q, within_q
from jiuye.registry.queries import NotFound


def may_read(user) -> bool:
    return roles.can_read_policies(user)


def _results_visible(user) -> QuerySet[ScreeningResult]:
    if not may_read(user):
        return ScreeningResult.objects.none()
    return ScreeningResult.objects.filter(region_q(user))


def runs_visible_to(user) -> QuerySet[ScreeningRun]:
    """Runs the user started, and runs with results in the user's scope."""
    if not may_read(user):
        return ScreeningRun.objects.none()
    prefix = scope_prefix(user)
    if prefix is None:
        return ScreeningRun.objects.none()
    if prefix == "":
        return ScreeningRun.objects.all()
    mine = Q(started_by=user)
    theirs = Exists(ScreeningResult.objects.filter(run_id=OuterRef("pk")).filter(within_q(prefix, "region")))
    return ScreeningRun.objects.filter(mine | Q(theirs))


RUN_SORTS = {"started_at": ("started_at",), "as_of": ("as_of",), "status": ("status",)}
RUN_DEFAULT = "-started_at"


@dataclass
class RunSearch:
    status: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _runs(user, s: RunSearch) -> QuerySet[ScreeningRun]:
    qs = runs_visible_to(user).select_related("started_by")
    if s.status:
        qs = qs.filter(status=s.status)
    return qs


def _with_visible_counts(user, rows: list[ScreeningRun]) -> list[ScreeningRun]:
    counts = visible_counts(user, [r.pk for r in rows])
    for r in rows:
        r.visible_count = counts.get(r.pk, 0)
    return rows


def search_runs(user, s: RunSearch) -> tuple[list[ScreeningRun], bool]:
    rows, more = page(sorted_by(_runs(user, s), RUN_SORTS, s.sort, RUN_DEFAULT), s.limit, s.offset)
    return _with_visible_counts(user, rows), more


def runs_of_search(user, s: RunSearch) -> list[ScreeningRun]:
    """Every run of the list in its order (at most ``s.limit``), with its count in the user's scope: the export."""
    return _with_visible_counts(user, list(sorted_by(_runs(user, s), RUN_SORTS, s.sort, RUN_DEFAULT)[:s.limit]))


def count_runs(user, s: RunSearch) -> int:
    return _runs(user, s).count()


def run_sort(s: RunSearch) -> str:
    return sort_key(RUN_SORTS, s.sort, RUN_DEFAULT)


def visible_counts(user, run_ids: list[int]) -> dict[int, int]:
    """Per run, the number of its results in the user's scope."""
    if not run_ids:
        return {}
    return dict(_results_visible(user).filter(run_id__in=run_ids).values("run_id").annotate(n=Count("pk"))
                .values_list("run_id", "n"))


def get_run(user, pk: int) -> ScreeningRun:
    run = runs_visible_to(user).select_related("started_by").filter(pk=pk).first()
    if run is None:
        raise NotFound(_("政策筛查不存在或不在您的管辖范围内"))
    return run


def is_stale(run: ScreeningRun) -> bool:
    """A run still "running" long after it started (JIUYE_IMPORT_STALE_SECONDS, as for imports): its worker
    is probably gone (the page stops refreshing and says so; start a new run)."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    limit = datetime.timedelta(seconds=getattr(settings, "JIUYE_IMPORT_STALE_SECONDS", 3600))
    return run.status == "running" and run.finished_at is None and run.started_at < timezone.now() - limit


def policy_counts(user, run: ScreeningRun) -> list[dict]:
    """Per policy of the run: results in the user's scope, of them not claimed."""
    rows = (_results_visible(user).filter(run=run).values("policy_code", "policy__name")
            .annotate(n=Count("pk"), unclaimed=Count("pk", filter=Q(claimed=False))).order_by("policy_code"))
    return [{"code": r["policy_code"], "name": r["policy__name"], "count": r["n"], "unclaimed": r["unclaimed"]} for r in rows]


# ---------------------------------------------------------------------------------------------
# Results of one run

RESULT_SORTS = {
    "policy": ("policy_code",),
    "name": ("person__name",),
    "region": ("region_id",),
    "event_date": ("event_date",),
    "amount": ("amount",),
    "claimed": ("claimed",),
}
RESULT_DEFAULT = "policy"


@dataclass
class ResultSearch:
    policy: str = ""
    region_code: str = ""  # a street or community (12 digits) within the scope
    claimed: str = ""  # "" all, "yes", "no"
    beneficiary: str = ""  # "" all, "person", "employer"
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _results(user, run: ScreeningRun, s: ResultSearch) -> QuerySet[ScreeningResult]:
    qs = _results_visible(user).filter(run=run)
    if s.policy:
        qs = qs.filter(policy_code=s.policy)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.claimed == "yes":
        qs = qs.filter(claimed=True)
    elif s.claimed == "no":
        qs = qs.filter(claimed=False)
    if s.beneficiary:
        qs = qs.filter(beneficiary=s.beneficiary)
    return qs


def results_of_search(user, run: ScreeningRun, s: ResultSearch) -> QuerySet[ScreeningResult]:
    """Every result of the search, sorted (the export)."""
    qs = _results(user, run, s).select_related("person", "employer", "region", "region__parent", "policy")
    return sorted_by(qs, RESULT_SORTS, s.sort, RESULT_DEFAULT)


def search_results(user, run: ScreeningRun, s: ResultSearch) -> tuple[list[ScreeningResult], bool]:
    return page(results_of_search(user, run, s), s.limit, s.offset)


def count_results(user, run: ScreeningRun, s: ResultSearch) -> int:
    return _results(user, run, s).count()


def result_sort(s: ResultSearch) -> str:
    return sort_key(RESULT_SORTS, s.sort, RESULT_DEFAULT)


# ---------------------------------------------------------------------------------------------
# Outreach: per community, the eligible who have not claimed


#: The most rows an outreach page shows at once (a wider list is narrowed by policy or community; its count and
#: its export, which refuses more than EXPORT_MAX, use the whole selection).
OUTREACH_MAX = 20000


def outreach(user, run: ScreeningRun, *, policy: str = "", region_code: str = "") -> list[dict]:
    """Groups per community (the result's region) of the unclaimed results in the user's scope, ordered by
    community and name; each row has what a community worker needs to reach the person or employer."""
    s = ResultSearch(policy=policy, region_code=region_code, claimed="no")
    qs = (_results(user, run, s).select_related("person", "employer", "region", "region__parent", "policy")
          .order_by("region_id", "person__name", "employer__name", "policy_code", "pk"))
    groups: dict[str, dict] = {}
    for r in qs[:OUTREACH_MAX]:
        g = groups.get(r.region_id)
        if g is None:
            region = r.region
            g = groups[r.region_id] = {"code": region.code, "name": region.name,
                                       "street": region.parent.name if region.parent_id else "", "rows": []}
        g["rows"].append(r)
    return list(groups.values())
