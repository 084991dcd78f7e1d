"""Screening (政策找人): every policy in force on a date against everyone in the actor's scope, stored as a run.

``run_screening(actor, as_of, codes=)`` runs synchronously (the CLI, the tests); ``start_screening`` creates the
run and queues it for the background worker (``jiuye worker``; at once where tasks run immediately), as the
imports do. Both end in ``execute``: per policy, the engine's set-based face (``engine.screen_policy``) gives
the entitled events, which are stored with ``bulk_create`` in chunks, the ``claimed`` flag set from the live
claims of the same kind, beneficiary and event (one query per policy), and the run's progress written.
A run is limited to the actor's scope (``accounts.scoping.scope_prefix``): an entitlement belongs to the
region where it is handled (the person's community, or the paid employer's region). ``actor=None`` is an
operator's full run (the CLI without ``--user``).
"""
from __future__ import annotations

import datetime
import logging
import time
from typing import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import scope_prefix
from jiuye.policies import engine
from jiuye.policies.models import LIVE_STATUSES, Claim, Policy, RunStatus, ScreeningResult, ScreeningRun
from jiuye.policies.vocabulary import EVENTS

logger = logging.getLogger("jiuye.policies.screening")

CHUNK = 5000
OBJECT_TYPE = "screening_run"


def can_run_screening(user) -> bool:
    """Policy officers and the registry's writers (community, street and district) may screen their scope."""
    return user is None or roles.can_manage_policies(user) or roles.can_write_registry(user)


def _scope_of(actor) -> str:
    if actor is None:
        return ""
    if not can_run_screening(actor):
        raise PermissionDenied("您的角色无权发起政策筛查")
    prefix = scope_prefix(actor)
    if prefix is None:
        raise PermissionDenied("您的账号没有管辖区划，不能发起政策筛查")
    return prefix


def _check(as_of, codes) -> list[str]:
    if not isinstance(as_of, datetime.date):
        raise ValidationError({"as_of": ["筛查日期：须为日期（YYYY-MM-DD）"]})
    codes = sorted({c.strip() for c in (codes or []) if c and c.strip()})
    if codes:
        known = set(Policy.objects.filter(code__in=codes, version__in=engine.current_versions()).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError({"codes": [f"政策：{'、'.join(unknown)} 不存在（未加载含该政策的政策包）"]})
    return codes


def _new_run(actor, as_of, codes) -> ScreeningRun:
    versions = [{"pack": v.pack.code, "version": v.number, "id": v.pk} for v in engine.current_versions()]
    return ScreeningRun.objects.create(as_of=as_of, policy_codes=codes, versions=versions, started_by=actor,
                                       status=RunStatus.RUNNING, progress="排队中")


def run_screening(actor, as_of: datetime.date, *, codes: Iterable[str] | None = None,
                  progress: Callable[[str], None] | None = None) -> ScreeningRun:
    """Screen synchronously; returns the finished run (status done, or failed with its error)."""
    scope = _scope_of(actor)
    codes = _check(as_of, codes)
    run = _new_run(actor, as_of, codes)
    execute(run.pk, scope=scope, actor=actor, progress=progress)
    run.refresh_from_db()
    return run


def start_screening(actor, as_of: datetime.date, *, codes: Iterable[str] | None = None) -> ScreeningRun:
    """Create the run and queue it for the worker; returns at once (where tasks run immediately: finished).
    The worker applies the starter's scope as of when it runs."""
    _scope_of(actor)  # refused now, not later in the worker
    codes = _check(as_of, codes)
    run = _new_run(actor, as_of, codes)
    ctx = audit.current_context()
    try:
        run_screening_task.enqueue(run_id=run.pk, channel=ctx.channel, ip_address=ctx.ip_address)
    except Exception:
        _fail(run.pk, "无法排队筛查任务")
        raise
    run.refresh_from_db()
    return run


@task(queue_name="default")
def run_screening_task(run_id: int, channel: str = "", ip_address: str | None = None) -> str:
    """The worker's part: run a queued screening (the actor's scope as of now)."""
    run = ScreeningRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.RUNNING or run.finished_at is not None:
        return "missing"
    token = audit.set_context(audit.AuditContext(channel=channel or "worker", ip_address=ip_address))
    try:
        actor = run.started_by
        try:
            scope = _scope_of(actor)
        except PermissionDenied as exc:
            _fail(run.pk, str(exc))
            return RunStatus.FAILED
        execute(run.pk, scope=scope, actor=actor)
    finally:
        audit.reset_context(token)
    return ScreeningRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "missing"


def _fail(run_id: int, message: str) -> None:
    ScreeningResult.objects.filter(run_id=run_id).delete()
    ScreeningRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=message[:255], finished_at=timezone.now(),
                                                  result_count=0)


def _claimed_keys(policy: Policy) -> set[tuple[str, int]]:
    """(beneficiary_key, event_id) of the live claims of the policy's kind on its event type (set-based)."""
    ev = EVENTS[policy.event]
    return set(Claim.objects.filter(kind=policy.kind, event_type=ev.name, status__in=LIVE_STATUSES)
               .values_list("beneficiary_key", "event_id"))


