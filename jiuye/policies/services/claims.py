"""Claims (补贴申领): submission, review, publicity (公示), objections, approval and withdrawal.

Every step is one transaction that writes the claim, a timeline entry (``ClaimEvent``) and an audit entry
(object type ``claim``, the claim's region). The rules are evaluated by the engine at each decision:

- at submission, as of the submission date (``current_date()``): an ineligible claim is refused with the
  conditions that failed;
- at review and at approval, with the current version of the policy's pack (``engine.reevaluate``), on
  the facts as they are now, the claim window judged on the submission date (a claim that came in time
  does not expire while it waits for a decision). The decision's policy version and trace are stored
  (``decision_policy``, ``decision_trace``; the approval's trace also goes into the ledger entry), so the
  decision can be replayed;
- approval goes through the ledger's one door (``ledger.commit``): slots and budgets; each claim of a
  publicity list in its own savepoint, a refused one recorded in its timeline and reported back.

Stages: ``submitted`` without a reviewer = 待审核; ``submitted`` with one = 审核通过待公示 (``ready``);
``publicity`` → (``objected`` ↔ ``publicity``) → ``approved``; ``rejected`` and ``withdrawn`` end a claim.
"""
from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import in_scope
from jiuye.assistance.calendar import add_working_days
from jiuye.assistance.services import attachments
from jiuye.policies import engine
from jiuye.policies.models import Claim, ClaimChannel, ClaimEvent, ClaimEvidence, ClaimStatus, Objection, PublicityList
from jiuye.policies.models.claims import LIVE_STATUSES
from jiuye.policies.services import ledger
from jiuye.policies.vocabulary import EVENTS
from jiuye.registry import queries as registry_queries
from jiuye.regions.codes import common_ancestor
from jiuye.registry.queries import NotFound

OBJECT_TYPE = "claim"
PUBLICITY_OBJECT_TYPE = "publicity_list"
OWNER_TYPE = "claim"  # attachments' owner_type

#: Timeline actions and how the timeline names them.
ACTIONS = {
    "submitted": "提交申领",
    "evidence": "上传材料",
    "paper_checked": "核验纸质原件",
    "review_passed": "审核通过",
    "rejected": "不予核准",
    "published": "列入公示",
    "objection": "公示异议",
    "objection_upheld": "异议成立",
    "objection_dismissed": "异议不成立",
    "approved": "核准",
    "approval_refused": "核准未通过",
    "withdrawn": "撤回申领",
}
#: Claims still open for a decision (a withdrawal is possible).
OPEN_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.PUBLICITY, ClaimStatus.OBJECTED)


def current_date() -> datetime.date:
    """The service's "today" (one place, so that a test can set the clock)."""
    return timezone.localdate()


def not_found_text() -> str:
    return _("申领记录不存在或不在您的管辖范围内")


def stage_label(claim: Claim) -> str:
    """The claim's state as a user reads it (submitted and reviewed = 审核通过待公示)."""
    if claim.status == ClaimStatus.SUBMITTED and claim.reviewed_at is not None:
        return _("审核通过待公示")
    return claim.get_status_display()


# ---------------------------------------------------------------------------------------------
# Helpers


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(claim: Claim, action: str, actor, note: str = "") -> ClaimEvent:
    return ClaimEvent.objects.create(claim=claim, action=action, actor=_user_or_none(actor), note=(note or "")[:255])


def _audit(actor, claim: Claim, action: str, summary: str, changes: dict | None = None) -> None:
    audit.record(actor, action, object_type=OBJECT_TYPE, object_id=claim.pk, object_label=claim.number,
                 region_code=claim.region_id, changes=changes or {}, summary=summary)


def _step(actor, claim: Claim, action: str, note: str = "", *, audit_action: str = AuditEntry.Action.UPDATE,
          changes: dict | None = None) -> None:
    """A timeline entry and its audit entry."""
    _event(claim, action, actor, note)
    summary = f"{ACTIONS[action]}：{claim.number}" + (f"（{note}）" if note else "")
    _audit(actor, claim, audit_action, summary[:255], changes={"action": action, **(changes or {})})


