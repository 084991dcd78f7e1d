"""补贴申领 in the workbench and the portal: the claims list (with 待我审核), a claim's page (policy and basis,
event, amounts, the decision trace as a table, evidence, timeline, objections, actions), the worker's claim
form, publicity lists (公示) with their printable page and approval, and the resident's / employer's own
claims and claim form (phone-first). Scope lives in jiuye.policies.queries/services."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.policies.models import Claim, ClaimStatus, Objection
from jiuye.policies.queries import claims as queries
from jiuye.policies.services import claims as services
from jiuye.policies.vocabulary import EVENTS
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import policies_claims as forms
from jiuye.web.views.common import form_action, list_page, post_data, require

policies_reader_required = require(roles.can_read_policies, gettext_lazy("您的角色无权使用政策与补贴功能"))
agent_required = require(roles.can_submit_claims_for_others, gettext_lazy("您的角色无权代办补贴申领"))


def _is_claimant(user) -> bool:
    role = getattr(user, "role", None)
    return bool(user.is_authenticated and ((role == Role.RESIDENT and registry_queries.linked_person_id(user))
                                           or (role == Role.EMPLOYER_USER and registry_queries.linked_employer_id(user))))


claimant_required = require(_is_claimant, gettext_lazy("补贴申领仅供已关联本人档案的居民或已关联单位的用人单位用户使用"))


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _who(c) -> str:
    return c.employer.name if c.beneficiary == "employer" and c.employer_id else (c.person.name if c.person_id else "")


def _person_id_number(c) -> str:
    return c.person.id_number if c.person_id else ""


CLAIM_COLUMNS = [
    Column(_l("申领编号"), lambda c: c.number),
    Column(_l("政策"), lambda c: c.policy.name),
    Column(_l("受益对象"), _who),
    Column(_l("人员"), lambda c: c.person.name if c.person_id else ""),
    Column(_l("公民身份号码"), _person_id_number, mask=mask_id_number),
    Column(_l("受理地"), lambda c: _region_label(c.region)),
    Column(_l("事件日期"), lambda c: c.event_date),
    Column(_l("金额合计（元）"), lambda c: c.total if c.total is not None else _("未设置")),
    Column(_l("申领渠道"), choice_label(Claim, "channel")),
    Column(_l("提交时间"), lambda c: c.submitted_at),
    Column(_l("状态"), lambda c: services.stage_label(c)),
]


def _claim_rows(rows):
    return [{"c": c, "who": _who(c), "id_masked": mask_id_number(_person_id_number(c)), "stage": services.stage_label(c)}
            for c in rows]


@policies_reader_required
def claim_list(request):
    form = forms.ClaimSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.claims_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_claims(request.user, s), columns=CLAIM_COLUMNS, sheet=_("补贴申领"),
                           filename="claims", object_type="claim", filters=filters_of(form), sort=queries.claim_sort(s),
                           summary=_("导出补贴申领列表"))
    context = list_page(request, form, search=queries.search_claims, count=queries.count_claims, sort=queries.claim_sort)
    context["rows"] = _claim_rows(context["page"]["rows"])
    context["queue_tab"] = request.GET.get("queue") in ("1", "true", "on", "True")
    context["queue_count"] = queries.review_queue(request.user).count() if roles.can_review_claims(request.user) else None
    context["may_submit"] = roles.can_submit_claims_for_others(request.user)
    context["title"] = _("补贴申领与审核")
    return render(request, "web/policies/claims/list.html", context)


# ---------------------------------------------------------------------------------------------
# One claim


def trace_rows(trace: dict) -> list[dict]:
    """The trace's conditions flattened for a table (a group's items indented under it)."""
    rows: list[dict] = []

    def walk(checks, depth):
        for c in checks or []:
            rows.append({"label": c.get("label", ""), "held": c.get("held"), "fact": c.get("fact", ""),
                         "source": c.get("source", ""), "depth": depth})
            walk(c.get("items"), depth + 1)

    walk((trace or {}).get("checks"), 0)
    return rows


def trace_context(trace: dict) -> dict:
    trace = trace or {}
    benefit = trace.get("benefit") or {}
    return {"rows": trace_rows(trace), "policy": trace.get("policy") or {}, "event": trace.get("event") or {},
            "benefit": benefit, "parameters": benefit.get("parameters") or [], "as_of": trace.get("as_of"),
            "decided_on": trace.get("decided_on"), "eligible": trace.get("eligible"), "present": bool(trace)}


def _timeline(claim) -> list[dict]:
    return [{"at": e.at, "what": services.ACTIONS.get(e.action, e.action), "note": e.note, "who": e.actor or _("系统")}
            for e in queries.claim_timeline(claim)]


def _claim_page(request, claim, *, portal=False, status=200, **forms_given):
    user = request.user
    policy = claim.policy
    staff = roles.can_read_policies(user)
    in_publicity_end = claim.publicity.ends_on if claim.publicity_id else None
    objections = list(queries.claim_objections(claim))
    evidence_names = list(policy.spec.get("evidence") or [])
    files = services.evidence_of(claim)
    evidence = [{"name": n, "files": [e.attachment for e in files if e.kind == n]} for n in evidence_names]
    paper = [e.note for e in queries.claim_timeline(claim) if e.action == "paper_checked"]
    may_handle = staff and services.may_handle_objections(user, claim)
    context = {
        "claim": claim, "policy": policy, "basis": policy.spec.get("basis") or {}, "portal": portal,
        "stage": services.stage_label(claim), "who": _who(claim),
        "id_masked": mask_id_number(_person_id_number(claim)),
        "event_label": EVENTS[claim.event_type].label if claim.event_type in EVENTS else claim.event_type,
        "submission": trace_context(claim.submission_trace), "decision": trace_context(claim.decision_trace),
        "evidence": evidence, "paper_checked": "、".join(paper), "timeline": _timeline(claim), "objections": objections,
        "open_status": Objection.Outcome.OPEN,
        "may_review": staff and services.may_review(user, claim),
        "may_object": may_handle and claim.status in (ClaimStatus.PUBLICITY, ClaimStatus.OBJECTED),
        "may_resolve": staff and roles.can_approve_claims(user),
        "may_approve": staff and roles.can_approve_claims(user) and claim.status == ClaimStatus.PUBLICITY,
        "publicity_ends_on": in_publicity_end,
        "may_withdraw": services.may_withdraw(user, claim),
        "may_add_evidence": services.may_add_evidence(user, claim),
        "review_form": forms_given.get("review") or forms.ReviewForm(initial={"decision": "pass"}),
        "objection_form": forms_given.get("objection") or forms.ObjectionForm(),
        "resolve_form": forms_given.get("resolve") or forms.ResolveForm(initial={"outcome": "dismissed"}),
        "approve_form": forms_given.get("approve") or forms.ApproveForm(),
        "withdraw_form": forms_given.get("withdraw") or forms.WithdrawForm(),
        "evidence_form": forms_given.get("evidence_form") or forms.EvidenceForm(evidence=evidence_names),
        "file_url": "web:my_claim_file" if portal else "web:claim_file",
        "title": _("补贴申领 %(n)s") % {"n": claim.number},
    }
    return render(request, "web/policies/claims/detail.html", context, status=status)


@policies_reader_required
def claim_detail(request, pk: int):
    return _claim_page(request, queries.get_claim(request.user, pk))


def _claim_for_post(request, pk: int):
    if request.method != "POST":
        return None
    return queries.get_claim(request.user, pk, audit_read=False)


def _run(request, claim, form, call, success, slot, *, portal=False):
    return form_action(request, form, call, success=success,
                       done=lambda: redirect("web:my_claim" if portal else "web:claim", pk=claim.pk),
                       page=lambda f: _claim_page(request, claim, portal=portal, status=400, **{slot: f}))


@policies_reader_required
def claim_review(request, pk: int):
    claim = _claim_for_post(request, pk)
    if claim is None:
        return redirect("web:claim", pk=pk)
    form = forms.ReviewForm(request.POST)
    return _run(request, claim, form, lambda f: services.review_claim(
        request.user, claim, approve=f.cleaned_data["decision"] == "pass", reason=f.cleaned_data["reason"]),
        _("已提交审核意见"), "review")


@policies_reader_required
def claim_objection(request, pk: int):
    claim = _claim_for_post(request, pk)
    if claim is None:
        return redirect("web:claim", pk=pk)
    form = forms.ObjectionForm(request.POST)
    return _run(request, claim, form, lambda f: services.record_objection(
        request.user, claim, f.cleaned_data["raised_by"], f.cleaned_data["contact"], f.cleaned_data["reason"],
        raised_on=f.cleaned_data["raised_on"]), _("已登记公示异议"), "objection")


@policies_reader_required
def objection_resolve(request, pk: int, oid: int):
    claim = _claim_for_post(request, pk)
    if claim is None:
        return redirect("web:claim", pk=pk)
    objection = queries.get_objection(claim, oid)
    form = forms.ResolveForm(request.POST)
    return _run(request, claim, form, lambda f: services.resolve_objection(
        request.user, objection, f.cleaned_data["outcome"] == "upheld", f.cleaned_data["resolution"]),
        _("已处理公示异议"), "resolve")


@policies_reader_required
def claim_approve(request, pk: int):
    claim = _claim_for_post(request, pk)
    if claim is None:
        return redirect("web:claim", pk=pk)
    form = forms.ApproveForm(request.POST)
    return _run(request, claim, form, lambda f: services.approve_claim(
        request.user, claim, override_reason=f.cleaned_data["override_reason"]), _("已核准"), "approve")


def _withdraw(request, pk: int, *, portal: bool):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = queries.get_claim(request.user, pk, audit_read=False)
    form = forms.WithdrawForm(request.POST)
    return _run(request, claim, form, lambda f: services.withdraw_claim(request.user, claim, note=f.cleaned_data["note"]),
                _("申领已撤回"), "withdraw", portal=portal)


def _add_evidence(request, pk: int, *, portal: bool):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = queries.get_claim(request.user, pk, audit_read=False)
    form = forms.EvidenceForm(request.POST, request.FILES, evidence=list(claim.policy.spec.get("evidence") or []))
    return _run(request, claim, form, lambda f: services.add_evidence(request.user, claim, kind=f.cleaned_data["kind"],
                                                                       files=f.cleaned_data["files"]),
                _("已上传材料"), "evidence_form", portal=portal)


@policies_reader_required
def claim_withdraw(request, pk: int):
    return _withdraw(request, pk, portal=False)


@policies_reader_required
def claim_evidence(request, pk: int):
    return _add_evidence(request, pk, portal=False)


def _file(request, pk: int, aid: int):
    att = queries.claim_attachment(request.user, pk, aid)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)


@policies_reader_required
def claim_file(request, pk: int, aid: int):
    return _file(request, pk, aid)


# ---------------------------------------------------------------------------------------------
# The claim form (a worker on someone's behalf; a resident or an employer in the portal)


def _entitlement_view(ent) -> dict:
    return {"ent": ent, "event_label": ent.trace.get("event", {}).get("label", ""), "failed": services.failed_conditions(ent.trace),
            "total": ent.total, "trace": trace_context(ent.trace)}


def _claim_form_page(request, *, portal: bool):
    user = request.user
    worker = not portal
    code, event_type, raw_id = request.GET.get("policy", ""), request.GET.get("event_type", ""), request.GET.get("event_id", "")
    if request.method == "POST":
        code, event_type, raw_id = request.POST.get("policy", ""), request.POST.get("event_type", ""), request.POST.get("event_id", "")
    lookup = None
    choices = []
    policy = None
    if not (code and event_type and raw_id.isdigit() and len(raw_id) <= 18):
        if portal:
            raise registry_queries.NotFound(_("请从“可享受的政策”中选择要申领的补贴"))
        lookup = forms.LookupForm(request.GET or None)
        if lookup.is_valid():
            d = lookup.cleaned_data
            person, employer = queries.find_subject(user, id_number=d["id_number"], credit_code=d["credit_code"])
            if (d["id_number"] and person is None) or (d["credit_code"] and employer is None):
                lookup.add_error(None, _("未找到该人员或单位，或不在您的管辖范围内"))
            else:
                policy, found = queries.claimable(user, d["policy"], person=person, employer=employer)
                choices = [_entitlement_view(e) for e in found]
                if not choices:
                    lookup.add_error(None, _("没有%(p)s可依据的事件（就业登记、见习、培训等）") % {"p": policy.name if policy else d["policy"]})
        return render(request, "web/policies/claims/new.html", {
            "lookup": lookup, "choices": choices, "policy": policy, "portal": portal, "title": _("代办补贴申领")})
    policy, ent = queries.claimable_event(user, code, event_type, int(raw_id))
    form = forms.ClaimForm(post_data(request), request.FILES or None, evidence=list(policy.spec.get("evidence") or []),
                           worker=worker, initial={"policy": code, "event_type": event_type, "event_id": raw_id})
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.submit_claim(user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已提交补贴申领%(n)s，待审核") % {"n": claim.number})
            return redirect("web:my_claim" if portal else "web:claim", pk=claim.pk)
    return render(request, "web/policies/claims/form.html", {
        "form": form, "policy": policy, "basis": policy.spec.get("basis") or {}, "e": _entitlement_view(ent),
        "portal": portal, "title": _("申领：%(p)s") % {"p": policy.name}}, status=400 if request.method == "POST" else 200)


@agent_required
def claim_new(request):
    return _claim_form_page(request, portal=False)


# ---------------------------------------------------------------------------------------------
# Portal: a resident's / an employer's own claims


@claimant_required
def my_claims(request):
    rows = queries.own_claims(request.user).select_related("policy", "person", "employer", "region__parent").order_by(
        "-submitted_at", "-pk")
    return render(request, "web/policies/claims/my_list.html", {"rows": _claim_rows(rows), "title": _("我的补贴申领")})


@claimant_required
def my_claim(request, pk: int):
    return _claim_page(request, queries.get_claim(request.user, pk), portal=True)


@claimant_required
def my_claim_new(request):
    return _claim_form_page(request, portal=True)


@claimant_required
def my_claim_withdraw(request, pk: int):
    return _withdraw(request, pk, portal=True)


@claimant_required
def my_claim_evidence(request, pk: int):
    return _add_evidence(request, pk, portal=True)


@claimant_required
def my_claim_file(request, pk: int, aid: int):
    return _file(request, pk, aid)


# ---------------------------------------------------------------------------------------------
# Publicity (公示)


PUBLICITY_COLUMNS = [
    Column(_l("公示编号"), lambda p: p.number),
    Column(_l("标题"), lambda p: p.title),
    Column(_l("公示单位"), lambda p: p.region.name),
    Column(_l("公示起始日期"), lambda p: p.starts_on),
    Column(_l("公示截止日期"), lambda p: p.ends_on),
    Column(_l("公示工作日数"), lambda p: p.working_days),
    Column(_l("状态"), lambda p: _("已核准结束") if p.closed_at else _("公示中/待核准")),
]


@policies_reader_required
def publicity_lists(request):
    form = forms.PublicitySearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.publicity_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_publicity(request.user, s), columns=PUBLICITY_COLUMNS, sheet=_("公示"),
                           filename="publicity", object_type="publicity_list", filters=filters_of(form),
                           sort=queries.publicity_sort(s), summary=_("导出公示列表"))
    context = list_page(request, form, search=queries.search_publicity, count=queries.count_publicity,
                        sort=queries.publicity_sort)
    context["ready_count"] = queries.ready_for_publicity(request.user).count()
    context["may_publish"] = roles.can_approve_claims(request.user)
    context["title"] = _("公示")
    return render(request, "web/policies/claims/publicity_list.html", context)


@policies_reader_required
def publicity_new(request):
    if not roles.can_approve_claims(request.user):
        raise PermissionDenied(_("您的角色无权发布公示"))
    ready = list(queries.ready_for_publicity(request.user)[:500])
    form = forms.PublishForm(post_data(request), ready=ready)
    if request.method == "POST" and form.is_valid():
        chosen = [c for c in ready if str(c.pk) in set(form.cleaned_data["claims"])]
        try:
            pub = services.publish(request.user, chosen, title=form.cleaned_data["title"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已发布公示%(n)s，公示至%(d)s") % {"n": pub.number, "d": pub.ends_on.isoformat()})
            return redirect("web:publicity", pk=pub.pk)
    return render(request, "web/policies/claims/publicity_new.html", {
        "form": form, "rows": _claim_rows(ready), "title": _("发布公示")}, status=400 if request.method == "POST" else 200)


def _publicity_rows(request, pub):
    return _claim_rows(queries.publicity_claims(request.user, pub))


@policies_reader_required
def publicity_detail(request, pk: int):
    pub = queries.get_publicity(request.user, pk)
    today = services.current_date()
    form = forms.ApproveForm(post_data(request))
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.approve_publicity(request.user, pub, override_reason=form.cleaned_data["override_reason"])
            except ValidationError as exc:
                form.add_service_error(exc)
                status = 400
            else:
                messages.success(request, _("核准%(a)d件，未通过%(r)d件，待处理异议%(w)d件") % {
                    "a": len(result.approved), "r": len(result.refused), "w": len(result.waiting)})
                pub.refresh_from_db()
        else:
            status = 400
    rows = _publicity_rows(request, pub)
    return render(request, "web/policies/claims/publicity_detail.html", {
        "pub": pub, "rows": rows, "form": form, "result": result, "ended": today > pub.ends_on,
        "may_approve": roles.can_approve_claims(request.user) and pub.closed_at is None,
        "title": pub.title}, status=status)


@policies_reader_required
def publicity_print(request, pk: int):
    pub = queries.get_publicity(request.user, pk)
    rows = [r for r in _publicity_rows(request, pub)]
    return render(request, "web/policies/claims/publicity_print.html", {
        "pub": pub, "rows": rows, "back": reverse("web:publicity", args=[pub.pk])})
