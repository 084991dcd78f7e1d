"""Portal wing: a resident's online self-registration (线上就业、失业登记, 网上自助) and the community
worker's confirmation of it. The resident's pages are phone-first."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts.models import Role
from jiuye.registry import queries, services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import PendingRegistration
from jiuye.registry.status import status_label
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import portal as forms
from jiuye.web.views.common import list_page, post_data, require, writer_required


def _is_linked_resident(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.RESIDENT and queries.linked_person_id(user))


resident_required = require(_is_linked_resident, gettext_lazy("网上登记仅供已关联本人档案的居民使用"))


def _own_person(user):
    return queries.account_link(user).person


@resident_required
def portal_home(request):
    person = _own_person(request.user)
    return render(request, "web/portal/home.html", {
        "person": person,
        "status_label": status_label(person.employment_status, person.status_since),
        "requests": queries.own_pending_registrations(request.user),
        "waiting": PendingRegistration.Status.WAITING_CONFIRMATION,
    })


_KINDS = {
    "unemployment": (forms.SelfUnemploymentForm, gettext_lazy("失业登记")),
    "employment": (forms.SelfEmploymentForm, gettext_lazy("就业登记")),
}


@resident_required
def portal_register(request, kind: str):
    form_class, title = _KINDS[kind]
    form = form_class(post_data(request), initial={"effective_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.submit_self_registration(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if pending.status == PendingRegistration.Status.APPLIED:
                messages.success(request, _("%(k)s已办理，即时生效") % {"k": title})
            else:
                messages.info(request, _("%(k)s申请已提交，待社区工作人员确认后生效") % {"k": title})
            return redirect("web:portal")
    return render(request, "web/portal/form.html", {"form": form, "title": title, "kind": kind})


@require_POST
@resident_required
def portal_withdraw(request, pk: int):
    pending = queries.get_own_pending(request.user, pk)
    try:
        services.withdraw_self_registration(actor=request.user, pending=pending)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("申请已撤回"))
    return redirect("web:portal")


# ---------------------------------------------------------------------------------------------
# The community worker's side


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


#: The 网上自助登记 list's columns as the page shows them (the export writes the same).
SELF_REGISTRATION_COLUMNS = [
    Column(_l("提交时间"), lambda p: p.requested_at),
    Column(_l("姓名"), lambda p: p.person.name),
    Column(_l("公民身份号码"), lambda p: p.person.id_number, mask=mask_id_number),
    Column(_l("所在街道/社区"), lambda p: _region_label(p.person.region)),
    Column(_l("登记类型"), choice_label(PendingRegistration, "kind")),
    Column(_l("生效日期"), lambda p: p.effective_date),
    Column(_l("内容"), lambda p: p.summary),
    Column(_l("状态"), choice_label(PendingRegistration, "status")),
    Column(_l("原因"), lambda p: p.decision_reason),
]


@writer_required
def self_registration_list(request):
    form = forms.SelfRegistrationSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        filters = filters_of(form)
        filters["status"] = s.status or forms.ALL
        return export_xlsx(request, rows=queries.with_summaries(
                               queries.self_registrations_of_search(request.user, s).iterator(chunk_size=2000)),
                           total=queries.count_self_registrations(request.user, s), columns=SELF_REGISTRATION_COLUMNS,
                           sheet=_("网上自助登记"), filename="self-registrations", object_type="pending_registration",
                           filters=filters, sort=queries.self_registration_sort(s), summary=_("导出网上自助登记列表"))
    context = list_page(request, form, search=queries.search_self_registrations,
                        count=queries.count_self_registrations, sort=queries.self_registration_sort)
    context["rows"] = [{"p": p, "id_masked": mask_id_number(p.person.id_number)}
                       for p in queries.with_summaries(context["page"]["rows"])]
    context["waiting"] = PendingRegistration.Status.WAITING_CONFIRMATION
    return render(request, "web/portal/pending_list.html", context)


@writer_required
def self_registration_detail(request, pk: int):
    pending = queries.get_pending_for_change(request.user, pk)
    reject_form = forms.RejectForm(request.POST if request.method == "POST" and request.POST.get("action") == "reject"
                                   else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                services.confirm_self_registration(actor=request.user, pending=pending)
                messages.success(request, _("已确认%(n)s的%(k)s，登记已生效") % {
                    "n": pending.person.name, "k": pending.get_kind_display()})
                return redirect("web:self_registrations")
            if reject_form.is_valid():
                services.reject_pending_registration(actor=request.user, pending=pending,
                                                     reason=reject_form.cleaned_data["reason"])
                messages.warning(request, _("已不予确认%(n)s的%(k)s") % {
                    "n": pending.person.name, "k": pending.get_kind_display()})
                return redirect("web:self_registrations")
        except ValidationError as exc:
            if request.POST.get("action") == "reject":
                reject_form.add_service_error(exc)
            else:
                messages.error(request, _("无法确认：%(e)s") % {"e": "；".join(exc.messages)})
        pending.refresh_from_db()
    queries.record_person_read(request.user, pending.person, summary=_("查看人员档案（网上自助登记确认）"))
    return render(request, "web/portal/pending_detail.html", {"p": pending, "reject_form": reject_form})