def failed_conditions(trace: dict) -> list[str]:
    """The conditions of a trace that did not hold, as sentences ("条件：事实")."""
    out: list[str] = []

    def walk(checks, prefix=""):
        for c in checks:
            if c.get("held"):
                continue
            if c.get("items"):
                inner = [f"{i['label']}（{i['fact']}）" if i.get("fact") else i["label"] for i in c["items"] if not i.get("held")]
                out.append(f"{prefix}{c['label']}：" + "；".join(inner))
            else:
                out.append(f"{prefix}{c['label']}" + (f"（{c['fact']}）" if c.get("fact") else ""))

    walk(trace.get("checks") or [])
    return out


def _not_eligible_text(ent: engine.Entitlement) -> str:
    failed = failed_conditions(ent.trace)
    return _("不符合%(p)s的条件：%(c)s") % {"p": ent.policy.name, "c": "；".join(failed) or _("未满足政策条件")}


def _event_counts(event_type: str, event_id: int) -> bool:
    """The event still counts (a voided or corrected registration does not)."""
    return EVENTS[event_type].queryset().filter(pk=event_id).exists()


def _is_beneficiary_user(user, claim: Claim) -> bool:
    pid = registry_queries.linked_person_id(user)
    eid = registry_queries.linked_employer_id(user)
    return bool((pid and pid == claim.person_id) or (eid and eid == claim.employer_id))


def _staff_scope(actor, claim: Claim) -> None:
    """Outside the user's scope the claim is "not found", like one that does not exist."""
    if not in_scope(actor, claim.region_id):
        raise NotFound(not_found_text())


