"""API of the relocation communities and their three ledgers (易地搬迁社区三本台账), helper "ledger".

Thin handlers over ``assistance.queries.ledgers`` (the same functions as the web pages, with the same
filters, counts and order) and ``assistance.services.relocation``. Identity numbers are always masked
here; a community outside the scope, or not flagged, answers 404 like one that does not exist."""
from __future__ import annotations

import datetime
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from pydantic import Field
from ninja import Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RegionCode, text
from jiuye.assistance.queries import ledgers
from jiuye.assistance.services import relocation
from jiuye.regions.codes import level_of, pad
from jiuye.regions.models import Region
from jiuye.registry.identity import mask_id_number

router = Router(tags=["assistance"])
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class Counts(Schema):
    residents: int
    labour: int
    employed: int
    unemployed: int
    not_working: int
    transfer: int
    county: int
    city: int
    province: int
    outside: int
    unknown: int
    posts: int


class CommunityOut(Schema):
    region_code: str
    region_name: str
    street_name: str
    project_name: str
    households_relocated: int | None
    persons_relocated: int | None
    since: datetime.date | None
    note: str
    ended_on: datetime.date | None = None
    end_reason: str = ""
    counts: Counts | None = None


class CommunityList(Schema):
    on: datetime.date
    count: int
    items: list[CommunityOut]


def _community_out(c, counts=None) -> CommunityOut:
    return CommunityOut(region_code=c.region_id, region_name=c.region.name,
                        street_name=c.region.parent.name if c.region.parent_id else "", project_name=c.project_name,
                        households_relocated=c.households_relocated, persons_relocated=c.persons_relocated,
                        since=c.since, note=c.note, ended_on=c.ended_on, end_reason=c.end_reason, counts=Counts(**counts) if counts is not None else None)


@router.get("/relocation-ledgers", response=CommunityList, summary="易地搬迁安置社区及其台账统计（按日期）")
def list_communities(request, on: ApiDate | None = None):
    on = on or timezone.localdate()
    rows = ledgers.community_rows(request.auth, on)
    return CommunityList(on=on, count=len(rows), items=[_community_out(r.community, r.counts) for r in rows])


class CommunityIn(Schema):
    region: RegionCode
    project_name: text(128)
    households_relocated: Count | None = None
    persons_relocated: Count | None = None
    since: ApiDate | None = None
    note: text(255) = ""


class CommunityPatch(Schema):
    project_name: text(128) | None = None
    households_relocated: Count | None = None
    persons_relocated: Count | None = None
    since: ApiDate | None = None
    note: text(255) | None = None


@router.post("/relocation-ledgers", response={201: CommunityOut}, summary="标记易地搬迁安置社区（区县、市人社局）")
def flag_community(request, payload: CommunityIn):
    row = relocation.flag_community(actor=request.auth, **payload.dict())
    row = ledgers.get_relocation_community(request.auth, row.region_id)
    return Status(201, _community_out(row))


@router.patch("/relocation-ledgers/{code}", response=CommunityOut, summary="修改易地搬迁安置社区信息")
def update_community(request, code: RegionCode, payload: CommunityPatch):
    row = ledgers.get_relocation_community(request.auth, code)
    changes = payload.dict(exclude_unset=True)
    for key in ("project_name", "note"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    relocation.update_community(actor=request.auth, community=row, **changes)
    return _community_out(ledgers.get_relocation_community(request.auth, code))


class CommunityEnd(Schema):
    reason: text(255)
    ended_on: ApiDate | None = None


@router.post("/relocation-ledgers/{code}/end", response=CommunityOut,
             summary="取消标记易地搬迁安置社区（区县、市人社局；自 ended_on 起不再列入，默认今天；此前日期的台账不变）")
def end_community(request, code: RegionCode, payload: CommunityEnd):
    row = ledgers.get_relocation_community(request.auth, code)
    row = relocation.end_community(actor=request.auth, community=row, **payload.dict())
    return _community_out(row)


class LedgerRowOut(Schema):
    serial: int
    person_id: int
    name: str
    id_number_masked: str
    sex: str
    age: int | None
    household_number: str
    region_code: str
    education: str
    skills: list[str]
    able_to_work: bool
    willing_to_work: bool
    status: str
    status_label: str
    status_since: datetime.date | None
    employer_id: int | None
    employer_name: str
    employment_form: str
    employment_form_label: str
    destination: str
    destination_label: str
    occupation: str
    contract_type: str
    contract_start: datetime.date | None
    contract_end: datetime.date | None
    social_insurance: bool | None
    preferred_occupation: str
    preferred_work_place: str
    groups: list[str]
    tenure: str
    post_name: str
    monthly_subsidy: str


class LedgerOut(Schema):
    ledger: str
    ledger_label: str
    on: datetime.date
    count: int
    counts: Counts
    items: list[LedgerRowOut]


def _row_out(r) -> LedgerRowOut:
    p, reg = r.person, r.registration
    return LedgerRowOut(
        serial=r.serial, person_id=p.pk, name=p.name, id_number_masked=mask_id_number(p.id_number),
        sex=ledgers.sex_label(p), age=r.age, household_number=p.household_number or "", region_code=p.region_id,
        education=ledgers.education_label(p), skills=list(p.skills or []), able_to_work=p.able_to_work,
        willing_to_work=p.willing_to_work, status=p.status_on_date, status_label=r.status_label,
        status_since=p.status_since_on_date, employer_id=p.employer_on_date, employer_name=r.employer_name,
        employment_form=p.form_on_date or "", employment_form_label=r.form_label, destination=p.destination or "",
        destination_label=r.destination_label, occupation=reg.occupation if reg else "",
        contract_type=reg.contract_type if reg else "", contract_start=reg.contract_start if reg else None,
        contract_end=reg.contract_end if reg else None, social_insurance=reg.social_insurance if reg else None,
        preferred_occupation=p.preferred_occupation, preferred_work_place=p.preferred_work_place, groups=r.groups,
        tenure=r.tenure, post_name=r.post.post_name if r.post else "",
        monthly_subsidy=str(r.post.subsidy) if r.post and r.post.subsidy is not None else "",
    )


@router.get("/relocation-ledgers/{code}/{ledger}", response=LedgerOut,
            summary="台账：labour 劳动力数据台账 | transfer 转移就业台账 | posts 公益性岗位台账；code 为安置社区，"
                    "或街道、区县代码（其下全部安置社区）")
def ledger(request, code: RegionCode, ledger: text(12), on: ApiDate | None = None, sort: text(32) = "",
           limit: Limit = Query(50, le=200), offset: Offset = 0):
    if ledger not in ledgers.LEDGERS:
        raise Http404(ledgers.NOT_FOUND)
    if level_of(pad(code)) == Region.Level.COMMUNITY:
        # a community: 404 unless flagged (and not unflagged by the ledger's date) and in scope
        ledgers.get_relocation_community(request.auth, pad(code), on)
    s = ledgers.LedgerSearch(ledger=ledger, region_code=code, on=on, sort=sort, limit=limit, offset=offset)
    rows, _more = ledgers.search_ledger(request.auth, s)
    return LedgerOut(ledger=ledger, ledger_label=str(ledgers.LEDGERS[ledger]), on=s.date,
                     count=ledgers.count_ledger(request.auth, s),
                     counts=Counts(**ledgers.ledger_counts(request.auth, code, s.date)), items=[_row_out(r) for r in rows])
