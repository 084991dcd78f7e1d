"""The board's part of a bulk-filled registry (``registry.events.registry_loaded``): ``jiuye demo`` and ``jiuye
seed`` write registrations in bulk without per-change events, so the unemployment registrations of the recent
past that name a former employer are judged here once, as if they had come in through the services: a layoff
in the demo city's data raises its mass-layoff warning on the board. Only for the demo; deterministic (the
registry's data decide); set-based (the same grouped count per chunk of ids as the receiver)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.dispatch import receiver

from jiuye.registry import events
from jiuye.registry.models import Registration

RECENT_DAYS = 60
CHUNK = 2000


def judge_recent(today: datetime.date) -> int:
    from jiuye.monitoring.services.layoff_registrations import registrations_changed

    ids = list(Registration.objects.filter(kind=Registration.Kind.UNEMPLOYMENT, former_employer__isnull=False,
                                           effective_date__gt=today - datetime.timedelta(days=RECENT_DAYS),
                                           effective_date__lte=today)
               .order_by("effective_date", "pk").values_list("pk", flat=True))
    raised = set()
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            raised.update(w.pk for w in registrations_changed(ids[start:start + CHUNK]))
    return len(raised)


@receiver(events.registry_loaded, dispatch_uid="monitoring_board_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    if not demo:
        return None
    from django.utils import timezone

    n = judge_recent(today or timezone.localdate())
    return f"监测预警：失业登记归集的规模性裁员预警 {n} 条"
