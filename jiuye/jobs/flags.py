"""Priority flags shown on every jobs list where a person appears (issue 10, item 5).

A recognised hard-to-employ person (就业困难人员, an act in force of the assistance app) and a member of a
zero-employment household (零就业家庭) get priority for public-welfare posts and a flag wherever they
appear: seekers, applications, a vacancy's matched seekers, event registrations, gig takes, the pool.
Two queries for any number of persons (set-based), never one per row.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.assistance.queries.recognitions import acts_in_force
from jiuye.registry.groups import zero_employment_members

HARD_TO_EMPLOY = "hard_to_employ"
ZERO_EMPLOYMENT = "zero_employment"
LABELS = {HARD_TO_EMPLOY: _("就业困难人员"), ZERO_EMPLOYMENT: _("零就业家庭成员")}


def priority_flags(person_ids: Iterable[int], on: datetime.date | None = None) -> dict[int, list[str]]:
    """person id → its flags (codes of ``LABELS``, in that order); persons without a flag are absent."""
    ids = list({int(i) for i in person_ids})
    if not ids:
        return {}
    on = on or timezone.localdate()
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for pid in acts_in_force(on).filter(person_id__in=chunk).values_list("person_id", flat=True).distinct():
            out.setdefault(pid, []).append(HARD_TO_EMPLOY)
        for pid in zero_employment_members(on).filter(person_id__in=chunk).values_list("person_id", flat=True).distinct():
            out.setdefault(pid, []).append(ZERO_EMPLOYMENT)
    return out


def priority_person_ids_q(on: datetime.date | None = None):
    """A Q over Person rows: flagged persons (for a filter "只看优先人员" or the matching's priority array)."""
    from django.db.models import Q

    on = on or timezone.localdate()
    return Q(pk__in=acts_in_force(on).values("person_id")) | Q(pk__in=zero_employment_members(on).values("person_id"))


def labels(codes: Iterable[str]) -> list[str]:
    return [str(LABELS[c]) for c in codes if c in LABELS]
