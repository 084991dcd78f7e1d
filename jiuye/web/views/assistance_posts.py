"""公益性岗位 (public-welfare posts): the catalogue, a post's page with its placements and candidates,
placement, exit and replacement, attendance, the tenure warnings and the monthly subsidy payroll."""
from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import Placement, WelfarePost
from jiuye.assistance.queries import posts as queries
from jiuye.assistance.services import posts as services
from jiuye.parameters import ParameterError, params
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, XLSX, Column, choice_label, export_xlsx, filters_of, is_export, wants_full_numbers
from jiuye.web.forms import assistance_posts as forms
from jiuye.web.views.common import list_page, post_data, service_form, staff_required, writer_required


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


POST_COLUMNS = [
    Column(_l("岗位名称"), lambda p: p.title),
    Column(_l("岗位类别"), choice_label(WelfarePost, "category")),
    Column(_l("用人单位"), lambda p: p.employer.name),
    Column(_l("工作地点"), lambda p: _region_label(p.region)),
    Column(_l("岗位数"), lambda p: p.openings),
    Column(_l("在岗人数"), lambda p: p._filled),
    Column(_l("月补贴标准（元）"), lambda p: float(p.monthly_subsidy) if p.monthly_subsidy is not None else _("按辖区标准")),
    Column(_l("开发日期"), lambda p: p.starts_on),
    Column(_l("截止日期"), lambda p: p.ends_on),
    Column(_l("状态"), choice_label(WelfarePost, "status")),
]


@staff_required
def post_list(request):
    form = forms.PostSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.posts_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_posts(request.user, s), columns=POST_COLUMNS, sheet=_("公益性岗位"),
                           filename="welfare-posts", object_type="welfare_post", filters=filters_of(form),
                           sort=queries.post_sort(s), summary=_("导出公益性岗位目录"))
    context = list_page(request, form, search=queries.search_posts, count=queries.count_posts, sort=queries.post_sort)
    today = timezone.localdate()
    days = queries.warning_days(request.user, today)
    ending = queries.PlacementSearch(ending_within=days, limit=10)
    context.update(may_write=roles.can_write_registry(request.user), warning_days=days, today=today,
                   warnings=queries.count_placements(request.user, ending),
                   ending=_placement_rows(queries.search_placements(request.user, ending)[0]))
    return render(request, "web/assistance/posts/list.html", context)


@writer_required
def post_create(request):
    form = forms.PostForm(post_data(request), user=request.user)

    def call(f):
        post = services.create_post(actor=request.user, **f.service_kwargs())
        return reverse("web:post", args=[post.pk])

    return service_form(request, form, call, success=_("已新建公益性岗位"), template="web/assistance/posts/form.html",
                        context={"title": _("新建公益性岗位"), "back": reverse("web:posts")})


@writer_required
def post_edit(request, pk: int):
    post = queries.get_post(request.user, pk)
    form = forms.PostForm(post_data(request), user=request.user, post=post)

    def call(f):
        services.update_post(actor=request.user, post=post, **f.service_kwargs())
        return reverse("web:post", args=[post.pk])

    return service_form(request, form, call, success=_("已保存"), template="web/assistance/posts/form.html",
                        context={"title": _("编辑公益性岗位：%(t)s") % {"t": post.title},
                                 "back": reverse("web:post", args=[post.pk])})


def _placement_rows(placements):
    return [{"p": p, "id_masked": mask_id_number(p.person.id_number)} for p in placements]


@staff_required
def post_detail(request, pk: int):
    post = queries.get_post(request.user, pk)
    today = timezone.localdate()
    active = queries.placements_of_search(request.user, queries.PlacementSearch(post_id=post.pk))[:200]
    ended = queries.placements_of_search(request.user, queries.PlacementSearch(post_id=post.pk, status="ended",
                                                                               sort="-ended_on"))[:50]
    may_write = roles.can_write_registry(request.user)
    candidates, candidate_count = [], 0
    if may_write:
        s = queries.CandidateSearch(limit=10)
        candidates = [{"person": c, "id_masked": mask_id_number(c.id_number), "due": c._due,
                       "overdue": bool(c._due and c._due < today)}
                      for c in queries.search_candidates(request.user, post, s)[0]]
        candidate_count = queries.count_candidates(request.user, post, s)
    try:
        subsidy = services.post_subsidy(post, today)
    except (ParameterError, services.StandardNotSet):  # no standard: shown as such
        subsidy = None
    return render(request, "web/assistance/posts/detail.html", {
        "post": post, "subsidy": subsidy, "active": _placement_rows(active), "ended": _placement_rows(ended),
        "candidates": candidates, "candidate_count": candidate_count, "may_write": may_write,
        "vacant": post.openings - post._filled, "warning_days": queries.warning_days(request.user, today),
        "today": today,
    })


