"""Writes of labour sharing (用工余缺调剂): publish an offer (a firm with idle workers) or a request (a firm
short of hands), record a placement (workers lent from one firm to another for a period on stated
terms), close an offer.

Employer users publish for their own employer; jobs workers for an employer in their region. A
placement is recorded by a jobs worker whose region holds one of the two firms (or by an employer user of
one of them); the two firms must differ, the period must lie within the offer's and the request's
periods, the headcount within what is still open on each side, and the workers (by identity number) be
persons in the recorder's scope. An offer or request becomes "matched" once placements cover it.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.jobs.models import SharingKind, SharingOffer, SharingPlacement, SharingStatus, SharingWorker
from jiuye.registry import queries as registry_queries

OBJECT_TYPE = "sharing_offer"
PLACEMENT_OBJECT_TYPE = "sharing_placement"
MAX_HEADCOUNT = 10_000


def may_write_for(user, employer) -> bool:
    if employer is None:
        return False
    if roles.is_employer_user(user):
        return employer.pk == registry_queries.linked_employer_id(user)
    return roles.can_work_jobs(user) and in_scope(user, employer.region_id)


def create_offer(*, actor, kind: str, employer, title: str, headcount: int, starts_on: datetime.date,
                 ends_on: datetime.date, occupation=None, wage: int | None = None, terms: str = "") -> SharingOffer:
    if roles.is_employer_user(actor):
        from jiuye.registry.models import Employer

        employer = Employer.objects.filter(pk=registry_queries.linked_employer_id(actor) or 0).first()
        if employer is None:
            raise OutOfScope(_("您的账号未关联用人单位"))
    elif not roles.can_work_jobs(actor):
        raise OutOfScope(_("您的角色无权发布用工调剂信息"))
    errors: dict[str, list] = {}
    if kind not in SharingKind.values:
        errors["kind"] = [_("类型“%(v)s”无效，应为共享或求调剂") % {"v": kind}]
    if not may_write_for(actor, employer):
        errors["employer"] = [_("用人单位不存在或不在您的管辖范围内")]
    if not (title or "").strip():
        errors["title"] = [_("请填写岗位/工种")]
    if headcount is None or not 1 <= int(headcount) <= MAX_HEADCOUNT:
        errors["headcount"] = [_("人数应在1至%(m)s之间，填写的是%(v)s") % {"m": MAX_HEADCOUNT, "v": headcount}]
    if starts_on is None or ends_on is None:
        errors["ends_on"] = [_("请填写开始和结束日期")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("结束日期%(e)s早于开始日期%(s)s") % {"e": ends_on, "s": starts_on}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        offer = SharingOffer.objects.create(
            kind=kind, employer=employer, occupation=occupation, title=title.strip(), headcount=int(headcount),
            starts_on=starts_on, ends_on=ends_on, wage=wage, terms=terms or "", region_id=employer.region_id,
            created_by=actor if getattr(actor, "pk", None) else None)
        audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=offer.pk,
                     object_label=f"{employer.name} {offer.title}"[:128], region_code=offer.region_id,
                     summary=_("发布用工调剂信息：%(k)s") % {"k": offer.get_kind_display()},
                     changes={"kind": kind, "headcount": offer.headcount, "starts_on": starts_on, "ends_on": ends_on})
    return offer


def placed(offer: SharingOffer, *, side: str) -> int:
    field = "offer" if side == SharingKind.OFFER else "request"
    return SharingPlacement.objects.filter(**{field: offer}).aggregate(n=Sum("headcount"))["n"] or 0


def close_offer(*, actor, offer: SharingOffer) -> SharingOffer:
    if not may_write_for(actor, offer.employer):
        raise OutOfScope(_("您无权关闭该调剂信息"))
    if offer.status == SharingStatus.CLOSED:
        raise ValidationError({"status": [_("该调剂信息已关闭")]})
    with transaction.atomic():
        before = offer.status
        offer.status = SharingStatus.CLOSED
        offer.save(update_fields=["status"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=offer.pk,
                     object_label=offer.title, region_code=offer.region_id, summary=_("关闭用工调剂信息"),
                     changes={"status": [before, "closed"]})
    return offer


def record_placement(*, actor, from_employer, to_employer, headcount: int, starts_on: datetime.date,
                     ends_on: datetime.date, terms: str = "", offer: SharingOffer | None = None,
                     request: SharingOffer | None = None, worker_id_numbers: list[str] | tuple = ()) -> SharingPlacement:
    if offer is not None:
        from_employer = offer.employer
    if request is not None:
        to_employer = request.employer
    if not (roles.can_work_jobs(actor) or roles.is_employer_user(actor)):
        raise OutOfScope(_("您的角色无权登记用工调剂"))
    errors: dict[str, list] = {}
    if from_employer is None:
        errors["from_employer"] = [_("请填写调出单位")]
    if to_employer is None:
        errors["to_employer"] = [_("请填写调入单位")]
    if from_employer is not None and to_employer is not None:
        if from_employer.pk == to_employer.pk:
            errors["to_employer"] = [_("调出单位和调入单位不能是同一家（%(n)s）") % {"n": from_employer.name}]
        if not (may_write_for(actor, from_employer) or may_write_for(actor, to_employer)):
            errors["from_employer"] = [_("调出或调入单位须有一家在您的管辖范围内")]
    if offer is not None and offer.kind != SharingKind.OFFER:
        errors["offer"] = [_("“%(t)s”不是富余员工共享信息") % {"t": offer.title}]
    if request is not None and request.kind != SharingKind.REQUEST:
        errors["request"] = [_("“%(t)s”不是缺工求调剂信息") % {"t": request.title}]
    if headcount is None or not 1 <= int(headcount) <= MAX_HEADCOUNT:
        errors["headcount"] = [_("人数应在1至%(m)s之间，填写的是%(v)s") % {"m": MAX_HEADCOUNT, "v": headcount}]
    if starts_on is None or ends_on is None:
        errors["ends_on"] = [_("请填写开始和结束日期")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("结束日期%(e)s早于开始日期%(s)s") % {"e": ends_on, "s": starts_on}]
    else:
        for name, side, label in (("offer", offer, _("共享信息")), ("request", request, _("缺工信息"))):
            if side is None or side.kind not in SharingKind.values:
                continue
            if side.status == SharingStatus.CLOSED:
                errors.setdefault(name, []).append(_("%(l)s“%(t)s”已关闭") % {"l": label, "t": side.title})
            if starts_on < side.starts_on or ends_on > side.ends_on:
                errors.setdefault("starts_on", []).append(
                    _("调剂期间%(a)s至%(b)s不在%(l)s“%(t)s”的期间%(c)s至%(d)s之内") % {
                        "a": starts_on, "b": ends_on, "l": label, "t": side.title, "c": side.starts_on, "d": side.ends_on})
    persons = []
    id_numbers = [n.strip().upper() for n in worker_id_numbers or () if n and n.strip()]
    if id_numbers:
        visible = {p.id_number: p for p in registry_queries.persons_visible_to(actor).filter(id_number__in=id_numbers)}
        missing = [n for n in id_numbers if n not in visible]
        if missing:
            from jiuye.registry.identity import mask_id_number

            errors["workers"] = [_("人员不存在或不在您的管辖范围内：%(l)s") % {"l": "、".join(mask_id_number(n) for n in missing)}]
        persons = list(dict.fromkeys(visible[n] for n in id_numbers if n in visible))
        if headcount and len(persons) > int(headcount):
            errors.setdefault("workers", []).append(_("填写了%(n)s名人员，超过调剂人数%(h)s") % {"n": len(persons), "h": headcount})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sides = [s for s in (offer, request) if s is not None]
        locked = {s.pk: SharingOffer.objects.select_for_update().get(pk=s.pk) for s in sides}
        for name, side in (("offer", offer), ("request", request)):
            if side is None:
                continue
            left = side.headcount - placed(side, side=side.kind)
            if int(headcount) > left:
                errors.setdefault("headcount", []).append(
                    _("“%(t)s”尚余%(n)s人未对接，调剂人数%(h)s超出") % {"t": side.title, "n": left, "h": headcount})
        if errors:
            raise ValidationError(errors)
        placement = SharingPlacement.objects.create(
            offer=offer, request=request, from_employer=from_employer, to_employer=to_employer, headcount=int(headcount),
            starts_on=starts_on, ends_on=ends_on, terms=terms or "", region_id=to_employer.region_id,
            recorded_by=actor if getattr(actor, "pk", None) else None)
        SharingWorker.objects.bulk_create([SharingWorker(placement=placement, person=p) for p in persons])
        for side in sides:
            row = locked[side.pk]
            if placed(row, side=row.kind) >= row.headcount and row.status == SharingStatus.OPEN:
                row.status = SharingStatus.MATCHED
                row.save(update_fields=["status"])
        audit.record(actor, AuditEntry.Action.CREATE, object_type=PLACEMENT_OBJECT_TYPE, object_id=placement.pk,
                     object_label=f"{from_employer.name} → {to_employer.name}"[:128], region_code=placement.region_id,
                     summary=_("登记用工调剂：%(n)s人") % {"n": placement.headcount},
                     changes={"from_employer": from_employer.pk, "to_employer": to_employer.pk,
                              "headcount": placement.headcount, "starts_on": starts_on, "ends_on": ends_on,
                              "offer": offer.pk if offer else None, "request": request.pk if request else None,
                              "workers": len(persons)})
    return placement
