"""Writes of the gig market (零工市场): post a task, take it, record who did it (done with pay, or no-show),
cancel a task or a take.

A task is posted by an employer user for its own employer, or by a jobs worker for an employer in their
region or for an individual (poster name and phone). It is taken by a resident for themself or by a
worker for a person in their region, until it starts; its headcount caps the takes (the task row is
locked while a take is counted) and the task becomes "taken" when full. Once the work has started the
poster or a worker marks each take done (with the pay) or no-show; when no take is left open the task is
done. Every write validates all fields at once, runs in one transaction and writes an audit entry.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.jobs.models import GigStatus, GigTake, GigTakeStatus, GigTask
from jiuye.regions.models import Region
from jiuye.registry import queries as registry_queries
from jiuye.registry.services import phone_error

OBJECT_TYPE = "gig_task"
TAKE_OBJECT_TYPE = "gig_take"
MAX_HEADCOUNT = 500
MAX_PAY = Decimal("100000")


def starts_at(task: GigTask) -> datetime.datetime:
    """When the task's work begins (local time): takes close then, outcomes may be recorded from then."""
    return timezone.make_aware(datetime.datetime.combine(task.work_date, task.start_time))


def may_manage(user, task: GigTask) -> bool:
    """The poster (an employer user of the task's employer) or a jobs worker whose region holds the task."""
    if roles.is_employer_user(user):
        return task.employer_id is not None and task.employer_id == registry_queries.linked_employer_id(user)
    return roles.can_work_jobs(user) and in_scope(user, task.region_id)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError({k: v for k, v in errors.items()})


def _money(value, field: str, errors: dict, *, positive: bool = True) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors.setdefault(field, []).append(_("金额“%(v)s”不是有效数字") % {"v": value})
        return None
    if amount <= 0 if positive else amount < 0:
        errors.setdefault(field, []).append(_("金额应大于0，填写的是%(v)s") % {"v": amount})
        return None
    if amount >= MAX_PAY:
        errors.setdefault(field, []).append(_("金额%(v)s过大（应小于%(m)s元）") % {"v": amount, "m": MAX_PAY})
        return None
    return amount


def post_gig(*, actor, title: str, work_date: datetime.date, start_time: datetime.time, end_time: datetime.time,
             daily_pay, region, headcount: int = 1, address: str = "", description: str = "", occupation=None,
             employer=None, poster_name: str = "", contact_phone: str = "", today: datetime.date | None = None) -> GigTask:
    """Post a gig task. An employer user posts for its own employer (``employer`` is ignored); a worker
    names an employer in their region or an individual poster (name and phone)."""
    today = today or timezone.localdate()
    errors: dict[str, list] = {}
    if roles.is_employer_user(actor):
        employer_id = registry_queries.linked_employer_id(actor)
        if not employer_id:
            raise OutOfScope(_("您的账号未关联用人单位，不能发布零工"))
        from jiuye.registry.models import Employer

        employer = Employer.objects.get(pk=employer_id)
    elif roles.can_work_jobs(actor):
        if employer is not None:
            if not in_scope(actor, employer.region_id):
                errors.setdefault("employer", []).append(_("用人单位不存在或不在您的管辖范围内"))
        else:
            if not (poster_name or "").strip():
                errors.setdefault("poster_name", []).append(_("请填写发布单位或发布人姓名"))
            if not (contact_phone or "").strip():
                errors.setdefault("contact_phone", []).append(_("个人发布零工须留联系电话"))
    else:
        raise OutOfScope(_("您的角色无权发布零工"))
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("请填写零工任务名称"))
    if contact_phone:
        message = phone_error(contact_phone)
        if message:
            errors.setdefault("contact_phone", []).append(message)
    region_code = getattr(region, "code", region) or ""
    region_obj = Region.objects.filter(code=region_code).first() if region_code else None
    if region_obj is None:
        errors.setdefault("region", []).append(_("请选择工作地点所在区划"))
    elif not roles.is_employer_user(actor) and not in_scope(actor, region_obj.code):
        errors.setdefault("region", []).append(_("区划 %(c)s 不在您的管辖范围内") % {"c": region_obj.code})
    if work_date is None:
        errors.setdefault("work_date", []).append(_("请填写工作日期"))
    elif work_date < today:
        errors.setdefault("work_date", []).append(
            _("工作日期%(d)s已过（今天是%(t)s），零工只能发布今天或以后的任务") % {"d": work_date, "t": today})
    if start_time is None or end_time is None:
        errors.setdefault("end_time", []).append(_("请填写开始和结束时间"))
    elif end_time <= start_time:
        errors.setdefault("end_time", []).append(
            _("结束时间%(e)s应晚于开始时间%(s)s") % {"e": end_time.strftime("%H:%M"), "s": start_time.strftime("%H:%M")})
    elif work_date == today and start_time <= timezone.localtime().time():
        errors.setdefault("start_time", []).append(_("开始时间%(s)s已过，今天的零工应在开始前发布")
                                                   % {"s": start_time.strftime("%H:%M")})
    pay = _money(daily_pay, "daily_pay", errors)
    if headcount is None or not 1 <= int(headcount) <= MAX_HEADCOUNT:
        errors.setdefault("headcount", []).append(_("需要人数应在1至%(m)s之间，填写的是%(v)s") % {"m": MAX_HEADCOUNT, "v": headcount})
    _raise(errors)
    with transaction.atomic():
        task = GigTask.objects.create(
            title=title, description=description or "", occupation=occupation, employer=employer,
            poster_name="" if employer is not None else poster_name.strip(), contact_phone=contact_phone or "",
            region=region_obj, address=address or "", work_date=work_date, start_time=start_time, end_time=end_time,
            daily_pay=pay, headcount=int(headcount), created_by=actor if getattr(actor, "pk", None) else None)
        audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=task.pk, object_label=title,
                     region_code=task.region_id, summary=_("发布零工：%(t)s") % {"t": title},
                     changes={"work_date": work_date, "daily_pay": pay, "headcount": int(headcount),
                              "employer": employer.pk if employer else None})
    return task


