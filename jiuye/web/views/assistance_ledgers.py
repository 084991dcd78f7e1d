"""易地搬迁社区三本台账: the list of relocation communities with their counts (and the flag form), and
one community's (or every community's) labour-force, transfer-employment and public-welfare-post
ledger on a date, exported to Excel in the layout a street office keeps (a title row with the
community and the date, the header row, serial numbers; identity numbers masked unless the role may
see full numbers and asked for them; the export audited)."""
from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.assistance.queries import ledgers
from jiuye.assistance.queries.ledgers import LABOUR, POSTS, TRANSFER
from jiuye.assistance.services import relocation
from jiuye.registry.identity import mask_id_number, mask_phone
from jiuye.web.exports import EXPORT_MAX, XLSX, Column, export_xlsx, filters_of, row_values, is_export, too_many, wants_full_numbers
from jiuye.web.forms import assistance_ledgers as forms
from jiuye.web.views.common import list_page, post_data, service_form, staff_required

ALL = "all"  # the URL's community for "every relocation community in my scope"


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


def _able(value) -> str:
    return _("有") if value else _("无")


def _contract(r) -> str:
    reg = r.registration
    if reg is None:
        return ""
    kind = reg.get_contract_type_display() if reg.contract_type else ""
    if reg.contract_start and reg.contract_end:
        return f"{kind} {reg.contract_start:%Y-%m-%d}至{reg.contract_end:%Y-%m-%d}".strip()
    if reg.contract_months:
        return f"{kind} {reg.contract_months}个月".strip()
    return kind


def _community_name(r) -> str:
    region = r.person.region
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _d(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


_SERIAL = Column(_l("序号"), lambda r: r.serial)
_NAME = Column(_l("姓名"), lambda r: r.person.name)
_ID = Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number)
_SEX = Column(_l("性别"), lambda r: ledgers.sex_label(r.person))
_AGE = Column(_l("年龄"), lambda r: r.age)
_HOUSEHOLD = Column(_l("户编号"), lambda r: r.person.household_number or "")
_COMMUNITY = Column(_l("所在社区"), _community_name)
_PHONE = Column(_l("联系电话"), lambda r: r.person.phone, mask=mask_phone)

