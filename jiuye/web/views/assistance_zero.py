"""Zero-employment households (零就业家庭) and capacity marks on the web: the current list, the history
of spells, the per-street overview, the marks list, the mark form (from the person page or the
household page's 零就业家庭记录 panel), its withdrawal and its evidence files. Thin: reads through
``assistance.queries.zero``, writes through ``assistance.services.zero``."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope
from jiuye.assistance.models import CapacityMark, ZeroEmploymentSpell
from jiuye.assistance.queries import zero as queries
from jiuye.assistance.services import zero as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import HouseholdMembership
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import assistance_zero as forms
from jiuye.web.views.common import list_page, post_data, staff_required, writer_required


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _escalation_label(level) -> str:
    return {0: _("社区"), 1: _("街道督办"), 2: _("区县督办")}.get(level, "")


# ---------------------------------------------------------------------------------------------
# Current zero-employment households


def _case_state(h) -> str:
    today = timezone.localdate()
    if h.zero_case_status != "open":
        return _("无援助个案")
    if h.zero_due and h.zero_due < today:
        return _("已逾期")
    return _("援助中")


HOUSEHOLD_COLUMNS = [
    Column(_l("户编号"), lambda h: h.number),
    Column(_l("所在社区"), lambda h: _region_label(h.region)),
    Column(_l("地址"), lambda h: h.address),
    Column(_l("认定为零就业家庭日期"), lambda h: h.zero_since),
    Column(_l("持续天数"), lambda h: queries.days_since(h)),
    Column(_l("援助个案"), lambda h: h.zero_case or ""),
    Column(_l("援助情况"), _case_state),
    Column(_l("最近期限"), lambda h: h.zero_due),
    Column(_l("督办层级"), lambda h: _escalation_label(h.zero_escalation) if h.zero_case else ""),
]


@staff_required
def zero_households(request):
    form = forms.ZeroHouseholdSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.zero_households_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_zero_households(request.user, s), columns=HOUSEHOLD_COLUMNS,
                           sheet=_("零就业家庭"), filename="zero-households", object_type="household",
                           filters=filters_of(form), sort=queries.zero_household_sort(s), summary=_("导出零就业家庭名单"))
    context = list_page(request, form, search=queries.search_zero_households, count=queries.count_zero_households,
                        sort=queries.zero_household_sort)
    today = timezone.localdate()
    context["rows"] = [{"h": h, "days": queries.days_since(h, today), "state": _case_state(h),
                        "overdue": h.zero_case_status == "open" and h.zero_due is not None and h.zero_due < today,
                        "escalation": _escalation_label(h.zero_escalation) if h.zero_case else ""}
                       for h in context["page"]["rows"]]
    return render(request, "web/assistance/zero/households.html", context)


# ---------------------------------------------------------------------------------------------
# History of spells


SPELL_COLUMNS = [
    Column(_l("户编号"), lambda s: s.household.number),
    Column(_l("所在社区"), lambda s: _region_label(s.region)),
    Column(_l("认定为零就业家庭日期"), lambda s: s.started_on),
    Column(_l("消除日期"), lambda s: s.ended_on),
    Column(_l("持续天数"), lambda s: queries.spell_days(s)),
    Column(_l("消除方式"), choice_label(ZeroEmploymentSpell, "end_kind")),
    Column(_l("消除原因"), choice_label(ZeroEmploymentSpell, "end_cause")),
    Column(_l("说明"), lambda s: s.end_note),
    Column(_l("援助个案"), lambda s: s.case_id or ""),
    Column(_l("帮扶服务次数"), lambda s: s.services_count),
]


@staff_required
def zero_spells(request):
    form = forms.SpellSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.spells_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_spells(request.user, s), columns=SPELL_COLUMNS,
                           sheet=_("零就业家庭记录"), filename="zero-spells", object_type="zero_spell",
                           filters=filters_of(form), sort=queries.spell_sort(s), summary=_("导出零就业家庭历史记录"))
    context = list_page(request, form, search=queries.search_spells, count=queries.count_spells, sort=queries.spell_sort)
    context["rows"] = [{"s": s, "days": queries.spell_days(s)} for s in context["page"]["rows"]]
    return render(request, "web/assistance/zero/spells.html", context)


# ---------------------------------------------------------------------------------------------
# Overview per street


@staff_required
def zero_overview(request):
    form = forms.OverviewForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    overview = queries.zero_overview(request.user, date_from, date_to)
    if overview is None:
        raise Http404(queries.NOT_FOUND)
    labels = queries.overview_labels()
    rows = [{"row": r, "cells": [r.counts[m] for m, _label in labels]} for r in overview.rows]
    return render(request, "web/assistance/zero/overview.html", {
        "form": form, "overview": overview, "labels": labels, "rows": rows,
        "total": [overview.total.counts[m] for m, _label in labels],
        "period": {"date_from": overview.date_from.isoformat(), "date_to": overview.date_to.isoformat()},
    })


# ---------------------------------------------------------------------------------------------
# Capacity marks


MARK_COLUMNS = [
    Column(_l("姓名"), lambda m: m.person.name),
    Column(_l("公民身份号码"), lambda m: m.person.id_number, mask=mask_id_number),
    Column(_l("所在社区"), lambda m: _region_label(m.region)),
    Column(_l("户编号"), lambda m: m.household.number if m.household_id else ""),
    Column(_l("标记"), choice_label(CapacityMark, "kind")),
    Column(_l("原因"), lambda m: m.reason),
    Column(_l("标记日期"), lambda m: m.marked_on),
    Column(_l("经办人"), lambda m: str(m.marked_by) if m.marked_by_id else ""),
    Column(_l("致零就业家庭消除"), lambda m: m.cleared_zero_household),
    Column(_l("撤销日期"), lambda m: m.lifted_on),
    Column(_l("撤销说明"), lambda m: m.lift_note),
]


@staff_required
def capacity_marks(request):
    form = forms.MarkSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.marks_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_marks(request.user, s), columns=MARK_COLUMNS,
                           sheet=_("劳动能力就业意愿标记"), filename="capacity-marks", object_type="capacity_mark",
                           filters=filters_of(form), sort=queries.mark_sort(s), summary=_("导出劳动能力/就业意愿标记"))
    context = list_page(request, form, search=queries.search_marks, count=queries.count_marks, sort=queries.mark_sort)
    context["rows"] = [{"m": m, "id_masked": mask_id_number(m.person.id_number),
                        "may_lift": m.lifted_on is None and roles.can_write_registry(request.user)
                        and in_scope(request.user, m.region_id)}
                       for m in context["page"]["rows"]]
    return render(request, "web/assistance/zero/marks.html", context)


@writer_required
def capacity_mark_new(request, pk: int):
    """标记无劳动能力/无就业意愿 for a person (from the person page or the household panel)."""
    person = registry_queries.get_person_for_change(request.user, pk)
    form = forms.CapacityMarkForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark = services.mark_capacity(request.user, person, **form.service_kwargs(form.cleaned_data["evidence"]))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已标记%(k)s") % {"k": mark.get_kind_display()}
                             + (_("；该家庭户不再是零就业家庭，按“不再符合条件”计") if mark.cleared_zero_household else ""))
            return redirect(_back(request, person))
    elif request.method == "GET":
        registry_queries.record_person_read(request.user, person, summary=_("查看人员档案（办理表单）"))
    membership = HouseholdMembership.objects.filter(person=person, left_on__isnull=True).select_related("household").first()
    return render(request, "web/assistance/zero/mark_form.html", {
        "form": form, "person": person, "id_masked": mask_id_number(person.id_number),
        "household": membership.household if membership else None,
        "active": queries.search_marks(request.user, queries.MarkSearch(person_id=person.pk, state="active"))[0],
    })


def _back(request, person) -> str:
    target = request.GET.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse("web:person", args=[person.pk])


@staff_required
def capacity_mark_lift(request, mid: int):
    """A mark with its evidence; a writer over it may withdraw it (撤销)."""
    mark = queries.get_mark(request.user, mid)
    may_write = roles.can_write_registry(request.user) and in_scope(request.user, mark.region_id)
    form = forms.LiftMarkForm(post_data(request) if may_write else None)
    if request.method == "POST" and may_write and form.is_valid():
        try:
            services.lift_mark(request.user, mark, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已撤销标记"))
            return redirect("web:capacity_marks")
    return render(request, "web/assistance/zero/lift_form.html", {
        "form": form, "mark": mark, "id_masked": mask_id_number(mark.person.id_number), "may_write": may_write,
        "files": services.evidence_of(mark)})


@staff_required
def capacity_mark_file(request, mid: int, aid: int):
    """One evidence file of a mark the user may see (scope of the mark)."""
    mark = queries.get_mark(request.user, mid)
    attachment = next((a for a in services.evidence_of(mark) if a.pk == aid), None)
    if attachment is None:
        raise Http404(queries.NOT_FOUND)
    from jiuye.accounts import audit

    audit.record(request.user, "view", object_type="capacity_mark", object_id=mark.pk, object_label=mark.person.name,
                 region_code=mark.region_id, changes={"attachment": attachment.pk},
                 summary=_("查看证明材料：%(n)s") % {"n": attachment.original_name})
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