def _locked(task: GigTask) -> GigTask:
    return GigTask.objects.select_for_update().get(pk=task.pk)


def _active_takes(task: GigTask):
    return GigTake.objects.filter(task=task).exclude(status=GigTakeStatus.CANCELLED)


def take_gig(*, actor, task: GigTask, person=None, now: datetime.datetime | None = None) -> GigTake:
    """Take ``task`` (接单): a resident for themself, a worker for a person in their region."""
    now = now or timezone.now()
    if roles.is_resident(actor):
        person_id = registry_queries.linked_person_id(actor)
        if not person_id:
            raise OutOfScope(_("您的账号未关联个人档案，不能接单"))
    elif roles.can_work_jobs(actor):
        if person is None or not registry_queries.persons_visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": [_("人员不存在或不在您的管辖范围内")]})
        person_id = person.pk
    else:
        raise OutOfScope(_("您的角色无权接单"))
    with transaction.atomic():
        task = _locked(task)
        errors: dict[str, list] = {}
        if task.status == GigStatus.CANCELLED:
            errors["task"] = [_("该零工任务已取消")]
        elif now >= starts_at(task):
            errors["task"] = [_("该零工任务已于%(s)s开始，不能再接单") % {"s": timezone.localtime(starts_at(task)).strftime("%Y-%m-%d %H:%M")}]
        elif _active_takes(task).filter(person_id=person_id).exists():
            errors["task"] = [_("已接过该零工任务")]
        elif task.status != GigStatus.OPEN or _active_takes(task).count() >= task.headcount:
            errors["task"] = [_("该零工任务已接满（需要%(n)s人）") % {"n": task.headcount}]
        _raise(errors)
        take = GigTake.objects.create(task=task, person_id=person_id, taken_at=now,
                                      recorded_by=actor if getattr(actor, "pk", None) else None)
        if _active_takes(task).count() >= task.headcount:
            task.status = GigStatus.TAKEN
            task.save(update_fields=["status"])
        audit.record(actor, AuditEntry.Action.CREATE, object_type=TAKE_OBJECT_TYPE, object_id=take.pk,
                     object_label=task.title, region_code=task.region_id,
                     summary=_("零工接单：%(t)s") % {"t": task.title}, changes={"task": task.pk, "person": person_id})
    return take


