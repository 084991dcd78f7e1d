"""What an import may reveal about records outside the importer's scope, and how often.

A row whose key (identity number, 户编号, credit code) hits a record outside the actor's scope is
rejected with ``base.OUT_OF_SCOPE_REASON`` and nothing more, and counted (``ImportBatch.out_of_scope``).
The count is limited per file and per account over the last 24 hours by two settings,
``JIUYE_IMPORT_OUT_OF_SCOPE_PER_FILE`` (default ``PER_FILE``) and ``JIUYE_IMPORT_OUT_OF_SCOPE_PER_DAY``
(default ``PER_DAY``); past a limit the import stops or is refused, and an audit entry
with ``object_type`` ``ALERT_OBJECT_TYPE`` flags it to the auditors of the actor's region.

The audit keeps counts and the rows of the file, never the numbers tried: the numbers are personal
data, and the stored error report (masked for auditors) already holds them for whoever may see them.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from jiuye.imports.models import ImportBatch

ALERT_OBJECT_TYPE = "import_alert"
WINDOW = datetime.timedelta(hours=24)
PER_FILE = 20  # hits one file may have (more stop it)
PER_DAY = 100  # hits one account may have in 24 hours (then its imports are refused)


@dataclass(frozen=True)
class Allowance:
    per_file: int
    per_day: int
    used: int  # out-of-scope hits of the account's batches in the last 24 hours

    @property
    def exhausted(self) -> bool:
        return self.used >= self.per_day

    @property
    def limit(self) -> int:
        """Hits this file may have before it stops."""
        return max(0, min(self.per_file, self.per_day - self.used))


def allowance(actor) -> Allowance | None:
    """The actor's allowance now; None for the installation administrator at the shell (no actor)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    used = (ImportBatch.objects.filter(actor_id=actor.pk, started_at__gte=timezone.now() - WINDOW)
            .aggregate(n=Sum("out_of_scope"))["n"] or 0)
    return Allowance(per_file=int(getattr(settings, "JIUYE_IMPORT_OUT_OF_SCOPE_PER_FILE", PER_FILE)),
                     per_day=int(getattr(settings, "JIUYE_IMPORT_OUT_OF_SCOPE_PER_DAY", PER_DAY)), used=int(used))
