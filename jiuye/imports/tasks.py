"""Background tasks of the import engine (django-tasks; the worker is `jiuye worker`).

``submit_import`` (services) stores the upload, creates the batch and enqueues ``run_batch``; the
worker runs it. The tests, and JIUYE_TASKS_IMMEDIATE=1, run it at once in the caller.
"""
from __future__ import annotations

from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from jiuye.imports import services


@task(queue_name="imports", takes_context=True)
def run_batch(context, batch_id: int, channel: str = "", ip_address: str | None = None) -> str:
    """Run the import of a queued batch; returns the batch's final status."""
    return services.run_queued_batch(batch_id, task_id=str(context.task_result.id), channel=channel,
                                     ip_address=ip_address)


def task_gone(task_id: str) -> bool:
    """Whether the queued task ``task_id`` can no longer run the batch (ended or deleted from the queue).

    False when unknown (no id yet, or a backend that cannot look results up)."""
    if not task_id or not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
