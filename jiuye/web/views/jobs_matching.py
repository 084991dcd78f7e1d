"""岗位匹配 in the workbench and the portal (issue 10, item 5): jobs for a seeker (staff), seekers for a
vacancy (staff and the employer), a resident's recommended jobs, and the recommendation runs with their
progress, statistics and stored lists. Reads go through ``jiuye.jobs.queries.matching``, runs through
``jiuye.jobs.services.matching``; the reasons are the same list as the API's and the CLI's."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.jobs.models import RunStatus
from jiuye.jobs.queries import matching as queries
from jiuye.jobs.services import matching as services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.queries import linked_person_id
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import jobs_matching as forms
from jiuye.web.views.common import list_page, require

jobs_reader_required = require(roles.can_read_jobs, _l("您的角色无权查看岗位与招聘"))


def _reasons_text(row) -> str:
    return "；".join(f"{r['label']}（{r['points']:g}/{r['max_points']:g}）：{r['text']}" for r in row["reasons"])


JOB_COLUMNS = [
    Column(_l("名次"), lambda r: r["rank"]),
    Column(_l("岗位名称"), lambda r: r["title"]),
    Column(_l("招聘单位"), lambda r: r["employer"]),
    Column(_l("工作地点"), lambda r: r["region"]),
    Column(_l("月薪（元）"), lambda r: f"{r['wage_min'] or ''}–{r['wage_max'] or ''}"),
    Column(_l("用工形式"), lambda r: r["work_type_label"]),
    Column(_l("空缺"), lambda r: r["open_positions"]),
    Column(_l("匹配得分"), lambda r: r["score"]),
    Column(_l("匹配理由"), _reasons_text),
]

SEEKER_COLUMNS = [
    Column(_l("名次"), lambda r: r["rank"]),
    Column(_l("姓名"), lambda r: r["name"]),
    Column(_l("年龄段"), lambda r: r["age_band"]),
    Column(_l("文化程度"), lambda r: r["education"]),
    Column(_l("技能/证书"), lambda r: "、".join(r["skills"])),
    Column(_l("优先"), lambda r: "、".join(r["flags"])),
    Column(_l("匹配得分"), lambda r: r["score"]),
    Column(_l("匹配理由"), _reasons_text),
]


def _export_match(request, form, result, columns, *, sheet, filename, object_type, object_id):
    return export_xlsx(request, rows=result.rows, total=len(result.rows), columns=columns, sheet=sheet,
                       filename=filename, object_type=object_type, filters={"id": object_id, **filters_of(form)},
                       sort="rank", summary=_("导出匹配结果"))


@jobs_reader_required
def person_jobs(request, person_id: int):
    """Jobs for one seeker (staff): the live ranking with reasons, "推荐给TA" per job."""
    form = forms.TopForm(request.GET or None)  # unbound without a choice: shows the default 20
    result = queries.jobs_for_person(request.user, person_id, top=form.top_value())
    if is_export(request, form):
        return _export_match(request, form, result, JOB_COLUMNS, sheet=_("匹配岗位"), filename=f"person-{person_id}-jobs",
                             object_type="person", object_id=person_id)
    return render(request, "web/jobs/matching/person_jobs.html",
                  {"result": result, "form": form, "title": _("为求职人员匹配岗位"), "may_recommend": roles.can_work_jobs(request.user),
                   "page": {"total": len(result.rows)}, "export_fields": list(request.GET.items()),
                   "export_max": EXPORT_MAX})


@login_required
def vacancy_seekers(request, pk: int):
    """Seekers for one vacancy: staff in scope, or the employer for its own vacancy (masked)."""
    if not (roles.can_read_jobs(request.user) or roles.is_employer_user(request.user)):
        raise PermissionDenied(_("您的角色无权查看岗位匹配"))
    form = forms.TopForm(request.GET or None)  # unbound without a choice: shows the default 20
    result = queries.seekers_for_vacancy(request.user, pk, top=form.top_value())
    if is_export(request, form):
        return _export_match(request, form, result, SEEKER_COLUMNS, sheet=_("匹配求职人员"), filename=f"vacancy-{pk}-seekers",
                             object_type="vacancy", object_id=pk)
    return render(request, "web/jobs/matching/vacancy_seekers.html",
                  {"result": result, "form": form, "title": _("为岗位匹配求职人员"),
                   "employer": roles.is_employer_user(request.user),
                   "may_recommend": roles.can_work_jobs(request.user),
                   "page": {"total": len(result.rows)}, "export_fields": list(request.GET.items()),
                   "export_max": EXPORT_MAX})


@login_required
def my_jobs(request):
    """A resident's recommended jobs: the latest run's list (congestion-controlled) when it holds them,
    else the live top N; phone-first cards with the reasons and "投递"."""
    pid = linked_person_id(request.user) if roles.is_resident(request.user) else None
    if pid is None:
        raise PermissionDenied(_("本页面供居民本人查看推荐岗位；您的账号未关联本人档案"))
    result = queries.recommended_for(request.user, pid) or queries.jobs_for_person(request.user, pid, top=20)
    return render(request, "web/jobs/matching/my_jobs.html", {"result": result, "title": _("推荐岗位")})


RUN_COLUMNS = [
    Column(_l("编号"), lambda r: r.pk),
    Column(_l("开始时间"), lambda r: r.started_at),
    Column(_l("状态"), lambda r: r.get_status_display()),
    Column(_l("拥挤控制"), lambda r: r.congestion),
    Column(_l("求职人数"), lambda r: r.seekers),
    Column(_l("岗位数"), lambda r: r.vacancies),
    Column(_l("覆盖率"), lambda r: r.stats.get("coverage", "")),
    Column(_l("岗位曝光基尼系数"), lambda r: r.stats.get("gini", "")),
]


@jobs_reader_required
def recommendation_runs(request):
    form = forms.RunSearchForm(request.GET)
    may_start = services.can_start_runs(request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.runs_of_search(request.user, s), total=queries.count_runs(request.user, s),
                           columns=RUN_COLUMNS, sheet=_("岗位推荐批次"), filename="recommendation-runs",
                           object_type=services.OBJECT_TYPE, filters=filters_of(form), sort=queries.run_sort(s),
                           summary=_("导出岗位推荐批次列表"))
    start = None
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied(_("只有区县、市级人社部门可以发起岗位推荐批次"))
        start = forms.StartRunForm(request.POST)
        if start.is_valid():
            run = services.start_run(request.user, congestion=start.cleaned_data["congestion"])
            messages.success(request, _("已开始岗位推荐批次 %(n)s") % {"n": run.pk})
            return redirect("web:recommendation_run", pk=run.pk)
    context = list_page(request, form, search=queries.search_runs, count=queries.count_runs, sort=queries.run_sort)
    context.update(start_form=start or forms.StartRunForm(), may_start=may_start, title=_("智能推荐"))
    return render(request, "web/jobs/matching/runs.html", context, status=400 if start is not None else 200)


REC_COLUMNS = [
    Column(_l("姓名"), lambda r: r.person.name),
    Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number),
    Column(_l("名次"), lambda r: r.rank),
    Column(_l("岗位"), lambda r: r.vacancy.title),
    Column(_l("招聘单位"), lambda r: r.vacancy.employer.name),
    Column(_l("匹配得分"), lambda r: r.score),
]


@jobs_reader_required
def recommendation_run(request, pk: int):
    run = queries.get_run(request.user, pk)
    form = forms.RecommendationSearchForm(request.GET)

    def search(user, s):
        return queries.search_recommendations(user, run, s)

    def count(user, s):
        return queries.count_recommendations(user, run, s)

    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.recommendations_of_search(request.user, run, s).iterator(chunk_size=2000),
                           total=count(request.user, s), columns=REC_COLUMNS, sheet=_("岗位推荐"),
                           filename=f"recommendations-{run.pk}", object_type=services.OBJECT_TYPE,
                           filters={"run": run.pk, **filters_of(form)}, sort=queries.recommendation_sort(s),
                           summary=_("导出岗位推荐名单"))
    context = list_page(request, form, search=search, count=count, sort=queries.recommendation_sort)
    context["rows"] = [{"r": r, "id_masked": mask_id_number(r.person.id_number)} for r in context["page"]["rows"]]
    context.update(run=run, running=run.status == RunStatus.RUNNING, title=_("岗位推荐批次"), full_ids=True,
                   seconds=(run.stats or {}).get("seconds", {}))
    return render(request, "web/jobs/matching/run.html", context)
