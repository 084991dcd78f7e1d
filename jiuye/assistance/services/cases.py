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
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import Role
from jiuye.accounts.scoping import OutOfScope, ensure_can_write, in_scope
from jiuye.assistance import parameters as _assistance_parameters  # noqa: F401  (declares the keys read here)
from jiuye.assistance.calendar import add_working_days
from jiuye.assistance.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseService,
    CaseStatus,
    CloseKind,
    DeadlineKind,
    EscalationLevel,
    ServiceKind,
)
from jiuye.parameters import params
from jiuye.regions.models import Region
from jiuye.registry.models import HouseholdMembership

ACTIVE = (CaseStatus.OPEN, CaseStatus.FOLLOW_UP)


def responsible_workers(region_ids) -> dict[str, int]:
    """The community worker responsible for each community: the first (lowest id) active
    community-worker account bound to exactly that community. A community without one is missing
    from the answer: its cases stay unassigned and show to everyone whose scope covers it."""
    User = get_user_model()
    workers: dict[str, int] = {}
    for user_id, region_id in (User.objects.filter(role=Role.COMMUNITY_WORKER, region_id__in=list(region_ids),
                                                   is_active=True).order_by("-pk").values_list("pk", "region_id")):
        workers[region_id] = user_id  # descending order: the lowest id wins
    return workers


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
    """Open a case (or return the active one): ``open_cases_bulk`` for one subject. A case in follow-up
    is reopened (relapse within the follow-up period); an open one is returned unchanged."""
    household_id, person_id = getattr(household, "pk", None), getattr(person, "pk", None)
    open_cases_bulk(kind, [Subject(region_id, household_id=household_id, person_id=person_id,
                                   recognition_id=getattr(recognition, "pk", None))],
                    opened_on=opened_on, actor=actor, text=text)
    return active_case(kind=kind, household_id=household_id, person_id=person_id)


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
    workers = responsible_workers(regions)
    worker_names = {u.pk: str(u) for u in User.objects.filter(pk__in=set(workers.values()))}
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
        if case.assigned_to_id is not None:
            events_.append(CaseEvent(case=case, kind=CaseEventKind.ASSIGNED, on=opened_on, actor=actor_obj,
                                     text=(_("分派给 %(w)s") % {"w": worker_names[case.assigned_to_id]})[:255]))
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


# ---------------------------------------------------------------------------------------------
# The case workbench (helper "cases"): one-on-one services, reassignment, the daily escalation and
# end of follow-up, cases that follow their subject when it moves, and the assistance next steps.

#: Which deadlines a service meets: any contact meets 首次联系; a plan 制定援助计划; a follow-up visit 跟踪回访.
SERVICE_MEETS: dict[str, tuple[str, ...]] = {
    kind: (DeadlineKind.FIRST_CONTACT,) for kind in ServiceKind.values
}
SERVICE_MEETS[ServiceKind.PLAN] = (DeadlineKind.FIRST_CONTACT, DeadlineKind.PLAN)
SERVICE_MEETS[ServiceKind.FOLLOW_UP_VISIT] = (DeadlineKind.FIRST_CONTACT, DeadlineKind.FOLLOW_UP)

#: Roles that may hand a case to another worker of its community.
REASSIGNERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER}


def _check_case_write(actor, case: Case) -> None:
    """Scope and role of a case write (a case outside the scope is "not found" for the reader: the caller
    fetched it through ``queries.cases.get_case``; this is the write check behind it)."""
    if not roles.can_work_cases(actor):
        raise OutOfScope(_("您的角色无权办理援助个案"))
    ensure_can_write(actor, case.region_id)


def _settle_escalation(case: Case, today: datetime.date) -> None:
    """After a deadline is met: a case no longer overdue drops back to the community level."""
    if case.escalation and (case.next_due_on is None or case.next_due_on >= today):
        case.escalation = EscalationLevel.COMMUNITY
        case.save(update_fields=["escalation", "updated_at"])


