"""招聘岗位 in the workbench and the employer portal: the list and full-text search (count, sort, filters,
export), a vacancy's page (requirements, why it was refused or what waits for review, suggested occupation
codes to confirm, actions), the vacancy form, the review list, the employer's own vacancies (/my/vacancies/,
phone-first), and the occupation classification's browse/search page. Scope and rules live in
jiuye.jobs.queries/services."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import scope_prefix
from jiuye.jobs.models import Vacancy, VacancyStatus
from jiuye.jobs.queries import occupations as occupation_queries
from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.rules import SEX_GROUNDS
from jiuye.jobs.services import vacancies as services
from jiuye.jobs.services.occupations import suggest_occupations
from jiuye.regions import queries as region_queries
from jiuye.registry import queries as registry_queries
from jiuye.registry.models import Education, Employer
from jiuye.web.exports import Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import jobs_vacancies as forms
from jiuye.web.views.common import list_page, page_context, require

jobs_reader_required = require(roles.can_read_jobs, gettext_lazy("您的角色无权使用岗位与招聘功能"))


def _is_employer_user(user) -> bool:
    return bool(roles.is_employer_user(user) and registry_queries.linked_employer_id(user))


employer_required = require(_is_employer_user, gettext_lazy("招聘岗位管理仅供已关联单位的用人单位用户使用"))
any_jobs_user = require(lambda u: roles.can_read_jobs(u) or roles.is_employer_user(u) or roles.is_resident(u),
                        gettext_lazy("您的角色无权查看招聘岗位"))
EDUCATION_LABELS = dict(Education.choices)


def _wage(v) -> str:
    if v.wage_min is None and v.wage_max is None:
        return _("面议")
    if v.wage_min == v.wage_max or v.wage_max is None:
        return f"{v.wage_min}"
    if v.wage_min is None:
        return f"≤{v.wage_max}"
    return f"{v.wage_min}–{v.wage_max}"


def _place(v) -> str:
    return f"{v.region.parent.name} {v.region.name}" if v.region.parent_id else v.region.name


VACANCY_COLUMNS = [
    Column(_l("岗位名称"), lambda v: v.title),
    Column(_l("招聘单位"), lambda v: v.employer.name),
    Column(_l("职业代码"), lambda v: v.occupation.code if v.occupation_id else ""),
    Column(_l("职业"), lambda v: v.occupation.name if v.occupation_id else ""),
    Column(_l("用工形式"), choice_label(Vacancy, "work_type")),
    Column(_l("招聘人数"), lambda v: v.openings),
    Column(_l("已录用"), lambda v: v.hired),
    Column(_l("月薪（元）"), _wage),
    Column(_l("工作地点"), _place),
    Column(_l("最低学历"), lambda v: EDUCATION_LABELS.get(v.education_min, "不限")),
    Column(_l("有效期止"), lambda v: v.valid_until),
    Column(_l("状态"), choice_label(Vacancy, "status")),
]


def _list(request, *, template, public=False, mine=False, title=""):
    form = forms.VacancySearchForm(request.GET, user=request.user, public=public, mine=mine)
    if is_export(request, form):
        s = form.search(limit=50_000)
        return export_xlsx(request, rows=queries.vacancies_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_vacancies(request.user, s), columns=VACANCY_COLUMNS, sheet=_("招聘岗位"),
                           filename="vacancies", object_type="vacancy", filters=filters_of(form), sort=queries.vacancy_sort(s),
                           summary=_("导出招聘岗位列表"))
    context = list_page(request, form, search=queries.search_vacancies, count=queries.count_vacancies, sort=queries.vacancy_sort)
    context["rows"] = [{"v": v, "wage": _wage(v), "place": _place(v)} for v in context["page"]["rows"]]
    context.update(title=title, public=public, mine=mine, may_create=roles.can_work_jobs(request.user) or mine,
                   review_count=queries.review_queue(request.user).count() if roles.can_review_vacancies(request.user) else None)
    return render(request, template, context)


@any_jobs_user
def vacancy_list(request):
    staff = roles.can_read_jobs(request.user)
    return _list(request, template="web/jobs/vacancies/list.html", public=not staff,
                 title=_("招聘岗位") if staff else _("岗位搜索"))


@employer_required
def my_vacancies(request):
    return _list(request, template="web/jobs/vacancies/list.html", mine=True, title=_("本单位招聘岗位"))


@require(roles.can_review_vacancies, gettext_lazy("您的角色无权审核招聘岗位"))
def review_list(request):
    rows = list(queries.review_queue(request.user)[:200])
    return render(request, "web/jobs/vacancies/review.html", {
        "rows": [{"v": v, "wage": _wage(v), "place": _place(v)} for v in rows], "title": _("岗位审核")})


# ---------------------------------------------------------------------------------------------
# One vacancy


def _detail(request, v: Vacancy, *, status=200, **given):
    user = request.user
    may_write = services.may_write(user, v)
    verdict = services.check_vacancy(v) if v.status in (VacancyStatus.DRAFT,) else None
    portal = roles.is_employer_user(user)
    context = {
        "v": v, "wage": _wage(v), "place": _place(v), "portal": portal,
        "education": EDUCATION_LABELS.get(v.education_min, _("不限")),
        "sex_ground_label": SEX_GROUNDS.get(v.sex_ground, v.sex_ground),
        "refusals": [{**r, "label": services.FIELDS.get(r["field"], _("审核意见") if r["field"] == "review" else r["field"])}
                     for r in (v.refusals or [])],
        "preview": verdict,
        "suggested": suggest_occupations(v.title, v.description) if may_write and not v.occupation_confirmed_by_id else [],
        "path": occupation_queries.path_of(v.occupation) if v.occupation_id else [],
        "may_write": may_write,
        "may_publish": may_write and v.status in (VacancyStatus.DRAFT, VacancyStatus.REFUSED, VacancyStatus.CLOSED,
                                                  VacancyStatus.EXPIRED),
        "may_close": may_write and v.status not in (VacancyStatus.CLOSED,),
        "may_review": services.may_review(user, v),
        "review_form": given.get("review") or forms.ReviewForm(initial={"decision": "approve"}),
        "close_form": given.get("close") or forms.CloseForm(),
        "occupation_form": given.get("occupation") or forms.OccupationForm(),
        "errors": given.get("errors") or [],
        "title": v.title,
    }
    return render(request, "web/jobs/vacancies/detail.html", context, status=status)


@any_jobs_user
def vacancy_detail(request, pk: int):
    return _detail(request, queries.get_vacancy(request.user, pk))


def _post_action(request, pk, call, success, slot=None, form=None):
    if request.method != "POST":
        return redirect("web:vacancy", pk=pk)
    v = queries.get_vacancy(request.user, pk)
    if form is not None and not form.is_valid():
        return _detail(request, v, status=400, **{slot: form})
    try:
        call(v)
    except services.VacancyRefused as exc:
        messages.error(request, _("岗位含有不符合公平就业规定的内容，已拒绝发布，请按下列原因修改后重新发布"))
        return _detail(request, queries.get_vacancy(request.user, pk), status=400, errors=exc.messages)
    except ValidationError as exc:
        if form is not None and slot:
            form.add_service_error(exc)
            return _detail(request, v, status=400, **{slot: form})
        return _detail(request, v, status=400, errors=exc.messages)
    messages.success(request, success)
    return redirect("web:vacancy", pk=pk)


@any_jobs_user
def vacancy_publish(request, pk: int):
    return _post_action(request, pk, lambda v: services.publish_vacancy(request.user, v.pk), _("已提交发布"))


@any_jobs_user
def vacancy_close(request, pk: int):
    form = forms.CloseForm(request.POST or None)
    return _post_action(request, pk, lambda v: services.close_vacancy(request.user, v.pk, reason=form.cleaned_data["reason"]),
                        _("岗位已关闭"), "close", form)


@any_jobs_user
def vacancy_occupation(request, pk: int):
    form = forms.OccupationForm(request.POST or None)
    return _post_action(request, pk, lambda v: services.confirm_occupation(request.user, v.pk, form.cleaned_data["occupation_code"]),
                        _("已确认职业代码"), "occupation", form)


@require(roles.can_review_vacancies, gettext_lazy("您的角色无权审核招聘岗位"))
def vacancy_review_decide(request, pk: int):
    form = forms.ReviewForm(request.POST or None)
    return _post_action(request, pk, lambda v: services.review_vacancy(
        request.user, v.pk, approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"]),
        _("已提交审核意见"), "review", form)


# ---------------------------------------------------------------------------------------------
# The vacancy form (staff and the employer portal)


def _employers_for(user):
    if roles.is_employer_user(user):
        eid = registry_queries.linked_employer_id(user)
        return list(Employer.objects.filter(pk=eid)) if eid else []
    return registry_queries.employers_for_pick(user)


def _regions_for(user, employers):
    prefix = scope_prefix(user)
    if roles.is_employer_user(user):
        prefix = employers[0].region_id[:6] if employers else None
    indent = {3: "", 4: "\u3000", 5: "\u3000\u3000"}
    return [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in region_queries.filter_choices(prefix)]


def _form_page(request, v: Vacancy | None):
    user = request.user
    if not (roles.can_work_jobs(user) or _is_employer_user(user)):
        raise PermissionDenied(_("您的角色无权发布招聘岗位"))
    employers = _employers_for(user) if v is None else [v.employer]
    initial = {}
    if v is None and request.GET.get("employer"):
        initial["employer"] = request.GET["employer"]
    if v is not None:
        initial = {k: getattr(v, k) for k in ("title", "work_type", "openings", "wage_min", "wage_max", "address", "education_min",
                                              "experience_years", "hours", "description", "age_min", "age_max",
                                              "age_justification", "sex_requirement", "sex_ground", "valid_from", "valid_until",
                                              "contact_name", "contact_phone", "latitude", "longitude")}
        initial.update(employer=str(v.employer_id), region=v.region_id, occupation_code=v.occupation.code if v.occupation_id else "",
                       skills="、".join(v.skills or []), certificates="、".join(v.certificates or []))
    elif employers and len(employers) == 1:
        initial.update(region=employers[0].region_id)
    form = forms.VacancyForm(request.POST or None, initial=initial, employers=employers, regions=_regions_for(user, employers))
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            if v is None:
                saved = services.create_vacancy(user, employer_id=int(form.cleaned_data["employer"]), publish=publish,
                                                **form.service_values())
            else:
                saved = services.update_vacancy(user, v.pk, publish=publish, **form.service_values())
        except services.VacancyRefused as exc:
            messages.error(request, _("岗位含有不符合公平就业规定的内容，已拒绝发布，请按下列原因修改后重新发布"))
            return redirect("web:vacancy", pk=exc.vacancy.pk)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, {VacancyStatus.PUBLISHED: _("岗位已发布"),
                                       VacancyStatus.PENDING_REVIEW: _("岗位设有年龄或性别条件，已提交审核")}.get(
                                           saved.status, _("岗位已保存（草稿），确认无误后请发布")))
            return redirect("web:vacancy", pk=saved.pk)
    return render(request, "web/jobs/vacancies/form.html", {
        "form": form, "v": v, "portal": roles.is_employer_user(user),
        "title": _("发布招聘岗位") if v is None else _("修改招聘岗位：%s") % v.title})


@login_required
def vacancy_new(request):
    return _form_page(request, None)


@login_required
def vacancy_edit(request, pk: int):
    v = queries.get_vacancy(request.user, pk)
    if not services.may_write(request.user, v):
        raise PermissionDenied(_("您无权修改该岗位"))
    return _form_page(request, v)


# ---------------------------------------------------------------------------------------------
# Occupations (职业分类大典)


@login_required
def occupation_browse(request):
    form = forms.OccupationSearchForm(request.GET)
    s = occupation_queries.OccupationSearch(limit=100)
    node = None
    if form.is_valid():
        d = form.cleaned_data
        s = occupation_queries.OccupationSearch(q=d["q"], parent=d["parent"], limit=100, offset=d["offset"] or 0)
        node = occupation_queries.get_occupation(d["parent"]) if d["parent"] and not d["q"] else None
    result = occupation_queries.search_occupations(s)
    context = {"form": form, "page": page_context(request, form, result, total=occupation_queries.count_occupations(s),
                                                  page_size=100),
               "node": node, "path": occupation_queries.path_of(node) if node else [],
               "levels": occupation_queries.level_counts(), "title": _("职业分类大典"),
               "staff": roles.can_read_jobs(request.user)}
    context["rows"] = [{"o": o, "level": occupation_queries.LEVEL_LABELS.get(o.level, o.level), "aliases": [a for a in (o.aliases or "").splitlines() if a.strip()][:6]}
                       for o in context["page"]["rows"]]
    return render(request, "web/jobs/occupations/browse.html", context)



# ---------------------------------------------------------------------------------------------
# The talent reserve pool (人力资源储备池)

from jiuye.jobs.models import TalentPoolEntry  # noqa: E402
from jiuye.jobs import flags as flag_queries  # noqa: E402
from jiuye.jobs.queries import pool as pool_queries  # noqa: E402
from jiuye.registry.identity import mask_id_number  # noqa: E402

POOL_COLUMNS = [
    Column(_l("姓名"), lambda e: e.person.name),
    Column(_l("公民身份号码"), lambda e: e.person.id_number, mask=mask_id_number),
    Column(_l("入库原因"), choice_label(TalentPoolEntry, "reason")),
    Column(_l("原/新单位"), lambda e: e.employer.name if e.employer_id else ""),
    Column(_l("职业"), lambda e: e.occupation.name if e.occupation_id else ""),
    Column(_l("发生日期"), lambda e: e.occurred_on),
    Column(_l("所在社区"), lambda e: f"{e.region.parent.name} {e.region.name}" if e.region.parent_id else e.region.name),
    Column(_l("状态"), choice_label(TalentPoolEntry, "status")),
]


@jobs_reader_required
def talent_pool(request):
    form = forms.PoolSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=50_000)
        return export_xlsx(request, rows=pool_queries.pool_of_search(request.user, s).iterator(chunk_size=2000),
                           total=pool_queries.count_pool(request.user, s), columns=POOL_COLUMNS, sheet=_("人力资源储备池"),
                           filename="talent_pool", object_type="talent_pool", filters=filters_of(form),
                           sort=pool_queries.pool_sort(s), summary=_("导出人力资源储备池名单"))
    context = list_page(request, form, search=pool_queries.search_pool, count=pool_queries.count_pool, sort=pool_queries.pool_sort)
    rows = context["page"]["rows"]
    flags = flag_queries.priority_flags([e.person_id for e in rows])
    context["rows"] = [{"e": e, "id_masked": mask_id_number(e.person.id_number),
                        "flags": flag_queries.labels(flags.get(e.person_id, []))} for e in rows]
    context["title"] = _("人力资源储备池")
    return render(request, "web/jobs/pool/list.html", context)


# ---------------------------------------------------------------------------------------------
# Demand surveys (企业用工需求调查): the demand list

from jiuye.jobs.models import DemandLine  # noqa: E402
from jiuye.jobs.queries import surveys as survey_queries  # noqa: E402
from jiuye.jobs.services import surveys as survey_services  # noqa: E402

DEMAND_COLUMNS = [
    Column(_l("调查期"), lambda line: line.survey.period),
    Column(_l("用人单位"), lambda line: line.survey.employer.name),
    Column(_l("所在区划"), lambda line: line.survey.region.name),
    Column(_l("岗位名称"), lambda line: line.title),
    Column(_l("职业代码"), lambda line: line.occupation.code if line.occupation_id else ""),
    Column(_l("职业"), lambda line: line.occupation.name if line.occupation_id else ""),
    Column(_l("需求人数"), lambda line: line.headcount),
    Column(_l("月薪下限（元）"), lambda line: line.wage_min),
    Column(_l("月薪上限（元）"), lambda line: line.wage_max),
    Column(_l("用工形式"), choice_label(DemandLine, "work_type")),
    Column(_l("需求时间"), lambda line: line.needed_by),
    Column(_l("急需"), lambda line: _("是") if line.urgent else ""),
    Column(_l("生成的岗位"), lambda line: line.vacancy.title if line.vacancy_id else ""),
]


@jobs_reader_required
def demand_list(request):
    form = forms.DemandSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=50_000)
        return export_xlsx(request, rows=survey_queries.lines_of_search(request.user, s).iterator(chunk_size=2000),
                           total=survey_queries.count_lines(request.user, s), columns=DEMAND_COLUMNS, sheet=_("用工需求"),
                           filename="demand", object_type="demand_survey", filters=filters_of(form), sort="",
                           summary=_("导出企业用工需求"))
    context = list_page(request, form, search=survey_queries.search_lines, count=survey_queries.count_lines)
    context["rows"] = context["page"]["rows"]
    context["summary"] = survey_queries.demand_summary(request.user, form.search(limit=50)) if form.is_valid() else []
    context.update(title=_("企业用工需求"), may_generate=roles.can_work_jobs(request.user))
    if request.method == "POST" and roles.can_work_jobs(request.user):
        ids = [int(x) for x in request.POST.getlist("line") if x.isdigit()][:500]
        result = survey_services.vacancies_from_lines(request.user, ids)
        if result["created"]:
            messages.success(request, _("已生成 %d 个招聘岗位（草稿），请逐一核对后发布") % result["created"])
        for line_id, message in result["errors"]:
            messages.error(request, _("需求 %(id)s 未能生成岗位：%(m)s") % {"id": line_id, "m": message})
        return redirect(request.get_full_path())
    return render(request, "web/jobs/surveys/list.html", context)
