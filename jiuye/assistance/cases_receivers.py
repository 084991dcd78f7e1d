"""The case workbench's reactions to the registry's events (connected through ``receivers.py``).

- A person or household that moves takes its active cases along (``persons_transferred``,
  ``persons_changed`` / ``households_changed`` with ``"region"`` among the fields): set-based over the ids.
- ``daily_refresh``: follow-ups that ended close as resolved, overdue cases escalate (one line of text).
"""
from __future__ import annotations

from django.dispatch import receiver

from jiuye.assistance.services import cases
from jiuye.registry import events


@receiver(events.persons_transferred, dispatch_uid="assistance_cases_follow_transfer")
def follow_transfer(sender, person_ids=(), **kwargs):
    cases.follow_subjects(person_ids=person_ids)


@receiver(events.persons_changed, dispatch_uid="assistance_cases_follow_person")
def follow_person(sender, ids=(), fields=(), **kwargs):
    if "region" in (fields or ()):
        cases.follow_subjects(person_ids=ids)


@receiver(events.households_changed, dispatch_uid="assistance_cases_follow_household")
def follow_household(sender, ids=(), fields=(), created=False, **kwargs):
    if not created and "region" in (fields or ()):
        cases.follow_subjects(household_ids=ids)


@receiver(events.daily_refresh, dispatch_uid="assistance_cases_daily")
def daily(sender, today, **kwargs):
    return cases.daily(today)  # one transaction per chunk of cases