@transaction.atomic
def record_service(*, actor, case: Case, kind: str, served_on: datetime.date, outcome: str, note: str = "",
                   person_id: int | None = None, today: datetime.date | None = None) -> CaseService:
    """一对一帮扶: record one service given on ``case`` by ``actor`` (the worker). It meets the deadlines it
    fulfils (``SERVICE_MEETS``) that had started by ``served_on``; ``next_due_on`` follows. Every broken
    rule is reported at once (field: reason)."""
    _check_case_write(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in ServiceKind.values:
        errors.setdefault("kind", []).append(_("服务内容“%(v)s”无效") % {"v": kind})
    if served_on is None:
        errors.setdefault("served_on", []).append(_("请填写服务日期"))
    else:
        if served_on > today:
            errors.setdefault("served_on", []).append(
                _("服务日期 %(d)s 晚于今天，不能登记尚未发生的服务") % {"d": served_on})
        if served_on < case.opened_on:
            errors.setdefault("served_on", []).append(
                _("服务日期 %(d)s 早于立案日期 %(o)s") % {"d": served_on, "o": case.opened_on})
    outcome = (outcome or "").strip()
    if not outcome:
        errors.setdefault("outcome", []).append(_("请填写服务结果"))
    elif len(outcome) > 255:
        errors.setdefault("outcome", []).append(_("服务结果最多 255 个字，现有 %(n)d 个字") % {"n": len(outcome)})
    if case.status == CaseStatus.CLOSED:
        errors.setdefault("kind", []).append(_("个案已结案，不能再登记服务"))
    elif kind == ServiceKind.FOLLOW_UP_VISIT and case.status != CaseStatus.FOLLOW_UP:
        errors.setdefault("kind", []).append(_("跟踪回访仅适用于已就业、处于跟踪回访期的个案"))
    if person_id is not None and person_id not in subject_person_ids(case):
        errors.setdefault("person_id", []).append(_("服务对象（人员编号 %(p)s）不是本个案的援助对象") % {"p": person_id})
    if errors:
        raise ValidationError(errors)
    if person_id is None and case.person_id:
        person_id = case.person_id
    service = CaseService.objects.create(case=case, kind=kind, served_on=served_on, outcome=outcome,
                                         note=(note or "").strip(), person_id=person_id,
                                         worker=actor if getattr(actor, "is_authenticated", False) else None)
    met = list(case.deadlines.filter(met_on__isnull=True, kind__in=SERVICE_MEETS[kind], start_on__lte=served_on)
               .values_list("kind", flat=True))
    if met:
        case.deadlines.filter(met_on__isnull=True, kind__in=SERVICE_MEETS[kind], start_on__lte=served_on).update(
            met_on=served_on)
        refresh_due(case)
        _settle_escalation(case, today)
    audit.record(actor, "create", object_type="case_service", object_id=service.pk,
                 object_label=f"{case.get_kind_display()} #{case.pk}", region_code=case.region_id,
                 changes={"case": case.pk, "kind": kind, "served_on": served_on,
                          "deadlines_met": [str(k) for k in met]},
                 summary=_("登记帮扶服务：%(k)s") % {"k": ServiceKind(kind).label})
    return service


def subject_person_ids(case: Case) -> set[int]:
    """The persons a case is about: the person, or the household's current members."""
    if case.kind == CaseKind.HARD_TO_EMPLOY:
        return {case.person_id}
    return set(HouseholdMembership.objects.filter(household_id=case.household_id, left_on__isnull=True)
               .values_list("person_id", flat=True))


def reassignable_workers(case: Case):
    """The accounts a case may be handed to: the active community workers of its community."""
    User = get_user_model()
    return User.objects.filter(role=Role.COMMUNITY_WORKER, region_id=case.region_id, is_active=True).order_by("pk")


def may_reassign(user, case: Case) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REASSIGNERS)
                and case.status != CaseStatus.CLOSED and in_scope(user, case.region_id))


