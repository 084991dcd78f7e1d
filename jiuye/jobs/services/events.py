"""Writes of recruitment events (招聘活动): create an event and move its status, add participating employers
and their published vacancies, register seekers, check them in.

Organisers (``roles.can_organise_events``) manage events held in their region. An employer user signs up
its own employer and vacancies for a planned or open event. Seekers are registered by a jobs worker (a
person in their region) or by a resident for themself. Every write validates all fields at once, runs in
one transaction and writes an audit entry.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.jobs.models import (
    EventEmployer,
    EventKind,
    EventRegistration,
    EventStatus,
    EventVacancy,
    RecruitmentEvent,
    VacancyStatus,
)
from jiuye.regions.models import Region
from jiuye.registry import queries as registry_queries

OBJECT_TYPE = "recruitment_event"
SIGNUP_STATUSES = (EventStatus.PLANNED, EventStatus.OPEN)


def may_organise(user, event: RecruitmentEvent) -> bool:
    return roles.can_organise_events(user) and in_scope(user, event.region_id)


def _audit(actor, event, action, summary, changes=None):
    audit.record(actor, action, object_type=OBJECT_TYPE, object_id=event.pk, object_label=event.title,
                 region_code=event.region_id, summary=summary, changes=changes or {})


def _validate_event(errors, *, kind, title, organiser, region_obj, starts_at, ends_at, place, stream_url):
    if kind not in EventKind.values:
        errors.setdefault("kind", []).append(_("活动类型“%(v)s”无效") % {"v": kind})
    if not (title or "").strip():
        errors.setdefault("title", []).append(_("请填写活动名称"))
    if not (organiser or "").strip():
        errors.setdefault("organiser", []).append(_("请填写主办单位"))
    if region_obj is None:
        errors.setdefault("region", []).append(_("请选择主办区划"))
    if starts_at is None or ends_at is None:
        errors.setdefault("ends_at", []).append(_("请填写开始和结束时间"))
    elif ends_at < starts_at:
        errors.setdefault("ends_at", []).append(_("结束时间早于开始时间"))
    url = (stream_url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        errors.setdefault("stream_url", []).append(_("直播地址应以 https:// 开头，填写的是“%(v)s”") % {"v": url[:40]})
    if kind == EventKind.LIVE_STREAM and not url:
        errors.setdefault("stream_url", []).append(_("直播带岗活动须填写直播地址"))
    elif kind != EventKind.LIVE_STREAM and not (place or "").strip() and not url:
        errors.setdefault("place", []).append(_("请填写举办地点（线上活动填写直播地址）"))


def create_event(*, actor, kind: str, title: str, organiser: str, region, starts_at: datetime.datetime,
                 ends_at: datetime.datetime, place: str = "", stream_url: str = "", description: str = "",
                 status: str = EventStatus.PLANNED) -> RecruitmentEvent:
    if not roles.can_organise_events(actor):
        raise OutOfScope(_("您的角色无权组织招聘活动"))
    errors: dict[str, list] = {}
    code = getattr(region, "code", region) or ""
    region_obj = Region.objects.filter(code=code).first() if code else None
    if region_obj is not None and not in_scope(actor, region_obj.code):
        errors.setdefault("region", []).append(_("区划 %(c)s 不在您的管辖范围内") % {"c": region_obj.code})
    _validate_event(errors, kind=kind, title=title, organiser=organiser, region_obj=region_obj, starts_at=starts_at,
                    ends_at=ends_at, place=place, stream_url=stream_url)
    if status not in (EventStatus.PLANNED, EventStatus.OPEN):
        errors.setdefault("status", []).append(_("新活动的状态应为筹备中或进行中"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = RecruitmentEvent.objects.create(
            kind=kind, title=title.strip(), organiser=organiser.strip(), region=region_obj, starts_at=starts_at,
            ends_at=ends_at, place=place or "", stream_url=(stream_url or "").strip(), description=description or "",
            status=status, created_by=actor if getattr(actor, "pk", None) else None)
        _audit(actor, event, AuditEntry.Action.CREATE, _("新建招聘活动：%(t)s") % {"t": event.title},
               {"kind": kind, "starts_at": starts_at, "ends_at": ends_at})
    return event


_TRANSITIONS = {EventStatus.PLANNED: (EventStatus.OPEN, EventStatus.CANCELLED),
                EventStatus.OPEN: (EventStatus.ENDED, EventStatus.CANCELLED),
                EventStatus.ENDED: (), EventStatus.CANCELLED: ()}


def set_status(*, actor, event: RecruitmentEvent, status: str) -> RecruitmentEvent:
    if not may_organise(actor, event):
        raise OutOfScope(_("您无权管理该招聘活动"))
    if status not in _TRANSITIONS.get(event.status, ()):
        raise ValidationError({"status": [_("活动当前为“%(a)s”，不能改为“%(b)s”") % {
            "a": event.get_status_display(), "b": dict(EventStatus.choices).get(status, status)}]})
    with transaction.atomic():
        before = event.status
        event.status = status
        event.save(update_fields=["status"])
        _audit(actor, event, AuditEntry.Action.UPDATE, _("招聘活动状态：%(s)s") % {"s": event.get_status_display()},
               {"status": [before, status]})
    return event


def _signup_allowed(event) -> None:
    if event.status not in SIGNUP_STATUSES:
        raise ValidationError({"event": [_("活动%(s)s，不能再报名") % {"s": event.get_status_display()}]})


def add_employer(*, actor, event: RecruitmentEvent, employer, booth: str = "") -> EventEmployer:
    """Add a participating employer: an organiser (an employer in their region), or an employer user (its own)."""
    if roles.is_employer_user(actor):
        if employer is None or employer.pk != registry_queries.linked_employer_id(actor):
            raise ValidationError({"credit_code": [_("用人单位不存在或不在您的管辖范围内")]})
    elif not may_organise(actor, event):
        raise OutOfScope(_("您无权管理该招聘活动"))
    elif employer is None or not in_scope(actor, employer.region_id):
        raise ValidationError({"credit_code": [_("用人单位不存在或不在您的管辖范围内")]})
    _signup_allowed(event)
    with transaction.atomic():
        row, created = EventEmployer.objects.get_or_create(event=event, employer=employer, defaults={"booth": booth or ""})
        if not created:
            raise ValidationError({"credit_code": [_("%(n)s已参加该活动") % {"n": employer.name}]})
        _audit(actor, event, AuditEntry.Action.UPDATE, _("参会单位：%(n)s") % {"n": employer.name},
               {"employer_added": employer.pk, "booth": booth or ""})
    return row


def add_vacancy(*, actor, event: RecruitmentEvent, vacancy) -> EventVacancy:
    """Add a published vacancy of a participating employer (an employer user: its own; the employer joins
    the event with it if not yet there)."""
    errors: dict[str, list] = {}
    if roles.is_employer_user(actor):
        if vacancy.employer_id != registry_queries.linked_employer_id(actor):
            raise ValidationError({"vacancy": [_("岗位不存在或不在您的管辖范围内")]})
    elif not may_organise(actor, event):
        raise OutOfScope(_("您无权管理该招聘活动"))
    elif not in_scope(actor, vacancy.employer.region_id) and not in_scope(actor, vacancy.region_id):
        raise ValidationError({"vacancy": [_("岗位不存在或不在您的管辖范围内")]})
    _signup_allowed(event)
    if vacancy.status != VacancyStatus.PUBLISHED:
        errors["vacancy"] = [_("岗位“%(t)s”未发布（%(s)s），发布后才能参加活动") % {"t": vacancy.title,
                                                                               "s": vacancy.get_status_display()}]
    elif EventVacancy.objects.filter(event=event, vacancy=vacancy).exists():
        errors["vacancy"] = [_("岗位“%(t)s”已在该活动中") % {"t": vacancy.title}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        EventEmployer.objects.get_or_create(event=event, employer_id=vacancy.employer_id)
        row = EventVacancy.objects.create(event=event, vacancy=vacancy)
        _audit(actor, event, AuditEntry.Action.UPDATE, _("活动岗位：%(t)s") % {"t": vacancy.title},
               {"vacancy_added": vacancy.pk})
    return row


def register(*, actor, event: RecruitmentEvent, person=None, now: datetime.datetime | None = None) -> EventRegistration:
    """Register a seeker: a resident for themself (``person`` ignored), a jobs worker for a person in scope."""
    now = now or timezone.now()
    if roles.is_resident(actor):
        person_id = registry_queries.linked_person_id(actor)
        if not person_id:
            raise OutOfScope(_("您的账号未关联个人档案，不能报名"))
    elif roles.can_work_jobs(actor):
        if person is None or not registry_queries.persons_visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"id_number": [_("人员不存在或不在您的管辖范围内")]})
        person_id = person.pk
    else:
        raise OutOfScope(_("您的角色无权为求职人员报名"))
    _signup_allowed(event)
    if now > event.ends_at:
        raise ValidationError({"event": [_("活动已于%(t)s结束") % {"t": timezone.localtime(event.ends_at).strftime("%Y-%m-%d %H:%M")}]})
    with transaction.atomic():
        row, created = EventRegistration.objects.get_or_create(
            event=event, person_id=person_id,
            defaults={"registered_at": now, "registered_by": actor if getattr(actor, "pk", None) else None})
        if not created:
            raise ValidationError({"id_number": [_("已报名该活动")]})
        _audit(actor, event, AuditEntry.Action.REGISTER, _("活动报名"), {"person": person_id})
    return row


def check_in(*, actor, registration: EventRegistration, at: datetime.datetime | None = None) -> EventRegistration:
    """Record attendance (签到): an organiser of the event, or a jobs worker whose region holds the person."""
    event = registration.event
    person_region = registration.person.region_id
    if not (may_organise(actor, event) or (roles.can_work_jobs(actor) and in_scope(actor, person_region))):
        raise OutOfScope(_("您无权为该活动签到"))
    at = at or timezone.now()
    if registration.attended_at is not None:
        raise ValidationError({"registration": [_("已于%(t)s签到") % {
            "t": timezone.localtime(registration.attended_at).strftime("%Y-%m-%d %H:%M")}]})
    if event.status == EventStatus.CANCELLED:
        raise ValidationError({"registration": [_("活动已取消")]})
    if at < event.starts_at - datetime.timedelta(hours=12):
        raise ValidationError({"registration": [_("活动尚未开始，不能签到")]})
    with transaction.atomic():
        registration.attended_at = at
        registration.save(update_fields=["attended_at"])
        _audit(actor, event, AuditEntry.Action.UPDATE, _("活动签到"), {"person": registration.person_id, "attended_at": at})
    return registration
