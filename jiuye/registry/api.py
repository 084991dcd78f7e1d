"""Registry endpoints. Handlers are thin: they parse, call queries/services, and shape the answer.
A service's ValidationError becomes 422 and PermissionDenied 403 (the handlers in jiuye/api.py)."""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import Field as PydanticField
from pydantic import field_validator

from jiuye.apitypes import (ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, SmallInt,
                            reject_null, text)
from jiuye.registry.status import status_label
from jiuye.registry import groups as group_rules
from jiuye.registry import queries, services
from jiuye.registry.identity import IdentityError, mask_id_number, mask_phone, parse_resident_id
from jiuye.registry.retirement import under_working_age_notice
from jiuye.registry.models import (
    ContractType,
    Employer,
    EmploymentForm,
    EndingReason,
    Person,
    Registration,
    Relation,
    UnemploymentReason,
)

router = Router(tags=["registry"])


class ErrorOut(Schema):
    detail: object


class PersonListItem(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: datetime.date
    region_code: str
    region_name: str
    employment_status: str
    employment_status_label: str
    phone_masked: str


class PersonPage(Schema):
    items: list[PersonListItem]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


def _list_item(p: Person) -> PersonListItem:
    return PersonListItem(
        id=p.pk, name=p.name, id_number_masked=mask_id_number(p.id_number), sex=p.sex, birth_date=p.birth_date,
        region_code=p.region_id, region_name=p.region.name, employment_status=p.employment_status,
        employment_status_label=status_label(p.employment_status, p.status_since), phone_masked=mask_phone(p.phone),
    )


@router.get("/persons", response={200: PersonPage, 400: ErrorOut}, summary="人员检索（证件号码脱敏）")
def search_persons(request, q: SearchText = "", region: RegionCodeFilter = "", status: text(16) = "",
                   group: text(64) = "", hukou_type: text(8) = "",
                   sort: text(32) = Query("", description="排序：name、region、status、id，前加“-”为降序"),
                   limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.PersonSearch(text=q, region_code=region, status=status, group=group, hukou_type=hukou_type,
                                  sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_persons(request.auth, search)
        count = queries.count_persons(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return PersonPage(items=[_list_item(p) for p in rows], count=count, has_more=has_more, limit=limit, offset=offset)


class GroupOut(Schema):
    code: str
    label: str
    reason: str


class RegistrationOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_date: datetime.date
    employer_id: int | None
    employer_name: str | None
    employment_form: str
    contract_type: str
    contract_months: int | None
    contract_start: datetime.date | None = Field(None, description="合同起始日期（仅就业登记）")
    contract_end: datetime.date | None = Field(None, description="合同终止日期：合同的最后一天（仅就业登记）")
    social_insurance: bool | None
    occupation: str
    unemployment_reason: str
    ending_reason: str
    corrects_id: int | None
    reason: str
    operator: str | None
    source: str
    recorded_at: datetime.datetime
    counts: bool
    registered_in: str = Field(..., description="登记地：办理登记的社区/村的12位区划代码")
    former_employer_id: int | None = Field(None, description="失业前单位（仅失业登记）")


class StatusOnOut(Schema):
    on: datetime.date
    status: str
    status_label: str
    since: datetime.date | None
    employer_id: int | None


class ChangeOut(Schema):
    at: datetime.datetime
    actor_name: str
    action: str
    summary: str
    fields: list[str]
    channel: str


class PersonDetail(Schema):
    id: int
    name: str
    id_number: str
    sex: str
    birth_date: datetime.date
    age: int
    retirement_date: datetime.date
    working_age: bool
    ethnicity: str
    phone: str
    hukou_type: str
    hukou_place: str
    region_code: str
    region_name: str
    address: str
    education: str
    graduation_date: datetime.date | None
    school_type: str
    is_veteran: bool
    veteran_kind: str
    has_disability: bool
    is_dibao: bool
    poverty_status: str
    able_to_work: bool
    willing_to_work: bool
    skills: list
    certificates: list
    employment_status: str
    status_since: datetime.date | None
    current_employer_id: int | None
    household_id: int | None
    household_number: str | None
    groups_on: datetime.date
    groups: list[GroupOut]
    status_on: StatusOnOut | None = Field(None, description="给出 on 时：该日的就业状态")
    registrations: list[RegistrationOut]
    change_log: list[ChangeOut] | None = Field(None, description="档案变更记录（仅可查看审计日志的角色）")
    notices: list[str] = Field(default_factory=list, description="提示（如新建档案的本人未满16周岁）")


def _registration_out(entry: Registration, counts: bool) -> RegistrationOut:
    return RegistrationOut(
        id=entry.pk, kind=entry.kind, kind_label=str(entry.get_kind_display()), effective_date=entry.effective_date,
        employer_id=entry.employer_id, employer_name=entry.employer.name if entry.employer_id else None,
        employment_form=entry.employment_form, contract_type=entry.contract_type, contract_months=entry.contract_months,
        contract_start=entry.contract_start, contract_end=entry.contract_end,
        social_insurance=entry.social_insurance, occupation=entry.occupation,
        unemployment_reason=entry.unemployment_reason, ending_reason=entry.ending_reason, corrects_id=entry.corrects_id,
        reason=entry.reason, operator=entry.operator.username if entry.operator_id else None, source=entry.source,
        recorded_at=entry.recorded_at, counts=counts, registered_in=entry.registered_in_id,
        former_employer_id=entry.former_employer_id,
    )


def _groups_out(groups) -> list[GroupOut]:
    return [GroupOut(code=g.code, label=g.label, reason=g.reason) for g in groups]


def _person_detail(page: queries.PersonPage) -> PersonDetail:
    person = page.person
    then = page.status_then
    return PersonDetail(
        id=person.pk, name=person.name,
        id_number=person.id_number if page.show_full_id else mask_id_number(person.id_number),
        sex=person.sex, birth_date=person.birth_date, age=page.age, retirement_date=person.retirement_date,
        working_age=page.working_age,
        ethnicity=person.ethnicity, phone=person.phone, hukou_type=person.hukou_type, hukou_place=person.hukou_place,
        region_code=person.region_id, region_name=person.region.full_name or person.region.name, address=person.address,
        education=person.education, graduation_date=person.graduation_date, school_type=person.school_type,
        is_veteran=person.is_veteran, veteran_kind=person.veteran_kind, has_disability=person.has_disability,
        is_dibao=person.is_dibao, poverty_status=person.poverty_status, able_to_work=person.able_to_work,
        willing_to_work=person.willing_to_work, skills=person.skills, certificates=person.certificates,
        employment_status=person.employment_status, status_since=person.status_since,
        current_employer_id=person.current_employer_id,
        household_id=page.membership.household_id if page.membership else None,
        household_number=page.membership.household.number if page.membership else None,
        groups_on=page.groups_on, groups=_groups_out(page.groups),
        status_on=StatusOnOut(on=then.on, status=then.status.status, status_label=then.label, since=then.status.since,
                              employer_id=then.status.employer_id) if then else None,
        registrations=[_registration_out(row.entry, row.counts) for row in page.timeline],
        change_log=[ChangeOut(at=r.entry.at, actor_name=r.entry.actor_name, action=r.entry.action,
                              summary=r.entry.summary, fields=r.fields, channel=r.entry.channel)
                    for r in page.change_log] if page.change_log is not None else None,
    )


@router.get("/persons/{person_id}", response=PersonDetail, summary="人员档案（查看留痕）")
def get_person(request, person_id: RecordId, on: ApiDate | None = None):
    return _person_detail(queries.person_page(request.auth, person_id, on=on))


class PersonStatusOut(Schema):
    person_id: int
    on: datetime.date
    status: str
    since: datetime.date | None
    employer_id: int | None
    groups: list[GroupOut]


@router.get("/persons/{person_id}/status", response=PersonStatusOut, summary="某日的就业状态与人员类别")
def person_status(request, person_id: RecordId, on: ApiDate):
    page = queries.person_page(request.auth, person_id, on=on)
    st = page.status_then.status
    return PersonStatusOut(person_id=page.person.pk, on=on, status=st.status, since=st.since, employer_id=st.employer_id,
                           groups=_groups_out(page.groups))


def _choices(choices, blank: bool = True):
    """A Literal of a model's choice values (the schema lists them; anything else is a 422)."""
    return Literal[tuple(choices.values) + (("",) if blank else ())]


class RegistrationIn(Schema):
    kind: Literal["employment", "unemployment", "ending"] = Field(..., description="employment | unemployment | ending")
    effective_date: ApiDate
    employer_credit_code: text(32) = Field("", description="就业单位的统一社会信用代码（任何地区的单位均可）")
    employer_id: RecordId | None = Field(None, description="就业单位记录号（仅限您可查看的单位；否则用统一社会信用代码）")
    employment_form: _choices(EmploymentForm) = ""
    contract_type: _choices(ContractType) = ""
    contract_months: SmallInt | None = Field(None, description="合同期限（月）；给出合同起止日期时由系统计算，可不填，填写须与之相符")
    contract_start: ApiDate | None = Field(None, description="合同起始日期")
    contract_end: ApiDate | None = Field(None, description="合同终止日期（合同的最后一天）；固定期限合同必填，无固定期限合同不填")
    social_insurance: bool | None = None
    occupation: text(64) = ""
    unemployment_reason: _choices(UnemploymentReason) = ""
    ending_reason: _choices(EndingReason) = ""
    registered_in: RegionCode = Field("", description="登记地（社区/村区划代码），空为本人居住社区；须在本人管辖范围内")
    former_employer_credit_code: text(32) = Field("", description="失业前单位的统一社会信用代码（仅失业登记，可空）")
    former_employer_id: RecordId | None = Field(None, description="失业前单位记录号（仅失业登记，可空；仅限您可查看的单位）")
    confirm: bool = Field(False, description="本人档案记为无劳动能力或无就业意愿时，办理失业登记须为 true（已核实）；记入审计")


def _employer_for(request, field: str, credit_code: str, employer_id: int | None) -> Employer | None:
    """The employer a registration names: by its (public) credit code from any region, or by record
    number among the employers the user may see. An id out of scope gets the same answer as one that
    does not exist, and no name."""
    if credit_code:
        employer = queries.employer_for_registration(credit_code)
        if employer is None:
            raise ValidationError({f"{field}_credit_code": [f"统一社会信用代码为“{credit_code}”的单位未登记"]})
        return employer
    if employer_id is None:
        return None
    employer = queries.visible_employer_for_registration(request.auth, employer_id)
    if employer is None:
        raise ValidationError({f"{field}_id": [f"单位{employer_id}不存在或不在您的管辖范围内，请用统一社会信用代码指定单位"]})
    return employer


def _add_registration(request, person: Person, payload: RegistrationIn, *, corrects=None, reason: str = ""):
    common = dict(actor=request.auth, person=person, effective_date=payload.effective_date, source="api",
                  corrects=corrects, reason=reason, registered_in=payload.registered_in or None)
    if payload.kind == Registration.Kind.EMPLOYMENT:
        return services.register_employment(
            employment_form=payload.employment_form,
            employer=_employer_for(request, "employer", payload.employer_credit_code, payload.employer_id),
            contract_type=payload.contract_type,
            contract_months=payload.contract_months, social_insurance=payload.social_insurance,
            occupation=payload.occupation, contract_start=payload.contract_start, contract_end=payload.contract_end,
            **common)
    if payload.kind == Registration.Kind.UNEMPLOYMENT:
        former = _employer_for(request, "former_employer", payload.former_employer_credit_code,
                               payload.former_employer_id)
        return services.register_unemployment(unemployment_reason=payload.unemployment_reason,
                                              former_employer=former, confirm=payload.confirm, **common)
    if payload.kind == Registration.Kind.ENDING:
        return services.end_status(ending_reason=payload.ending_reason, **common)
    raise ValidationError({"kind": [f"登记类型“{payload.kind}”无效"]})


@router.post("/persons/{person_id}/registrations", response={201: RegistrationOut}, summary="就业/失业登记或状态终止")
def add_registration(request, person_id: RecordId, payload: RegistrationIn):
    person = _writable_person(request, person_id)
    entry = _add_registration(request, person, payload)
    return Status(201, _registration_out(entry, True))


class CorrectionIn(Schema):
    reason: text(255, multiline=True, min_length=1)
    replacement: RegistrationIn | None = Field(None, description="空表示作废该登记")


@router.post("/registrations/{registration_id}/corrections", response={201: RegistrationOut},
             summary="更正或作废一条登记（原登记保留）")
def correct_registration(request, registration_id: RecordId, payload: CorrectionIn):
    # One answer for "no such registration" and "not yours to change" (ids cannot be probed).
    entry = queries.get_registration_for_change(request.auth, registration_id)
    person = _writable_person(request, entry.person_id)
    if payload.replacement is None:
        new = services.void_registration(actor=request.auth, registration=entry, reason=payload.reason)
    else:
        new = _add_registration(request, person, payload.replacement, corrects=entry, reason=payload.reason)
    return Status(201, _registration_out(new, new.kind != Registration.Kind.VOID))


def _writable_person(request, person_id: int) -> Person:
    return queries.get_person_for_change(request.auth, person_id)


class PersonIn(Schema):
    id_number: text(18)
    name: text(64)
    region_code: RegionCode
    hukou_type: text(8)
    phone: text(20) = ""
    hukou_place: text(128) = ""
    address: text(255) = ""
    education: text(16) = ""
    graduation_date: ApiDate | None = None
    school_type: text(24) = ""
    is_veteran: bool = False
    has_disability: bool = False
    is_dibao: bool = False
    poverty_status: text(16) = "none"
    able_to_work: bool = True
    willing_to_work: bool = True


@router.post("/persons", response={201: PersonDetail}, summary="新建人员档案")
def create_person(request, payload: PersonIn):
    data = payload.dict()
    person = services.create_person(actor=request.auth, region=data.pop("region_code"), **data)
    detail = _person_detail(queries.person_page(request.auth, person.pk, audit_read=False))
    notice = under_working_age_notice(person.birth_date, timezone.localdate())
    detail.notices = [notice] if notice else []
    return Status(201, detail)


class PersonPatch(Schema):
    name: text(64) | None = None
    phone: text(20) | None = None
    address: text(255) | None = None
    region_code: RegionCode | None = None
    education: text(16) | None = None
    graduation_date: ApiDate | None = None
    able_to_work: bool | None = None
    willing_to_work: bool | None = None
    is_dibao: bool | None = None
    has_disability: bool | None = None
    poverty_status: text(16) | None = None

    @field_validator("name", "phone", "address", "region_code", "education", "able_to_work", "willing_to_work",
                     "is_dibao", "has_disability", "poverty_status", mode="before")
    @classmethod
    def _not_null(cls, value):
        return reject_null(value)  # only graduation_date may be cleared with null


@router.patch("/persons/{person_id}", response=PersonDetail, summary="修改人员信息")
def update_person(request, person_id: RecordId, payload: PersonPatch):
    person = _writable_person(request, person_id)
    changes = payload.dict(exclude_unset=True)
    if "region_code" in changes:
        changes["region"] = changes.pop("region_code")
    fields = ["region_id" if f == "region" else f for f in changes]
    before = [getattr(person, f) for f in fields]
    services.update_person(actor=request.auth, person=person, **changes)
    changed = [getattr(person, f) for f in fields] != before
    # The answer shows the whole record: with no change it is a read, and audited as one (a change is
    # audited by the service). The identity number is masked unless the role may see it.
    return _person_detail(queries.person_page(request.auth, person.pk, audit_read=not changed))


class MemberOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    relation: str
    employment_status: str
    joined_on: datetime.date


class HouseholdOut(Schema):
    id: int
    number: str
    region_code: str
    address: str
    has_business_income: bool
    note: str
    zero_employment: bool
    members: list[MemberOut]


def _household_out(page: queries.HouseholdPage) -> HouseholdOut:
    household = page.household
    return HouseholdOut(
        id=household.pk, number=household.number, region_code=household.region_id, address=household.address,
        has_business_income=household.has_business_income, note=household.note, zero_employment=page.zero_employment,
        members=[MemberOut(person_id=m.person_id, name=m.person.name, id_number_masked=mask_id_number(m.person.id_number),
                           relation=m.relation, employment_status=m.person.employment_status, joined_on=m.joined_on)
                 for m in (row.membership for row in page.members)],
    )


@router.get("/households/{household_id}", response=HouseholdOut, summary="家庭户")
def get_household(request, household_id: RecordId):
    return _household_out(queries.household_page(request.auth, household_id))


class HouseholdListItem(Schema):
    id: int
    number: str
    region_code: str
    address: str
    member_count: int


class HouseholdPage(Schema):
    items: list[HouseholdListItem]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


@router.get("/households", response={200: HouseholdPage, 400: ErrorOut}, summary="家庭户列表")
def list_households(request, q: SearchText = Query("", description="户编号（前缀）"), region: RegionCodeFilter = "",
                    zero_employment: bool = False,
                    sort: text(32) = Query("", description="排序：number、region、address、members，前加“-”为降序"),
                    limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.HouseholdSearch(number=q, region_code=region, zero_employment=zero_employment, sort=sort,
                                     limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_households(request.auth, search)
        count = queries.count_households(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return HouseholdPage(items=[HouseholdListItem(id=h.pk, number=h.number, region_code=h.region_id, address=h.address,
                                                  member_count=h.member_count) for h in rows],
                         count=count, has_more=has_more, limit=limit, offset=offset)


# Creating and editing households and their members (the web's services, rules and messages). Writers
# only (403 for other roles); a household or member outside the user's scope is a 404 like a missing one.


@contextmanager
def _fields_named(**aliases: str):
    """Reports a service's ValidationError under the body's field names (``region`` → ``region_code``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({aliases.get(k, k): v for k, v in exc.error_dict.items()}) from None


def _strip(data: dict, *names: str) -> dict:
    return {k: v.strip() if k in names and isinstance(v, str) else v for k, v in data.items()}


class HouseholdIn(Schema):
    number: text(32) = Field("", description="户编号；空则自动编号：社区代码-序号，如610102001001-00042")
    region_code: RegionCode = Field(..., description="所在社区/村的12位区划代码")
    address: text(255) = ""
    has_business_income: bool = Field(False, description="有经营性或投资性收入")
    note: text(255) = ""


@router.post("/households", response={201: HouseholdOut}, summary="新建家庭户（户编号可自动生成）")
def create_household(request, payload: HouseholdIn):
    data = _strip(payload.dict(), "number", "address", "note")
    with _fields_named(region="region_code"):
        household = services.create_household(actor=request.auth, region=data.pop("region_code"), **data)
    return Status(201, _household_out(queries.household_page(request.auth, household.pk, audit_read=False)))


class HouseholdPatch(Schema):
    address: text(255) | None = None
    has_business_income: bool | None = None
    note: text(255) | None = None

    @field_validator("address", "has_business_income", "note", mode="before")
    @classmethod
    def _not_null(cls, value):
        return reject_null(value)


@router.patch("/households/{household_id}", response=HouseholdOut, summary="修改家庭户信息（户编号与所在社区不变）")
def update_household(request, household_id: RecordId, payload: HouseholdPatch):
    household = queries.get_household_for_change(request.auth, household_id)
    changes = _strip(payload.dict(exclude_unset=True), "address", "note")
    before = [getattr(household, f) for f in changes]
    services.update_household(actor=request.auth, household=household, **changes)
    changed = [getattr(household, f) for f in changes] != before
    # With no change the answer is a read of the household, audited as one (a change is audited by the service).
    return _household_out(queries.household_page(request.auth, household.pk, audit_read=not changed))


class MemberIn(Schema):
    person_id: RecordId | None = Field(None, description="成员的人员记录号（与 id_number 二选一）")
    id_number: text(24) = Field("", description="成员的公民身份号码（与 person_id 二选一）")
    relation: _choices(Relation, blank=False) = Field(..., description="与户主关系；一户只能有一个户主")
    joined_on: ApiDate | None = Field(None, description="加入日期，空为今天")
    move: bool = Field(False, description="已属其他户的，从原户迁入本户（原户成员关系于加入日期结束）")


def _member_person(request, payload: MemberIn) -> Person:
    """The person a member request names, among those the user may see (one message whether the person
    does not exist or lies outside the scope)."""
    if payload.person_id is not None and payload.id_number.strip():
        raise ValidationError({"person_id": [_("请只指定 person_id 或 id_number 之一")]})
    if payload.person_id is not None:
        person = queries.visible_person(request.auth, payload.person_id)
        if person is None:
            raise ValidationError({"person_id": [_("人员%(id)s不存在或不在您的管辖范围内") % {"id": payload.person_id}]})
        return person
    if not payload.id_number.strip():
        raise ValidationError({"person_id": [_("请指定成员：person_id 或 id_number")]})
    try:
        parse_resident_id(payload.id_number)
    except IdentityError as exc:
        raise ValidationError({"id_number": [str(exc)]}) from None
    person = queries.visible_person_by_id_number(request.auth, payload.id_number)
    if person is None:
        raise ValidationError({"id_number": [_("未找到该公民身份号码的人员，或该人员不在您的管辖范围内；请先新建人员档案")]})
    return person


@router.post("/households/{household_id}/members", response={201: HouseholdOut}, summary="添加家庭成员")
def add_household_member(request, household_id: RecordId, payload: MemberIn):
    household = queries.get_household_for_change(request.auth, household_id)
    person = _member_person(request, payload)
    with _fields_named(person="id_number" if payload.person_id is None else "person_id"):
        services.add_household_member(actor=request.auth, household=household, person=person,
                                      relation=payload.relation, joined_on=payload.joined_on, move=payload.move)
    return Status(201, _household_out(queries.household_page(request.auth, household.pk, audit_read=False)))


def _current_member(request, household_id: int, person_id: int):
    """A household the user may change and one of its current members; anything else is a 404."""
    household = queries.get_household_for_change(request.auth, household_id)
    membership = queries.household_members(household).filter(person_id=person_id).first()
    if membership is None:
        raise queries.NotFound(_("该人员不是本户现有成员"))
    return household, membership


class MemberRelationIn(Schema):
    relation: _choices(Relation, blank=False) = Field(..., description="与户主关系；改为户主须先修改原户主的关系")


@router.patch("/households/{household_id}/members/{person_id}", response=HouseholdOut, summary="修改与户主关系")
def change_member_relation(request, household_id: RecordId, person_id: RecordId, payload: MemberRelationIn):
    household, membership = _current_member(request, household_id, person_id)
    with _fields_named(person="person_id"):
        services.change_member_relation(actor=request.auth, household=household, person=membership.person,
                                        relation=payload.relation)
    return _household_out(queries.household_page(request.auth, household.pk, audit_read=False))


class MemberLeaveIn(Schema):
    left_on: ApiDate | None = Field(None, description="离开日期，空为今天")


@router.post("/households/{household_id}/members/{person_id}/leave", response=HouseholdOut, summary="移出家庭成员")
def remove_household_member(request, household_id: RecordId, person_id: RecordId, payload: MemberLeaveIn):
    household, membership = _current_member(request, household_id, person_id)
    with _fields_named(person="person_id"):
        services.remove_household_member(actor=request.auth, household=household, person=membership.person,
                                         left_on=payload.left_on)
    return _household_out(queries.household_page(request.auth, household.pk, audit_read=False))


class EmployerOut(Schema):
    id: int
    credit_code: str
    name: str
    industry_code: str
    size_class: str
    ownership: str
    region_code: str
    address: str
    employee_count: int | None


class EmployerPage(Schema):
    items: list[EmployerOut]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


def _employer_out(e: Employer) -> EmployerOut:
    return EmployerOut(id=e.pk, credit_code=e.credit_code, name=e.name, industry_code=e.industry_code,
                       size_class=e.size_class, ownership=e.ownership, region_code=e.region_id, address=e.address,
                       employee_count=e.employee_count)


@router.get("/employers", response={200: EmployerPage, 400: ErrorOut}, summary="用人单位检索（统一社会信用代码或名称）")
def list_employers(request, q: SearchText = "", region: RegionCodeFilter = "",
                   sort: text(32) = Query(
                       "", description="排序：name、credit_code、region、ownership、size、employees，前加“-”为降序"),
                   limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.EmployerSearch(text=q, region_code=region, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_employers(request.auth, search)
        count = queries.count_employers(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return EmployerPage(items=[_employer_out(e) for e in rows], count=count, has_more=has_more, limit=limit,
                        offset=offset)


@router.get("/employers/{employer_id}", response=EmployerOut, summary="用人单位")
def get_employer(request, employer_id: RecordId):
    return _employer_out(queries.get_employer(request.auth, employer_id))


# Registering and editing employers (issue 7, complete forms): the services' rules and messages, as on the web.
EmployeeCount = Annotated[int, PydanticField(ge=0, le=10_000_000)]


class EmployerIn(Schema):
    credit_code: text(24)
    name: text(128)
    region_code: RegionCode
    industry_code: text(4) = ""
    size_class: text(8) = ""
    ownership: text(24) = ""
    address: text(255) = ""
    contact_name: text(64) = ""
    contact_phone: text(20) = ""
    employee_count: EmployeeCount | None = None


@router.post("/employers", response={201: EmployerOut}, summary="登记用人单位")
def create_employer(request, payload: EmployerIn):
    data = payload.dict()
    employer = services.create_employer(actor=request.auth, region=data.pop("region_code"), **data)
    return Status(201, _employer_out(employer))


class EmployerPatch(Schema):
    name: text(128) | None = None
    region_code: RegionCode | None = None
    industry_code: text(4) | None = None
    size_class: text(8) | None = None
    ownership: text(24) | None = None
    address: text(255) | None = None
    contact_name: text(64) | None = None
    contact_phone: text(20) | None = None
    employee_count: EmployeeCount | None = None

    @field_validator("name", "region_code", "industry_code", "size_class", "ownership", "address", "contact_name",
                     "contact_phone", mode="before")
    @classmethod
    def _not_null(cls, value):
        return reject_null(value)  # only employee_count may be cleared with null


@router.patch("/employers/{employer_id}", response=EmployerOut, summary="修改单位信息")
def update_employer(request, employer_id: RecordId, payload: EmployerPatch):
    employer = queries.get_employer(request.auth, employer_id, audit_read=False)
    changes = payload.dict(exclude_unset=True)
    if "region_code" in changes:
        changes["region"] = changes.pop("region_code")
    return _employer_out(services.update_employer(actor=request.auth, employer=employer, **changes))


class GroupDef(Schema):
    code: str
    label: str


@router.get("/groups", response=list[GroupDef], summary="重点群体与就业困难人员类别")
def list_groups(request):
    return [GroupDef(code=g.code, label=str(g.label)) for g in group_rules.GROUPS]


# ---------------------------------------------------------------------------------------------
# Online self-registration (网上自助) and pending registrations (待生效)


class PendingOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    kind_label: str
    effective_date: datetime.date
    origin: str
    origin_label: str
    status: str = Field(..., description="waiting_confirmation | scheduled | applied | rejected | withdrawn")
    status_label: str
    summary: str = Field(..., description="登记内容（中文）")
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str = Field(..., description="不予确认或未能生效的原因")
    registration_id: int | None = Field(None, description="已生效时：生成的登记")


def _pending_out(p, summary: str | None = None) -> PendingOut:
    """``summary``: given by lists (``queries.with_summaries``), else read for this one entry."""
    return PendingOut(
        id=p.pk, person_id=p.person_id, person_name=p.person.name, kind=p.kind, kind_label=str(p.get_kind_display()),
        effective_date=p.effective_date, origin=p.origin, origin_label=str(p.get_origin_display()), status=p.status,
        status_label=str(p.get_status_display()), summary=queries.pending_summary(p) if summary is None else summary,
        requested_at=p.requested_at, decided_at=p.decided_at, decision_reason=p.decision_reason,
        registration_id=p.registration_id,
    )


class SelfRegistrationIn(Schema):
    kind: Literal["employment", "unemployment"] = Field(..., description="employment（就业登记） | unemployment（失业登记）")
    effective_date: ApiDate = Field(..., description="就业或失业日期，不晚于今天")
    employment_form: _choices(EmploymentForm) = ""
    employer_credit_code: text(32) = Field("", description="就业单位的统一社会信用代码（单位就业须填）")
    contract_type: _choices(ContractType) = ""
    contract_start: ApiDate | None = None
    contract_end: ApiDate | None = None
    occupation: text(64) = ""
    unemployment_reason: _choices(UnemploymentReason) = ""
    former_employer_credit_code: text(32) = Field("", description="失业前单位的统一社会信用代码（可空）")


class RejectIn(Schema):
    reason: text(255, multiline=True, min_length=1) = Field(..., description="不予确认的原因（居民可见）")


@router.post("/self-registrations", response={201: PendingOut}, summary="居民网上办理本人就业/失业登记（网上自助）")
def submit_self_registration(request, payload: SelfRegistrationIn):
    if payload.kind == "employment":
        values = dict(employment_form=payload.employment_form, contract_type=payload.contract_type,
                      contract_start=payload.contract_start, contract_end=payload.contract_end,
                      occupation=payload.occupation,
                      employer=_employer_for(request, "employer", payload.employer_credit_code, None))
    else:
        values = dict(unemployment_reason=payload.unemployment_reason,
                      former_employer=_employer_for(request, "former_employer", payload.former_employer_credit_code, None))
    pending = services.submit_self_registration(actor=request.auth, kind=payload.kind,
                                                effective_date=payload.effective_date, **values)
    return Status(201, _pending_out(pending))


@router.get("/self-registrations/mine", response=list[PendingOut], summary="本人的网上登记及处理结果（居民）")
def my_self_registrations(request):
    return [_pending_out(p, p.summary) for p in queries.with_summaries(queries.own_pending_registrations(request.auth))]


@router.get("/self-registrations", response=list[PendingOut], summary="辖区内待确认的网上自助登记（工作人员）")
def waiting_self_registrations(request):
    return [_pending_out(p, p.summary) for p in queries.with_summaries(queries.self_registrations_waiting(request.auth))]


@router.post("/self-registrations/{pending_id}/confirm", response={201: RegistrationOut}, summary="确认网上自助登记（登记生效）")
def confirm_self_registration(request, pending_id: RecordId):
    pending = queries.get_pending_for_change(request.auth, pending_id)
    entry = services.confirm_self_registration(actor=request.auth, pending=pending)
    return Status(201, _registration_out(entry, True))


@router.post("/self-registrations/{pending_id}/reject", response=PendingOut, summary="不予确认网上自助登记（须写原因）")
def reject_self_registration(request, pending_id: RecordId, payload: RejectIn):
    pending = queries.get_pending_for_change(request.auth, pending_id)
    return _pending_out(services.reject_pending_registration(actor=request.auth, pending=pending, reason=payload.reason))