def _lock(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _decision_as_of(claim: Claim) -> datetime.date:
    """The date the claim came in (its submission trace's as-of date): the claim window is judged on it."""
    as_of = (claim.submission_trace or {}).get("as_of")
    return datetime.date.fromisoformat(as_of) if as_of else timezone.localtime(claim.submitted_at).date()


def reevaluate(claim: Claim, *, decided_on: datetime.date | None = None) -> engine.Entitlement:
    """The claim's entitlement as the current pack version sees it now (the claim's own ledger slots
    ignored). A voided or corrected event makes it ineligible with that reason in the trace."""
    ent = engine.reevaluate(claim.policy_code, claim.event_type, claim.event_id, _decision_as_of(claim),
                            exclude_claim_id=claim.pk)
    ent.trace["decided_on"] = (decided_on or current_date()).isoformat()
    if not _event_counts(claim.event_type, claim.event_id):
        ent.eligible = False
        ent.trace["eligible"] = False
        ent.trace.setdefault("checks", []).insert(0, {
            "label": _("依据事件记录有效"), "held": False, "fact": _("依据事件记录已被撤销或更正"),
            "source": f"{EVENTS[claim.event_type].model}#{claim.event_id}"})
    return ent


# ---------------------------------------------------------------------------------------------
# Submission


def _event_or_404(event_type: str, event_id: int):
    if event_type not in EVENTS:
        raise NotFound(_("依据事件类型“%(t)s”不存在") % {"t": event_type})
    try:
        return engine.event_object(event_type, event_id)
    except Exception:
        raise NotFound(_("依据事件记录不存在或不在您的管辖范围内")) from None


def _channel_of(actor) -> str:
    return ClaimChannel.PORTAL if getattr(actor, "role", None) in (Role.RESIDENT, Role.EMPLOYER_USER) else ClaimChannel.WORKER


def may_submit_for(actor, ent: engine.Entitlement) -> bool:
    """A resident only about themselves, an employer user only as their employer, a worker within scope."""
    role = getattr(actor, "role", None)
    if role == Role.RESIDENT:
        pid = registry_queries.linked_person_id(actor)
        return bool(pid) and ent.beneficiary == "person" and ent.person_id == pid
    if role == Role.EMPLOYER_USER:
        eid = registry_queries.linked_employer_id(actor)
        return bool(eid) and ent.beneficiary == "employer" and ent.employer_id == eid
    return roles.can_submit_claims_for_others(actor) and bool(ent.region_id) and in_scope(actor, ent.region_id)


def _number(prefix: str, year: int, pk: int, width: int) -> str:
    return f"{prefix}{year}{pk:0{width}d}"


@transaction.atomic
def submit_claim(actor, *, policy_code: str, event_type: str, event_id: int, evidence_files: dict | None = None,
                 paper_checked: Iterable[str] = (), note: str = "", channel: str | None = None,
                 on: datetime.date | None = None) -> Claim:
    """申领: one entitlement (policy × event), evaluated as of ``on`` (today). ``evidence_files`` maps each
    evidence name the policy asks for to its uploaded files; a worker may instead list the name in
    ``paper_checked`` (the paper original was checked; recorded in the timeline)."""
    on = on or current_date()
    policy = engine.current_policy(policy_code)
    if policy is None:
        raise ValidationError({"policy": _("政策“%(p)s”不存在或未加载") % {"p": policy_code}})
    obj = _event_or_404(event_type, event_id)
    if EVENTS[event_type].name != policy.event:
        raise ValidationError({"event_type": _("%(p)s依据的事件是“%(e)s”，不是“%(t)s”") % {
            "p": policy.name, "e": EVENTS[policy.event].label, "t": EVENTS[event_type].label}})
    table = engine.table_for([policy.version])
    ent = engine.explain_event(policy, obj, on, table=table)
    if not may_submit_for(actor, ent):
        raise NotFound(_("依据事件记录不存在或不在您的管辖范围内"))
    if not _event_counts(event_type, event_id):
        raise ValidationError({"event_id": _("依据事件记录已被撤销或更正，不能申领")})
    if not ent.eligible:
        raise ValidationError({"policy": _not_eligible_text(ent)})
    beneficiary_key = ent.beneficiary_key
    live = Claim.objects.filter(kind=policy.kind, beneficiary_key=beneficiary_key, event_type=event_type, event_id=event_id,
                                status__in=LIVE_STATUSES).first()
    if live is not None:
        raise ValidationError({"policy": _duplicate_text(live)})
    # Evidence: every item the policy asks for has a file, or (a worker) its paper original was checked.
    evidence_files = {k: [f for f in (v or []) if f] for k, v in (evidence_files or {}).items()}
    paper = [p for p in dict.fromkeys(paper_checked or []) if p]
    worker = _channel_of(actor) == ClaimChannel.WORKER
    errors: dict[str, list[str]] = {}
    if paper and not worker:
        errors.setdefault("evidence", []).append(_("只有经办人员可以核验纸质原件"))
    asked = list(policy.spec.get("evidence") or [])
    for name in asked:
        if not evidence_files.get(name) and name not in paper:
            errors.setdefault("evidence", []).append(_("缺少材料“%(n)s”：请上传文件") % {"n": name}
                                                     + (_("或勾选已核验纸质原件") if worker else ""))
    unknown = [k for k in list(evidence_files) + paper if k and k not in asked]
    for name in unknown:
        errors.setdefault("evidence", []).append(_("材料“%(n)s”不是%(p)s要求的材料") % {"n": name, "p": policy.name})
    for name, files in evidence_files.items():
        try:
            attachments.check_files(files, field="evidence")
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(f"{name}：{m}" for m in exc.message_dict["evidence"])
    if errors:
        raise ValidationError(errors)
    year = on.year
    claim = Claim(
        number=f"TMP{uuid.uuid4().hex[:20]}", policy=policy, policy_code=policy.code, kind=policy.kind,
        beneficiary=ent.beneficiary, person_id=ent.person_id,
        employer_id=ent.employer_id if ent.beneficiary == "employer" else None, beneficiary_key=beneficiary_key,
        region_id=ent.region_id, event_type=event_type, event_id=event_id, event_date=ent.event_date, unit=ent.unit,
        amount=ent.amount, months=ent.months, first_month=ent.first_month, total=ent.total, status=ClaimStatus.SUBMITTED,
        channel=channel or _channel_of(actor), submitted_by=_user_or_none(actor), submission_trace=_json(ent.trace))
    if on != timezone.localdate():  # a back-dated submission (an import, the demo): dated on its day
        claim.submitted_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12, 0)))
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        live = Claim.objects.filter(kind=policy.kind, beneficiary_key=beneficiary_key, event_type=event_type,
                                    event_id=event_id, status__in=LIVE_STATUSES).first()
        raise ValidationError({"policy": _duplicate_text(live)}) from None
    claim.number = _number("BZ", year, claim.pk, 7)
    claim.save(update_fields=["number"])
    _event(claim, "submitted", actor, note)
    for name, files in evidence_files.items():
        for att in attachments.save_files(OWNER_TYPE, claim.pk, files, actor=actor, kind=name):
            ClaimEvidence.objects.create(claim=claim, attachment=att, kind=name)
    if evidence_files:
        _event(claim, "evidence", actor, "、".join(f"{k}{len(v)}份" for k, v in evidence_files.items()))
    if paper:
        _event(claim, "paper_checked", actor, "、".join(paper))
    _audit(actor, claim, AuditEntry.Action.CREATE, _("提交补贴申领：%(n)s %(p)s") % {"n": claim.number, "p": policy.name},
           changes={"policy": policy.code, "event": f"{event_type}#{event_id}", "amount": ent.amount, "months": ent.months,
                    "total": ent.total, "channel": claim.channel, "paper_checked": paper,
                    "evidence": {k: len(v) for k, v in evidence_files.items()}})
    return claim


