"""Reactions to the registry's domain events (registry/events.py), inside the transaction that
caused them: a zero-employment household or a newly hard-to-employ person has a case the moment the
registration that made it so commits. Each part of the app connects its receivers here."""
from __future__ import annotations
from jiuye.assistance.services import posts as _posts  # noqa: E402,F401  (公益性岗位: placements follow the registry; daily line)
from jiuye.assistance import cases_receivers  # noqa: E402,F401  (cases: moves, daily escalation and follow-up)
from jiuye.assistance.services import zero as _zero  # noqa: E402,F401  (zero-employment households, capacity marks)
from jiuye.assistance.services import calendar_years  # noqa: E402,F401  (helper ledger: daily re-check of uncovered deadlines)
from jiuye.assistance import receivers_recognitions  # noqa: E402,F401  (hard-to-employ recognitions and cases)
from jiuye.assistance import demo as _demo  # noqa: E402,F401  (registry_loaded: rebuild after seed; the demo city's assistance history)
from jiuye.assistance.services import attachments as _attachments  # noqa: E402,F401  (daily: orphaned evidence files)
