"""Employment status on any date, derived from the registration history.

Two paths that must agree (tests/test_status.py checks it with hypothesis):
- ``status_on``: replay one person's entries in Python (person page, projection refresh);
- ``status_on_annotation``: the same rule as a correlated subquery, for set-based work over everyone
  (KPIs, screening, monitoring).

Rule: entries that are voided or replaced by a correction do not count, nor do void entries. The
remaining entries with effective_date <= the date are applied in order (effective_date, recorded_at,
id); the last one decides: employment -> employed, unemployment -> unemployed, ending -> the status its
reason names (retirement -> retired, death -> deceased, ...; new_job, job_ended, not_seeking, other ->
none). No entry -> none (未登记).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Subquery, Value, When

from jiuye.registry.models import EmploymentStatus, EndingReason, Registration

ENDING_STATUS = {
    EndingReason.RETIREMENT: EmploymentStatus.RETIRED,
    EndingReason.DEATH: EmploymentStatus.DECEASED,
    EndingReason.SCHOOL: EmploymentStatus.IN_SCHOOL,
    EndingReason.MILITARY: EmploymentStatus.MILITARY,
    EndingReason.MOVED_AWAY: EmploymentStatus.MOVED_AWAY,
}


@dataclass(frozen=True)
class StatusOnDate:
    status: str
    since: datetime.date | None = None
    employer_id: int | None = None
    employment_form: str = ""
    registration_id: int | None = None


NO_STATUS = StatusOnDate(EmploymentStatus.NONE)


def status_of_entry(entry: Registration) -> str:
    if entry.kind == Registration.Kind.EMPLOYMENT:
        return EmploymentStatus.EMPLOYED
    if entry.kind == Registration.Kind.UNEMPLOYMENT:
        return EmploymentStatus.UNEMPLOYED
    return ENDING_STATUS.get(entry.ending_reason, EmploymentStatus.NONE)


def effective_entries(entries: Iterable[Registration]) -> list[Registration]:
    """Entries that count, in order: not void, not voided or replaced by a later correction."""
    entries = list(entries)
    superseded = {e.corrects_id for e in entries if e.corrects_id is not None}
    counting = [e for e in entries if e.kind != Registration.Kind.VOID and e.pk not in superseded]
    return sorted(counting, key=lambda e: (e.effective_date, e.recorded_at, e.pk or 0))


def status_on(entries: Iterable[Registration], on: datetime.date) -> StatusOnDate:
    """The status on ``on`` from one person's entries (the rule in the module docstring).

    Copied for speed in ``jiuye/registry/demo/city.py`` (``project``, over row tuples while seeding);
    tests/test_demo_rules.py holds the copy to this rule with hypothesis."""
    last = None
    for entry in effective_entries(entries):
        if entry.effective_date > on:
            break
        last = entry
    if last is None:
        return NO_STATUS
    status = status_of_entry(last)
    return StatusOnDate(
        status=status,
        since=last.effective_date,
        employer_id=last.employer_id if status == EmploymentStatus.EMPLOYED else None,
        employment_form=last.employment_form if status == EmploymentStatus.EMPLOYED else "",
        registration_id=last.pk,
    )


def timeline(entries: Iterable[Registration]) -> list[tuple[Registration, bool]]:
    """All entries in recording order with a flag telling whether each still counts."""
    entries = list(entries)
    counting = {e.pk for e in effective_entries(entries)}
    ordered = sorted(entries, key=lambda e: (e.effective_date, e.recorded_at, e.pk or 0))
    return [(e, e.pk in counting) for e in ordered]


def counting_registrations() -> QuerySet[Registration]:
    """Registrations that count: not void and not superseded by any correction."""
    superseded = Registration.objects.filter(corrects=OuterRef("pk"))
    return Registration.objects.exclude(kind=Registration.Kind.VOID).exclude(Exists(superseded))


def last_entry_subquery(on: datetime.date, person_ref: str = "pk") -> QuerySet[Registration]:
    return counting_registrations().filter(person=OuterRef(person_ref), effective_date__lte=on).order_by(
        "-effective_date", "-recorded_at", "-id"
    )


def status_on_annotation(on: datetime.date, person_ref: str = "pk"):
    """An expression giving the status on ``on`` for each person row (same rule as ``status_on``)."""
    last = last_entry_subquery(on, person_ref)
    kind = Subquery(last.values("kind")[:1])
    ending = Subquery(last.values("ending_reason")[:1])
    whens = [
        When(**{"_kind": Registration.Kind.EMPLOYMENT}, then=Value(EmploymentStatus.EMPLOYED)),
        When(**{"_kind": Registration.Kind.UNEMPLOYMENT}, then=Value(EmploymentStatus.UNEMPLOYED)),
    ]
    whens += [When(_kind=Registration.Kind.ENDING, _ending=reason, then=Value(status)) for reason, status in ENDING_STATUS.items()]
    return {"_kind": kind, "_ending": ending}, Case(*whens, default=Value(EmploymentStatus.NONE), output_field=CharField())


def annotate_status_on(qs, on: datetime.date, name: str = "status_on_date"):
    """``qs.annotate(<name>=status on ``on``)`` for a Person queryset."""
    parts, expression = status_on_annotation(on)
    return qs.annotate(**parts).annotate(**{name: expression})


def annotate_status_since_on(qs, on: datetime.date, name: str = "status_since_on_date"):
    last = last_entry_subquery(on)
    return qs.annotate(**{name: Subquery(last.values("effective_date")[:1])})
