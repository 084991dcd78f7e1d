"""Applications (求职申请/岗位推荐): recommend, apply, invite, interview, offer, hire, decline, reject,
withdraw. Every step is an ``ApplicationEvent`` (who, when) and an audit entry; the allowed steps are
the table ``TRANSITIONS`` (from which statuses, to which status, by which side).

Sides: ``seeker`` (the resident for their own record), ``employer`` (an employer user for its own
vacancies), ``staff`` (a jobs worker whose region holds the person: the list's scope too), and the system
(``actor=None``: the demo, commands). An application nobody of these sides may touch answers "not
found" (``NotFound``).

The hire, in ONE transaction: the employment registration through the registry (``registry.services``;
on a future start date a scheduled entry, ``PendingRegistration``, that the daily job applies on the day;
a public-welfare post through ``assistance.services.posts.place``, which registers it), the vacancy's
hired count (``services.vacancies.record_hire``: row lock, "filled" at the last opening), the application's status and
registration. The registry's receivers then close the seeker registration (``services.seekers``), issue
the certificate, update the household. A refusal of the registry is the hire's refusal; nothing is half
written.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope
from jiuye.jobs.models import (LIVE_APPLICATION_STATUSES, Application, ApplicationEvent, ApplicationOrigin,
                               ApplicationStatus, RecruitmentEvent, Vacancy, VacancyStatus)
from jiuye.jobs.services import vacancies
from jiuye.registry import services as registry
from jiuye.registry.models import ContractType, EmploymentForm, PendingRegistration, Person, Registration
from jiuye.registry.queries import NotFound, linked_employer_id, linked_person_id

NOT_FOUND = "求职申请不存在或不在您的管辖范围内"
SEEKER, EMPLOYER, STAFF = "seeker", "employer", "staff"
LIVE = set(LIVE_APPLICATION_STATUSES)

#: action → (statuses it starts from, status it leads to, sides that may take it)
TRANSITIONS: dict[str, tuple[set[str], str, set[str]]] = {
    "apply": ({"recommended"}, "applied", {SEEKER, STAFF}),  # the seeker takes up a recommendation or invitation
    "interview": ({"recommended", "applied", "interview"}, "interview", {EMPLOYER, STAFF}),
    "offer": ({"applied", "interview"}, "offer", {EMPLOYER, STAFF}),
    "hire": ({"applied", "interview", "offer"}, "hired", {EMPLOYER, STAFF}),
    "decline": (LIVE, "declined", {SEEKER, STAFF}),
    "reject": (LIVE, "rejected", {EMPLOYER, STAFF}),
    "withdraw": ({"recommended", "applied"}, "withdrawn", {SEEKER, STAFF}),
}
ACTION_LABELS = {"apply": "投递", "interview": "安排面试", "offer": "发录用通知", "hire": "确认录用入职",
                 "decline": "求职者放弃", "reject": "单位未录用", "withdraw": "撤回"}


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def sides_of(actor, *, person_id: int, person_region: str, employer_id: int, vacancy_region: str) -> set[str]:
    """The sides ``actor`` may act for on an application of this person and vacancy."""
    if actor is None:
        return {SEEKER, EMPLOYER, STAFF}
    out = set()
    if roles.is_resident(actor) and linked_person_id(actor) == person_id:
        out.add(SEEKER)
    if roles.is_employer_user(actor) and linked_employer_id(actor) == employer_id:
        out.add(EMPLOYER)
    if roles.can_work_jobs(actor) and in_scope(actor, person_region):  # staff work for the persons of their region
        out.add(STAFF)
    return out


def application_sides(actor, app: Application) -> set[str]:
    return sides_of(actor, person_id=app.person_id, person_region=app.person.region_id,
                    employer_id=app.vacancy.employer_id, vacancy_region=app.vacancy.region_id)


def next_actions(actor, app: Application) -> list[str]:
    """The actions ``actor`` may take now on ``app`` (for the page's forms and the API)."""
    sides = application_sides(actor, app)
    return [a for a, (froms, _to, who) in TRANSITIONS.items() if app.status in froms and sides & who]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _audit(actor, app: Application, action: str, summary: str, changes: dict) -> None:
    audit.record(actor, action, object_type="job_application", object_id=app.pk, object_label=app.person.name,
                 region_code=app.person.region_id, changes={"vacancy": app.vacancy_id, "person": app.person_id, **changes},
                 summary=summary)


def _event(actor, app: Application, note: str = "") -> ApplicationEvent:
    return ApplicationEvent.objects.create(application=app, status=app.status, actor=_actor(actor), note=note[:255])


def open_for_applications(vacancy: Vacancy, on: datetime.date | None = None) -> str | None:
    """Why the vacancy takes no new application, or None."""
    on = on or timezone.localdate()
    if vacancy.status != VacancyStatus.PUBLISHED:
        return _("岗位“%(t)s”的状态为“%(s)s”，不接受新的申请") % {"t": vacancy.title, "s": VacancyStatus(vacancy.status).label}
    if vacancy.open_positions <= 0:
        return _("岗位“%(t)s”已招满") % {"t": vacancy.title}
    if not vacancy.valid_from <= on <= vacancy.valid_until:
        return _("岗位“%(t)s”不在有效期内（%(a)s至%(b)s）") % {"t": vacancy.title, "a": vacancy.valid_from, "b": vacancy.valid_until}
    return None


@transaction.atomic
def _create(actor, *, vacancy: Vacancy, person: Person, origin: str, status: str, side: set[str],
            score: float | None = None, parts: dict | None = None, event: RecruitmentEvent | None = None,
            note: str = "", summary: str) -> Application:
    sides = sides_of(actor, person_id=person.pk, person_region=person.region_id, employer_id=vacancy.employer_id,
                     vacancy_region=vacancy.region_id)
    if not sides & side:
        raise NotFound(_("岗位或人员不存在或不在您的管辖范围内"))
    errors: dict[str, list[str]] = {}
    reason = open_for_applications(vacancy)
    if reason:
        errors.setdefault("vacancy", []).append(reason)
    live = Application.objects.filter(vacancy=vacancy, person=person, status__in=list(LIVE) + ["hired"]).first()
    if live is not None:
        errors.setdefault("person", []).append(_("%(n)s对岗位“%(t)s”已有申请（%(s)s）") % {
            "n": person.name, "t": vacancy.title, "s": ApplicationStatus(live.status).label})
    if score is not None and not (0 <= float(score) <= 1000):
        errors.setdefault("score", []).append(_("匹配得分%(v)s超出范围") % {"v": score})
    if event is not None and not event.vacancies.filter(vacancy=vacancy).exists():
        errors.setdefault("event", []).append(_("岗位“%(t)s”未参加该招聘活动") % {"t": vacancy.title})
    _raise(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            app = Application.objects.create(
                vacancy=vacancy, person=person, origin=origin, status=status, event=event,
                score=float(score) if score is not None else None, score_parts=parts or {}, created_by=_actor(actor),
                created_at=now, updated_at=now)
    except IntegrityError:
        raise ValidationError({"person": [_("%(n)s对岗位“%(t)s”已有申请") % {"n": person.name, "t": vacancy.title}]}) from None
    _event(actor, app, note)
    _audit(actor, app, AuditEntry.Action.CREATE, summary, {"origin": origin, "status": status,
                                                            "event": event.pk if event else None, "score": app.score})
    return app


def recommend(*, actor, vacancy: Vacancy, person: Person, score: float | None = None, parts: dict | None = None,
              matched: bool = False, event: RecruitmentEvent | None = None, note: str = "") -> Application:
    """A worker recommends ``person`` to ``vacancy`` (origin recommended, or matched when it comes from the
    matching with its score and parts snapshot)."""
    origin = ApplicationOrigin.MATCHED if matched else ApplicationOrigin.RECOMMENDED
    return _create(actor, vacancy=vacancy, person=person, origin=origin, status=ApplicationStatus.RECOMMENDED,
                   side={STAFF}, score=score, parts=parts, event=event, note=note,
                   summary=_("推荐求职者：%(t)s") % {"t": vacancy.title})


def apply(*, actor, vacancy: Vacancy, person: Person, event: RecruitmentEvent | None = None, note: str = "") -> Application:
    """The seeker applies (a resident for themselves, a worker for them). A live recommendation or invitation
    to the same vacancy is taken up instead (it becomes applied)."""
    existing = Application.objects.filter(vacancy=vacancy, person=person, status=ApplicationStatus.RECOMMENDED).first()
    if existing is not None:
        return transition(actor=actor, application=existing, action="apply", note=note)
    origin = ApplicationOrigin.EVENT if event is not None else ApplicationOrigin.APPLIED
    return _create(actor, vacancy=vacancy, person=person, origin=origin, status=ApplicationStatus.APPLIED,
                   side={SEEKER, STAFF}, event=event, note=note, summary=_("投递岗位：%(t)s") % {"t": vacancy.title})


def invite(*, actor, vacancy: Vacancy, person: Person, note: str = "") -> Application:
    """The employer (or a worker for it) invites a seeker to apply."""
    return _create(actor, vacancy=vacancy, person=person, origin=ApplicationOrigin.EMPLOYER,
                   status=ApplicationStatus.RECOMMENDED, side={EMPLOYER, STAFF}, note=note,
                   summary=_("单位邀约：%(t)s") % {"t": vacancy.title})


def _locked(application: Application) -> Application:
    return (Application.objects.select_for_update(of=("self",)).select_related("vacancy", "person")
            .get(pk=application.pk))


def _check(actor, app: Application, action: str) -> None:
    froms, _to, who = TRANSITIONS[action]
    sides = application_sides(actor, app)
    if not sides:
        raise NotFound(_(NOT_FOUND))
    if not sides & who:
        raise ValidationError({"action": [_("您不能对该申请执行“%(a)s”") % {"a": ACTION_LABELS[action]}]})
    if app.status not in froms:
        raise ValidationError({"status": [_("申请当前为“%(s)s”，不能%(a)s") % {
            "s": ApplicationStatus(app.status).label, "a": ACTION_LABELS[action]}]})


@transaction.atomic
def transition(*, actor, application: Application, action: str, note: str = "",
               interview_at: datetime.datetime | None = None) -> Application:
    """Every step but the hire: apply (take up a recommendation), interview (with its time), offer, decline,
    reject, withdraw."""
    if action not in TRANSITIONS or action == "hire":
        raise ValidationError({"action": [_("未知操作“%(a)s”") % {"a": action}]})
    app = _locked(application)
    _check(actor, app, action)
    if action == "interview":
        if interview_at is None:
            raise ValidationError({"interview_at": [_("请填写面试时间")]})
        app.interview_at = interview_at
    app.status = TRANSITIONS[action][1]
    app.updated_at = timezone.now()
    app.save(update_fields=["status", "interview_at", "updated_at"])
    _event(actor, app, note or (_("面试时间：%(t)s") % {"t": timezone.localtime(interview_at).strftime("%Y-%m-%d %H:%M")}
                                if action == "interview" else ""))
    _audit(actor, app, AuditEntry.Action.UPDATE, ACTION_LABELS[action],
           {"status": app.status, **({"interview_at": interview_at} if interview_at else {})})
    return app


def _schedule(actor, person: Person, start: datetime.date, values: dict) -> PendingRegistration:
    """A hire starting after today: the registry's scheduled entry, checked now by the registry's rules. An
    employer user is not a registry writer: its confirmation of its own application's hire is the authority
    (``authorised``); every registry rule still applies."""
    writer = actor is not None and roles.can_write_registry(actor)
    return registry.schedule_registration(actor=actor, person=person, kind=Registration.Kind.EMPLOYMENT,
                                          effective_date=start, authorised=not writer, **values)


def _register(actor, person: Person, start: datetime.date, values: dict) -> Registration:
    """A hire starting today or before: the employment registration (``authorised`` as in ``_schedule``)."""
    writer = actor is not None and roles.can_write_registry(actor)
    return registry.register_employment(actor=actor, person=person, effective_date=start, authorised=not writer,
                                        **values)


def hire_errors(*, start_date, employment_form, contract_type, contract_months, contract_start, contract_end,
                social_insurance) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if start_date is None:
        errors.setdefault("start_date", []).append(_("请填写入职日期"))
    if employment_form not in EmploymentForm.values:
        errors.setdefault("employment_form", []).append(_("就业形式“%(v)s”无效") % {"v": employment_form})
    if contract_type and contract_type not in ContractType.values:
        errors.setdefault("contract_type", []).append(_("合同类型“%(v)s”无效") % {"v": contract_type})
    error = registry.contract_error(contract_type, contract_start, contract_end, contract_months, start_date)
    if error:
        errors.setdefault(error[0], []).append(str(error[1]))
    if social_insurance not in (True, False, None):
        errors.setdefault("social_insurance", []).append(_("请填写是否缴纳社会保险"))
    return errors


@transaction.atomic
def hire(*, actor, application: Application, start_date: datetime.date, employment_form: str = EmploymentForm.UNIT,
         contract_type: str = "", contract_months: int | None = None, contract_start: datetime.date | None = None,
         contract_end: datetime.date | None = None, social_insurance: bool | None = None, note: str = "") -> Application:
    """The employer's confirmation of a hire (or a worker entering it for the employer), see the module doc."""
    app = _locked(application)
    _check(actor, app, "hire")
    _raise(hire_errors(start_date=start_date, employment_form=employment_form, contract_type=contract_type,
                       contract_months=contract_months, contract_start=contract_start, contract_end=contract_end,
                       social_insurance=social_insurance))
    vacancy, person = app.vacancy, app.person
    today = timezone.localdate()
    vacancies.record_hire(vacancy.pk)
    registration = None
    if vacancy.welfare_post_id:
        from jiuye.assistance.services import posts

        if start_date > today:
            raise ValidationError({"start_date": [_("公益性岗位在上岗当日或之后办理安置（入职日期%(d)s晚于今天）") % {"d": start_date}]})
        if actor is None or not roles.can_write_registry(actor):
            raise ValidationError({"action": [_("公益性岗位的录用由经办人员办理公益性岗位安置")]})
        placement = posts.place(actor=actor, post=vacancy.welfare_post, person=person, started_on=start_date,
                                planned_end_on=contract_end, note=note)
        registration = placement.registration
    else:
        values = {"employment_form": employment_form, "employer": vacancy.employer, "contract_type": contract_type,
                  "contract_months": contract_months, "contract_start": contract_start, "contract_end": contract_end,
                  "social_insurance": social_insurance,
                  "occupation": (vacancy.occupation.name if vacancy.occupation_id else vacancy.title)[:64]}
        if start_date > today:
            _schedule(actor, person, start_date, values)
        else:
            registration = _register(actor, person, start_date, values)
    app.status = ApplicationStatus.HIRED
    app.start_date, app.employment_form, app.contract_type = start_date, employment_form, contract_type
    app.contract_months = (registration.contract_months if registration is not None else
                           (registry.contract_months_between(contract_start, contract_end)
                            if contract_start and contract_end else contract_months))
    app.social_insurance, app.registration, app.updated_at = social_insurance, registration, timezone.now()
    app.save()
    _event(actor, app, note or (_("入职日期：%(d)s") % {"d": start_date}))
    _audit(actor, app, AuditEntry.Action.UPDATE, ACTION_LABELS["hire"],
           {"status": app.status, "start_date": start_date, "employment_form": employment_form,
            "contract_type": contract_type, "contract_months": app.contract_months, "social_insurance": social_insurance,
            "registration": registration.pk if registration else None, "scheduled": registration is None})
    return app


def link_registrations(registration_ids: Iterable[int]) -> int:
    """Receiver step: a hire scheduled for a future start gets its registration when the daily job applies it
    (the hired application of that person, employer and start date without one). Set-based."""
    ids = sorted(set(registration_ids))
    linked = 0
    for start in range(0, len(ids), 900):
        regs = list(Registration.objects.filter(pk__in=ids[start:start + 900], kind=Registration.Kind.EMPLOYMENT,
                                                corrects__isnull=True)
                    .values_list("pk", "person_id", "employer_id", "effective_date"))
        waiting = {(a["person_id"], a["vacancy__employer_id"], a["start_date"]): a["pk"] for a in Application.objects.filter(
            person_id__in={r[1] for r in regs}, status=ApplicationStatus.HIRED, registration__isnull=True,
            start_date__isnull=False).values("pk", "person_id", "vacancy__employer_id", "start_date")}
        for pk, person_id, employer_id, date in regs:
            app_id = waiting.get((person_id, employer_id, date))
            if app_id is not None:
                linked += Application.objects.filter(pk=app_id).update(registration_id=pk)
    return linked


def _on_registrations_recorded(sender, ids=(), **kwargs):
    link_registrations(ids)


def connect() -> None:
    from jiuye.registry import events

    events.registrations_recorded.connect(_on_registrations_recorded, dispatch_uid="jobs_link_hires")