def _store(run_id: int, policy: Policy, entitlements: list[engine.Entitlement]) -> int:
    claimed = _claimed_keys(policy) if entitlements else set()
    rows = [ScreeningResult(run_id=run_id, policy=policy, policy_code=policy.code, beneficiary=e.beneficiary,
                            person_id=e.person_id, employer_id=e.employer_id, region_id=e.region_id,
                            event_type=e.event_type, event_id=e.event_id, event_date=e.event_date, amount=e.amount,
                            unit=e.unit, months=e.months, claimed=(e.beneficiary_key, e.event_id) in claimed)
            for e in entitlements]
    for i in range(0, len(rows), CHUNK):
        ScreeningResult.objects.bulk_create(rows[i:i + CHUNK], batch_size=CHUNK)
    return len(rows)


def screen_scoped(policy: Policy, as_of: datetime.date, scope: str, *, table, slots) -> list[engine.Entitlement]:
    """The engine's set-based face for one policy, limited to entitlements handled within ``scope``."""
    found = engine.screen_policy(policy, as_of, table=table, slots=slots, region_prefix=scope or None)
    return [e for e in found if e.region_id and (not scope or e.region_id.startswith(scope))]


def execute(run_id: int, *, scope: str, actor=None, progress: Callable[[str], None] | None = None) -> None:
    """Screen every policy of the run, storing the results per policy; the run ends done or failed."""
    run = ScreeningRun.objects.get(pk=run_id)
    started = time.perf_counter()
    try:
        policies = engine.policies_in_force(run.as_of, run.policy_codes or None)
        table = engine.table_for({p.version_id: p.version for p in policies}.values())
        slots = engine.SlotIndex({p.kind for p in policies}, table)
        total = 0
        per_policy: dict[str, int] = {}
        for i, policy in enumerate(policies, 1):
            found = screen_scoped(policy, run.as_of, scope, table=table, slots=slots)
            with transaction.atomic():
                n = _store(run.pk, policy, found)
                total += n
                per_policy[policy.code] = n
                text = f"已完成 {i}/{len(policies)} 项政策（{policy.name}），符合条件 {total} 条"
                ScreeningRun.objects.filter(pk=run.pk).update(progress=text[:128], result_count=total)
            if progress is not None:
                progress(text)
        seconds = time.perf_counter() - started
        with transaction.atomic():
            ScreeningRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=timezone.now(), result_count=total,
                progress=f"已完成 {len(policies)} 项政策，符合条件 {total} 条，用时 {seconds:.1f} 秒"[:128])
            audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=run.pk,
                         object_label=f"政策筛查 {run.as_of.isoformat()}",
                         region_code=getattr(actor, "region_id", None) or "",
                         summary=f"政策筛查（{run.as_of.isoformat()}）：{len(policies)} 项政策，符合条件 {total} 条",
                         changes={"as_of": run.as_of.isoformat(), "policies": run.policy_codes or "all", "scope": scope,
                                  "results": per_policy})
    except Exception as exc:  # the run says it failed; nothing of it stays half-written
        logger.exception("screening run %s failed", run_id)
        _fail(run.pk, f"筛查失败：{type(exc).__name__}")
        if progress is not None:
            raise


# ---------------------------------------------------------------------------------------------
# The daily job (registry.events.daily_refresh, sent by `jiuye refresh_projections`)

#: How many daily runs keep their results (older daily runs keep their counts; their rows are pruned).
DAILY_KEEP = 7


def mark_stale_runs(now=None) -> int:
    """Runs still "running" with no end after JIUYE_IMPORT_STALE_SECONDS (a worker that died): failed, with
    the reason, so that nobody waits for them."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JIUYE_IMPORT_STALE_SECONDS)
    stale = ScreeningRun.objects.filter(status=RunStatus.RUNNING, finished_at__isnull=True, started_at__lt=cutoff)
    return stale.update(status=RunStatus.FAILED, finished_at=now, progress="已中断",
                        error="后台任务中断：超过规定时间仍未完成，请重新发起筛查")


def daily(today: datetime.date) -> dict[str, int]:
    """政策找人 without anyone starting it: every policy in force screened as of ``today`` for everyone (an
    operator's run), so the outreach lists and the catalogue's counts are fresh each morning; stale runs failed;
    the results of runs without an account (the daily job's and the command line's) older than the last
    ``DAILY_KEEP`` pruned (their counts stay on the run)."""
    from jiuye.policies.models import PackVersion

    counts = {"stale": mark_stale_runs(), "results": 0, "pruned": 0}
    if not PackVersion.objects.exists():
        return counts
    run = run_screening(None, today)
    counts["results"] = run.result_count
    daily_runs = ScreeningRun.objects.filter(started_by__isnull=True, status=RunStatus.DONE).order_by("-started_at", "-pk")
    old = list(daily_runs.values_list("pk", flat=True)[DAILY_KEEP:])
    if old:
        counts["pruned"] = ScreeningResult.objects.filter(run_id__in=old).delete()[0]
        ScreeningRun.objects.filter(pk__in=old).exclude(progress__startswith="结果已清理").update(
            progress=f"结果已清理（保留最近{DAILY_KEEP}次每日筛查的名单）")
    return counts


def daily_line(counts: dict[str, int]) -> str:
    line = f"政策找人：每日筛查符合条件 {counts['results']:,} 条"
    if counts["stale"]:
        line += f"，中断的筛查 {counts['stale']} 次已标记失败"
    return line
