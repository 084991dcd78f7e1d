"""API of the facts the policy rules need (补贴依据数据) under /api/v1/policy-facts/<kind>: list (the same
query as the web list: count, sort, filters) and create, per kind. Thin handlers over
``policies.queries.facts`` and ``policies.services.facts``. Persons are named by identity number,
employers by credit code, loans by their record id; a person, employer or loan outside the scope is
"not found" like one that does not exist. Identity and account numbers are masked in lists unless the
role may see full numbers."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.policies.models import FactSource
from jiuye.policies.queries import facts as queries
from jiuye.policies.services import facts as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["policy-facts"])

Money = Annotated[Decimal, Field(ge=0, le=999_999_999, max_digits=14, decimal_places=2)]
Months = Annotated[int, Field(ge=0, le=services.MAX_BENEFIT_MONTHS)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Year = Annotated[int, Field(ge=1990, le=2100)]
ContractMonths = Annotated[int, Field(ge=1, le=240)]
IdNumber = text(18, min_length=15)
CreditCode = text(18, min_length=18)
Note = text(255)

NOT_FOUND_PERSON = "人员不存在或不在您的管辖范围内"
NOT_FOUND_EMPLOYER = "用人单位不存在或不在您的管辖范围内"

SLUGS = services.SLUGS


class ErrorOut(Schema):
    detail: str


class FactOut(Schema):
    id: int
    kind: str
    person_id: int | None = None
    person_name: str = ""
    id_number_masked: str = ""
    employer_id: int | None = None
    employer_name: str = ""
    credit_code: str = ""
    loan_id: int | None = None
    region_code: str = ""
    source: str
    values: dict[str, Any] = Field(..., description="该类数据的字段（日期为 ISO 格式，金额为字符串）")


class FactPage(Schema):
    items: list[FactOut]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def fact_out(kind: str, fact, user) -> FactOut:
    k = services.KINDS[kind]
    values = {name: _plain(getattr(fact, name)) for name in k.fields}
    if kind == "payment_accounts" and not roles.can_see_full_id_number(user):
        values["account_number"] = services.mask_account_number(fact.account_number)
    for name in ("platform", "unit"):
        if name in values:
            other = getattr(fact, name)
            values[f"{name}_name"], values[f"{name}_credit_code"] = other.name, other.credit_code
    owner = services.owner_of(k, {n: getattr(fact, n) for n in k.owners})
    out = FactOut(id=fact.pk, kind=kind, source=fact.source, values=values,
                  loan_id=getattr(fact, "loan_id", None), region_code=owner.region_id if owner else "")
    if owner is not None and hasattr(owner, "id_number"):
        out.person_id, out.person_name, out.id_number_masked = owner.pk, owner.name, mask_id_number(owner.id_number)
    elif owner is not None:
        out.employer_id, out.employer_name, out.credit_code = owner.pk, owner.name, owner.credit_code
    return out


def _person(user, id_number: str | None, field: str = "id_number"):
    if not id_number:
        return None
    person = registry_queries.visible_person_by_id_number(user, id_number)
    if person is None:
        raise ValidationError({field: [NOT_FOUND_PERSON]})
    return person


def _employer(user, credit_code: str | None, field: str = "credit_code", *, scoped: bool = True):
    if not credit_code:
        return None
    code = "".join(credit_code.split()).upper()
    if scoped:
        employer = registry_queries.visible_employer_by_credit_code(user, code)
    else:  # a platform or internship unit may be registered anywhere (its credit code is public)
        employer = registry_queries.employer_for_registration(code)
    if employer is None:
        raise ValidationError({field: [NOT_FOUND_EMPLOYER]})
    return employer


def _loan(user, pk: int):
    loan = queries.facts_visible_to("loans", user).filter(pk=pk).first()
    if loan is None:
        raise ValidationError({"loan_id": ["贷款不存在或不在您的管辖范围内"]})
    return loan


def _writer(user) -> None:
    if not roles.can_write_registry(user):
        raise PermissionDenied("您的角色无权录入补贴依据数据")


# ---------------------------------------------------------------------------------------------
# Bodies


class BenefitPeriodIn(Schema):
    id_number: IdNumber
    starts_on: ApiDate
    months_entitled: Months
    ends_on: ApiDate | None = None
    monthly_amount: Money | None = None
    note: Note = ""


class InsuranceYearIn(Schema):
    credit_code: CreditCode
    year: Year
    insured_staff_year_end: Count
    premiums_employer: Money
    premiums_staff: Money
    layoffs: Count = 0
    note: Note = ""


class LoanIn(Schema):
    id_number: IdNumber | None = None
    credit_code: CreditCode | None = None
    contract_number: text(64, min_length=1)
    lender: text(64, min_length=1)
    amount: Money
    starts_on: ApiDate
    ends_on: ApiDate
    jobs_created: Count = 0
    counter_guarantee_waived: bool = False
    status: text(12) = "active"
    note: Note = ""


class LoanRepaymentIn(Schema):
    loan_id: RecordId
    due_on: ApiDate
    amount: Money
    paid_on: ApiDate | None = None
    note: Note = ""


class LoanInterestIn(Schema):
    loan_id: RecordId
    starts_on: ApiDate
    ends_on: ApiDate
    interest: Money
    note: Note = ""


class OnlineShopIn(Schema):
    id_number: IdNumber
    platform_credit_code: CreditCode
    shop_name: text(128, min_length=1)
    opened_on: ApiDate
    attested_on: ApiDate
    attestation: text(128) = ""
    note: Note = ""


class InternshipIn(Schema):
    id_number: IdNumber
    unit_credit_code: CreditCode
    starts_on: ApiDate
    ends_on: ApiDate
    hired_on: ApiDate | None = None
    contract_months: ContractMonths | None = None
    note: Note = ""


class TrainingIn(Schema):
    id_number: IdNumber
    course: text(64, min_length=1)
    provider: text(128, min_length=1)
    starts_on: ApiDate
    ends_on: ApiDate
    completed: bool = False
    certificate: text(64) = ""
    note: Note = ""


class PaymentAccountIn(Schema):
    id_number: IdNumber | None = None
    credit_code: CreditCode | None = None
    kind: text(8) = ""
    bank: text(64, min_length=1)
    account_number: text(32, min_length=1)
    account_name: text(128, min_length=1)
    valid_from: ApiDate
    note: Note = ""


def _values(kind: str, user, data: dict) -> dict:
    """The body as the services' values: persons, employers and loans looked up within the scope."""
    if kind in ("benefit_periods", "online_shops", "internships", "trainings"):
        data["person"] = _person(user, data.pop("id_number"))
    if kind == "insurance_years":
        data["employer"] = _employer(user, data.pop("credit_code"))
    if kind == "loans":
        data["borrower_person"] = _person(user, data.pop("id_number", None))
        data["borrower_employer"] = _employer(user, data.pop("credit_code", None))
    if kind == "payment_accounts":
        data["person"] = _person(user, data.pop("id_number", None))
        data["employer"] = _employer(user, data.pop("credit_code", None))
    if kind in ("loan_repayments", "loan_interest"):
        data["loan"] = _loan(user, data.pop("loan_id"))
    if kind == "online_shops":
        data["platform"] = _employer(user, data.pop("platform_credit_code"), "platform_credit_code", scoped=False)
    if kind == "internships":
        data["unit"] = _employer(user, data.pop("unit_credit_code"), "unit_credit_code", scoped=False)
    return data


