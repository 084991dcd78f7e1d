"""政策与补贴 in the workbench, screening part (issue 9): the policy catalogue (政策目录) with the packs' versions
and loading a pack, one policy's rule in words, one explanation (政策说明), screening runs (政策找人) with their
results and the outreach list per community, and the portal's "policies I may qualify for" (可享受的政策).
Reads go through ``jiuye.policies.queries``, writes through ``jiuye.policies.services``."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.parameters import Source
from jiuye.policies.models import RunStatus, ScreeningResult, ScreeningRun
from jiuye.policies.queries import catalogue
from jiuye.policies.queries import explain as explaining
from jiuye.policies.queries import mine
from jiuye.policies.queries import screening as queries
from jiuye.policies.services import packs
from jiuye.policies.services import screening as services
from jiuye.registry.identity import mask_id_number, mask_phone
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export, too_many
from jiuye.web.forms import policies as forms
from jiuye.web.views.common import list_page, require

policy_reader_required = require(roles.can_read_policies, _l("您的角色无权查看政策与补贴"))


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


# ---------------------------------------------------------------------------------------------
# Catalogue (政策目录), loading a pack, one policy

CATALOGUE_COLUMNS = [
    Column(_l("政策编号"), lambda r: r["code"]),
    Column(_l("政策名称"), lambda r: r["name"]),
    Column(_l("政策包"), lambda r: f"{r['pack'].code} 第{r['version'].number}版"),
    Column(_l("补贴种类"), lambda r: r["kind"]),
    Column(_l("受益对象"), lambda r: r["beneficiary"]),
    Column(_l("标准"), lambda r: "；".join(f"{b['label'] + '：' if b['label'] else ''}{b['amount_text']}" for b in r["benefits"])),
    Column(_l("参数及依据"), lambda r: "；".join(f"{p['label']}：{p['text']}（{p['cite']}）" for b in r["benefits"] for p in b["params"])),
    Column(_l("实施期限"), lambda r: r["period"]),
    Column(_l("所需材料"), lambda r: "、".join(r["evidence"])),
    Column(_l("政策依据"), lambda r: r["basis_text"]),
    Column(_l("政策说明"), lambda r: r["summary"]),
]


def _catalogue_rows(form) -> tuple[list[dict], str]:
    rows = catalogue.catalogue(form.search()) if form.is_valid() else []
    key = (form.cleaned_data.get("sort") or "") if form.is_valid() else ""
    name = key.lstrip("-")
    if name not in forms.CATALOGUE_SORTS:
        return rows, ""
    field = forms.CATALOGUE_SORTS[name]
    rows.sort(key=lambda r: (r[field] is None, r[field] or ""), reverse=key.startswith("-"))
    return rows, key


def _catalogue_page(request, *, upload=None, pack_errors=None, status=200):
    form = forms.CatalogueForm(request.GET)
    rows, applied = _catalogue_rows(form)
    context = {
        "form": form, "rows": rows, "page": {"total": len(rows)},
        "sorting": {"current": applied, "params": _params(request)},
        "export_fields": [(k, v) for k, vs in request.GET.lists() if k not in ("format", "offset") for v in vs],
        "export_max": EXPORT_MAX, "may_export_full_ids": False,
        "packs": catalogue.packs(), "may_load": roles.can_manage_policies(request.user),
        "upload_form": upload or forms.PackUploadForm(), "pack_errors": pack_errors or [],
        "title": _("政策目录"),
    }
    return render(request, "web/policies/catalogue.html", context, status=status)


def _params(request):
    params = request.GET.copy()
    for key in ("offset", "format", "full_id"):
        params.pop(key, None)
    return params


@policy_reader_required
def policy_catalogue(request):
    form = forms.CatalogueForm(request.GET)
    if is_export(request, form):
        rows, applied = _catalogue_rows(form)
        return export_xlsx(request, rows=rows, total=len(rows), columns=CATALOGUE_COLUMNS, sheet=_("政策目录"),
                           filename="policies", object_type="policy", filters=filters_of(form), sort=applied,
                           summary=_("导出政策目录"))
    return _catalogue_page(request)


@policy_reader_required
def policy_pack_load(request):
    if request.method != "POST":
        return redirect("web:policies")
    if not roles.can_manage_policies(request.user):
        raise PermissionDenied(_("只有区县、市人社局工作人员和政策审核员可以加载政策包"))
    form = forms.PackUploadForm(request.POST, request.FILES)
    if form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            version = packs.load(Source(name, text), actor=request.user, note=form.cleaned_data["note"])
        except packs.PackInvalid as exc:
            return _catalogue_page(request, upload=form, pack_errors=[str(e) for e in exc.file_errors], status=400)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已加载政策包 %(code)s，当前为第 %(n)s 版") % {"code": version.pack.code, "n": version.number})
            return redirect("web:policies")
    return _catalogue_page(request, upload=form, status=400)


@policy_reader_required
def policy_detail(request, code: str):
    p = catalogue.get_policy(code)  # NotFound (404) when no loaded pack has it
    return render(request, "web/policies/detail.html", {"p": p, "title": p["name"]})


# ---------------------------------------------------------------------------------------------
# One explanation (政策说明)


@policy_reader_required
def policy_explain(request):
    data = request.GET if request.GET.get("policy") else None
    form = forms.ExplainForm(data, initial={"policy": request.GET.get("p", "")})
    result, rows = None, []
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            result = explaining.explain_for(request.user, d["policy"], d["as_of"], id_number=d["id_number"].strip(),
                                            credit_code=d["credit_code"].strip())
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error({"person": "id_number", "employer": "credit_code"}.get(field, field if field in form.fields else None), msgs)
        except Http404 as exc:
            form.add_error(None, str(exc))
        else:
            rows = [explaining.trace_rows(e) | {"amount_text": explaining.amount_words(e)} for e in result.entitlements]
    person_label = ""
    if result is not None and result.person is not None:
        person_label = f"{result.person.name}（{mask_id_number(result.person.id_number)}）"
    return render(request, "web/policies/explain.html", {"form": form, "result": result, "rows": rows,
                                                         "person_label": person_label, "title": _("政策说明")})


# ---------------------------------------------------------------------------------------------
# Screening runs (政策找人)


RUN_COLUMNS = [
    Column(_l("编号"), lambda r: r.pk),
    Column(_l("筛查日期"), lambda r: r.as_of),
    Column(_l("政策范围"), lambda r: "、".join(r.policy_codes) or _("全部在实施的政策")),
    Column(_l("状态"), choice_label(ScreeningRun, "status")),
    Column(_l("符合条件（本辖区）"), lambda r: getattr(r, "visible_count", "")),
    Column(_l("发起人"), lambda r: r.started_by.get_username() if r.started_by else _("系统")),
    Column(_l("开始时间"), lambda r: r.started_at),
    Column(_l("完成时间"), lambda r: r.finished_at),
]


@policy_reader_required
def screening_runs(request):
    form = forms.RunSearchForm(request.GET)
    may_start = services.can_run_screening(request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.runs_of_search(request.user, s), total=queries.count_runs(request.user, s), columns=RUN_COLUMNS,
                           sheet=_("政策筛查"), filename="screening-runs", object_type=services.OBJECT_TYPE,
                           filters=filters_of(form), sort=queries.run_sort(s), summary=_("导出政策筛查列表"))
    start = None
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied(_("您的角色无权发起政策筛查"))
        start = forms.StartRunForm(request.POST)
        if start.is_valid():
            try:
                run = services.start_screening(request.user, start.cleaned_data["as_of"], codes=start.cleaned_data["codes"])
            except ValidationError as exc:
                start.add_service_error(exc)
            except PermissionDenied as exc:
                start.add_error(None, str(exc))
            else:
                messages.success(request, _("已开始政策筛查（%(d)s）") % {"d": run.as_of.isoformat()})
                return redirect("web:screening_run", pk=run.pk)
    context = list_page(request, form, search=queries.search_runs, count=queries.count_runs, sort=queries.run_sort)
    context.update(start_form=start or forms.StartRunForm(), may_start=may_start, title=_("政策找人"))
    return render(request, "web/policies/screening.html", context, status=400 if start is not None else 200)


RESULT_COLUMNS = [
    Column(_l("政策编号"), lambda r: r.policy_code),
    Column(_l("政策名称"), lambda r: r.policy.name),
    Column(_l("受益对象"), choice_label(ScreeningResult, "beneficiary")),
    Column(_l("姓名"), lambda r: r.person.name if r.person_id else ""),
    Column(_l("公民身份号码"), lambda r: r.person.id_number if r.person_id else "", mask=mask_id_number),
    Column(_l("单位"), lambda r: r.employer.name if r.employer_id else ""),
    Column(_l("统一社会信用代码"), lambda r: r.employer.credit_code if r.employer_id else ""),
    Column(_l("街道/社区"), lambda r: _region_label(r.region)),
    Column(_l("事件日期"), lambda r: r.event_date),
    Column(_l("标准（元）"), lambda r: r.amount if r.amount is not None else _("未设置")),
    Column(_l("发放方式"), choice_label(ScreeningResult, "unit")),
    Column(_l("月数"), lambda r: r.months if r.unit == "month" else ""),
    Column(_l("已申领"), lambda r: r.claimed),
]


@policy_reader_required
def screening_run(request, pk: int):
    run = queries.get_run(request.user, pk)
    counts = queries.policy_counts(request.user, run)
    form = forms.ResultSearchForm(request.GET, user=request.user, policies=counts)

    def search(user, s):
        return queries.search_results(user, run, s)

    def count(user, s):
        return queries.count_results(user, run, s)

    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.results_of_search(request.user, run, s).iterator(chunk_size=2000),
                           total=count(request.user, s), columns=RESULT_COLUMNS, sheet=_("政策筛查结果"),
                           filename=f"screening-{run.pk}", object_type=services.OBJECT_TYPE,
                           filters={"run": run.pk, **filters_of(form)}, sort=queries.result_sort(s),
                           summary=_("导出政策筛查结果"))
    context = list_page(request, form, search=search, count=count, sort=queries.result_sort)
    context["rows"] = [{"r": r, "id_masked": mask_id_number(r.person.id_number) if r.person_id else ""}
                       for r in context["page"]["rows"]]
    stale = queries.is_stale(run)
    context.update(run=run, counts=counts, running=run.status == RunStatus.RUNNING and not stale, stale=stale,
                   title=_("政策筛查结果"),
                   full_ids=True)
    return render(request, "web/policies/run.html", context)


OUTREACH_COLUMNS = [
    Column(_l("街道"), lambda r: r.region.parent.name if r.region.parent_id else ""),
    Column(_l("社区"), lambda r: r.region.name),
    Column(_l("姓名/单位"), lambda r: r.person.name if r.beneficiary == "person" and r.person_id else (r.employer.name if r.employer_id else "")),
    Column(_l("涉及人员"), lambda r: r.person.name if r.person_id else ""),
    Column(_l("联系电话"), lambda r: (r.person.phone if r.beneficiary == "person" and r.person_id else
                                      (r.employer.contact_phone if r.employer_id else "")), mask=mask_phone),
    Column(_l("地址"), lambda r: (r.person.address if r.beneficiary == "person" and r.person_id else
                                  (r.employer.address if r.employer_id else ""))),
    Column(_l("政策"), lambda r: r.policy.name),
    Column(_l("标准（元）"), lambda r: r.amount if r.amount is not None else _("未设置")),
    Column(_l("发放方式"), choice_label(ScreeningResult, "unit")),
    Column(_l("月数"), lambda r: r.months if r.unit == "month" else ""),
]


@policy_reader_required
def outreach(request, pk: int):
    run = queries.get_run(request.user, pk)
    policy = request.GET.get("policy", "")[:64]
    region = request.GET.get("region", "")[:12]
    if region and not region.isdigit():
        region = ""
    total = queries.count_results(request.user, run, queries.ResultSearch(policy=policy, region_code=region, claimed="no"))
    if request.GET.get("format") == "xlsx" and total > EXPORT_MAX:
        return too_many(request, total)
    groups = queries.outreach(request.user, run, policy=policy, region_code=region)
    full = roles.can_see_full_id_number(request.user)
    if request.GET.get("format") == "xlsx":
        rows = [r for g in groups for r in g["rows"]]
        return export_xlsx(request, rows=rows, total=total, columns=OUTREACH_COLUMNS, sheet=_("入户宣传名单"),
                           filename=f"outreach-{run.pk}", object_type=services.OBJECT_TYPE,
                           filters={"run": run.pk, "policy": policy, "region": region}, sort="region",
                           summary=_("导出政策找人入户宣传名单"))
    audit.record(request.user, AuditEntry.Action.VIEW, object_type=services.OBJECT_TYPE, object_id=run.pk,
                 region_code=request.user.region_id or "", changes={"outreach": True, "rows": total, "policy": policy},
                 summary=_("查看政策找人入户宣传名单（%(n)s 条）") % {"n": total})
    for g in groups:
        g["items"] = []
        for r in g["rows"]:
            is_person = r.beneficiary == "person" and r.person_id
            phone = (r.person.phone if is_person else (r.employer.contact_phone if r.employer_id else "")) or ""
            g["items"].append({
                "r": r, "who": r.person.name if is_person else (r.employer.name if r.employer_id else ""),
                "about": r.person.name if (r.person_id and not is_person) else "",
                "phone": phone if full else mask_phone(phone) if phone else "",
                "address": (r.person.address if is_person else (r.employer.address if r.employer_id else "")) or "",
            })
    counts = queries.policy_counts(request.user, run)
    params = urlencode({k: v for k, v in {"policy": policy, "region": region, "format": "xlsx"}.items() if v})
    return render(request, "web/policies/outreach.html", {"run": run, "groups": groups, "total": total, "counts": counts,
                                                          "outreach_max": queries.OUTREACH_MAX,
                                                          "policy": policy, "region": region, "export_query": params,
                                                          "title": _("入户宣传名单")})


# ---------------------------------------------------------------------------------------------
# Portal: policies I may qualify for (可享受的政策)


def _claim_link(policy_code: str, event_type: str, event_id: int) -> str:
    try:
        base = reverse("web:my_claim_new")
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode({'policy': policy_code, 'event_type': event_type, 'event_id': event_id})}"


@login_required
def my_policies(request):
    found = mine.my_policies(request.user)
    if found.person is None and found.employer is None:
        raise PermissionDenied(_("本页面供居民本人和用人单位用户查看可享受的政策；您的账号未关联本人档案或单位"))
    rows = [{"m": m, "link": "" if m.claimed else _claim_link(m.policy.code, m.ent.event_type, m.ent.event_id),
             "event": (m.ent.trace.get("event") or {}).get("label", "")} for m in found.rows]
    return render(request, "web/policies/mine.html", {"found": found, "rows": rows, "title": _("可享受的政策")})
