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

from jiuye.accounts.scoping import OutOfScope
from jiuye.registry import certificates, queries, transfers
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import TransferStatus
from jiuye.web.forms import moves as forms
from jiuye.web.views.common import post_data, service_form, staff_required, writer_required


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


@staff_required
def transfer_list(request):
    tab = request.GET.get("tab") or "incoming"
    if tab not in ("incoming", "outgoing"):
        tab = "incoming"
    status = request.GET.get("status", TransferStatus.PENDING)
    if status not in TransferStatus.values and status != "all":
        status = TransferStatus.PENDING
    lists = transfers.transfer_lists(request.user, status="" if status == "all" else status)
    rows = lists.incoming if tab == "incoming" else lists.outgoing
    return render(request, "web/transfers/list.html", {
        "tab": tab, "status": status, "lists": lists,
        "rows": [{"t": t, "id_masked": mask_id_number(t.person.id_number),
                  "may_decide": transfers.may_decide(request.user, t),
                  "may_cancel": transfers.may_cancel(request.user, t)} for t in rows],
        "status_choices": [("pending", _("待接收")), ("accepted", _("已接收")), ("rejected", _("已退回")),
                           ("cancelled", _("已撤回")), ("all", _("全部"))],
    })


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