def _duplicate_text(live: Claim | None) -> str:
    if live is None:
        return _("该补贴已有在办的申领，不能重复申领")
    return _("该补贴已有申领%(n)s（%(s)s），不能重复申领") % {"n": live.number, "s": stage_label(live)}


def _json(trace: dict) -> dict:
    from jiuye.accounts.audit import json_safe

    return json_safe(trace)


@transaction.atomic
def add_evidence(actor, claim: Claim, *, kind: str, files: Iterable) -> list:
    """More files for an open claim (its submitter, the beneficiary, or a worker of its scope)."""
    claim = _lock(claim)
    if not (_may_act_as_claimant(actor, claim) or (roles.can_submit_claims_for_others(actor) and in_scope(actor, claim.region_id))):
        raise NotFound(not_found_text())
    if claim.status not in OPEN_STATUSES:
        raise ValidationError({"files": _("申领%(n)s已%(s)s，不能再上传材料") % {"n": claim.number, "s": stage_label(claim)}})
    asked = list(claim.policy.spec.get("evidence") or [])
    if kind not in asked:
        raise ValidationError({"kind": _("材料“%(n)s”不是该政策要求的材料") % {"n": kind}})
    files = attachments.check_files(files, field="files")
    if not files:
        raise ValidationError({"files": _("请选择要上传的文件")})
    saved = attachments.save_files(OWNER_TYPE, claim.pk, files, actor=actor, kind=kind)
    for att in saved:
        ClaimEvidence.objects.create(claim=claim, attachment=att, kind=kind)
    _step(actor, claim, "evidence", f"{kind}{len(saved)}份")
    return saved


def _may_act_as_claimant(actor, claim: Claim) -> bool:
    return bool((claim.submitted_by_id and claim.submitted_by_id == getattr(actor, "pk", None)) or _is_beneficiary_user(actor, claim))


# ---------------------------------------------------------------------------------------------
# Review


def may_review(user, claim: Claim) -> bool:
    return (roles.can_review_claims(user) and claim.status == ClaimStatus.SUBMITTED and claim.reviewed_at is None
            and in_scope(user, claim.region_id) and claim.submitted_by_id != user.pk and not _is_beneficiary_user(user, claim))


