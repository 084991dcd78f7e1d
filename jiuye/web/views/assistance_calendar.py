"""The bureau holiday calendar (节假日安排): the years whose statutory holidays are known and where from
(the package chinese-calendar, or entered by the bureau with the State Council's notice), a year's days,
and the form that enters a year the package does not cover yet (district and city officers). Entering
a year re-computes the open cases' deadlines that touch it and says how many moved. The list of years
and a bureau year's days export to Excel (``format=xlsx``, audited as ``calendar_year`` exports)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.assistance.calendar import PACKAGE_YEARS
from jiuye.assistance.models import CalendarYear
from jiuye.assistance.services import calendar_years
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx
from jiuye.web.forms import assistance_calendar as forms
from jiuye.web.views.common import post_data, staff_required


def _result_message(result) -> str:
    text = _("已录入%(y)d年节假日安排：放假%(h)d天、调休上班%(w)d天。") % {
        "y": result.calendar_year.year, "h": result.holiday_days, "w": result.workdays}
    if result.deadlines_moved:
        text += _("援助个案期限重新计算：到期日调整%(m)d项（涉及个案%(c)d件）。") % {
            "m": result.deadlines_moved, "c": result.cases_moved}
    else:
        text += _("援助个案期限重新计算：检查%(n)d项，到期日均无变化。") % {"n": result.deadlines_checked}
    return text


def _bureau(attr):
    return lambda y: getattr(y, attr) if y.source == "bureau" else ""


#: The list of years' export: the page's columns (counts only for the bureau's years, as on the page).
YEAR_COLUMNS = [
    Column(_l("年份"), lambda y: y.year),
    Column(_l("来源"), lambda y: str(y.source_label)),
    Column(_l("依据文件"), lambda y: y.document),
    Column(_l("放假天数"), _bureau("holiday_days")),
    Column(_l("调休上班天数"), _bureau("workdays")),
    Column(_l("录入人"), lambda y: y.entered_by),
    Column(_l("录入时间"), lambda y: y.entered_at),
]

WEEKDAYS = "一二三四五六日"

#: A bureau year's days (every day that differs from Monday–Friday work, Saturday–Sunday rest).
DAY_COLUMNS = [
    Column(_l("日期"), lambda d: d.date),
    Column(_l("星期"), lambda d: "星期" + WEEKDAYS[d.date.weekday()]),
    Column(_l("安排"), lambda d: _("上班") if d.is_workday else _("休息")),
    Column(_l("节日"), lambda d: d.name),
]


@staff_required
def work_calendar(request):
    """The years and their source; the form for the next year the package does not cover."""
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        years = calendar_years.calendar_years(request.user)
        return export_xlsx(request, rows=years, total=len(years), columns=YEAR_COLUMNS, sheet=_("节假日安排"),
                           filename="work-calendar", object_type="calendar_year", filters={}, sort="-year",
                           summary=_("导出节假日安排年份列表"), full_numbers=False)
    may_edit = calendar_years.can_edit_calendar(request.user)
    form = None
    if may_edit:
        form = forms.CalendarYearForm(post_data(request), initial={"year": calendar_years.next_uncovered_year()})
        if request.method == "POST" and form.is_valid():
            try:
                result = calendar_years.enter_year(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _result_message(result))
                return redirect("web:work_calendar_year", year=result.calendar_year.year)
    elif request.method == "POST":
        raise PermissionDenied(_("您的角色无权录入节假日安排（区县、市人社局工作人员录入）"))
    return render(request, "web/assistance/calendar/list.html", {
        "years": calendar_years.calendar_years(request.user), "form": form, "may_edit": may_edit,
        "package_first": PACKAGE_YEARS.start, "package_last": PACKAGE_YEARS.stop - 1,
        "uncovered": calendar_years.uncovered_open_deadlines(), "next_year": calendar_years.next_uncovered_year(),
        "export_fields": [], "export_max": EXPORT_MAX,
    })


@staff_required
def work_calendar_year(request, year: int):
    """A bureau-entered year's days (and, for the bureau, the form to correct it)."""
    cal = CalendarYear.objects.select_related("entered_by").filter(year=year).first()
    if cal is None:
        if year in PACKAGE_YEARS:
            messages.info(request, _("%(y)d年的节假日安排由日历组件 chinese-calendar 提供。") % {"y": year})
            return redirect("web:work_calendar")
        raise Http404(_("尚未录入%(y)d年的节假日安排") % {"y": year})
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        days = calendar_years.year_days(year)
        return export_xlsx(request, rows=days, total=len(days), columns=DAY_COLUMNS, sheet=_("%(y)d年节假日安排") % {"y": year},
                           filename=f"work-calendar-{year}", object_type="calendar_year", filters={"year": year},
                           sort="date", summary=_("导出%(y)d年节假日安排（%(d)s）") % {"y": year, "d": cal.document},
                           full_numbers=False)
    may_edit = calendar_years.can_edit_calendar(request.user)
    form = None
    if may_edit:
        holidays, workdays = calendar_years.holidays_of(year)
        form = forms.CalendarYearForm(post_data(request), initial={
            "year": year, "document": cal.document, "holidays": calendar_years.format_holidays(holidays),
            "workdays": calendar_years.format_workdays(workdays)})
        if request.method == "POST" and form.is_valid():
            try:
                result = calendar_years.enter_year(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _result_message(result))
                return redirect(reverse("web:work_calendar_year", args=[result.calendar_year.year]))
    elif request.method == "POST":
        raise PermissionDenied(_("您的角色无权录入节假日安排（区县、市人社局工作人员录入）"))
    return render(request, "web/assistance/calendar/year.html", {
        "cal": cal, "days": calendar_years.year_days(year), "form": form, "may_edit": may_edit,
        "export_fields": [], "export_max": EXPORT_MAX,
    })
