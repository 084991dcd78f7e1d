"""Background generation of reports (django-tasks; the worker is `jiuye worker`). ``services.request_report``
keeps the queued run and enqueues ``make_run``; tests and JIUYE_TASKS_IMMEDIATE=1 run it at once."""
from __future__ import annotations

from django_tasks import task

from jiuye.reports import services


@task(queue_name="default")
def make_run(run_id: int) -> str:
    """Build, render and store the queued report run; returns its final status."""
    return services.make_run(run_id).status


@task(queue_name="default")
def run_due_schedules() -> int:
    """Make the runs of the schedules due today (enqueue it daily, or run `jiuye report --due` from cron)."""
    return len(services.run_due_schedules())