@transaction.atomic
def review_claim(actor, claim: Claim, *, approve: bool, reason: str = "") -> Claim:
    """审核: passing (the rules re-evaluated now with the current pack version) makes the claim ready for
    publicity; rejecting needs a reason. Never by the person who submitted it, nor by its beneficiary."""
    if not roles.can_review_claims(actor):
        raise PermissionDenied(_("您的角色无权审核补贴申领"))
    _staff_scope(actor, claim)
    claim = _lock(claim)
    if claim.submitted_by_id is not None and claim.submitted_by_id == actor.pk:
        raise PermissionDenied(_("申领%(n)s由您本人提交，须由其他工作人员审核") % {"n": claim.number})
    if _is_beneficiary_user(actor, claim):
        raise PermissionDenied(_("不能审核本人或本单位的补贴申领"))
    if claim.status != ClaimStatus.SUBMITTED or claim.reviewed_at is not None:
        raise ValidationError(_("申领%(n)s当前为“%(s)s”，不能审核") % {"n": claim.number, "s": stage_label(claim)})
    reason = (reason or "").strip()
    now = timezone.now()
    if not approve:
        if not reason:
            raise ValidationError({"reason": _("不予核准须填写原因")})
        claim.status = ClaimStatus.REJECTED
        claim.rejection_reason = reason[:255]
        claim.reviewer = actor
        claim.reviewed_at = now
        claim.save(update_fields=["status", "rejection_reason", "reviewer", "reviewed_at", "updated_at"])
        _step(actor, claim, "rejected", reason, changes={"status": ["submitted", "rejected"], "reason": reason})
        return claim
    ent = reevaluate(claim)
    if not ent.eligible:
        raise ValidationError({"reason": _("审核时重新判定不符合条件，不能通过（可填写原因后不予核准）：%(c)s") % {
            "c": "；".join(failed_conditions(ent.trace)) or _("未满足政策条件")}})
    claim.reviewer = actor
    claim.reviewed_at = now
    claim.decision_policy = ent.policy
    claim.decision_trace = _json(ent.trace)
    claim.amount, claim.months, claim.first_month, claim.total = ent.amount, ent.months, ent.first_month, ent.total
    claim.save(update_fields=["reviewer", "reviewed_at", "decision_policy", "decision_trace", "amount", "months",
                              "first_month", "total", "updated_at"])
    v = ent.policy.version
    _step(actor, claim, "review_passed", (reason + "；" if reason else "") + _("按%(p)s第%(v)s版重新判定符合条件") % {
        "p": v.pack.code, "v": v.number}, changes={"decision_policy_version": v.pk, "total": ent.total})
    return claim


# ---------------------------------------------------------------------------------------------
# Publicity (公示)


def publicity_working_days(region_code: str, on: datetime.date) -> int:
    """The dated parameter ``policies.publicity.working_days`` for the region on ``on``."""
    answer = engine.table_for(engine.current_versions()).answers(region_code, on).get("policies.publicity.working_days")
    value = getattr(answer, "value", None)
    if value is None:
        raise ValidationError(_("公示期（policies.publicity.working_days）在%(r)s %(d)s未设置") % {
            "r": region_code, "d": on.isoformat()})
    return int(value)


def publicity_end(starts_on: datetime.date, working_days: int) -> datetime.date:
    """The last day of a publicity of ``working_days`` working days from ``starts_on`` (counted when it is a
    working day); statutory holidays skipped, make-up working days (调休上班) counted."""
    return add_working_days(starts_on - datetime.timedelta(days=1), working_days).due_on


