"""API of claims (补贴申领), mounted at /api/v1/policies: submit, list (with count; ``queue=true`` for 待我审核),
one claim with its traces, review, withdraw, objections, publicity lists (公示) and approval. Thin handlers
over ``policies.queries.claims`` and ``policies.services.claims``; residents and employer users see only
their own claims; a claim outside the scope answers 404 like one that does not exist."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.policies.models import ClaimChannel, ClaimStatus
from jiuye.policies.queries import claims as queries
from jiuye.policies.services import claims as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["policies"])

PolicyCode = text(64)
SortKey = text(32)

ClaimStatusFilter = Literal[tuple(ClaimStatus.values) + ("ready", "")]  # type: ignore[valid-type]
ChannelFilter = Literal[tuple(ClaimChannel.values) + ("",)]  # type: ignore[valid-type]


class ClaimItem(Schema):
    id: int
    number: str
    policy_code: str
    policy_name: str
    beneficiary: str
    beneficiary_name: str
    person_id: int | None
    person_name: str
    id_number_masked: str
    employer_id: int | None
    region_code: str
    event_type: str
    event_id: int
    event_date: datetime.date
    unit: str
    amount: Decimal | None
    months: int | None
    total: Decimal | None
    channel: str
    submitted_at: datetime.datetime
    status: str
    status_label: str
    rejection_reason: str
    publicity_id: int | None


class ClaimList(Schema):
    count: int
    items: list[ClaimItem]
    has_more: bool


class TimelineOut(Schema):
    at: datetime.datetime
    action: str
    label: str
    note: str
    actor: str


class ObjectionOut(Schema):
    id: int
    raised_by: str
    raised_on: datetime.date
    reason: str
    outcome: str
    resolution: str


class EvidenceOut(Schema):
    name: str
    file_ids: list[int]


class ClaimDetail(ClaimItem):
    basis: dict[str, Any]
    submission_trace: dict[str, Any]
    decision_trace: dict[str, Any]
    decision_policy_version: int | None
    evidence: list[EvidenceOut]
    timeline: list[TimelineOut]
    objections: list[ObjectionOut]
    may_review: bool
    may_withdraw: bool


def _item(c) -> dict:
    who = c.employer.name if c.beneficiary == "employer" and c.employer_id else (c.person.name if c.person_id else "")
    return dict(id=c.pk, number=c.number, policy_code=c.policy_code, policy_name=c.policy.name, beneficiary=c.beneficiary,
                beneficiary_name=who, person_id=c.person_id, person_name=c.person.name if c.person_id else "",
                id_number_masked=mask_id_number(c.person.id_number) if c.person_id else "", employer_id=c.employer_id,
                region_code=c.region_id, event_type=c.event_type, event_id=c.event_id, event_date=c.event_date, unit=c.unit,
                amount=c.amount, months=c.months, total=c.total, channel=c.channel, submitted_at=c.submitted_at,
                status=c.status, status_label=services.stage_label(c), rejection_reason=c.rejection_reason,
                publicity_id=c.publicity_id)


def _detail(request, c) -> ClaimDetail:
    files = services.evidence_of(c)
    names = list(c.policy.spec.get("evidence") or [])
    return ClaimDetail(
        **_item(c), basis=c.policy.spec.get("basis") or {}, submission_trace=c.submission_trace or {},
        decision_trace=c.decision_trace or {},
        decision_policy_version=c.decision_policy.version.number if c.decision_policy_id else None,
        evidence=[EvidenceOut(name=n, file_ids=[e.attachment_id for e in files if e.kind == n]) for n in names],
        timeline=[TimelineOut(at=e.at, action=e.action, label=services.ACTIONS.get(e.action, e.action), note=e.note,
                              actor=str(e.actor) if e.actor_id else "系统") for e in queries.claim_timeline(c)],
        objections=[ObjectionOut(id=o.pk, raised_by=o.raised_by, raised_on=o.raised_on, reason=o.reason, outcome=o.outcome,
                                 resolution=o.resolution) for o in queries.claim_objections(c)],
        may_review=services.may_review(request.auth, c), may_withdraw=services.may_withdraw(request.auth, c))


class ClaimFilters(Schema):
    status: ClaimStatusFilter = Field("", description="状态；ready = 审核通过待公示")
    policy: PolicyCode = ""
    region_code: RegionCodeFilter = ""
    date_from: ApiDate | None = Field(None, description="提交日期起")
    date_to: ApiDate | None = Field(None, description="提交日期止")
    channel: ChannelFilter = ""
    text: SearchText = Field("", description="申领编号、姓名、公民身份号码或统一社会信用代码")
    queue: bool = Field(False, description="待我审核")
    sort: SortKey = Field("", description="排序：number、policy、region、submitted_at、status、total、event_date，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/claims", response=ClaimList, summary="补贴申领列表（与网页列表同一查询）")
def list_claims(request, filters: Query[ClaimFilters]):
    s = queries.ClaimSearch(status=filters.status, policy=filters.policy, region_code=filters.region_code,
                            date_from=filters.date_from, date_to=filters.date_to, channel=filters.channel, text=filters.text,
                            queue=filters.queue, sort=filters.sort, limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_claims(request.auth, s)
    return ClaimList(count=queries.count_claims(request.auth, s), items=[_item(c) for c in rows], has_more=more)


@router.get("/claims/{claim_id}", response=ClaimDetail, summary="一件申领：判定过程（可复核）、材料、办理记录、异议")
def get_claim(request, claim_id: RecordId):
    return _detail(request, queries.get_claim(request.auth, claim_id))


def _names(raw: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；\n]", raw or "") if p.strip()]


#: How many evidence files one submission carries through the API (file_1 … file_6, each with its kind_N).
API_FILES = 6
EvidenceKind = text(64)


@router.post("/claims", response={201: ClaimDetail},
             summary="提交申领（multipart/form-data：file_1…file_6 为材料文件，kind_1…kind_6 为对应的材料名称；"
                     "经办人员可在 paper_checked 中列出已核验纸质原件的材料，用、分隔）")
def submit(request, policy: Form[text(64, min_length=1)], event_type: Form[text(32, min_length=1)], event_id: Form[RecordId],
           note: Form[text(255) | None] = None, paper_checked: Form[text(500) | None] = None,
           file_1: File[UploadedFile] = None, kind_1: Form[EvidenceKind | None] = None,
           file_2: File[UploadedFile] = None, kind_2: Form[EvidenceKind | None] = None,
           file_3: File[UploadedFile] = None, kind_3: Form[EvidenceKind | None] = None,
           file_4: File[UploadedFile] = None, kind_4: Form[EvidenceKind | None] = None,
           file_5: File[UploadedFile] = None, kind_5: Form[EvidenceKind | None] = None,
           file_6: File[UploadedFile] = None, kind_6: Form[EvidenceKind | None] = None):
    pairs = [(file_1, kind_1), (file_2, kind_2), (file_3, kind_3), (file_4, kind_4), (file_5, kind_5), (file_6, kind_6)]
    evidence: dict[str, list] = {}
    for n, (f, kind) in enumerate(pairs, start=1):
        if f is None:
            continue
        kind = (kind or "").strip()
        if not kind:
            raise ValidationError({f"kind_{n}": f"请填写文件{n}（{f.name}）的材料名称"})
        evidence.setdefault(kind, []).append(f)
    claim = services.submit_claim(request.auth, policy_code=policy, event_type=event_type, event_id=event_id,
                                  evidence_files=evidence, paper_checked=_names(paper_checked or ""), note=note or "",
                                  channel=ClaimChannel.API)
    return Status(201, _detail(request, queries.get_claim(request.auth, claim.pk, audit_read=False)))


class ReviewIn(Schema):
    decision: Literal["pass", "reject"]
    reason: text(255) = ""


@router.post("/claims/{claim_id}/review", response=ClaimDetail, summary="审核（不得审核本人提交的申领）")
def review(request, claim_id: RecordId, payload: ReviewIn):
    claim = queries.get_claim(request.auth, claim_id, audit_read=False)
    services.review_claim(request.auth, claim, approve=payload.decision == "pass", reason=payload.reason)
    return _detail(request, queries.get_claim(request.auth, claim_id, audit_read=False))


class WithdrawIn(Schema):
    note: text(255) = ""


@router.post("/claims/{claim_id}/withdraw", response=ClaimDetail, summary="撤回申领（提交人或申领人本人，核准前）")
def withdraw(request, claim_id: RecordId, payload: WithdrawIn):
    claim = queries.get_claim(request.auth, claim_id, audit_read=False)
    services.withdraw_claim(request.auth, claim, note=payload.note)
    return _detail(request, queries.get_claim(request.auth, claim_id, audit_read=False))


class ObjectionIn(Schema):
    raised_by: text(64, min_length=1)
    contact: text(32) = ""
    reason: text(255, min_length=1)
    raised_on: ApiDate | None = None


@router.post("/claims/{claim_id}/objections", response={201: ClaimDetail}, summary="登记公示异议")
def record_objection(request, claim_id: RecordId, payload: ObjectionIn):
    claim = queries.get_claim(request.auth, claim_id, audit_read=False)
    services.record_objection(request.auth, claim, payload.raised_by, payload.contact, payload.reason,
                              raised_on=payload.raised_on)
    return Status(201, _detail(request, queries.get_claim(request.auth, claim_id, audit_read=False)))


class ResolveIn(Schema):
    outcome: Literal["upheld", "dismissed"]
    resolution: text(255, min_length=1)


@router.post("/claims/{claim_id}/objections/{objection_id}/resolve", response=ClaimDetail, summary="处理公示异议")
def resolve_objection(request, claim_id: RecordId, objection_id: RecordId, payload: ResolveIn):
    claim = queries.get_claim(request.auth, claim_id, audit_read=False)
    objection = queries.get_objection(claim, objection_id)
    services.resolve_objection(request.auth, objection, payload.outcome == "upheld", payload.resolution)
    return _detail(request, queries.get_claim(request.auth, claim_id, audit_read=False))


class ApproveIn(Schema):
    override_reason: text(255) = Field("", description="超预算核准理由（仅区县、市人社局工作人员）")


@router.post("/claims/{claim_id}/approve", response=ClaimDetail, summary="核准一件公示期满的申领（经补贴台账）")
def approve(request, claim_id: RecordId, payload: ApproveIn):
    claim = queries.get_claim(request.auth, claim_id, audit_read=False)
    services.approve_claim(request.auth, claim, override_reason=payload.override_reason)
    return _detail(request, queries.get_claim(request.auth, claim_id, audit_read=False))


# ---------------------------------------------------------------------------------------------
# Publicity (公示)


class PublicityItem(Schema):
    id: int
    number: str
    title: str
    region_code: str
    starts_on: datetime.date
    ends_on: datetime.date
    working_days: int
    closed: bool


class PublicityList(Schema):
    count: int
    items: list[PublicityItem]
    has_more: bool


class PublicityDetail(PublicityItem):
    claims: list[ClaimItem]


def _pub(p) -> dict:
    return dict(id=p.pk, number=p.number, title=p.title, region_code=p.region_id, starts_on=p.starts_on, ends_on=p.ends_on,
                working_days=p.working_days, closed=p.closed_at is not None)


class PublicityFilters(Schema):
    state: Literal["open", "closed", ""] = ""
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    text: SearchText = ""
    sort: SortKey = Field("", description="排序：number、starts_on、ends_on、title、region，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/publicity", response=PublicityList, summary="公示列表")
def list_publicity(request, filters: Query[PublicityFilters]):
    s = queries.PublicitySearch(**filters.dict())
    rows, more = queries.search_publicity(request.auth, s)
    return PublicityList(count=queries.count_publicity(request.auth, s), items=[_pub(p) for p in rows], has_more=more)


def _pub_detail(request, pub) -> PublicityDetail:
    return PublicityDetail(**_pub(pub), claims=[_item(c) for c in queries.publicity_claims(request.auth, pub)])


@router.get("/publicity/{publicity_id}", response=PublicityDetail, summary="一份公示及其名单（身份号码隐藏部分数字）")
def get_publicity(request, publicity_id: RecordId):
    return _pub_detail(request, queries.get_publicity(request.auth, publicity_id))


class PublishIn(Schema):
    title: text(128, min_length=1)
    claim_ids: text(10000, min_length=1) = Field(..., description="申领记录编号（id），用逗号分隔")


@router.post("/publicity", response={201: PublicityDetail}, summary="发布公示（审核通过的申领，公示期按本辖区工作日数）")
def publish(request, payload: PublishIn):
    ids = _names(payload.claim_ids)
    bad = [i for i in ids if not i.isdigit() or not 0 < int(i) < 2**63]
    if bad or not ids:
        raise ValidationError({"claim_ids": f"申领记录编号“{'、'.join(bad[:5]) or payload.claim_ids}”无效：须为逗号分隔的正整数"})
    claims = [queries.get_claim(request.auth, int(pk), audit_read=False) for pk in dict.fromkeys(ids)]
    pub = services.publish(request.auth, claims, title=payload.title)
    return Status(201, _pub_detail(request, queries.get_publicity(request.auth, pub.pk)))


class RefusedOut(Schema):
    claim_id: int
    number: str
    reason: str


class ApprovalOut(Schema):
    approved: list[int]
    refused: list[RefusedOut]
    waiting: list[int]


@router.post("/publicity/{publicity_id}/approve", response=ApprovalOut, summary="公示期满核准（逐件经补贴台账，未通过的附原因）")
def approve_publicity(request, publicity_id: RecordId, payload: ApproveIn):
    pub = queries.get_publicity(request.auth, publicity_id)
    result = services.approve_publicity(request.auth, pub, override_reason=payload.override_reason)
    return ApprovalOut(approved=[c.pk for c in result.approved],
                       refused=[RefusedOut(claim_id=c.pk, number=c.number, reason=why) for c, why in result.refused],
                       waiting=[c.pk for c in result.waiting])
