"""API of the screening part (issue 9), mounted at /api/v1: the catalogue (``GET /policies``, ``GET
/policies/{code}``), one explanation (``GET /policies/explain``: scoped, audited as a read of the person),
screening runs (``POST /screening-runs`` queues a run for the worker, ``GET /screening-runs``, ``GET
/screening-runs/{id}``, ``GET /screening-runs/{id}/results``: count + items, identity numbers masked) and
``GET /my-policies`` (a resident's or an employer user's own). Thin handlers over ``policies.queries`` and
``policies.services.screening``; a run outside the scope answers 404 like one that does not exist."""
from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, text
from jiuye.policies.models import ScreeningRun
from jiuye.policies.queries import catalogue, mine
from jiuye.policies.queries import explain as explaining
from jiuye.policies.queries import screening as queries
from jiuye.policies.services import screening as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["policies"])

PolicyCode = text(64)


def _reader(request):
    if not roles.can_read_policies(request.auth):
        raise PermissionDenied("您的角色无权查看政策与补贴")
    return request.auth


class ParameterOut(Schema):
    key: str
    label: str
    value: str | None
    unit: str
    text: str
    cite: str


class BenefitOut(Schema):
    label: str
    amount: str | None = Field(None, description="标准（元）；含事实（如缴费额）的公式或参数未设置时为空")
    amount_text: str
    months: str
    is_set: bool
    parameters: list[ParameterOut]


class PolicyOut(Schema):
    code: str
    name: str
    summary: str
    pack: str
    version: int
    kind: str
    beneficiary: str
    beneficiary_label: str
    event: str
    unit: str
    period_from: datetime.date | None
    period_to: datetime.date | None
    period: str
    evidence: list[str]
    basis: str
    benefits: list[BenefitOut]
    limits: list[str]


class ConditionOut(Schema):
    label: str
    items: list[Any]


class VersionOut(Schema):
    pack: str
    number: int
    loaded_at: datetime.datetime
    loaded_by: str
    current: bool


class PolicyDetail(PolicyOut):
    conditions: list[ConditionOut]
    claim_window_months: int | None
    versions: list[VersionOut]


def _policy(r: dict) -> dict:
    return dict(code=r["code"], name=r["name"], summary=r["summary"], pack=r["pack"].code, version=r["version"].number,
                kind=r["kind"], beneficiary=r["beneficiary_code"], beneficiary_label=str(r["beneficiary"]), event=r["event"],
                unit=r["unit_code"], period_from=r["period_from"], period_to=r["period_to"], period=r["period"],
                evidence=r["evidence"], basis=r["basis_text"], limits=r["limits"],
                benefits=[BenefitOut(label=b["label"], amount=None if b["amount"] is None else str(b["amount"]),
                                     amount_text=b["amount_text"], months=b["months"], is_set=b["is_set"],
                                     parameters=[ParameterOut(**{k: p[k] for k in ("key", "label", "value", "unit", "text", "cite")})
                                                 for p in b["params"]]) for b in r["benefits"]])


class CatalogueFilters(Schema):
    pack: text(32) = ""
    kind: text(48) = ""
    beneficiary: Literal["", "person", "employer", "borrower"] = ""
    q: text(64) = ""
    in_force_on: ApiDate | None = Field(None, description="只列出该日在实施期限内的政策")


@router.get("/policies", response=list[PolicyOut], summary="政策目录（各政策包当前版本）")
def list_policies(request, filters: Query[CatalogueFilters]):
    _reader(request)
    s = catalogue.CatalogueSearch(pack=filters.pack, kind=filters.kind, beneficiary=filters.beneficiary, text=filters.q,
                                  in_force_on=filters.in_force_on)
    return [_policy(r) for r in catalogue.catalogue(s)]


class ExplainQuery(Schema):
    policy: PolicyCode
    person: text(32) = Field("", description="公民身份号码")
    employer: text(32) = Field("", description="统一社会信用代码（单位招用某人的补贴与 person 同时填写）")
    as_of: ApiDate | None = Field(None, description="判定日期，默认今天")


class EntitlementOut(Schema):
    event_type: str
    event_id: int
    event_date: datetime.date | None
    beneficiary: str
    eligible: bool
    amount: str | None
    unit: str
    months: int | None
    total: str | None
    blocked: str
    trace: dict


class ExplanationOut(Schema):
    policy: str
    name: str
    as_of: datetime.date
    person: str | None = Field(None, description="公民身份号码（无权查看完整号码的角色为脱敏号码）")
    employer: str | None
    entitlements: list[EntitlementOut]


@router.get("/policies/explain", response=ExplanationOut, summary="政策说明：逐条判定（条件、事实及来源、参数及依据），记入审计")
def explain(request, q: Query[ExplainQuery]):
    user = _reader(request)
    x = explaining.explain_for(user, q.policy, q.as_of or timezone.localdate(), id_number=q.person, credit_code=q.employer)
    return explaining.as_json(x, mask=None if roles.can_see_full_id_number(user) else mask_id_number)


@router.get("/policies/{code}", response=PolicyDetail, summary="一项政策：条件（文字）、参数、版本")
def get_policy(request, code: PolicyCode):
    _reader(request)
    p = catalogue.get_policy(code)
    return dict(**_policy(p), conditions=p["conditions"], claim_window_months=p["claim_window"],
                versions=[{k: v[k] for k in ("pack", "number", "loaded_at", "loaded_by", "current")} for v in p["versions"]])