@transaction.atomic
def publish(actor, claims: Iterable[Claim], *, title: str, starts_on: datetime.date | None = None) -> PublicityList:
    """公示: the reviewed claims on one list for the officer's region, for the jurisdiction's working days."""
    if not roles.can_approve_claims(actor):
        raise PermissionDenied(_("您的角色无权发布公示"))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写公示标题")})
    ids = [c.pk for c in claims]
    if not ids:
        raise ValidationError({"claims": _("请选择要公示的申领")})
    locked = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(set(ids)):
        raise NotFound(not_found_text())
    for c in locked:
        _staff_scope(actor, c)
    bad = [c for c in locked if c.status != ClaimStatus.SUBMITTED or c.reviewed_at is None]
    if bad:
        raise ValidationError({"claims": [_("申领%(n)s当前为“%(s)s”，只有审核通过的申领可以公示") % {
            "n": c.number, "s": stage_label(c)} for c in bad]})
    region = actor.region_id or common_ancestor([c.region_id for c in locked])
    starts_on = starts_on or current_date()
    n = publicity_working_days(region, starts_on)
    pub = PublicityList.objects.create(number=f"TMP{uuid.uuid4().hex[:20]}", region_id=region, title=title[:128],
                                       starts_on=starts_on, ends_on=publicity_end(starts_on, n), working_days=n,
                                       created_by=_user_or_none(actor))
    pub.number = _number("GS", starts_on.year, pub.pk, 5)
    pub.save(update_fields=["number"])
    for c in locked:
        c.status = ClaimStatus.PUBLICITY
        c.publicity = pub
        c.save(update_fields=["status", "publicity", "updated_at"])
        _step(actor, c, "published", _("%(n)s，%(a)s至%(b)s（%(w)s个工作日）") % {
            "n": pub.number, "a": pub.starts_on.isoformat(), "b": pub.ends_on.isoformat(), "w": n},
            changes={"status": ["submitted", "publicity"], "publicity": pub.number})
    audit.record(actor, AuditEntry.Action.CREATE, object_type=PUBLICITY_OBJECT_TYPE, object_id=pub.pk,
                 object_label=pub.number, region_code=region, summary=_("发布公示：%(t)s（%(c)d件）") % {"t": pub.title, "c": len(locked)},
                 changes={"starts_on": starts_on, "ends_on": pub.ends_on, "working_days": n, "claims": [c.number for c in locked]})
    return pub


# ---------------------------------------------------------------------------------------------
# Objections (公示异议)


def may_handle_objections(user, claim: Claim) -> bool:
    return (roles.can_review_claims(user) or roles.can_approve_claims(user)) and in_scope(user, claim.region_id)


@transaction.atomic
def record_objection(actor, claim: Claim, raised_by: str, contact: str, reason: str,
                     raised_on: datetime.date | None = None) -> Objection:
    """An objection raised during publicity: the claim waits (``objected``) until it is resolved."""
    _staff_scope(actor, claim)
    if not may_handle_objections(actor, claim):
        raise PermissionDenied(_("您的角色无权登记公示异议"))
    claim = _lock(claim)
    if claim.status not in (ClaimStatus.PUBLICITY, ClaimStatus.OBJECTED):
        raise ValidationError(_("申领%(n)s当前为“%(s)s”，只有公示中的申领可以登记异议") % {"n": claim.number, "s": stage_label(claim)})
    errors = {}
    if not (raised_by or "").strip():
        errors["raised_by"] = _("请填写异议人")
    if not (reason or "").strip():
        errors["reason"] = _("请填写异议内容")
    if errors:
        raise ValidationError(errors)
    obj = Objection.objects.create(claim=claim, raised_by=raised_by.strip()[:64], contact=(contact or "").strip()[:32],
                                   raised_on=raised_on or current_date(), reason=reason.strip()[:255],
                                   recorded_by=_user_or_none(actor))
    before = claim.status
    claim.status = ClaimStatus.OBJECTED
    claim.save(update_fields=["status", "updated_at"])
    _step(actor, claim, "objection", obj.reason, changes={"status": [before, "objected"], "objection": obj.pk})
    return obj


