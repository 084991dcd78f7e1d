"""就业困难人员认定 in the workbench: the list (count, sort, filter, Excel export), the act's page
(categories with reasons, evidence checklist and files, decision / exit / withdrawal for the right
roles, history), 申请认定 from a person, and the scoped download of evidence files (issue 8)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.assistance.models import Recognition, RecognitionStatus
from jiuye.assistance.queries import recognitions as queries
from jiuye.assistance.services import recognitions as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import assistance_recognitions as forms
from jiuye.web.views.common import form_action, list_page, post_data, staff_required, writer_required


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


#: The list's columns as the page shows them (the export writes the same; identity numbers masked
#: unless the role may see full numbers and asked for them).
RECOGNITION_COLUMNS = [
    Column(_l("姓名"), lambda a: a.person.name),
    Column(_l("公民身份号码"), lambda a: a.person.id_number, mask=mask_id_number),
    Column(_l("认定社区"), lambda a: _region_label(a.region)),
    Column(_l("认定类别"), lambda a: services.categories_text(a.categories)),
    Column(_l("来源"), choice_label(Recognition, "origin")),
    Column(_l("申请日期"), lambda a: a.applied_on),
    Column(_l("状态"), choice_label(Recognition, "status")),
    Column(_l("认定生效日期"), lambda a: a.valid_from),
    Column(_l("有效期至"), lambda a: a.valid_until or (_("长期") if a.valid_from else "")),
    Column(_l("退出日期"), lambda a: a.exited_on),
    Column(_l("退出原因"), choice_label(Recognition, "exit_reason")),
]


@staff_required
def recognition_list(request):
    form = forms.RecognitionSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.recognitions_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_recognitions(request.user, s), columns=RECOGNITION_COLUMNS,
                           sheet=_("就业困难人员认定"), filename="recognitions", object_type="recognition",
                           filters=filters_of(form), sort=queries.recognition_sort(s), summary=_("导出就业困难人员认定列表"))
    context = list_page(request, form, search=queries.search_recognitions, count=queries.count_recognitions,
                        sort=queries.recognition_sort)
    context["rows"] = [{"a": a, "id_masked": mask_id_number(a.person.id_number),
                        "categories": services.categories_text(a.categories)} for a in context["page"]["rows"]]
    context["may_decide"] = roles.can_decide_recognition(request.user)
    return render(request, "web/assistance/recognitions/list.html", context)


def _history(act) -> list[dict]:
    rows = [{"at": act.created_at, "what": _("提出认定（%(o)s）") % {"o": act.get_origin_display()},
             "who": act.proposed_by or _("系统")}]
    for f in services.attachments.files_of(services.OBJECT_TYPE, act.pk):
        rows.append({"at": f.uploaded_at, "what": _("上传材料：%(k)s %(n)s") % {"k": f.kind or _("其他材料"), "n": f.original_name},
                     "who": f.uploaded_by or _("系统")})
    if act.decided_at:
        rows.append({"at": act.decided_at, "what": f"{act.get_status_display() if act.status != 'exited' else _('已认定')}"
                     + (f"：{act.decision_note}" if act.decision_note else ""), "who": act.decided_by or _("系统")})
    if act.exited_at:
        label = _("撤销") if act.status == RecognitionStatus.WITHDRAWN else _("退出（%(r)s）") % {
            "r": act.get_exit_reason_display() or "—"}
        rows.append({"at": act.exited_at, "what": label + (f"：{act.exit_note}" if act.exit_note else ""),
                     "who": act.exited_by or _("系统")})
    return sorted(rows, key=lambda r: r["at"])


def _act_page(request, act, *, upload=None, decide=None, exit_form=None, withdraw=None, status=200):
    user = request.user
    items, others = services.evidence_checklist(act)
    reasons = dict(act.reasons or {})
    if not reasons and act.status == RecognitionStatus.PROPOSED:
        reasons = services.category_reasons(act.person, act.applied_on)
    evidence_names = [i.name for i in items]
    context = {
        "act": act, "person": act.person, "id_masked": mask_id_number(act.person.id_number),
        "region": _region_label(act.region),
        "categories": [{"code": c, "label": services.category_label(c), "reason": reasons.get(c, "")} for c in act.categories],
        "items": items, "others": others, "history": _history(act),
        "may_upload": act.status in queries.OPEN and roles.can_work_cases(user),
        "may_decide": services.may_decide(user, act), "may_exit": services.may_exit(user, act),
        "may_withdraw": services.may_withdraw(user, act),
        "upload_form": upload or forms.UploadForm(evidence=evidence_names),
        "decide_form": decide or forms.DecideForm(initial={"decision": "recognised"}),
        "exit_form": exit_form or forms.ExitForm(), "withdraw_form": withdraw or forms.WithdrawForm(),
        "title": _("就业困难人员认定"),
    }
    return render(request, "web/assistance/recognitions/detail.html", context, status=status)


@staff_required
def recognition_detail(request, pk: int):
    act = queries.get_recognition(request.user, pk)
    return _act_page(request, act)


def _act_for_post(request, pk: int):
    if request.method != "POST":
        return None
    return queries.get_recognition(request.user, pk, audit_read=False)


def _run(request, act, form, call, success, **bad):
    return form_action(request, form, call, success=success, done=lambda: redirect("web:recognition", pk=act.pk),
                       page=lambda f: _act_page(request, act, status=400, **{bad["slot"]: f}))


@staff_required
def recognition_decide(request, pk: int):
    act = _act_for_post(request, pk)
    if act is None:
        return redirect("web:recognition", pk=pk)
    form = forms.DecideForm(request.POST)
    return _run(request, act, form, lambda f: services.decide(actor=request.user, act=act, **f.service_kwargs()),
                _("已作出认定决定"), slot="decide")


@writer_required
def recognition_exit(request, pk: int):
    act = _act_for_post(request, pk)
    if act is None:
        return redirect("web:recognition", pk=pk)
    form = forms.ExitForm(request.POST)
    return _run(request, act, form, lambda f: services.exit_recognition(actor=request.user, act=act, **f.service_kwargs()),
                _("已办理退出"), slot="exit_form")


@writer_required
def recognition_withdraw(request, pk: int):
    act = _act_for_post(request, pk)
    if act is None:
        return redirect("web:recognition", pk=pk)
    form = forms.WithdrawForm(request.POST)
    return _run(request, act, form, lambda f: services.withdraw(actor=request.user, act=act, note=f.cleaned_data["note"]),
                _("已撤销认定申请"), slot="withdraw")


@writer_required
def recognition_upload(request, pk: int):
    act = _act_for_post(request, pk)
    if act is None:
        return redirect("web:recognition", pk=pk)
    items, _others = services.evidence_checklist(act)
    form = forms.UploadForm(request.POST, request.FILES, evidence=[i.name for i in items])
    return _run(request, act, form, lambda f: services.upload_evidence(actor=request.user, act=act, files=f.cleaned_data["files"],
                                                                        kind=f.cleaned_data["kind"]),
                _("已上传证明材料"), slot="upload")


@writer_required
def recognition_new(request, pk: int):
    """申请认定 from the person page."""
    person = registry_queries.get_person_for_change(request.user, pk)
    today = timezone.localdate()
    enabled = services.enabled_categories(person.region_id, today)
    met = services.category_reasons(person, today)
    evidence = [i.name for i in services.evidence_required(person.region_id, today, enabled)]
    form = forms.ApplyForm(post_data(request), request.FILES or None, enabled=enabled, met=met, evidence=evidence)
    if request.method == "POST" and form.is_valid():
        try:
            act = services.propose(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已提交就业困难人员认定申请，待街道认定"))
            return redirect("web:recognition", pk=act.pk)
    registry_queries.record_person_read(request.user, person, summary=_("查看人员档案（申请就业困难人员认定）"))
    return render(request, "web/assistance/recognitions/new.html", {
        "form": form, "person": person, "id_masked": mask_id_number(person.id_number),
        "open_act": queries.open_recognition_of(person.pk), "title": _("申请就业困难人员认定")})


@staff_required
def attachment_download(request, aid: int):
    att = queries.attachment_for_download(request.user, aid)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)
