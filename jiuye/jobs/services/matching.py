"""Recommendation runs (岗位推荐批次): the batch over every open seeker and vacancy, stored per seeker.

``run_recommendations(actor, congestion=)`` runs synchronously (the CLI, the daily job, the tests);
``start_run`` creates the run and queues it for the background worker (``jiuye worker``; at once where
tasks run immediately). Both end in ``execute``: a fresh snapshot is built from the database and saved
(the single queries score against it), the candidates and the assignment computed on arrays
(``matching.batch``), the top-N per seeker stored with ``bulk_create`` in chunks, the progress (%) and
statistics (coverage, Gini across vacancies, timings) written. Older runs' rows are pruned (the runs
keep their statistics). Weights and limits: the national dated parameters in force on the run's day.
"""
from __future__ import annotations

import datetime
import logging
import time
from typing import Callable

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry, Role
from jiuye.jobs.matching import batch, load
from jiuye.jobs.models import Recommendation, RecommendationRun, RunStatus
from jiuye.jobs.queries.matching import weights as weights_on
from jiuye.parameters import params

logger = logging.getLogger(__name__)
OBJECT_TYPE = "recommendation_run"
CHUNK = 5000
KEEP_RUNS = 3  # runs whose recommendation rows are kept
RUN_STARTERS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}


def can_start_runs(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role in RUN_STARTERS))


def _check(actor) -> None:
    if actor is not None and not can_start_runs(actor):
        raise PermissionDenied("只有区县、市级人社部门可以发起岗位推荐批次")


def _new_run(actor, congestion: bool, on: datetime.date) -> RecommendationRun:
    p = params("", on)
    parameters = {"on": on.isoformat(), "top": int(p["jobs.match.top"]),
                  "candidates_per_seeker": int(p["jobs.match.candidates_per_seeker"]), "weights": weights_on("", on)}
    return RecommendationRun.objects.create(started_by=actor, congestion=congestion, parameters=parameters)


def run_recommendations(actor=None, *, congestion: bool = True, on: datetime.date | None = None,
                        progress: Callable[[int], None] | None = None) -> RecommendationRun:
    """Run synchronously; returns the finished run (done, or failed with its error)."""
    _check(actor)
    run = _new_run(actor, congestion, on or timezone.localdate())
    execute(run.pk, actor=actor, progress=progress)
    run.refresh_from_db()
    return run


def start_run(actor, *, congestion: bool = True) -> RecommendationRun:
    """Create the run and queue it for the worker; returns at once (where tasks run immediately: finished)."""
    _check(actor)
    run = _new_run(actor, congestion, timezone.localdate())
    ctx = audit.current_context()
    try:
        recommendation_run_task.enqueue(run_id=run.pk, channel=ctx.channel, ip_address=ctx.ip_address)
    except Exception:
        _fail(run.pk, "无法排队推荐任务")
        raise
    run.refresh_from_db()
    return run


@task(queue_name="default")
def recommendation_run_task(run_id: int, channel: str = "", ip_address: str | None = None) -> str:
    run = RecommendationRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.RUNNING or run.finished_at is not None:
        return "missing"
    token = audit.set_context(audit.AuditContext(channel=channel or "worker", ip_address=ip_address))
    try:
        execute(run.pk, actor=run.started_by)
    finally:
        audit.reset_context(token)
    return RecommendationRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "missing"


def _fail(run_id: int, message: str) -> None:
    RecommendationRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=message[:255],
                                                       finished_at=timezone.now())


def _progress(run_id: int, percent: int, callback) -> None:
    RecommendationRun.objects.filter(pk=run_id).update(progress=max(0, min(100, percent)))
    if callback is not None:
        callback(percent)


def execute(run_id: int, *, actor=None, progress: Callable[[int], None] | None = None) -> None:
    run = RecommendationRun.objects.get(pk=run_id)
    p = run.parameters
    on = datetime.date.fromisoformat(p["on"])
    started = time.perf_counter()
    try:
        snapshot = load.refresh(on)
        t_load = time.perf_counter() - started
        _progress(run.pk, 10, progress)
        s, v = snapshot.seekers, snapshot.vacancies
        result, stats, cand = batch.recommend(s, v, top=p["top"], per_seeker=p["candidates_per_seeker"], weights=p["weights"],
                                        congestion=run.congestion,
                                        progress=lambda f: _progress(run.pk, 10 + int(60 * f), progress))
        _progress(run.pk, 70, progress)
        t_store = time.perf_counter()
        stored = _store(run.pk, result, cand, s.person_id, v.vacancy_id,
                        lambda f: _progress(run.pk, 70 + int(29 * f), progress))
        stats["seconds"].update({"load": round(t_load, 2), "store": round(time.perf_counter() - t_store, 2),
                                 "total": round(time.perf_counter() - started, 2)})
        with transaction.atomic():
            RecommendationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=timezone.now(), progress=100, seekers=len(s), vacancies=int(
                    (v.openings > 0).sum()), stats=stats)
            audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=run.pk,
                         object_label=f"岗位推荐批次 {run.pk}", region_code=getattr(actor, "region_id", None) or "",
                         summary=f"岗位推荐批次：求职人员 {len(s)} 人，岗位 {int((v.openings > 0).sum())} 个，推荐 {stored} 条",
                         changes={"congestion": run.congestion, "coverage": stats["coverage"], "gini": stats["gini"]})
        _prune()
    except Exception as exc:  # the run says it failed; its rows are removed
        logger.exception("recommendation run %s failed", run_id)
        Recommendation.objects.filter(run_id=run_id).delete()
        _fail(run_id, f"推荐失败：{type(exc).__name__}")
        if progress is not None:
            raise


def _store(run_id: int, result, cand, person_ids: np.ndarray, vacancy_ids: np.ndarray, progress) -> int:
    """Insert every recommendation (vectorised ranks and scores; plain INSERTs in chunks)."""
    r, c, rank, score = batch.flat(result, cand)
    table = Recommendation._meta.db_table
    sql = f"INSERT INTO {table} (run_id, person_id, vacancy_id, rank, score) VALUES (%s, %s, %s, %s, %s)"
    pid, vid = person_ids[r], vacancy_ids[c]
    for start in range(0, len(r), CHUNK):
        end = start + CHUNK
        values = list(zip([run_id] * (min(end, len(r)) - start), pid[start:end].tolist(), vid[start:end].tolist(),
                          rank[start:end].tolist(), np.round(score[start:end].astype(np.float64), 2).tolist()))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, values)
        progress(min(end, len(r)) / max(len(r), 1))
    return len(r)


def _prune() -> None:
    keep = list(RecommendationRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk")
                .values_list("pk", flat=True)[:KEEP_RUNS])
    Recommendation.objects.exclude(run_id__in=keep).delete()


# ---------------------------------------------------------------------------------------------
# The daily job (registry.events.daily_refresh)


def daily(today: datetime.date) -> RecommendationRun:
    return run_recommendations(None, on=today)


def daily_line(run: RecommendationRun) -> str:
    if run.status != RunStatus.DONE:
        return f"岗位推荐：失败（{run.error}）"
    return (f"岗位推荐：求职人员 {run.seekers} 人，岗位 {run.vacancies} 个，"
            f"覆盖率 {run.stats.get('coverage', 0):.0%}，用时 {run.stats.get('seconds', {}).get('total', 0)} 秒")
