"""API of hard-to-employ recognition (就业困难人员认定), mounted at /api/v1/recognitions: the list (the
same query as the web list), one act, propose, evidence upload, decide, exit, withdraw. Thin handlers over
``assistance.queries.recognitions`` and ``assistance.services.recognitions``; an act outside the scope
answers 404 like one that does not exist."""
from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, text
from jiuye.assistance.models import ExitReason, Recognition, RecognitionOrigin, RecognitionStatus
from jiuye.assistance.queries import recognitions as queries
from jiuye.assistance.services import recognitions as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["assistance"])


def _choices(choices, blank: bool = True):
    return Literal[tuple(choices.values) + (("",) if blank else ())]


class RecognitionItem(Schema):
    id: int
    person_id: int
    name: str
    id_number_masked: str
    region_code: str
    region_name: str
    categories: list[str]
    categories_label: str
    origin: str
    applied_on: datetime.date
    status: str
    status_label: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    exited_on: datetime.date | None
    exit_reason: str


class RecognitionList(Schema):
    count: int
    items: list[RecognitionItem]
    has_more: bool


class CategoryOut(Schema):
    code: str
    label: str
    reason: str


class EvidenceOut(Schema):
    name: str
    categories: list[str]
    uploaded: bool
    file_ids: list[int]


class RecognitionDetail(RecognitionItem):
    reasons: list[CategoryOut]
    evidence: list[EvidenceOut]
    other_file_ids: list[int]
    decision_note: str
    exit_note: str
    may_decide: bool
    may_exit: bool


def _item(a: Recognition) -> dict:
    return dict(id=a.pk, person_id=a.person_id, name=a.person.name, id_number_masked=mask_id_number(a.person.id_number),
                region_code=a.region_id, region_name=a.region.name, categories=list(a.categories),
                categories_label=services.categories_text(a.categories), origin=a.origin, applied_on=a.applied_on,
                status=a.status, status_label=str(a.get_status_display()), valid_from=a.valid_from,
                valid_until=a.valid_until, exited_on=a.exited_on, exit_reason=a.exit_reason)


def _detail(request, a: Recognition) -> RecognitionDetail:
    items, others = services.evidence_checklist(a)
    reasons = dict(a.reasons or {})
    if not reasons and a.status == RecognitionStatus.PROPOSED:
        reasons = services.category_reasons(a.person, a.applied_on)
    return RecognitionDetail(
        **_item(a),
        reasons=[CategoryOut(code=c, label=services.category_label(c), reason=reasons.get(c, "")) for c in a.categories],
        evidence=[EvidenceOut(name=i.name, categories=i.categories, uploaded=i.uploaded, file_ids=[f.pk for f in i.files])
                  for i in items],
        other_file_ids=[f.pk for f in others], decision_note=a.decision_note, exit_note=a.exit_note,
        may_decide=services.may_decide(request.auth, a), may_exit=services.may_exit(request.auth, a))


class RecognitionFilters(Schema):
    status: _choices(RecognitionStatus) = ""
    category: Literal[tuple(services.CATEGORY_CODES) + ("",)] = ""  # type: ignore[valid-type]
    origin: _choices(RecognitionOrigin) = ""
    region_code: RegionCodeFilter = ""
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    recognised_on: ApiDate | None = Field(None, description="认定有效日期：只列出该日认定有效的记录")
    person_id: RecordId | None = None
    sort: text(32) = Field("", description="排序：name、region、applied_on、status、decided_at、valid_until，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("", response=RecognitionList, summary="就业困难人员认定列表（与网页列表同一查询）")
def list_recognitions(request, filters: Query[RecognitionFilters]):
    s = queries.RecognitionSearch(**filters.dict())
    rows, more = queries.search_recognitions(request.auth, s)
    return RecognitionList(count=queries.count_recognitions(request.auth, s), items=[_item(a) for a in rows], has_more=more)


@router.get("/{recognition_id}", response=RecognitionDetail, summary="一条认定：类别及依据、材料清单")
def get_recognition(request, recognition_id: RecordId):
    return _detail(request, queries.get_recognition(request.auth, recognition_id))


class ProposeIn(Schema):
    person_id: RecordId
    categories: text(300) = Field(..., description="认定类别（代码或中文名称，多个用、或逗号分隔）")
    applied_on: ApiDate | None = None
    note: text(255) = ""


@router.post("", response={201: RecognitionDetail}, summary="申请认定（经办人代本人申请）")
def propose(request, payload: ProposeIn):
    person = registry_queries.get_person_for_change(request.auth, payload.person_id)
    codes, unknown = services.parse_categories(payload.categories)
    # Unknown names go to the service too, which reports them with every other problem at once.
    act = services.propose(actor=request.auth, person=person, categories=codes + unknown, applied_on=payload.applied_on,
                           note=payload.note)
    return Status(201, _detail(request, queries.get_recognition(request.auth, act.pk, audit_read=False)))


class DecideIn(Schema):
    decision: Literal["recognised", "rejected"]
    valid_from: ApiDate | None = None
    note: text(255) = ""


@router.post("/{recognition_id}/decide", response=RecognitionDetail, summary="认定决定（街道或区县）")
def decide(request, recognition_id: RecordId, payload: DecideIn):
    act = queries.get_recognition(request.auth, recognition_id, audit_read=False)
    services.decide(actor=request.auth, act=act, recognised=payload.decision == "recognised", note=payload.note,
                    valid_from=payload.valid_from)
    return _detail(request, queries.get_recognition(request.auth, recognition_id, audit_read=False))


class ExitIn(Schema):
    reason: _choices(ExitReason, blank=False)
    on: ApiDate | None = None
    note: text(255) = ""


@router.post("/{recognition_id}/exit", response=RecognitionDetail, summary="退出认定")
def exit_recognition(request, recognition_id: RecordId, payload: ExitIn):
    act = queries.get_recognition(request.auth, recognition_id, audit_read=False)
    services.exit_recognition(actor=request.auth, act=act, reason=payload.reason, on=payload.on, note=payload.note)
    return _detail(request, queries.get_recognition(request.auth, recognition_id, audit_read=False))


class WithdrawIn(Schema):
    note: text(255)


@router.post("/{recognition_id}/withdraw", response=RecognitionDetail, summary="撤销认定申请")
def withdraw(request, recognition_id: RecordId, payload: WithdrawIn):
    act = queries.get_recognition(request.auth, recognition_id, audit_read=False)
    services.withdraw(actor=request.auth, act=act, note=payload.note)
    return _detail(request, queries.get_recognition(request.auth, recognition_id, audit_read=False))


@router.post("/{recognition_id}/evidence", response={201: RecognitionDetail},
             summary="上传证明材料（multipart/form-data：文件 file，材料名称 kind 可选，留空为其他材料）")
def upload_evidence(request, recognition_id: RecordId, file: File[UploadedFile], kind: Form[text(64) | None] = None):
    act = queries.get_recognition(request.auth, recognition_id, audit_read=False)
    services.upload_evidence(actor=request.auth, act=act, files=[file], kind=kind or "")
    return Status(201, _detail(request, queries.get_recognition(request.auth, recognition_id, audit_read=False)))
