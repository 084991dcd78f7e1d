"""API of the 就业创业证 and of 迁入/迁出 (issue 7, H2). Thin handlers over ``registry.certificates`` and
``registry.transfers``; records outside the scope answer 404 like records that do not exist."""
from __future__ import annotations

import datetime

from ninja import Query, Router, Schema, Status

from jiuye.apitypes import Limit, RecordId, RegionCode, text
from jiuye.registry import certificates, queries, transfers
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Certificate, Transfer

router = Router(tags=["registry"])


class CertificateOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    issued_on: datetime.date
    issued_by_code: str
    issued_by_name: str
    replaces: str | None
    reissue_reason: str
    reissue_reason_label: str


class CertificateList(Schema):
    items: list[CertificateOut]


def _cert_out(cert: Certificate) -> CertificateOut:
    return CertificateOut(
        id=cert.pk, number=cert.number, status=cert.status, status_label=str(cert.get_status_display()),
        issued_on=cert.issued_on, issued_by_code=cert.issued_by_id,
        issued_by_name=certificates.issuing_authority(cert.issued_by),
        replaces=cert.replaces.number if cert.replaces_id else None, reissue_reason=cert.reissue_reason,
        reissue_reason_label=str(cert.get_reissue_reason_display()) if cert.reissue_reason else "",
    )


@router.get("/persons/{person_id}/certificates", response=CertificateList, summary="就业创业证（现证在前）")
def list_certificates(request, person_id: RecordId):
    _person, certs = certificates.certificates_for(request.auth, person_id)
    return CertificateList(items=[_cert_out(c) for c in certs])


class IssueIn(Schema):
    note: text(255) = ""


@router.post("/persons/{person_id}/certificates", response={201: CertificateOut},
             summary="发放就业创业证（已办理登记、尚无有效证书的人员）")
def issue_certificate(request, person_id: RecordId, payload: IssueIn):
    person = queries.get_person_for_change(request.auth, person_id)
    return Status(201, _cert_out(certificates.issue(actor=request.auth, person=person, note=payload.note)))


class ReissueIn(Schema):
    reason: text(16)
    note: text(255) = ""


@router.post("/persons/{person_id}/certificates/reissue", response={201: CertificateOut},
             summary="补发/换发就业创业证（原证失效，发新编号）；reason: lost | damaged | info_changed | other")
def reissue_certificate(request, person_id: RecordId, payload: ReissueIn):
    person = queries.get_person_for_change(request.auth, person_id)
    cert = certificates.reissue(actor=request.auth, person=person, reason=payload.reason, note=payload.note)
    return Status(201, _cert_out(cert))


# ---------------------------------------------------------------------------------------------
# Transfers


class TransferOut(Schema):
    id: int
    person_id: int
    person_name: str
    id_number_masked: str
    from_region_code: str
    from_region_name: str
    to_region_code: str
    to_region_name: str
    reason: str
    status: str
    status_label: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str


def _transfer_out(t: Transfer) -> TransferOut:
    return TransferOut(
        id=t.pk, person_id=t.person_id, person_name=t.person.name, id_number_masked=mask_id_number(t.person.id_number),
        from_region_code=t.from_region_id, from_region_name=t.from_region.name, to_region_code=t.to_region_id,
        to_region_name=t.to_region.name, reason=t.reason, status=t.status, status_label=str(t.get_status_display()),
        requested_at=t.requested_at, decided_at=t.decided_at, decision_note=t.decision_note,
    )


class TransferLists(Schema):
    incoming: list[TransferOut]
    outgoing: list[TransferOut]
    incoming_pending: int
    outgoing_pending: int


@router.get("/transfers", response=TransferLists, summary="人员迁移：迁入（待本辖区接收）与迁出")
def list_transfers(request, status: text(12) = "", limit: Limit = Query(100, le=200)):
    lists = transfers.transfer_lists(request.auth, status=status, limit=limit)
    return TransferLists(incoming=[_transfer_out(t) for t in lists.incoming],
                         outgoing=[_transfer_out(t) for t in lists.outgoing],
                         incoming_pending=lists.incoming_pending, outgoing_pending=lists.outgoing_pending)


class TransferIn(Schema):
    to_region: RegionCode
    reason: text(255, min_length=1)


@router.post("/persons/{person_id}/transfers", response={201: TransferOut}, summary="迁出：移交到本市另一社区/村")
def request_transfer(request, person_id: RecordId, payload: TransferIn):
    person = queries.get_person_for_change(request.auth, person_id)
    transfer = transfers.request_transfer(actor=request.auth, person=person, to_region=payload.to_region,
                                          reason=payload.reason)
    return Status(201, _transfer_out(transfer))


class DecisionIn(Schema):
    note: text(255) = ""


@router.post("/transfers/{transfer_id}/accept", response=TransferOut, summary="迁入：接收（人员转入本社区）")
def accept_transfer(request, transfer_id: RecordId, payload: DecisionIn):
    transfer = transfers.get_transfer(request.auth, transfer_id)
    return _transfer_out(transfers.accept_transfer(actor=request.auth, transfer=transfer, note=payload.note))


@router.post("/transfers/{transfer_id}/reject", response=TransferOut, summary="退回迁移（须填写原因）")
def reject_transfer(request, transfer_id: RecordId, payload: DecisionIn):
    transfer = transfers.get_transfer(request.auth, transfer_id)
    return _transfer_out(transfers.reject_transfer(actor=request.auth, transfer=transfer, note=payload.note))


@router.post("/transfers/{transfer_id}/cancel", response=TransferOut, summary="撤回迁出申请")
def cancel_transfer(request, transfer_id: RecordId, payload: DecisionIn):
    transfer = transfers.get_transfer(request.auth, transfer_id)
    return _transfer_out(transfers.cancel_transfer(actor=request.auth, transfer=transfer, note=payload.note))
