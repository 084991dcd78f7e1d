"""求职申请 in the workbench and the portals: the pipeline list (staff of the person's region, an employer user
for its own vacancies), one application (timeline and the next steps as forms), the recommend and apply
posts other pages use, and the resident's own applications (/my/applications/, phone-first). Scope lives
in jiuye.jobs.queries/services."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.jobs.models import Application, RecruitmentEvent, Vacancy
from jiuye.jobs.queries import applications as queries
from jiuye.jobs import flags
from jiuye.jobs.services import applications as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import jobs_applications as forms
from jiuye.web.views.common import list_page, require


def _may_see_pipeline(user) -> bool:
    return roles.can_read_jobs(user) or (roles.is_employer_user(user) and bool(registry_queries.linked_employer_id(user)))


pipeline_required = require(_may_see_pipeline, gettext_lazy("您的角色无权查看求职申请"))
resident_required = require(lambda u: roles.is_resident(u) and bool(registry_queries.linked_person_id(u)),
                            gettext_lazy("求职申请仅供已关联本人档案的居民使用"))
any_user_required = require(lambda u: True, "")


def _columns(user):
    return [
        Column(_l("求职人员"), lambda a: queries.seeker_label(user, a)),
        Column(_l("公民身份号码"), lambda a: a.person.id_number, mask=mask_id_number),
        Column(_l("岗位"), lambda a: a.vacancy.title),
        Column(_l("招聘单位"), lambda a: a.vacancy.employer.name),
        Column(_l("来源"), choice_label(Application, "origin")),
        Column(_l("招聘活动"), lambda a: a.event.name if a.event_id else ""),
        Column(_l("状态"), choice_label(Application, "status")),
        Column(_l("匹配得分"), lambda a: a.score if a.score is not None else ""),
        Column(_l("入职日期"), lambda a: a.start_date or ""),
        Column(_l("创建时间"), lambda a: a.created_at),
        Column(_l("更新时间"), lambda a: a.updated_at),
    ]


def _rows(user, rows):
    marks = flags.priority_flags([a.person_id for a in rows])
    return [{"a": a, "who": queries.seeker_label(user, a), "id_masked": mask_id_number(a.person.id_number),
             "flags": flags.labels(marks.get(a.person_id, []))} for a in rows]


@pipeline_required
def application_list(request):
    form = forms.ApplicationSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.applications_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_applications(request.user, s), columns=_columns(request.user),
                           sheet=_("求职申请"), filename="applications", object_type="job_application",
                           filters=filters_of(form), sort=queries.application_sort(s), summary=_("导出求职申请列表"))
    context = list_page(request, form, search=queries.search_applications, count=queries.count_applications,
                        sort=queries.application_sort)
    context["rows"] = _rows(request.user, context["page"]["rows"])
    context["staff"] = roles.can_read_jobs(request.user)
    context["title"] = _("求职申请")
    return render(request, "web/jobs/applications/list.html", context)


# ---------------------------------------------------------------------------------------------
# One application

STEP_FORMS = {"interview": forms.InterviewForm, "hire": forms.HireForm}


def _step_form(action, data=None):
    return STEP_FORMS.get(action, forms.StepForm)(data, prefix=action)


def _application_page(request, app, *, portal=False, status=200, failed=None):
    actions = services.next_actions(request.user, app)
    steps = [{"action": a, "label": services.ACTION_LABELS[a],
              "form": failed[1] if failed and failed[0] == a else _step_form(a)} for a in actions]
    context = {
        "a": app, "portal": portal, "who": queries.seeker_label(request.user, app),
        "id_masked": mask_id_number(app.person.id_number), "timeline": list(queries.timeline(app)), "steps": steps,
        "flags": flags.labels(flags.priority_flags([app.person_id]).get(app.person_id, [])),
        "staff": roles.can_read_jobs(request.user),
        "refused": ([m for ms in failed[1].errors.values() for m in ms] if failed and failed[0] not in actions else []),
        "title": _("求职申请：%(v)s") % {"v": app.vacancy.title},
    }
    return render(request, "web/jobs/applications/detail.html", context, status=status)


@any_user_required
def application_detail(request, pk: int):
    app = queries.get_application(request.user, pk)
    return _application_page(request, app, portal=roles.is_resident(request.user))


@any_user_required
def application_step(request, pk: int, action: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    app = queries.get_application(request.user, pk, audit_read=False)
    if action not in services.TRANSITIONS:
        return redirect("web:application", pk=pk)
    form = _step_form(action, request.POST)
    if form.is_valid():
        d = form.values() if hasattr(form, "values") else dict(form.cleaned_data)
        note = d.pop("note", "") or ""
        try:
            if action == "hire":
                services.hire(actor=request.user, application=app, note=note, **d)
            else:
                services.transition(actor=request.user, application=app, action=action, note=note,
                                    interview_at=d.get("interview_at"))
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("已%(a)s") % {"a": services.ACTION_LABELS[action]})
            return redirect("web:application", pk=pk)
    app.refresh_from_db()
    return _application_page(request, app, portal=roles.is_resident(request.user), status=400, failed=(action, form))


def _next(request, default):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return default


def _vacancy(request, pk):
    return Vacancy.objects.filter(pk=pk).select_related("employer").first()


def _post_create(request, form, create):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not form.is_valid():
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        return _next(request, redirect("web:applications" if roles.can_read_jobs(request.user) else "web:my_applications"))
    try:
        app = create(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _next(request, redirect("web:applications" if roles.can_read_jobs(request.user) else "web:my_applications"))
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("已提交：%(v)s") % {"v": app.vacancy.title})
    return _next(request, redirect("web:application", pk=app.pk))


def _person(request, pk):
    person = registry_queries.visible_person(request.user, pk) if pk else None
    if person is None:
        raise registry_queries.NotFound(_("人员不存在或不在您的管辖范围内"))
    return person


def _vacancy_or_404(request, pk):
    vacancy = _vacancy(request, pk)
    if vacancy is None:
        raise registry_queries.NotFound(_("岗位不存在"))
    return vacancy


@require(roles.can_work_jobs, gettext_lazy("您的角色无权推荐求职者"))
def application_recommend(request):
    form = forms.RecommendForm(request.POST or None)

    def create(d):
        return services.recommend(actor=request.user, vacancy=_vacancy_or_404(request, d["vacancy"]),
                                  person=_person(request, d["person"]), score=d.get("score"), matched=d.get("score") is not None)

    return _post_create(request, form, create)


@any_user_required
def application_apply(request):
    form = forms.ApplyForm(request.POST or None)

    def create(d):
        if roles.is_resident(request.user):
            pid = registry_queries.linked_person_id(request.user)
        else:
            pid = d.get("person")
        event = RecruitmentEvent.objects.filter(pk=d["event"]).first() if d.get("event") else None
        return services.apply(actor=request.user, vacancy=_vacancy_or_404(request, d["vacancy"]), person=_person(request, pid),
                              event=event)

    return _post_create(request, form, create)


@resident_required
def my_applications(request):
    s = queries.ApplicationSearch(limit=200)
    rows, _more = queries.search_applications(request.user, s)
    return render(request, "web/jobs/applications/my_list.html", {"rows": rows, "title": _("我的求职")})
