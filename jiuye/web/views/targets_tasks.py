"""重点任务 (issue 12, part tasks): the plans' key-work tasks of the user's region with this week's status, one
task with its weekly history, the weekly progress entry (a correction replaces the current entry, the old is
kept), the week overview for managers (who reported, who has not) and a department's page where an account
administrator links the department's liaison. Rules and scope live in jiuye.targets.queries_tasks and
jiuye.targets.services_tasks."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.models import User
from jiuye.accounts.scoping import OutOfScope
from jiuye.targets import queries_tasks as queries
from jiuye.targets import services_tasks as services
from jiuye.targets.models import DepartmentMember, TaskStatus
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import targets_tasks as forms
from jiuye.web.views.common import list_page, require


def _may_read(user) -> bool:
    return roles.can_read_targets(user) or roles.can_report_tasks(user)


reader_required = require(_may_read, gettext_lazy("您的角色无权查看重点任务"))
STATUS_LABELS = dict(TaskStatus.choices)


def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, _("未填报")))


TASK_COLUMNS = [
    Column(_l("规划/计划"), lambda t: t.plan), Column(_l("序号"), lambda t: t.number), Column(_l("任务"), lambda t: t.title),
    Column(_l("牵头单位"), lambda t: "、".join(d.name for d in t.lead.all())),
    Column(_l("配合单位"), lambda t: "、".join(d.name for d in t.partners.all())),
    Column(_l("完成时限"), lambda t: t.due_text), Column(_l("本周状态"), lambda t: status_label(t.week_status)),
    Column(_l("本周填报单位数"), lambda t: t.week_reported),
]


@reader_required
def plan_tasks(request):
    mine = services.department_of(request.user)
    form = forms.TaskSearchForm(request.GET, user=request.user, mine=mine)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.tasks_of_search(request.user, s), total=queries.count_tasks(request.user, s),
                           columns=TASK_COLUMNS, sheet=_("重点任务"), filename="plan-tasks", object_type="targets.plantask",
                           filters=filters_of(form), sort=queries.task_sort(s), summary=_("导出重点任务列表"))
    context = list_page(request, form, search=queries.search_tasks, count=queries.count_tasks, sort=queries.task_sort)
    week = form.search(limit=1).week if form.is_valid() else queries.week_of(timezone.localdate())
    context.update(mine=mine, week=week, may_report=roles.can_report_tasks(request.user),
                   may_manage=roles.can_manage_targets(request.user),
                   rows=[{"t": t, "status": t.week_status, "status_label": status_label(t.week_status),
                          "mine": bool(mine and (mine in t.lead.all() or mine in t.partners.all()))}
                         for t in context["page"]["rows"]])
    return render(request, "web/targets/tasks/list.html", context)


def _task(request, pk):
    try:
        return queries.task_detail(request.user, pk)
    except OutOfScope:
        raise Http404(_("未找到该任务，或不在您的管辖范围内")) from None


@reader_required
def plan_task(request, pk: int):
    task = _task(request, pk)
    corrections = request.GET.get("corrections") == "1"
    history = queries.task_history(task, corrections=corrections)
    reportable = [d for d in [*task.lead.all(), *task.partners.all()] if services.may_report_for(request.user, task, d)]
    return render(request, "web/targets/tasks/detail.html", {
        "task": task, "history": history, "corrections": corrections, "may_report": bool(reportable),
        "lead": list(task.lead.all()), "partners": list(task.partners.all()),
    })


@reader_required
def task_progress_new(request, pk: int):
    task = _task(request, pk)
    departments = [d for d in [*task.lead.all(), *task.partners.all()] if services.may_report_for(request.user, task, d)]
    if not departments:
        raise PermissionDenied(_("您无权填报该任务的进展（责任单位联络员只能填报本单位的任务）"))
    initial = {"week": timezone.localdate(), "department": departments[0].pk}
    if request.GET.get("department"):
        initial["department"] = request.GET["department"]
    form = forms.ProgressForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        dept = next(x for x in departments if x.pk == d["department"])
        try:
            entry = services.report_progress(request.user, task, dept, d["week"], status=d["status"], text=d["text"],
                                             figure=d["figure"], figure_label=d["figure_label"], problems=d["problems"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("已更正 %(d)s %(w)s 这一周的进展，原记录已保留") % {"d": dept.name, "w": entry.week}
                             if entry.replaces_id else _("已保存 %(d)s %(w)s 这一周的进展") % {"d": dept.name, "w": entry.week})
            return redirect("web:plan_task", pk=task.pk)
    return render(request, "web/targets/tasks/progress_form.html", {"task": task, "form": form},
                  status=400 if request.method == "POST" else 200)


@reader_required
def plan_tasks_week(request):
    form = forms.WeekForm(request.GET or None, user=request.user)
    week, region = timezone.localdate(), request.user.region_id or ""
    if form.is_bound and form.is_valid():
        week = form.cleaned_data["week"] or week
        region = form.cleaned_data["region"] or region
    try:
        report = queries.week_report(request.user, region, week)
    except OutOfScope:
        raise Http404(_("该区划不在您的管辖范围内")) from None
    counts = [(status_label(k) if k != "unreported" else _("牵头单位未填报"), v) for k, v in report.counts.items()]
    if request.GET.get("format") == "xlsx":
        rows = [(r, e) for r in report.rows for e in r.entries]
        cols = [Column(_l("序号"), lambda x: x[0].number), Column(_l("任务"), lambda x: x[0].title),
                Column(_l("责任单位"), lambda x: x[1].department),
                Column(_l("牵头/配合"), lambda x: _("牵头") if x[1].role == "lead" else _("配合")),
                Column(_l("进展状态"), lambda x: x[1].status_label), Column(_l("本周进展"), lambda x: x[1].text),
                Column(_l("本周数字"), lambda x: x[1].figure), Column(_l("数字说明"), lambda x: x[1].figure_label),
                Column(_l("存在问题"), lambda x: x[1].problems), Column(_l("上周进展"), lambda x: x[1].previous_text)]
        return export_xlsx(request, rows=rows, total=len(rows), columns=cols, sheet=_("重点任务周报"),
                           filename=f"plan-tasks-week-{report.week:%Y%m%d}", object_type="targets.plantask",
                           filters={"week": report.week.isoformat(), "region": report.region_code}, sort="",
                           summary=_("导出重点任务周报"))
    return render(request, "web/targets/tasks/week.html", {
        "form": form, "report": report, "counts": counts,
        "previous": report.week.fromordinal(report.week.toordinal() - 7),
        "next": report.week.fromordinal(report.week.toordinal() + 7),
        "export_query": f"?week={report.week.isoformat()}&region={report.region_code}&format=xlsx",
    })


@reader_required
def department(request, pk: int):
    try:
        dept = queries.department_detail(request.user, pk)
    except OutOfScope:
        raise Http404(_("未找到该责任单位，或不在您的管辖范围内")) from None
    may_admin = roles.can_admin_users(request.user)
    form = forms.LinkMemberForm(request.POST or None) if may_admin else None
    if request.method == "POST":
        if not may_admin:
            raise PermissionDenied(_("您的角色无权管理账号"))
        if request.POST.get("unlink"):
            user = User.objects.filter(pk=request.POST.get("unlink"), department_link__department=dept).first()
            if user is not None:
                services.unlink_member(request.user, user)
                messages.success(request, _("已解除 %(u)s 与本单位的关联") % {"u": user.get_username()})
            return redirect("web:department", pk=dept.pk)
        if form.is_valid():
            user = User.objects.filter(username=form.cleaned_data["username"]).first()
            try:
                if user is None:
                    raise ValidationError({"username": _("账号“%(u)s”不存在") % {"u": form.cleaned_data["username"]}})
                services.link_member(request.user, user, dept)
            except ValidationError as exc:
                form.add_service_error(exc)
            except OutOfScope as exc:
                form.add_error("username", str(exc))
            else:
                messages.success(request, _("已将 %(u)s 关联为本单位的联络员") % {"u": user.get_username()})
                return redirect("web:department", pk=dept.pk)
    members = DepartmentMember.objects.filter(department=dept).select_related("user").order_by("user__username")
    led = dept.led_tasks.filter(is_active=True).order_by("region_id", "plan", "id")
    supported = dept.supported_tasks.filter(is_active=True).order_by("region_id", "plan", "id")
    return render(request, "web/targets/tasks/department.html", {
        "dept": dept, "members": members, "form": form, "led": led, "supported": supported,
        "tasks_url": reverse("web:plan_tasks") + f"?department={dept.pk}",
    }, status=400 if request.method == "POST" else 200)
