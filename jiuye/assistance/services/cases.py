"""Assistance cases (援助个案): open, deadlines, employment, follow-up, close, reopen, escalation.

The writes other parts call (zero-employment detection, hard-to-employ detection, public-welfare
post placement). Every function runs inside the caller's transaction (the registry's domain events
are sent inside the change's transaction, so a case exists in the same transaction as the
registration that caused it) and keeps ``Case.next_due_on``/``district_due_on`` current.

Deadline lengths come from the dated parameters of the case's community on the day the case opens
(``assistance.deadlines.*``); working days from ``assistance.calendar``.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import Role
from jiuye.assistance import parameters as _assistance_parameters  # noqa: F401  (declares the keys read here)
from jiuye.assistance.calendar import add_working_days
from jiuye.assistance.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    CloseKind,
    DeadlineKind,
    EscalationLevel,
)
from jiuye.parameters import params

ACTIVE = (CaseStatus.OPEN, CaseStatus.FOLLOW_UP)


def responsible_worker(region_id: str):
    """The community worker responsible for a community: the first active community-worker account
    bound to exactly that community (None when the community has none yet: the case then shows to
    everyone whose scope covers it, unassigned)."""
    User = get_user_model()
    return (User.objects.filter(role=Role.COMMUNITY_WORKER, region_id=region_id, is_active=True)
            .order_by("pk").first())


def _deadline_lengths(kind: str, region_id: str, on: datetime.date) -> list[tuple[str, int]]:
    p = params(region_id, on)
    employment = (p["assistance.deadlines.zero_employment_working_days"] if kind == CaseKind.ZERO_EMPLOYMENT
                  else p["assistance.deadlines.hard_to_employ_working_days"])
    return [
        (DeadlineKind.FIRST_CONTACT, p["assistance.deadlines.first_contact_working_days"]),
        (DeadlineKind.PLAN, p["assistance.deadlines.plan_working_days"]),
        (DeadlineKind.EMPLOYMENT, employment),
    ]


def _add_deadlines(case: Case, start: datetime.date, lengths: Iterable[tuple[str, int]]) -> None:
    rows = []
    for kind, n in lengths:
        due = add_working_days(start, n)
        rows.append(CaseDeadline(case=case, kind=kind, start_on=start, working_days=n, due_on=due.due_on,
                                 uncovered=due.uncovered))
    CaseDeadline.objects.bulk_create(rows)


def refresh_due(case: Case) -> None:
    """Recompute ``next_due_on`` (earliest unmet deadline) and ``district_due_on`` (the day an overdue
    case goes up to the district) from the deadlines; save."""
    pending = case.deadlines.filter(met_on__isnull=True).order_by("due_on").first()
    if case.status == CaseStatus.CLOSED or pending is None:
        case.next_due_on = case.district_due_on = None
    else:
        case.next_due_on = pending.due_on
        after = params(case.region_id, pending.due_on)["assistance.escalation.district_after_working_days"]
        case.district_due_on = add_working_days(pending.due_on, after).due_on
    case.save(update_fields=["next_due_on", "district_due_on", "updated_at"])


def _event(case: Case, kind: str, on: datetime.date, text: str, actor=None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, on=on, text=text[:255],
                                    actor=actor if getattr(actor, "is_authenticated", False) else None)


def _audit(actor, case: Case, action: str, summary: str, changes: dict | None = None) -> None:
    audit.record(actor, action, object_type="case", object_id=case.pk, object_label=f"{case.get_kind_display()} #{case.pk}",
                 region_code=case.region_id, changes=changes or {}, summary=summary)


def active_case(*, kind: str, household_id: int | None = None, person_id: int | None = None) -> Case | None:
    qs = Case.objects.select_for_update().filter(kind=kind, status__in=ACTIVE)
    qs = qs.filter(household_id=household_id) if kind == CaseKind.ZERO_EMPLOYMENT else qs.filter(person_id=person_id)
    return qs.first()


@transaction.atomic
def open_case(*, kind: str, region_id: str, opened_on: datetime.date, household=None, person=None, recognition=None,
              actor=None, text: str = "") -> Case:
    """Open a case (or return the active one). A case in follow-up is reopened (relapse within the
    follow-up period); an open one is returned unchanged."""
    existing = active_case(kind=kind, household_id=getattr(household, "pk", None), person_id=getattr(person, "pk", None))
    if existing is not None:
        if existing.status == CaseStatus.FOLLOW_UP:
            return reopen_case(existing, on=opened_on, text=text or _("跟踪回访期内再次失业"), actor=actor)
        return existing
    worker = responsible_worker(region_id)
    case = Case.objects.create(kind=kind, household=household, person=person, recognition=recognition,
                               region_id=region_id, assigned_to=worker, opened_on=opened_on)
    _add_deadlines(case, opened_on, _deadline_lengths(kind, region_id, opened_on))
    refresh_due(case)
    _event(case, CaseEventKind.OPENED, opened_on, text or case.get_kind_display(), actor)
    if worker is not None:
        _event(case, CaseEventKind.ASSIGNED, opened_on, _("分派给 %(w)s") % {"w": worker}, actor)
    _audit(actor, case, "create", _("援助个案立案：%(t)s") % {"t": text or case.get_kind_display()})
    return case


@transaction.atomic
def record_employment(case: Case, *, on: datetime.date, registration=None, actor=None, text: str = "") -> Case:
    """A real employment registration resolves the case: follow-up for the configured period (a
    relapse within it reopens the case), or closed at once when the period is 0."""
    months = params(case.region_id, on)["assistance.follow_up_months"]
    case.employed_on, case.resolved_by = on, registration
    case.deadlines.filter(met_on__isnull=True).update(met_on=on)
    _event(case, CaseEventKind.EMPLOYED, on, text or _("实现就业"), actor)
    if months:
        case.status = CaseStatus.FOLLOW_UP
        case.follow_up_until = on + relativedelta(months=months)
        case.save()
        visit = params(case.region_id, on)["assistance.follow_up_visit_working_days"]
        _add_deadlines(case, on, [(DeadlineKind.FOLLOW_UP, visit)])
        refresh_due(case)
        case.escalation = EscalationLevel.COMMUNITY
        case.save(update_fields=["escalation"])
        _audit(actor, case, "update", _("实现就业，进入跟踪回访期至%(d)s") % {"d": case.follow_up_until})
        return case
    return close_case(case, kind=CloseKind.RESOLVED, on=on, note=text or _("实现就业"), actor=actor)


@transaction.atomic
def close_case(case: Case, *, kind: str, on: datetime.date, note: str, actor=None) -> Case:
    case.status, case.close_kind, case.closed_on, case.close_note = CaseStatus.CLOSED, kind, on, note[:255]
    case.escalation = EscalationLevel.COMMUNITY
    case.save()
    refresh_due(case)
    _event(case, CaseEventKind.CLOSED, on, f"{CloseKind(kind).label}：{note}", actor)
    _audit(actor, case, "update", _("结案（%(k)s）：%(n)s") % {"k": CloseKind(kind).label, "n": note})
    return case


@transaction.atomic
def reopen_case(case: Case, *, on: datetime.date, text: str, actor=None) -> Case:
    """Relapse: the case opens again with fresh deadlines from ``on``."""
    case.status, case.close_kind, case.closed_on, case.close_note = CaseStatus.OPEN, "", None, ""
    case.employed_on = case.resolved_by = case.follow_up_until = None
    case.reopen_count += 1
    case.save()
    case.deadlines.filter(met_on__isnull=True).update(met_on=on)
    _add_deadlines(case, on, _deadline_lengths(case.kind, case.region_id, on))
    refresh_due(case)
    _event(case, CaseEventKind.REOPENED, on, text, actor)
    _audit(actor, case, "update", _("重新立案：%(t)s") % {"t": text})
    return case


@dataclass(frozen=True)
class Subject:
    """What a case is about, for ``open_cases_bulk``: a household (zero-employment) or a person
    (hard-to-employ), its community, and optionally the recognition it follows."""

    region_id: str
    household_id: int | None = None
    person_id: int | None = None
    recognition_id: int | None = None


@transaction.atomic
def open_cases_bulk(kind: str, subjects: Iterable[Subject], *, opened_on: datetime.date, actor=None,
                    text: str = "") -> dict[str, int]:
    """``open_case`` for many subjects at once (a chunk of an import, the daily refresh, a reconcile):
    a few queries per call whatever the number of subjects, not per case. Subjects with an open case
    are left alone; a case in follow-up is reopened (one by one: rare). Returns counts
    {"opened": n, "reopened": m}."""
    subjects = list({(s.household_id if kind == CaseKind.ZERO_EMPLOYMENT else s.person_id): s for s in subjects}.values())
    if not subjects:
        return {"opened": 0, "reopened": 0}
    key = "household_id" if kind == CaseKind.ZERO_EMPLOYMENT else "person_id"
    ids = [getattr(s, key) for s in subjects]
    active: dict[int, Case] = {}
    for start in range(0, len(ids), 500):
        for case in Case.objects.select_for_update().filter(kind=kind, status__in=ACTIVE, **{f"{key}__in": ids[start:start + 500]}):
            active[getattr(case, key)] = case
    reopened = 0
    for case in active.values():
        if case.status == CaseStatus.FOLLOW_UP:
            reopen_case(case, on=opened_on, text=text or _("跟踪回访期内再次失业"), actor=actor)
            reopened += 1
    new = [s for s in subjects if getattr(s, key) not in active]
    if not new:
        return {"opened": 0, "reopened": reopened}
    User = get_user_model()
    regions = sorted({s.region_id for s in new})
    workers: dict[str, int] = {}
    for user_id, region_id in (User.objects.filter(role=Role.COMMUNITY_WORKER, region_id__in=regions, is_active=True)
                               .order_by("-pk").values_list("pk", "region_id")):
        workers[region_id] = user_id  # descending order: the first (lowest id) account wins, as in responsible_worker
    lengths = {r: _deadline_lengths(kind, r, opened_on) for r in regions}
    dues: dict[int, object] = {}

    def due(n: int):
        if n not in dues:
            dues[n] = add_working_days(opened_on, n)
        return dues[n]

    escalation_after: dict[tuple[str, datetime.date], datetime.date] = {}

    def district_due(region_id: str, due_on: datetime.date) -> datetime.date:
        k = (region_id, due_on)
        if k not in escalation_after:
            after = params(region_id, due_on)["assistance.escalation.district_after_working_days"]
            escalation_after[k] = add_working_days(due_on, after).due_on
        return escalation_after[k]

    cases = []
    for s in new:
        first = min(due(n).due_on for _kind, n in lengths[s.region_id])
        cases.append(Case(kind=kind, household_id=s.household_id, person_id=s.person_id, recognition_id=s.recognition_id,
                          region_id=s.region_id, assigned_to_id=workers.get(s.region_id), opened_on=opened_on,
                          next_due_on=first, district_due_on=district_due(s.region_id, first)))
    Case.objects.bulk_create(cases, batch_size=500)
    deadlines, events_, entries = [], [], []
    label = text or CaseKind(kind).label
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    for case in cases:
        for dkind, n in lengths[case.region_id]:
            d = due(n)
            deadlines.append(CaseDeadline(case=case, kind=dkind, start_on=opened_on, working_days=n, due_on=d.due_on,
                                          uncovered=d.uncovered))
        events_.append(CaseEvent(case=case, kind=CaseEventKind.OPENED, on=opened_on, text=label[:255], actor=actor_obj))
        entries.append(audit.build(actor, "create", object_type="case", object_id=case.pk,
                                   object_label=f"{case.get_kind_display()} #{case.pk}", region_code=case.region_id,
                                   summary=_("援助个案立案：%(t)s") % {"t": label}))
    CaseDeadline.objects.bulk_create(deadlines, batch_size=1000)
    CaseEvent.objects.bulk_create(events_, batch_size=1000)
    audit.record_many(entries)
    return {"opened": len(cases), "reopened": reopened}


# ---------------------------------------------------------------------------------------------
# Next steps: a hook other apps fill (jobs: recommended jobs; policies: subsidies the person may claim)


@dataclass(frozen=True)
class NextStep:
    """One suggestion on a case page: what to do, why, and where to do it (a URL name and args, or "")."""

    code: str
    title: str
    reason: str = ""
    url: str = ""
    priority: int = 50  # lower first
    source: str = "assistance"


NextStepProvider = Callable[[Case, object, datetime.date], list[NextStep]]
_providers: dict[str, NextStepProvider] = {}


def register_next_steps(name: str, provider: NextStepProvider) -> None:
    """Register a provider of next steps (called with the case, the user and today); a higher app
    registers in its ``AppConfig.ready`` (jobs: recommended jobs; policies: subsidies to claim)."""
    _providers[name] = provider


def next_steps(case: Case, user, today: datetime.date | None = None) -> list[NextStep]:
    today = today or timezone.localdate()
    steps: list[NextStep] = []
    for provider in _providers.values():
        steps.extend(provider(case, user, today))
    return sorted(steps, key=lambda s: (s.priority, s.title))