@transaction.atomic
def reassign_case(*, actor, case: Case, worker_id: int, note: str = "") -> Case:
    """Hand a case to another community worker of its community (street and district officers)."""
    if not may_reassign(actor, case):
        raise OutOfScope(_("只有街道、区县经办人员可以改派本辖区的援助个案"))
    ensure_can_write(actor, case.region_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    worker = reassignable_workers(case).filter(pk=worker_id).first()
    if worker is None:
        raise ValidationError({"worker_id": _("账号 %(w)s 不是个案所在社区的在岗社区协理员") % {"w": worker_id}})
    if worker.pk == case.assigned_to_id:
        raise ValidationError({"worker_id": _("个案已由 %(w)s 负责") % {"w": worker}})
    before = case.assigned_to_id
    case.assigned_to = worker
    case.save(update_fields=["assigned_to", "updated_at"])
    text = _("改派给 %(w)s") % {"w": worker} + (f"：{note.strip()}" if (note or "").strip() else "")
    _event(case, CaseEventKind.ASSIGNED, timezone.localdate(), text, actor)
    _audit(actor, case, "update", text, changes={"assigned_to": [before, worker.pk]})
    return case


# ---------------------------------------------------------------------------------------------
# Daily work (registry.events.daily_refresh): escalation and the end of follow-up, set-based.

CHUNK = 2000


def _bulk_events_and_audit(rows: list[tuple[int, str]], kind: str, on: datetime.date, text: str, summary: str,
                           changes: dict) -> None:
    """One CaseEvent and one audit entry (actor 系统) per case of ``rows`` [(case id, region)]."""
    CaseEvent.objects.bulk_create([CaseEvent(case_id=pk, kind=kind, on=on, text=text[:255]) for pk, _r in rows],
                                  batch_size=1000)
    audit.record_many([audit.build(None, "update", object_type="case", object_id=pk, object_label=f"#{pk}",
                                   region_code=region, changes=changes, summary=summary) for pk, region in rows])


def escalate_overdue(today: datetime.date) -> dict[str, int]:
    """An active case past ``next_due_on`` goes to the street; past ``district_due_on``, to the district.
    One UPDATE per chunk of ids, a 逾期督办 event and an audit entry per step. Returns the counts."""
    counts = {"street": 0, "district": 0}
    active = Case.objects.filter(status__in=ACTIVE)
    steps = [
        ("district", EscalationLevel.DISTRICT,
         active.filter(district_due_on__lt=today, escalation__lt=EscalationLevel.DISTRICT),
         _("逾期超过督办时限，升级至区县督办")),
        ("street", EscalationLevel.STREET,
         active.filter(next_due_on__lt=today, escalation__lt=EscalationLevel.STREET),
         _("期限已过未办结，由街道督办")),
    ]
    for name, level, qs, text in steps:
        rows = list(qs.order_by("pk").values_list("pk", "region_id"))
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            with transaction.atomic():
                Case.objects.filter(pk__in=[pk for pk, _r in chunk], escalation__lt=level).update(
                    escalation=level, updated_at=timezone.now())
                _bulk_events_and_audit(chunk, CaseEventKind.ESCALATED, today, text, _("逾期督办：%(t)s") % {"t": text},
                                       {"escalation": int(level)})
        counts[name] = len(rows)
    return counts


def end_follow_ups(today: datetime.date) -> int:
    """Cases whose follow-up period ended (``follow_up_until`` before today) without a relapse close as
    resolved on the last day of the period. Set-based; returns the number closed."""
    rows = list(Case.objects.filter(status=CaseStatus.FOLLOW_UP, follow_up_until__lt=today).order_by("pk")
                .values_list("pk", "region_id"))
    note = _("跟踪回访期满，未再次失业")
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        ids = [pk for pk, _r in chunk]
        with transaction.atomic():
            Case.objects.filter(pk__in=ids, status=CaseStatus.FOLLOW_UP).update(
                status=CaseStatus.CLOSED, close_kind=CloseKind.RESOLVED, closed_on=F("follow_up_until"),
                close_note=note, next_due_on=None, district_due_on=None, escalation=EscalationLevel.COMMUNITY,
                updated_at=timezone.now())
            events_ = [CaseEvent(case_id=pk, kind=CaseEventKind.CLOSED, on=closed_on,
                                 text=f"{CloseKind.RESOLVED.label}：{note}")
                       for pk, closed_on in Case.objects.filter(pk__in=ids).values_list("pk", "closed_on")]
            CaseEvent.objects.bulk_create(events_, batch_size=1000)
            audit.record_many([audit.build(None, "update", object_type="case", object_id=pk, object_label=f"#{pk}",
                                           region_code=region, changes={"status": CaseStatus.CLOSED,
                                                                        "close_kind": CloseKind.RESOLVED},
                                           summary=_("结案（%(k)s）：%(n)s") % {"k": CloseKind.RESOLVED.label, "n": note})
                               for pk, region in chunk])
    return len(rows)


def daily(today: datetime.date) -> str | None:
    """The cases' daily work: follow-ups that ended close, then overdue cases escalate. One line of
    Chinese text for ``jiuye refresh_projections`` (None when there was nothing to do)."""
    closed = end_follow_ups(today)
    counts = escalate_overdue(today)
    if not (closed or counts["street"] or counts["district"]):
        return None
    return _("援助个案：跟踪回访期满结案 %(c)d 件，逾期升级街道督办 %(s)d 件、区县督办 %(d)d 件") % {
        "c": closed, "s": counts["street"], "d": counts["district"]}


# ---------------------------------------------------------------------------------------------
# Cases follow their subject (迁入/迁出, a household's community changed): region and worker follow.


def follow_subjects(*, person_ids: Iterable[int] = (), household_ids: Iterable[int] = (), actor=None,
                    on: datetime.date | None = None) -> int:
    """Active cases whose person (hard-to-employ) or household (zero-employment) now lives in another
    community move there: region and responsible worker follow, a 随人员迁移 event and an audit entry
    (under the old and the new region) per case. Idempotent and set-based; returns the number moved."""
    on = on or timezone.localdate()
    person_ids, household_ids = list(person_ids), list(household_ids)
    moved: list[tuple[int, str, str]] = []
    active = Case.objects.filter(status__in=ACTIVE)
    for start in range(0, len(person_ids), 500):
        moved += list(active.filter(kind=CaseKind.HARD_TO_EMPLOY, person_id__in=person_ids[start:start + 500])
                      .exclude(region_id=F("person__region_id")).values_list("pk", "region_id", "person__region_id"))
    for start in range(0, len(household_ids), 500):
        moved += list(active.filter(kind=CaseKind.ZERO_EMPLOYMENT, household_id__in=household_ids[start:start + 500])
                      .exclude(region_id=F("household__region_id"))
                      .values_list("pk", "region_id", "household__region_id"))
    if not moved:
        return 0
    workers = responsible_workers({new for _pk, _old, new in moved})
    by_target: dict[str, list[int]] = {}
    for pk, _old, new in moved:
        by_target.setdefault(new, []).append(pk)
    for new, ids in by_target.items():
        Case.objects.filter(pk__in=ids).update(region_id=new, assigned_to_id=workers.get(new), updated_at=timezone.now())
    names = dict(Region.objects.filter(code__in={c for _pk, old, new in moved for c in (old, new)})
                 .values_list("code", "name"))
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    CaseEvent.objects.bulk_create([
        CaseEvent(case_id=pk, kind=CaseEventKind.MOVED, on=on, actor=actor_obj,
                  text=(_("由%(f)s移交%(t)s") % {"f": names.get(old, old), "t": names.get(new, new)})[:255])
        for pk, old, new in moved], batch_size=1000)
    entries = []
    for pk, old, new in moved:
        for region in (old, new):
            entries.append(audit.build(actor, "update", object_type="case", object_id=pk, object_label=f"#{pk}",
                                       region_code=region, changes={"region": [old, new],
                                                                    "assigned_to": workers.get(new)},
                                       summary=_("援助个案随人员迁移：%(f)s → %(t)s") % {"f": names.get(old, old),
                                                                                   "t": names.get(new, new)}))
    audit.record_many(entries)
    return len(moved)


# ---------------------------------------------------------------------------------------------
# The assistance app's own next steps (visit, plan, guidance, training referral, follow-up visit).


def _assistance_steps(case: Case, user, today: datetime.date) -> list[NextStep]:
    if case.status == CaseStatus.CLOSED:
        return []
    pending = {d.kind: d for d in case.deadlines.all() if d.met_on is None}
    given = set(case.services.filter(served_on__gte=case.opened_on).values_list("kind", flat=True))
    steps: list[NextStep] = []

    def due_text(d) -> str:
        if d.due_on < today:
            return _("已逾期（期限 %(d)s）") % {"d": d.due_on}
        return _("期限 %(d)s") % {"d": d.due_on}

    if case.status == CaseStatus.FOLLOW_UP:
        d = pending.get(DeadlineKind.FOLLOW_UP)
        reason = (_("已实现就业，跟踪回访期至 %(u)s；") % {"u": case.follow_up_until}) + (
            due_text(d) if d else _("回访期内可随时回访"))
        steps.append(NextStep("follow_up_visit", str(ServiceKind.FOLLOW_UP_VISIT.label), reason,
                              url="?service=follow_up_visit#service", priority=10))
        return steps
    if DeadlineKind.FIRST_CONTACT in pending:
        steps.append(NextStep("visit", _("入户走访（首次联系）"),
                              _("立案后尚未联系援助对象，") + due_text(pending[DeadlineKind.FIRST_CONTACT]),
                              url="?service=visit#service", priority=10))
    if DeadlineKind.PLAN in pending:
        steps.append(NextStep("plan", str(ServiceKind.PLAN.label),
                              _("尚未制定一对一援助计划，") + due_text(pending[DeadlineKind.PLAN]),
                              url="?service=plan#service", priority=20))
    if ServiceKind.GUIDANCE not in given:
        steps.append(NextStep("guidance", str(ServiceKind.GUIDANCE.label),
                              _("了解求职意向和能力，帮助确定求职方向"), url="?service=guidance#service", priority=30))
    if ServiceKind.TRAINING_REFERRAL not in given:
        steps.append(NextStep("training_referral", str(ServiceKind.TRAINING_REFERRAL.label),
                              _("技能不足时推介参加职业技能培训"), url="?service=training_referral#service",
                              priority=40))
    return steps


register_next_steps("assistance", _assistance_steps)