class RunOut(Schema):
    id: int
    as_of: datetime.date
    policy_codes: list[str]
    status: str
    status_label: str
    progress: str
    error: str
    results_in_scope: int = Field(..., description="本账号管辖范围内的结果数")
    started_by: str | None
    started_at: datetime.datetime
    finished_at: datetime.datetime | None


def _run(r: ScreeningRun, count: int) -> dict:
    return dict(id=r.pk, as_of=r.as_of, policy_codes=list(r.policy_codes or []), status=r.status,
                status_label=str(r.get_status_display()), progress=r.progress, error=r.error, results_in_scope=count,
                started_by=r.started_by.get_username() if r.started_by_id else None, started_at=r.started_at,
                finished_at=r.finished_at)


class RunList(Schema):
    count: int
    items: list[RunOut]
    has_more: bool


class RunFilters(Schema):
    status: Literal["", "running", "done", "failed"] = ""
    sort: text(32) = Field("", description="排序：started_at、as_of、status，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/screening-runs", response=RunList, summary="政策筛查列表")
def list_runs(request, filters: Query[RunFilters]):
    user = _reader(request)
    s = queries.RunSearch(**filters.dict())
    rows, more = queries.search_runs(user, s)
    return RunList(count=queries.count_runs(user, s), items=[_run(r, r.visible_count) for r in rows], has_more=more)


class RunIn(Schema):
    as_of: ApiDate
    policies: text(2000) = Field("", description="政策编号，多个用逗号分隔；空为全部在实施的政策")


@router.post("/screening-runs", response={201: RunOut}, summary="发起政策筛查（后台任务进程执行；限本账号管辖范围）")
def start_run(request, payload: RunIn):
    user = _reader(request)
    codes = [c.strip() for c in payload.policies.replace("，", ",").split(",") if c.strip()]
    run = services.start_screening(user, payload.as_of, codes=codes)
    return Status(201, _run(run, queries.visible_counts(user, [run.pk]).get(run.pk, 0)))


@router.get("/screening-runs/{run_id}", response=RunOut, summary="一次政策筛查（进度）")
def get_run(request, run_id: RecordId):
    user = _reader(request)
    run = queries.get_run(user, run_id)
    return _run(run, queries.visible_counts(user, [run.pk]).get(run.pk, 0))


class ResultOut(Schema):
    id: int
    policy: str
    policy_name: str
    beneficiary: str
    person_id: int | None
    name: str
    id_number_masked: str
    employer_id: int | None
    employer_name: str
    credit_code: str
    region_code: str
    region_name: str
    event_type: str
    event_id: int
    event_date: datetime.date
    amount: str | None
    unit: str
    months: int | None
    claimed: bool


class ResultList(Schema):
    count: int
    items: list[ResultOut]
    has_more: bool


class ResultFilters(Schema):
    policy: text(64) = ""
    region_code: RegionCodeFilter = ""
    claimed: Literal["", "yes", "no"] = ""
    beneficiary: Literal["", "person", "employer"] = ""
    sort: text(32) = Field("", description="排序：policy、name、region、event_date、amount、claimed，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/screening-runs/{run_id}/results", response=ResultList, summary="筛查结果（与网页同一查询；身份证号脱敏）")
def list_results(request, run_id: RecordId, filters: Query[ResultFilters]):
    user = _reader(request)
    run = queries.get_run(user, run_id)
    s = queries.ResultSearch(**filters.dict())
    rows, more = queries.search_results(user, run, s)
    items = [dict(id=r.pk, policy=r.policy_code, policy_name=r.policy.name, beneficiary=r.beneficiary, person_id=r.person_id,
                  name=r.person.name if r.person_id else "",
                  id_number_masked=mask_id_number(r.person.id_number) if r.person_id else "",
                  employer_id=r.employer_id, employer_name=r.employer.name if r.employer_id else "",
                  credit_code=r.employer.credit_code if r.employer_id else "", region_code=r.region_id,
                  region_name=r.region.name, event_type=r.event_type, event_id=r.event_id, event_date=r.event_date,
                  amount=None if r.amount is None else str(r.amount), unit=r.unit, months=r.months, claimed=r.claimed)
             for r in rows]
    return ResultList(count=queries.count_results(user, run, s), items=items, has_more=more)


class MyPolicyOut(Schema):
    policy: str
    name: str
    summary: str
    event_type: str
    event_id: int
    event_date: datetime.date | None
    event: str
    amount: str | None
    amount_text: str
    unit: str
    months: int | None
    blocked: str
    claimed: bool
    reasons: list[str]
    evidence: list[str]


@router.get("/my-policies", response=list[MyPolicyOut], summary="可享受的政策（居民本人或用人单位用户）")
def my_policies(request):
    found = mine.my_policies(request.auth)
    if found.person is None and found.employer is None:
        raise PermissionDenied("本接口供居民本人和用人单位用户使用；账号未关联本人档案或单位")
    return [dict(policy=m.policy.code, name=m.policy.name, summary=m.policy.summary, event_type=m.ent.event_type,
                 event_id=m.ent.event_id, event_date=m.ent.event_date, event=(m.ent.trace.get("event") or {}).get("label", ""),
                 amount=None if m.ent.amount is None else str(m.ent.amount), amount_text=m.amount_text, unit=m.ent.unit,
                 months=m.ent.months, blocked=m.ent.blocked, claimed=m.claimed,
                 reasons=[f"{r['label']}：{r['fact']}" if r["fact"] else r["label"] for r in m.reasons],
                 evidence=list(m.policy.spec.get("evidence") or [])) for m in found.rows]
