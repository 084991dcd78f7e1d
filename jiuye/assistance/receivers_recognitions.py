"""Receivers of the recognitions part (hard-to-employ): the registry's events, in the transaction that
caused them, handled set-based through ``services.recognitions.sync``; and the daily refresh."""
from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from jiuye.assistance.services import recognitions
from jiuye.registry import events
from jiuye.registry.models import HouseholdMembership


@receiver(events.registrations_recorded, dispatch_uid="assistance_recognitions_recorded")
@receiver(events.registrations_corrected, dispatch_uid="assistance_recognitions_corrected")
@receiver(events.registrations_voided, dispatch_uid="assistance_recognitions_voided")
def _registrations(sender, person_ids=(), **kwargs):
    if person_ids:
        recognitions.sync(person_ids)


@receiver(events.persons_changed, dispatch_uid="assistance_recognitions_persons_changed")
def _persons_changed(sender, ids=(), **kwargs):
    if ids:
        recognitions.sync(ids)


@receiver(events.households_changed, dispatch_uid="assistance_recognitions_households")
def _households_changed(sender, ids=(), fields=(), created=False, **kwargs):
    # A household's zero-employment flag decides its members' "zero-employment household" category.
    if created or "is_zero_employment" not in (fields or ()) or not ids:
        return
    person_ids: set[int] = set()
    ids = list(ids)
    for start in range(0, len(ids), 900):
        person_ids.update(HouseholdMembership.objects.filter(household_id__in=ids[start:start + 900], left_on__isnull=True)
                          .values_list("person_id", flat=True))
    if person_ids:
        recognitions.sync(person_ids)


@receiver(events.persons_transferred, dispatch_uid="assistance_recognitions_transferred")
def _transferred(sender, person_ids=(), to_region=None, **kwargs):
    # An open act (proposed or recognised) follows the person to the receiving community, whose street
    # then decides it; closed acts stay where they were made.
    if person_ids and to_region:
        recognitions.follow_transfer(person_ids, to_region)


@receiver(events.daily_refresh, dispatch_uid="assistance_recognitions_daily")
def _daily(sender, today=None, **kwargs):
    with transaction.atomic():
        counts = recognitions.daily(today)
    # Nothing changed: no line (the command's output stays as it was).
    return recognitions.daily_line(counts) if any(counts.values()) else None