#: (column, sort key or "") per ledger; the page and the export show the same columns.
COLUMNS = {
    LABOUR: [
        (_SERIAL, ""), (_NAME, "name"), (_ID, ""), (_SEX, ""), (_AGE, ""), (_HOUSEHOLD, "household"), (_COMMUNITY, "community"),
        (Column(_l("文化程度"), lambda r: ledgers.education_label(r.person)), ""),
        (Column(_l("技能特长"), lambda r: "、".join(r.person.skills or [])), ""),
        (Column(_l("劳动能力"), lambda r: _able(r.person.able_to_work)), ""),
        (Column(_l("就业意愿"), lambda r: _able(r.person.willing_to_work)), ""),
        (Column(_l("就业状态"), lambda r: r.status_label), "status"),
        (Column(_l("就业单位/就业形式"), lambda r: r.employer_name or r.form_label), ""),
        (Column(_l("求职意向工种"), lambda r: r.person.preferred_occupation), ""),
        (Column(_l("期望工作地点"), lambda r: r.person.preferred_work_place), ""),
        (Column(_l("重点群体"), lambda r: "、".join(r.groups)), ""),
        (_PHONE, ""),
    ],
    TRANSFER: [
        (_SERIAL, ""), (_NAME, "name"), (_ID, ""), (_SEX, ""), (_AGE, ""), (_HOUSEHOLD, "household"), (_COMMUNITY, "community"),
        (Column(_l("就业单位"), lambda r: r.employer_name), ""),
        (Column(_l("就业地点"), lambda r: r.destination_label), "destination"),
        (Column(_l("就业形式"), lambda r: r.form_label), ""),
        (Column(_l("就业时间"), lambda r: _d(r.person.status_since_on_date)), "since"),
        (Column(_l("工种/岗位"), lambda r: r.registration.occupation if r.registration else ""), ""),
        (Column(_l("劳动合同"), _contract), ""),
        (Column(_l("缴纳社会保险"), lambda r: _yes_no(r.registration.social_insurance) if r.registration else ""), ""),
        (_PHONE, ""),
    ],
    POSTS: [
        (_SERIAL, ""), (_NAME, "name"), (_ID, ""), (_SEX, ""), (_AGE, ""), (_HOUSEHOLD, "household"), (_COMMUNITY, "community"),
        # Post name and monthly subsidy from the public-welfare post catalogue (ledgers.post_details).
        (Column(_l("岗位名称"), lambda r: (r.post.post_name if r.post else "") or "—"), ""),
        (Column(_l("用人单位"), lambda r: r.employer_name), ""),
        (Column(_l("上岗时间"), lambda r: _d(r.person.status_since_on_date)), "since"),
        (Column(_l("在岗时长"), lambda r: r.tenure), ""),
        (Column(_l("月补贴标准（元）"), lambda r: (r.post.subsidy if r.post and r.post.subsidy is not None else "—")), ""),
        (Column(_l("劳动合同"), _contract), ""),
        (Column(_l("缴纳社会保险"), lambda r: _yes_no(r.registration.social_insurance) if r.registration else ""), ""),
        (_PHONE, ""),
    ],
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value if isinstance(value, (int, float, str)) else str(value)


def ledger_xlsx(request, *, title: str, subtitle: str, columns: list[Column], rows, total: int, filename: str,
                filters: dict, sort: str, summary: str) -> HttpResponse:
    """The ledger as a street office keeps it: the title row (community, ledger) merged over the
    columns, a row with the date and the unit, the header row, then the rows with their serial
    numbers. Masking and audit as ``web.exports.export_xlsx`` (one rule for every export)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    if total > EXPORT_MAX:
        return too_many(request, total)
    full = wants_full_numbers(request)
    wb = Workbook()
    ws = wb.active
    ws.title = title[-31:]
    width = len(columns)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([str(c.header) for c in columns])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    count = 0
    for row in rows:
        ws.append(row_values(row, columns, full))
        count += 1
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(3, i).column_letter].width = 20 if c.mask is not None else max(6, min(24, len(str(c.header)) * 2 + 4))
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    out = io.BytesIO()
    wb.save(out)
    audit.record(request.user, AuditEntry.Action.EXPORT, object_type="relocation_ledger",
                 region_code=getattr(request.user, "region_id", None) or "",
                 changes={"filters": filters, "sort": sort, "rows": count, "full_id_number": full},
                 summary=summary + (_("（含完整公民身份号码）") if full else ""))
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={filename}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Cache-Control"] = "no-store"
    return response


def _date_text(on) -> str:
    return f"{on.year}年{on.month}月{on.day}日"


def _place(c) -> str:
    return f"{c.region.parent.name} {c.region.name}" if c.region.parent_id else c.region.name


#: The relocation communities list's export (no personal data: names of places and counts).
COMMUNITY_COLUMNS = [
    Column(_l("安置社区"), lambda r: _place(r.community)),
    Column(_l("区划代码"), lambda r: r.community.region_id),
    Column(_l("搬迁安置项目"), lambda r: r.community.project_name),
    Column(_l("搬迁户数"), lambda r: r.community.households_relocated),
    Column(_l("搬迁人数"), lambda r: r.community.persons_relocated),
    Column(_l("搬迁入住时间"), lambda r: r.community.since),
    *[Column(ledgers.COUNT_LABELS[k], (lambda key: lambda r: r.counts[key])(k)) for k in ledgers.COUNT_KEYS],
]


@staff_required
def relocation_ledgers(request):
    """The relocation communities in scope with their counts on a date; the flag form's link."""
    form = forms.CommunityListForm(request.GET or None)
    on = form.on_date
    rows = ledgers.community_rows(request.user, on)
    if request.GET.get("format") == "xlsx" and (form.is_valid() or not form.is_bound):
        return export_xlsx(request, rows=rows, total=len(rows), columns=COMMUNITY_COLUMNS, sheet=_("易地搬迁安置社区"),
                           filename="relocation-communities", object_type="relocation_community",
                           filters={"on": on.isoformat()}, sort="region", summary=_("导出易地搬迁安置社区及台账统计"),
                           full_numbers=False)
    totals = {k: sum(r.counts[k] for r in rows) for k in ledgers.COUNT_KEYS}
    return render(request, "web/assistance/ledgers/list.html", {
        "form": form, "on": on, "rows": rows, "totals": totals, "destinations": ledgers.DESTINATIONS,
        "ledgers": ledgers.LEDGERS, "may_edit": relocation.can_edit_relocation(request.user), "all": ALL,
        "export_fields": [("on", on.isoformat())], "export_max": EXPORT_MAX, "page": {"total": len(rows)},
    })


@staff_required
def relocation_ledger(request, code: str):
    """One ledger of one relocation community (``code``) or of all of them in scope (``all``)."""
    form = forms.LedgerForm(request.GET, region_code="" if code == ALL else code)
    # The community as listed on the ledger's date: an unflagged community's earlier ledgers stay readable.
    community = None if code == ALL else ledgers.get_relocation_community(request.user, code, form.on_date)
    ledger = form.ledger_key
    columns = COLUMNS[ledger]
    if community is not None:
        columns = [(c, k) for c, k in columns if c is not _COMMUNITY]
    place = (f"{community.region.parent.name} {community.region.name}" if community and community.region.parent_id
             else community.region.name if community else _("本辖区全部易地搬迁安置社区"))
    on = form.on_date
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        cols = [c for c, _k in columns]
        filters = filters_of(form)
        filters.update(ledger=ledger, community=community.region_id if community else ALL, on=on.isoformat())
        return ledger_xlsx(
            request, title=f"{place} {ledgers.LEDGERS[ledger]}",
            subtitle=_("台账日期：%(d)s　　填报单位：%(p)s　　导出时间：%(t)s")
            % {"d": _date_text(on), "p": place, "t": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
            columns=cols, rows=ledgers.ledger_rows(request.user, s, limit=EXPORT_MAX),
            total=ledgers.count_ledger(request.user, s), filename=f"relocation-{ledger}", filters=filters,
            sort=ledgers.ledger_sort(s), summary=_("导出%(l)s（%(p)s，%(d)s）") % {"l": ledgers.LEDGERS[ledger], "p": place, "d": on.isoformat()})
    context = list_page(request, form, search=ledgers.search_ledger, count=ledgers.count_ledger, sort=ledgers.ledger_sort)
    counts = ledgers.ledger_counts(request.user, community.region_id if community else "", on)
    context.update({
        "community": community, "code": code, "place": place, "ledger": ledger, "ledger_label": ledgers.LEDGERS[ledger],
        "ledgers": ledgers.LEDGERS, "on": on, "full_ids": True,
        "counts": counts,
        "stats": _stats(counts, on),
        "measure_choices": form.measure_choices(),
        "measure": (form.cleaned_data.get("measure") if form.is_valid() else "") or "",
        "headers": [(str(c.header), k) for c, k in columns],
        "table": [{"pk": r.person.pk, "cells": [_cell(c.mask(c.value(r) or "") if c.mask else c.value(r)) for c, _k in columns]}
                  for r in context["page"]["rows"]],
        "may_edit": relocation.can_edit_relocation(request.user),
        "listed_today": community is None or community.listed_on(timezone.localdate()),
    })
    return render(request, "web/assistance/ledgers/ledger.html", context)


#: The count cells of a ledger page: (key, label, the ledger whose list the cell opens).
STAT_CELLS = [("labour", _l("劳动力"), LABOUR), ("employed", _l("其中已就业"), LABOUR),
              ("unemployed", _l("其中登记失业"), LABOUR), ("not_working", _l("其中未就业未登记失业"), LABOUR),
              ("transfer", _l("转移就业"), TRANSFER),
              *[(k, label, TRANSFER) for k, label in ledgers.DESTINATIONS.items()],
              ("posts", _l("公益性岗位"), POSTS)]


def _stats(counts, on) -> list[dict]:
    """Each count with the link to its list (the same condition: the cell's number is the list's total)."""
    out = []
    for key, label, ledger in STAT_CELLS:
        measure = "" if key == ledger else key
        out.append({"key": key, "label": label, "count": counts[key],
                    "query": f"?ledger={ledger}&on={on.isoformat()}" + (f"&measure={measure}" if measure else "")})
    return out


def _ensure_editor(request):
    if not relocation.can_edit_relocation(request.user):
        raise PermissionDenied(_("您的角色无权标记易地搬迁安置社区（区县、市人社局工作人员办理）"))


@staff_required
def relocation_flag(request):
    _ensure_editor(request)
    form = forms.RelocationCommunityForm(post_data(request), user=request.user)

    def call(f):
        row = relocation.flag_community(actor=request.user, **f.service_kwargs())
        return reverse("web:relocation_ledger", args=[row.region_id])

    return service_form(request, form, call, success=_("已标记为易地搬迁安置社区"),
                        template="web/assistance/ledgers/form.html", context={"title": _("标记易地搬迁安置社区"), "community": None})


@staff_required
def relocation_edit(request, code: str):
    _ensure_editor(request)
    community = ledgers.get_relocation_community(request.user, code)
    form = forms.RelocationCommunityForm(post_data(request), user=request.user, community=community)

    def call(f):
        relocation.update_community(actor=request.user, community=community, **f.service_kwargs())
        return reverse("web:relocation_ledger", args=[community.region_id])

    return service_form(request, form, call, success=_("已保存"), template="web/assistance/ledgers/form.html",
                        context={"title": _("修改易地搬迁安置社区"), "community": community})


@staff_required
def relocation_end(request, code: str):
    """Unflag a relocation community (取消标记): a confirmation form with the reason and the date."""
    _ensure_editor(request)
    community = ledgers.get_relocation_community(request.user, code)
    form = forms.EndCommunityForm(post_data(request))

    def call(f):
        relocation.end_community(actor=request.user, community=community, **f.service_kwargs())
        return reverse("web:relocation_ledgers")

    return service_form(request, form, call, success=_("已取消标记，该社区不再列为易地搬迁安置社区（此前日期的台账不变）"),
                        template="web/assistance/ledgers/end.html", context={"community": community})
