"""就业创业证 (reissue, print) and 迁入/迁出 (request, the 迁移 list, accept/reject/withdraw). Issue 7, H2.

The person page shows both through its includes (``web/persons/_certificate.html`` and
``_transfer.html``), which read their data through the ``jiuye_moves`` template tags."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.scoping import OutOfScope
from jiuye.registry import certificates, queries, transfers
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Transfer, TransferStatus
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import moves as forms
from jiuye.web.views.common import list_page, post_data, service_form, staff_required, writer_required


def _person_url(person) -> str:
    return reverse("web:person", args=[person.pk])


def _person_context(person, title):
    return {"person": person, "id_masked": mask_id_number(person.id_number), "title": title}


def _shown(request, person, response):
    if response.status_code == 200:
        queries.record_person_read(request.user, person, summary=_("查看人员档案（办理表单）"))
    return response


# ---------------------------------------------------------------------------------------------
# 就业创业证


@writer_required
def certificate_reissue(request, pk: int):
    person = queries.get_person_for_change(request.user, pk)
    form = forms.ReissueForm(post_data(request))

    def call(f):
        certificates.reissue(actor=request.user, person=person, **f.service_kwargs())
        return _person_url(person)

    context = _person_context(person, _("补发/换发就业创业证"))
    context["current"] = next((c for c in certificates.certificates_of(person) if c.status == "current"), None)
    return _shown(request, person, service_form(request, form, call, success=_("已补发/换发就业创业证"),
                                                template="web/persons/certificate_reissue.html", context=context))


@writer_required
def certificate_issue(request, pk: int):
    """发放 for a person registered before certificates were kept here (POST from the panel)."""
    if request.method != "POST":
        return redirect("web:person", pk=pk)
    person = queries.get_person_for_change(request.user, pk)
    try:
        cert = certificates.issue(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已发放就业创业证，编号%(n)s") % {"n": cert.number})
    return redirect("web:person", pk=pk)


@staff_required
def certificate_print(request, pk: int):
    try:
        page = certificates.print_page(request.user, pk)
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError:
        messages.error(request, _("本人没有有效的就业创业证，无法打印"))
        return redirect("web:person", pk=pk)
    return render(request, "web/persons/certificate_print.html", {"page": page, "person": page.person,
                                                                   "cert": page.certificate})


# ---------------------------------------------------------------------------------------------
# 迁入/迁出


@writer_required
def transfer_request(request, pk: int):
    person = queries.get_person_for_change(request.user, pk)
    pending = transfers.pending_for(person)
    form = forms.TransferRequestForm(post_data(request), user=request.user, person=person)

    def call(f):
        transfers.request_transfer(actor=request.user, person=person, **f.service_kwargs())
        return _person_url(person)

    context = _person_context(person, _("迁出：移交到其他社区"))
    context["pending"] = pending
    return _shown(request, person, service_form(
        request, form, call, success=_("已提交迁出申请，待迁入社区接收"), template="web/transfers/request.html",
        context=context))


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


#: The 人员迁移 list's columns as the page shows them (the export writes the same). Identity numbers
#: are always masked here: the receiving side may not see a pending person's full record.
TRANSFER_COLUMNS = [
    Column(_l("姓名"), lambda t: t.person.name),
    Column(_l("公民身份号码"), lambda t: t.person.id_number, mask=mask_id_number),
    Column(_l("迁出社区"), lambda t: _region_label(t.from_region)),
    Column(_l("迁入社区"), lambda t: _region_label(t.to_region)),
    Column(_l("迁移原因"), lambda t: t.reason),
    Column(_l("处理意见"), lambda t: t.decision_note),
    Column(_l("申请时间"), lambda t: t.requested_at),
    Column(_l("状态"), choice_label(Transfer, "status")),
]


def _effective_filters(form, search) -> dict:
    filters = filters_of(form)
    filters["tab"] = search.direction
    filters["status"] = search.status or forms.ALL
    return filters


@staff_required
def transfer_list(request):
    form = forms.TransferSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=transfers.transfers_of_search(request.user, s).iterator(chunk_size=2000),
                           total=transfers.count_transfers(request.user, s), columns=TRANSFER_COLUMNS,
                           sheet=_("迁入") if s.direction == "incoming" else _("迁出"), filename="transfers",
                           object_type="transfer", filters=_effective_filters(form, s),
                           sort=transfers.transfer_sort(s), summary=_("导出人员迁移列表"), full_numbers=False)
    context = list_page(request, form, search=transfers.search_transfers, count=transfers.count_transfers,
                        sort=transfers.transfer_sort)
    context["may_export_full_ids"] = False
    incoming_pending, outgoing_pending = transfers.pending_counts(request.user)
    tab = form.direction
    context.update({
        "tab": tab, "incoming_pending": incoming_pending, "outgoing_pending": outgoing_pending,
        "status": (form.cleaned_data.get("status") if form.is_valid() else "") or TransferStatus.PENDING,
        "rows": [{"t": t, "id_masked": mask_id_number(t.person.id_number),
                  "may_decide": transfers.may_decide(request.user, t),
                  "may_cancel": transfers.may_cancel(request.user, t)} for t in context["page"]["rows"]],
    })
    return render(request, "web/transfers/list.html", context)


@writer_required
def transfer_decide(request, tid: int):
    transfer = transfers.get_transfer(request.user, tid)
    may_decide, may_cancel = transfers.may_decide(request.user, transfer), transfers.may_cancel(request.user, transfer)
    if not (may_decide or may_cancel):
        raise Http404(transfers.NOT_FOUND) if transfer.status == TransferStatus.PENDING else PermissionDenied(
            _("该迁移已处理"))
    form = forms.DecisionForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "accept" and may_decide:
                transfers.accept_transfer(actor=request.user, transfer=transfer, note=note)
                messages.success(request, _("已接收%(n)s，档案已转入%(r)s") % {"n": transfer.person.name,
                                                                          "r": transfer.to_region.name})
            elif decision == "reject" and may_decide:
                transfers.reject_transfer(actor=request.user, transfer=transfer, note=note)
                messages.success(request, _("已退回%(n)s的迁移") % {"n": transfer.person.name})
            elif decision == "cancel" and may_cancel:
                transfers.cancel_transfer(actor=request.user, transfer=transfer, note=note)
                messages.success(request, _("已撤回%(n)s的迁出申请") % {"n": transfer.person.name})
            else:
                raise PermissionDenied(_("您无权进行该操作"))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            tab = "outgoing" if decision == "cancel" else "incoming"
            return redirect(reverse("web:transfers") + f"?tab={tab}")
    return render(request, "web/transfers/decide.html", {
        "transfer": transfer, "form": form, "id_masked": mask_id_number(transfer.person.id_number),
        "may_decide": may_decide, "may_cancel": may_cancel,
        "title": _("处理迁移"),
    })