def cancel_take(*, actor, take: GigTake, now: datetime.datetime | None = None) -> GigTake:
    """Withdraw a take before the work starts (the taker, or a worker); the task opens again."""
    now = now or timezone.now()
    own = roles.is_resident(actor) and take.person_id == registry_queries.linked_person_id(actor)
    if not own and not may_manage(actor, take.task):
        raise OutOfScope(_("您无权取消该接单"))
    with transaction.atomic():
        task = _locked(take.task)
        take = GigTake.objects.select_for_update().get(pk=take.pk)
        if take.status != GigTakeStatus.TAKEN:
            raise ValidationError({"take": [_("该接单已是“%(s)s”，不能取消") % {"s": take.get_status_display()}]})
        if now >= starts_at(task):
            raise ValidationError({"take": [_("零工已开始，不能取消接单；请由发布方登记未到岗")]})
        take.status = GigTakeStatus.CANCELLED
        take.save(update_fields=["status"])
        if task.status == GigStatus.TAKEN:
            task.status = GigStatus.OPEN
            task.save(update_fields=["status"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=TAKE_OBJECT_TYPE, object_id=take.pk,
                     object_label=task.title, region_code=task.region_id, summary=_("取消零工接单"),
                     changes={"status": ["taken", "cancelled"]})
    return take


def record_outcome(*, actor, take: GigTake, outcome: str, paid=None, note: str = "",
                   now: datetime.datetime | None = None) -> GigTake:
    """Mark a take done (with the pay actually paid) or no-show, once the work has started."""
    now = now or timezone.now()
    task = take.task
    if not may_manage(actor, task):
        raise OutOfScope(_("您无权登记该零工的完成情况"))
    errors: dict[str, list] = {}
    if outcome not in (GigTakeStatus.DONE, GigTakeStatus.NO_SHOW):
        errors["outcome"] = [_("完成情况应为“已完成”或“未到岗”，填写的是“%(v)s”") % {"v": outcome}]
    amount = None
    if outcome == GigTakeStatus.DONE:
        if paid in (None, ""):
            errors["paid"] = [_("已完成的零工请填写实发报酬")]
        else:
            amount = _money(paid, "paid", errors, positive=False)
    if now < starts_at(task):
        errors.setdefault("outcome", []).append(
            _("零工%(s)s才开始，开始后才能登记完成情况") % {"s": timezone.localtime(starts_at(task)).strftime("%Y-%m-%d %H:%M")})
    _raise(errors)
    with transaction.atomic():
        task = _locked(task)
        take = GigTake.objects.select_for_update().get(pk=take.pk)
        if take.status not in (GigTakeStatus.TAKEN, GigTakeStatus.DONE, GigTakeStatus.NO_SHOW):
            raise ValidationError({"take": [_("该接单已取消")]})
        before = take.status
        take.status = outcome
        take.paid = amount
        take.completed_at = now
        take.note = note or ""
        take.recorded_by = actor if getattr(actor, "pk", None) else None
        take.save(update_fields=["status", "paid", "completed_at", "note", "recorded_by"])
        if task.status != GigStatus.CANCELLED and not _active_takes(task).filter(status=GigTakeStatus.TAKEN).exists():
            task.status = GigStatus.DONE
            task.save(update_fields=["status"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=TAKE_OBJECT_TYPE, object_id=take.pk,
                     object_label=task.title, region_code=task.region_id,
                     summary=_("登记零工完成情况：%(s)s") % {"s": take.get_status_display()},
                     changes={"status": [before, outcome], "paid": amount})
    return take


def cancel_gig(*, actor, task: GigTask, reason: str = "", now: datetime.datetime | None = None) -> GigTask:
    """Cancel a task before it starts; its takes are cancelled with it."""
    now = now or timezone.now()
    if not may_manage(actor, task):
        raise OutOfScope(_("您无权取消该零工任务"))
    with transaction.atomic():
        task = _locked(task)
        if task.status not in (GigStatus.OPEN, GigStatus.TAKEN):
            raise ValidationError({"task": [_("该零工任务已是“%(s)s”，不能取消") % {"s": task.get_status_display()}]})
        if now >= starts_at(task):
            raise ValidationError({"task": [_("零工已开始，不能取消；请登记每位接单人的完成情况")]})
        before = task.status
        task.status = GigStatus.CANCELLED
        task.save(update_fields=["status"])
        cancelled = GigTake.objects.filter(task=task, status=GigTakeStatus.TAKEN).update(status=GigTakeStatus.CANCELLED)
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=task.pk, object_label=task.title,
                     region_code=task.region_id, summary=_("取消零工任务"),
                     changes={"status": [before, "cancelled"], "reason": reason or "", "takes_cancelled": cancelled})
    return task