CANDIDATE_COLUMNS = [
    Column(_l("姓名"), lambda p: p.name),
    Column(_l("公民身份号码"), lambda p: p.id_number, mask=mask_id_number),
    Column(_l("居住社区"), lambda p: _region_label(p.region)),
    Column(_l("援助个案最近期限"), lambda p: p._due),
    Column(_l("紧迫程度"), lambda p: URGENCY[p._urgency]),
]
URGENCY = {0: _l("已逾期"), 1: _l("未到期"), 2: _l("援助中"), 3: _l("无援助个案")}


@writer_required
def post_candidates(request, pk: int):
    post = queries.get_post(request.user, pk)
    form = forms.CandidateSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.candidates_of_search(request.user, post, s).iterator(chunk_size=2000),
                           total=queries.count_candidates(request.user, post, s), columns=CANDIDATE_COLUMNS,
                           sheet=_("候选人员"), filename="welfare-post-candidates", object_type="welfare_post",
                           filters={**filters_of(form), "post": post.pk}, sort=queries.candidate_sort(s),
                           summary=_("导出公益性岗位候选人员：%(t)s") % {"t": post.title})
    context = list_page(request, form, search=lambda u, s: queries.search_candidates(u, post, s),
                        count=lambda u, s: queries.count_candidates(u, post, s), sort=queries.candidate_sort)
    today = timezone.localdate()
    replaces = form.cleaned_data.get("replaces") if form.is_valid() else None
    context.update(post=post, replaces=replaces, full_ids=True, urgency=URGENCY, rows=[
        {"person": c, "id_masked": mask_id_number(c.id_number), "due": c._due, "overdue": bool(c._due and c._due < today),
         "urgency": URGENCY[c._urgency]} for c in context["page"]["rows"]])
    return render(request, "web/assistance/posts/candidates.html", context)


@writer_required
def post_place(request, pk: int):
    post = queries.get_post(request.user, pk)
    replaces = None
    if request.GET.get("replaces", "").isdigit():
        replaces = queries.get_placement(request.user, int(request.GET["replaces"]))
    initial = {}
    if request.GET.get("person", "").isdigit():
        person = registry_queries.visible_person(request.user, int(request.GET["person"]))
        if person is not None:
            initial["id_number"] = person.id_number
            if request.method == "GET":
                registry_queries.record_person_read(request.user, person, summary=_("查看人员档案（公益性岗位安置表单）"))
    form = forms.PlaceForm(post_data(request), user=request.user, initial=initial)

    def call(f):
        d = f.cleaned_data
        services.place(actor=request.user, post=post, person=f.person, started_on=d["started_on"],
                       planned_end_on=d["planned_end_on"], replaces=replaces, note=d["note"])
        return reverse("web:post", args=[post.pk])

    return service_form(request, form, call, success=_("已安置，并已办理就业登记（公益性岗位）"),
                        template="web/assistance/posts/form.html",
                        context={"title": _("安置到公益性岗位：%(t)s") % {"t": post.title}, "post": post,
                                 "replaces": replaces, "back": reverse("web:post", args=[post.pk]),
                                 "intro": _("安置时同时办理就业登记（就业形式：公益性岗位，单位：%(e)s）；计划期满日期按安置期限计算。")
                                 % {"e": post.employer.name}})


PLACEMENT_COLUMNS = [
    Column(_l("姓名"), lambda p: p.person.name),
    Column(_l("公民身份号码"), lambda p: p.person.id_number, mask=mask_id_number),
    Column(_l("岗位"), lambda p: p.post.title),
    Column(_l("用人单位"), lambda p: p.post.employer.name),
    Column(_l("工作地点"), lambda p: _region_label(p.region)),
    Column(_l("岗位类别"), choice_label(Placement, "category")),
    Column(_l("上岗日期"), lambda p: p.started_on),
    Column(_l("计划期满日期"), lambda p: p.planned_end_on),
    Column(_l("期限依据"), lambda p: p.tenure_note),
    Column(_l("安置条件"), lambda p: p.eligibility),
    Column(_l("状态"), choice_label(Placement, "status")),
    Column(_l("离岗日期"), lambda p: p.ended_on),
    Column(_l("离岗原因"), choice_label(Placement, "exit_reason")),
]


@staff_required
def placement_list(request):
    today = timezone.localdate()
    form = forms.PlacementSearchForm(request.GET, user=request.user, warning_days=queries.warning_days(request.user, today))
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.placements_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_placements(request.user, s), columns=PLACEMENT_COLUMNS,
                           sheet=_("公益性岗位安置"), filename="welfare-placements", object_type="welfare_placement",
                           filters=filters_of(form), sort=queries.placement_sort(s), summary=_("导出公益性岗位安置人员"))
    context = list_page(request, form, search=queries.search_placements, count=queries.count_placements,
                        sort=queries.placement_sort)
    context.update(full_ids=True, rows=_placement_rows(context["page"]["rows"]),
                   may_write=roles.can_write_registry(request.user),
                   status=(form.cleaned_data.get("status") if form.is_valid() else "") or "active", today=today)
    return render(request, "web/assistance/posts/placements.html", context)


