"""Employment status on any date, derived from the registration history.

Two faces of one rule that must agree (tests/test_status.py holds them together with hypothesis):
- ``status_on(entries, on, known_on=None)``: replay one person's entries in Python (person page,
  projection refresh, the import's status refresh);
- ``last_entries`` / ``annotate_status`` (the "status table"): the same rule for everyone in one pass
  over the registrations (a ``ROW_NUMBER()`` window per person, joined to the persons as a CTE), for
  set-based work (groups, screening, KPIs, monitoring). The same SQL runs on SQLite and PostgreSQL,
  served by the covering index ``registration_last_entry_idx``.

Rule: entries that are voided or replaced by a correction do not count, nor do void entries. The
remaining entries with effective_date <= the date are applied in order (effective_date, recorded_at,
id); the last one decides: employment -> employed, unemployment -> unemployed, ending -> the status its
reason names (retirement -> retired, death -> deceased, ...; new_job, job_ended, not_seeking, other ->
none). No entry -> none (未登记).

"As of a date" means the facts effective on that date *as recorded now*. Every face also takes an
optional ``known_on`` cutoff (a date: known by the end of that day, local time; or a datetime): entries
recorded after it are ignored, corrections and voids included, so the entry they replaced counts again.
A kept report or screening is reproduced exactly by asking again with its ``known_on``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.db.models.sql.constants import LOUTER
from django.utils import timezone
from django.utils.translation import gettext as _
from django_cte import CTE, with_cte

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


def status_label(status: str, since: datetime.date | None = None, ending_reason: str = "") -> str:
    """The status as people read it. "未登记" only for someone never registered (no counting entry,
    so no ``since``); an ending with no status of its own (就业终止, 无就业意愿 ...) reads "已终止",
    with its reason when known: "已终止（就业终止）"."""
    if status != EmploymentStatus.NONE:
        return str(EmploymentStatus(status).label) if status in EmploymentStatus.values else status
    if since is None:
        return str(EmploymentStatus.NONE.label)
    if ending_reason in EndingReason.values:
        return _("已终止（%(r)s）") % {"r": EndingReason(ending_reason).label}
    return str(_("已终止"))


# ---------------------------------------------------------------------------------------------
# "Known on": the recording cutoff shared by both faces


def known_bound(known_on: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """The instant before which an entry must have been recorded to count (None: no cutoff).

    A date means "known by the end of that day" (local time); a datetime is inclusive."""
    if known_on is None:
        return None
    if isinstance(known_on, datetime.datetime):
        moment = known_on if timezone.is_aware(known_on) else timezone.make_aware(known_on)
        return moment + datetime.timedelta(microseconds=1)
    return timezone.make_aware(datetime.datetime.combine(known_on + datetime.timedelta(days=1), datetime.time.min))


def known_entries(entries: Iterable[Registration], known_on=None) -> list[Registration]:
    """The entries already recorded at ``known_on`` (all of them without a cutoff)."""
    bound = known_bound(known_on)
    return [e for e in entries if bound is None or e.recorded_at < bound]


# ---------------------------------------------------------------------------------------------
# Python face


def effective_entries(entries: Iterable[Registration], known_on=None) -> list[Registration]:
    """Entries that count, in order: not void, not voided or replaced by a correction (recorded by
    ``known_on`` when given)."""
    entries = known_entries(entries, known_on)
    superseded = {e.corrects_id for e in entries if e.corrects_id is not None}
    counting = [e for e in entries if e.kind != Registration.Kind.VOID and e.pk not in superseded]
    return sorted(counting, key=lambda e: (e.effective_date, e.recorded_at, e.pk or 0))


def status_on(entries: Iterable[Registration], on: datetime.date, known_on=None) -> StatusOnDate:
    """The status on ``on`` from one person's entries (SQL face: ``annotate_status``).

    Copied for speed in ``jiuye/registry/demo/city.py`` (``project``, over row tuples while seeding);
    tests/test_demo_rules.py holds the copy to this rule with hypothesis."""
    last = None
    for entry in effective_entries(entries, known_on):
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


# ---------------------------------------------------------------------------------------------
# SQL face: one pass over the registrations


def counting_registrations(known_on=None) -> QuerySet[Registration]:
    """Registrations that count: not void and not superseded by a correction or void (recorded by
    ``known_on`` when given). The superseded ids are one uncorrelated list, not a probe per row."""
    bound = known_bound(known_on)
    entries = Registration.objects.exclude(kind=Registration.Kind.VOID)
    superseding = Registration.objects.filter(corrects__isnull=False)
    if bound is not None:
        entries = entries.filter(recorded_at__lt=bound)
        superseding = superseding.filter(recorded_at__lt=bound)
    return entries.exclude(pk__in=superseding.values("corrects_id")).order_by()


def last_entries(on: datetime.date, known_on=None, person_ids=None) -> QuerySet:
    """For every person with a counting entry effective on or before ``on``: that last entry
    (``person_id``, ``id``, ``kind``, ``ending_reason``, ``effective_date``, ``employment_form``,
    ``employer_id``). One pass: ``ROW_NUMBER() OVER (PARTITION BY person ORDER BY effective_date DESC,
    recorded_at DESC, id DESC) = 1``. ``person_ids`` (ids or a values queryset) narrows the pass."""
    entries = counting_registrations(known_on).filter(effective_date__lte=on)
    if person_ids is not None:
        entries = entries.filter(person_id__in=person_ids)
    return (
        entries.annotate(_rn=Window(
            RowNumber(), partition_by=[F("person_id")],
            order_by=[F("effective_date").desc(), F("recorded_at").desc(), F("id").desc()],
        ))
        .filter(_rn=1)
        .values("person_id", "id", "kind", "ending_reason", "effective_date", "employment_form", "employer_id")
    )


def status_case(kind, ending) -> Case:
    """The status named by an entry's ``kind`` and ``ending_reason`` (expressions); none without one.
    Same mapping as ``status_of_entry``."""
    whens = [
        When(**{kind: Registration.Kind.EMPLOYMENT}, then=Value(EmploymentStatus.EMPLOYED)),
        When(**{kind: Registration.Kind.UNEMPLOYMENT}, then=Value(EmploymentStatus.UNEMPLOYED)),
    ]
    whens += [When(**{kind: Registration.Kind.ENDING, ending: reason}, then=Value(status)) for reason, status in ENDING_STATUS.items()]
    return Case(*whens, default=Value(EmploymentStatus.NONE), output_field=CharField())


def last_entries_cte(on: datetime.date, known_on=None, *, name: str = "cte_last") -> CTE:
    """``last_entries`` as a common table expression, to be joined (``join_cte``) once or several times."""
    return CTE(last_entries(on, known_on), name=name)


def join_cte(qs: QuerySet, cte: CTE, *, prefix: str, person_ref: str = "id", outer: bool = True) -> QuerySet:
    """``qs`` joined to a ``last_entries_cte`` on ``person_ref``, with the entry's columns as aliases
    ``<prefix>_kind``, ``<prefix>_ending``, ``<prefix>_since``, ``<prefix>_form``, ``<prefix>_employer``,
    ``<prefix>_id`` (NULL for persons without one when ``outer``) and the status as ``<prefix>_status``.
    The caller attaches the CTE to the outermost query (``django_cte.with_cte``)."""
    on_clause = {person_ref: cte.col.person_id, **({"_join_type": LOUTER} if outer else {})}
    qs = cte.join(qs, **on_clause).alias(**{
        f"{prefix}_kind": cte.col.kind, f"{prefix}_ending": cte.col.ending_reason, f"{prefix}_since": cte.col.effective_date,
        f"{prefix}_form": cte.col.employment_form, f"{prefix}_employer": cte.col.employer_id, f"{prefix}_id": cte.col.id,
    })
    return qs.alias(**{f"{prefix}_status": status_case(f"{prefix}_kind", f"{prefix}_ending")})


def join_last_entries(qs: QuerySet, on: datetime.date, known_on=None, *, prefix: str = "_last", person_ref: str = "id",
                      outer: bool = True) -> QuerySet:
    """``qs`` (any model with a person reference ``person_ref``) joined to ``last_entries`` on ``on`` as
    a CTE of its own; aliases as in ``join_cte``."""
    cte = last_entries_cte(on, known_on, name=f"cte{prefix}")
    return with_cte(cte, select=join_cte(qs, cte, prefix=prefix, person_ref=person_ref, outer=outer))


def annotate_status(qs: QuerySet, on: datetime.date, known_on=None) -> QuerySet:
    """The status table: a Person queryset annotated, for everyone, with ``status_on_date``,
    ``status_since_on_date``, ``employer_on_date``, ``form_on_date`` and ``registration_on_date`` (same
    rule as ``status_on``; employer and form only while employed)."""
    qs = join_last_entries(qs, on, known_on, prefix="_st")
    employed = Q(_st_status=EmploymentStatus.EMPLOYED)
    return qs.annotate(
        status_on_date=F("_st_status"),
        status_since_on_date=F("_st_since"),
        employer_on_date=Case(When(employed, then=F("_st_employer")), default=None),
        form_on_date=Case(When(employed, then=F("_st_form")), default=Value(""), output_field=CharField()),
        registration_on_date=F("_st_id"),
    )


def annotate_status_on(qs: QuerySet, on: datetime.date, name: str = "status_on_date", known_on=None) -> QuerySet:
    """``qs.annotate(<name>=status on ``on``)`` for a Person queryset, in one pass (see ``annotate_status``)."""
    prefix = f"_{name}"
    return join_last_entries(qs, on, known_on, prefix=prefix).annotate(**{name: F(f"{prefix}_status")})


def annotate_status_since_on(qs: QuerySet, on: datetime.date, name: str = "status_since_on_date", known_on=None) -> QuerySet:
    """``qs.annotate(<name>=start of the status in force on ``on``)`` (None without an entry)."""
    prefix = f"_{name}"
    return join_last_entries(qs, on, known_on, prefix=prefix).annotate(**{name: F(f"{prefix}_since")})
