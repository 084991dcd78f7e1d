"""Recognised hard-to-employ (就业困难人员, recognised by an act) as a fact readable as of any date.

Two faces that must agree (the recognitions helper adds the property test and ``known_on``):
- ``recognised_on(person_id, on)``: the act under which the person is recognised on ``on``, or None;
- ``recognised_q(on)``: a filter over Person rows: those recognised on ``on`` (set-based).
A person is recognised on D when an act was decided "recognised", ``valid_from <= D``, D is not after
``valid_until`` and D is before ``exited_on``. An act later exited still counts for the dates before
its exit (the fact has its own history).
"""
from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from jiuye.assistance.models import Recognition, RecognitionStatus

COUNTING = (RecognitionStatus.RECOGNISED, RecognitionStatus.EXITED)


def acts_in_force(on: datetime.date) -> QuerySet[Recognition]:
    return Recognition.objects.filter(status__in=COUNTING, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)).filter(Q(exited_on__isnull=True) | Q(exited_on__gt=on))


def recognised_on(person_id: int, on: datetime.date) -> Recognition | None:
    """Python face: the act under which the person is recognised on ``on`` (None if not)."""
    for act in Recognition.objects.filter(person_id=person_id, status__in=COUNTING).order_by("-valid_from", "-pk"):
        if act.valid_from <= on and (act.valid_until is None or on <= act.valid_until) and (
                act.exited_on is None or on < act.exited_on):
            return act
    return None


def recognised_q(on: datetime.date) -> Q:
    """SQL face: Person rows recognised on ``on`` (``Person.objects.filter(recognised_q(on))``)."""
    return Q(pk__in=acts_in_force(on).values("person_id"))