@writer_required
def placement_exit(request, pk: int):
    placement = queries.get_placement(request.user, pk)
    form = forms.ExitForm(post_data(request))

    def call(f):
        services.exit_placement(actor=request.user, placement=placement, **f.cleaned_data)
        return reverse("web:post_candidates", args=[placement.post_id]) + f"?replaces={placement.pk}"

    return service_form(request, form, call, success=_("已办理离岗，岗位空出；可从下列候选人员中安置接替人员"),
                        template="web/assistance/posts/form.html",
                        context={"title": _("离岗：%(n)s（%(t)s）") % {"n": placement.person.name, "t": placement.post.title},
                                 "placement": placement, "back": reverse("web:post", args=[placement.post_id]),
                                 "intro": _("离岗时同时在就业登记中办理：岗位期满、辞职、被解除协议为失业登记；退休、死亡、迁出为状态终止。")})


@staff_required
def placement_attendance(request, pk: int):
    placement = queries.get_placement(request.user, pk)
    may_write = roles.can_write_registry(request.user)
    if request.method == "POST" and not may_write:
        raise PermissionDenied(_("您的角色无权修改登记信息"))
    form = forms.AttendanceForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(actor=request.user, placement=placement, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已保存考勤"))
            return redirect("web:post_placement_attendance", pk=placement.pk)
    if request.method == "GET":
        registry_queries.record_person_read(request.user, placement.person, summary=_("查看人员档案（公益性岗位考勤）"))
    rows = []
    for a in queries.attendance_of(placement):
        prorate = params(placement.region_id, a.month)["assistance.posts.payroll_prorate"]
        rows.append({"a": a, "due": queries.subsidy_due(placement.monthly_subsidy, a, prorate=prorate)})
    return render(request, "web/assistance/posts/attendance.html", {
        "placement": placement, "id_masked": mask_id_number(placement.person.id_number), "form": form, "rows": rows,
        "may_write": may_write, "title": _("考勤：%(n)s") % {"n": placement.person.name}})


@staff_required
def payroll(request):
    form = forms.PayrollForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        employer = registry_queries.visible_employer(request.user, int(form.cleaned_data["employer"]))
        if employer is None:
            form.add_error("employer", _("用人单位不存在或不在您的管辖范围内"))
        else:
            return _payroll_xlsx(request, employer, forms.month_of(form.cleaned_data["month"]))
    return render(request, "web/assistance/posts/payroll.html", {
        "form": form, "title": _("公益性岗位补贴发放表"), "may_export_full_ids": roles.can_see_full_id_number(request.user)})


def _payroll_xlsx(request, employer, month) -> HttpResponse:
    """补贴发放表: one sheet per employer and month, with a signature column; audited as an export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = queries.payroll_rows(request.user, employer.pk, month)
    full = wants_full_numbers(request)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{month:%Y-%m}"
    ws.append([_("%(e)s 公益性岗位补贴发放表（%(y)d年%(m)d月）") % {"e": employer.name, "y": month.year, "m": month.month}])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=11)
    ws.append([_("用人单位：%(e)s    统一社会信用代码：%(c)s") % {"e": employer.name, "c": employer.credit_code}])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=11)
    headers = [_("序号"), _("姓名"), _("公民身份号码"), _("岗位"), _("上岗日期"), _("出勤天数"), _("缺勤天数"),
               _("月补贴标准（元）"), _("应发补贴（元）"), _("备注"), _("本人签名")]
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    total = 0
    for i, r in enumerate(rows, start=1):
        p = r.placement
        ident = p.person.id_number if full else mask_id_number(p.person.id_number)
        ws.append([i, p.person.name, ident, p.post.title, p.started_on.isoformat(),
                   r.attendance.days_worked if r.attendance else "", r.attendance.absent_days if r.attendance else "",
                   float(p.monthly_subsidy), float(r.due), r.note, ""])
        total += r.due
    ws.append(["", _("合计"), "", "", "", "", "", "", float(total), _("%(n)d人") % {"n": len(rows)}, ""])
    ws.append([])
    ws.append([_("应发补贴=月补贴标准×出勤天数÷（出勤天数+缺勤天数）（参数 assistance.posts.payroll_prorate 为是时；否则有出勤即全额）；未录入考勤的不发放。")])
    ws.append([_("经办人："), "", "", _("审核人："), "", "", _("单位（盖章）："), "", "", _("日期："), ""])
    for col, width in zip("ABCDEFGHIJK", (6, 10, 22, 18, 12, 9, 9, 14, 14, 16, 14)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    audit.record(request.user, AuditEntry.Action.EXPORT, object_type="welfare_payroll", object_id=employer.pk,
                 object_label=employer.name, region_code=getattr(request.user, "region_id", None) or "",
                 changes={"employer": employer.pk, "month": f"{month:%Y-%m}", "rows": len(rows), "total": str(total),
                          "full_id_number": full},
                 summary=_("导出公益性岗位补贴发放表（%(m)s）") % {"m": f"{month:%Y-%m}"}
                 + (_("（含完整公民身份号码）") if full else ""))
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=welfare-payroll-{employer.pk}-{month:%Y%m}.xlsx"
    response["Cache-Control"] = "no-store"
    return response