BODIES = {"benefit_periods": BenefitPeriodIn, "insurance_years": InsuranceYearIn, "loans": LoanIn,
          "loan_repayments": LoanRepaymentIn, "loan_interest": LoanInterestIn, "online_shops": OnlineShopIn,
          "internships": InternshipIn, "trainings": TrainingIn, "payment_accounts": PaymentAccountIn}


def _list_view(kind: str):
    label = services.KINDS[kind].label
    sorts = "、".join(queries.SORTS[kind])

    def list_facts(request, q: SearchText = "", region: RegionCodeFilter = "", date_from: ApiDate | None = None,
                   date_to: ApiDate | None = None,
                   sort: text(32) = Query("", description=f"排序：{sorts}，前加“-”为降序"),
                   limit: Limit = Query(50, le=200), offset: Offset = 0):
        s = queries.SEARCHES[kind](text=q, region_code=region, date_from=date_from, date_to=date_to, sort=sort,
                                   limit=limit, offset=offset)
        try:
            rows, has_more = queries.search_facts(kind, request.auth, s)
            count = queries.count_facts(kind, request.auth, s)
        except ValueError as exc:
            return Status(400, {"detail": str(exc)})
        return FactPage(items=[fact_out(kind, f, request.auth) for f in rows], count=count, has_more=has_more,
                        limit=limit, offset=offset)

    list_facts.__name__ = f"list_{kind}"
    router.get(f"/policy-facts/{SLUGS[kind]}", response={200: FactPage, 400: ErrorOut}, summary=f"{label}列表",
               operation_id=f"list_policy_facts_{kind}")(list_facts)


def _create_view(kind: str):
    body = BODIES[kind]
    label = services.KINDS[kind].label

    def create(request, payload: body):  # type: ignore[valid-type]
        _writer(request.auth)
        values = _values(kind, request.auth, payload.dict())
        fact = services.create_fact(kind, actor=request.auth, source=FactSource.API, **values)
        return Status(201, fact_out(kind, queries.get_fact(kind, request.auth, fact.pk), request.auth))

    create.__name__ = f"create_{kind}"
    create.__annotations__["payload"] = body
    router.post(f"/policy-facts/{SLUGS[kind]}", response={201: FactOut}, summary=f"新增{label}",
                operation_id=f"create_policy_facts_{kind}")(create)


for _kind in SLUGS:
    _list_view(_kind)
    _create_view(_kind)


@router.get("/policy-facts/{kind}/{fact_id}", response=FactOut, summary="一条补贴依据数据")
def get_fact(request, kind: text(20), fact_id: RecordId):
    found = next((k for k, slug in SLUGS.items() if slug == kind), None)
    if found is None:
        from django.http import Http404

        raise Http404
    return fact_out(found, queries.get_fact(found, request.auth, fact_id), request.auth)
