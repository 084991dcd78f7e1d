"""Reactions to the registry's domain events (registry/events.py), inside the transaction that
caused them: a zero-employment household or a newly hard-to-employ person has a case the moment the
registration that made it so commits. Each part of the app connects its receivers here."""
from __future__ import annotations
from jiuye.assistance import receivers_recognitions  # noqa: E402,F401  (hard-to-employ recognitions and cases)