@transaction.atomic
def resolve_objection(actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """Upheld: the claim is rejected with the resolution as its reason. Dismissed: back to publicity
    (when no other objection is open)."""
    claim = objection.claim
    _staff_scope(actor, claim)
    if not roles.can_approve_claims(actor):
        raise PermissionDenied(_("您的角色无权处理公示异议"))
    claim = _lock(claim)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome != Objection.Outcome.OPEN:
        raise ValidationError(_("该异议已处理（%(o)s）") % {"o": objection.get_outcome_display()})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理说明")})
    objection.outcome = Objection.Outcome.UPHELD if upheld else Objection.Outcome.DISMISSED
    objection.resolution = resolution[:255]
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.save()
    before = claim.status
    if upheld:
        claim.status = ClaimStatus.REJECTED
        claim.rejection_reason = (_("公示异议成立：") + resolution)[:255]
        claim.save(update_fields=["status", "rejection_reason", "updated_at"])
        _step(actor, claim, "objection_upheld", resolution, changes={"status": [before, "rejected"], "objection": objection.pk})
    else:
        if not claim.objections.filter(outcome=Objection.Outcome.OPEN).exists():
            claim.status = ClaimStatus.PUBLICITY
            claim.save(update_fields=["status", "updated_at"])
        _step(actor, claim, "objection_dismissed", resolution,
              changes={"status": [before, claim.status], "objection": objection.pk})
    return objection


# ---------------------------------------------------------------------------------------------
# Approval


@dataclass
class ApprovalResult:
    approved: list[Claim] = field(default_factory=list)
    refused: list[tuple[Claim, str]] = field(default_factory=list)  # (claim, why)
    waiting: list[Claim] = field(default_factory=list)  # an objection still open


def _check_override(actor, override_reason: str) -> str:
    override_reason = (override_reason or "").strip()
    if override_reason and not roles.can_manage_budgets(actor):
        raise ValidationError({"override_reason": _("只有区县、市人社局工作人员可以批准超预算核准")})
    return override_reason


def _approve_one(actor, claim: Claim, on: datetime.date, override_reason: str) -> str:
    """Approve ``claim`` in a savepoint; "" when approved, else why not (recorded in its timeline)."""
    try:
        with transaction.atomic():
            ent = reevaluate(claim, decided_on=on)
            if not ent.eligible:
                raise ledger.LedgerRefused(_not_eligible_text(ent), code="ineligible")
            trace = _json(ent.trace)
            ledger.commit(claim, ent, ent.policy, actor=actor, trace=trace, on=on, override_reason=override_reason,
                          override_by=actor if override_reason else None)
            before = claim.status
            claim.status = ClaimStatus.APPROVED
            claim.approved_by = actor
            claim.approved_at = timezone.now()
            claim.decision_policy = ent.policy
            claim.decision_trace = trace
            claim.amount, claim.months, claim.first_month, claim.total = ent.amount, ent.months, ent.first_month, ent.total
            claim.save(update_fields=["status", "approved_by", "approved_at", "decision_policy", "decision_trace", "amount",
                                      "months", "first_month", "total", "updated_at"])
            _step(actor, claim, "approved", _("核准金额%(t)s元") % {"t": ent.total} + (
                _("；超预算核准：%(r)s") % {"r": override_reason} if override_reason else ""),
                changes={"status": [before, "approved"], "total": ent.total, "override_reason": override_reason})
    except (ledger.LedgerRefused, PermissionDenied) as exc:
        why = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        claim.refresh_from_db()
        _step(actor, claim, "approval_refused", why, changes={"reason": why})
        return why or _("不予核准")
    return ""


def _ensure_approver(actor, claim_or_pub_region: str) -> None:
    if not in_scope(actor, claim_or_pub_region):
        raise NotFound(not_found_text())
    if not roles.can_approve_claims(actor):
        raise PermissionDenied(_("您的角色无权核准补贴"))


def approve_publicity(actor, publicity: PublicityList, *, today: datetime.date | None = None,
                      override_reason: str = "") -> ApprovalResult:
    """核准 after the publicity ended: every claim still in publicity (no open objection) is re-evaluated
    and committed through the ledger in its own savepoint; a refused one keeps its status, with the
    reason in its timeline, and is reported back."""
    on = today or current_date()
    _ensure_approver(actor, publicity.region_id)
    override_reason = _check_override(actor, override_reason)
    if on <= publicity.ends_on:
        raise ValidationError(_("公示期至%(d)s，期满后方可核准") % {"d": publicity.ends_on.isoformat()})
    result = ApprovalResult()
    with transaction.atomic():
        pub = PublicityList.objects.select_for_update().get(pk=publicity.pk)
        for claim in Claim.objects.select_for_update().filter(publicity=pub).order_by("pk"):
            if claim.status == ClaimStatus.OBJECTED:
                result.waiting.append(claim)
                continue
            if claim.status != ClaimStatus.PUBLICITY or not in_scope(actor, claim.region_id):
                continue
            why = _approve_one(actor, claim, on, override_reason)
            if why:
                result.refused.append((claim, why))
            else:
                result.approved.append(claim)
        if not pub.claims.filter(status__in=[ClaimStatus.PUBLICITY, ClaimStatus.OBJECTED]).exists():
            pub.closed_at = timezone.now()
            pub.save(update_fields=["closed_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=PUBLICITY_OBJECT_TYPE, object_id=pub.pk,
                     object_label=pub.number, region_code=pub.region_id,
                     summary=_("公示期满核准：核准%(a)d件，未通过%(r)d件，待处理异议%(w)d件") % {
                         "a": len(result.approved), "r": len(result.refused), "w": len(result.waiting)},
                     changes={"approved": [c.number for c in result.approved],
                              "refused": {c.number: why for c, why in result.refused},
                              "waiting": [c.number for c in result.waiting], "override_reason": override_reason})
    return result


def approve_claim(actor, claim: Claim, *, today: datetime.date | None = None, override_reason: str = "") -> Claim:
    """核准 one claim whose publicity has ended. A refusal is recorded in its timeline and raised."""
    on = today or current_date()
    _ensure_approver(actor, claim.region_id)
    override_reason = _check_override(actor, override_reason)
    with transaction.atomic():
        claim = _lock(claim)
        if claim.status != ClaimStatus.PUBLICITY or claim.publicity is None:
            raise ValidationError(_("申领%(n)s当前为“%(s)s”，只有公示中且无异议的申领可以核准") % {
                "n": claim.number, "s": stage_label(claim)})
        if on <= claim.publicity.ends_on:
            raise ValidationError(_("公示期至%(d)s，期满后方可核准") % {"d": claim.publicity.ends_on.isoformat()})
        why = _approve_one(actor, claim, on, override_reason)
    if why:
        raise ValidationError(why)
    claim.refresh_from_db()
    return claim


# ---------------------------------------------------------------------------------------------
# Withdrawal


def may_add_evidence(user, claim: Claim) -> bool:
    """The submitter, the beneficiary, or a worker of the claim's scope, while the claim is open."""
    return claim.status in OPEN_STATUSES and (_may_act_as_claimant(user, claim) or (
        roles.can_submit_claims_for_others(user) and in_scope(user, claim.region_id)))


def may_withdraw(user, claim: Claim) -> bool:
    return claim.status in OPEN_STATUSES and _may_act_as_claimant(user, claim)


@transaction.atomic
def withdraw_claim(actor, claim: Claim, note: str = "") -> Claim:
    """撤回 by the submitter or the beneficiary, before approval."""
    claim = _lock(claim)
    if not _may_act_as_claimant(actor, claim):
        if roles.can_read_policies(actor) and in_scope(actor, claim.region_id):
            raise PermissionDenied(_("只有提交人或申领人本人可以撤回申领"))
        raise NotFound(not_found_text())
    if claim.status not in OPEN_STATUSES:
        raise ValidationError(_("申领%(n)s当前为“%(s)s”，不能撤回") % {"n": claim.number, "s": stage_label(claim)})
    before = claim.status
    claim.status = ClaimStatus.WITHDRAWN
    claim.save(update_fields=["status", "updated_at"])
    _step(actor, claim, "withdrawn", note, changes={"status": [before, "withdrawn"]})
    return claim


def evidence_of(claim: Claim) -> list[ClaimEvidence]:
    return list(claim.evidence.select_related("attachment").order_by("pk"))


