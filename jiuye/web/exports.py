"""The one export of every list (web floor): an Excel file of exactly what a list shows.

A list's export takes the list's own query (the same filter and sort, every page, through the app's
``queries.py``), writes the visible columns with Chinese headers, and is audited as an ``export`` entry
with its filter, sort and row count. Identity numbers (and phone numbers) are masked unless the role
may see full numbers (``roles.FULL_ID_NUMBER_ROLES``) AND the user asked for them with the export's
"导出完整身份证号" box; such an export is audited as one ("含完整公民身份号码"). At most ``EXPORT_MAX``
rows: a larger selection is refused with a message asking for a narrower filter (nothing is cut off
silently).

A new list gets its export in a few lines (see docs/architecture.md, "Lists and exports")::

    COLUMNS = [Column(_("姓名"), lambda p: p.name), Column(_("公民身份号码"), lambda p: p.id_number, mask=mask_id_number)]
    if form.is_valid() and request.GET.get("format") == "xlsx":
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.persons_of_search(request.user, s),
                           total=queries.count_persons(request.user, s), columns=COLUMNS, ...)
"""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.registry.identity import mask_id_number

#: The most rows one export writes (a district's whole registry is a database task, not a spreadsheet).
EXPORT_MAX = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    header: str
    value: Callable[[Any], Any]
    mask: Callable[[str], str] | None = None  # an identity number or phone: masked unless full numbers


def choice_label(model, field: str) -> Callable[[Any], str]:
    """The display label of a choice field, as a column value: each label is translated once per
    process instead of once per row (``get_FOO_display`` hashes lazy strings on every call)."""
    cache: dict[Any, str] = {}

    def value(obj) -> str:
        raw = getattr(obj, field)
        if raw not in cache:
            cache[raw] = str(dict(model._meta.get_field(field).flatchoices).get(raw, raw or ""))
        return cache[raw]

    return value


def wants_full_numbers(request) -> bool:
    """The one rule: full identity numbers only for roles that may see them, and only when asked for."""
    return request.GET.get("full_id") in ("1", "on", "true") and roles.can_see_full_id_number(request.user)


def is_export(request, form) -> bool:
    return request.GET.get("format") == "xlsx" and form.is_valid()


def filters_of(form, *, exclude: Iterable[str] = ("offset", "sort")) -> dict[str, Any]:
    """The form's filter values that were set, for the audit entry (dates as ISO strings; the text box
    "q" as "text")."""
    out: dict[str, Any] = {}
    for key, value in form.cleaned_data.items():
        if key in exclude or value in (None, "", False, [], ()):
            continue
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        out["text" if key == "q" else key] = value
    return out


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (bool, int, float, datetime.date, str)):
        return value if not isinstance(value, bool) else (_("是") if value else _("否"))
    return str(value)


def too_many(request, total: int) -> HttpResponse:
    messages.error(request, _("共 %(n)s 条，超过单次导出上限 %(m)s 条，请缩小筛选范围后再导出。")
                   % {"n": f"{total:,}", "m": f"{EXPORT_MAX:,}"})
    params = request.GET.copy()
    for key in ("format", "full_id"):
        params.pop(key, None)
    return redirect(request.path + ("?" + params.urlencode() if params else ""))


def row_values(row, columns, full: bool) -> list:
    """One row's cells in ``columns`` order: identity numbers (a column with ``mask``) masked unless
    ``full``; values made safe for a cell. Every Excel export writes its rows through it."""
    values = []
    for c in columns:
        value = c.value(row)
        if c.mask is not None and not full:
            value = c.mask(value or "")
        values.append(_cell(value))
    return values


def export_xlsx(request, *, rows: Iterable[Any], total: int, columns: list[Column], sheet: str, filename: str,
                object_type: str, filters: dict[str, Any], sort: str, summary: str,
                full_numbers: bool | None = None) -> HttpResponse:
    """The list's rows (every page, in order) as an .xlsx download, audited. ``total`` is the list's
    count (above ``EXPORT_MAX`` the export is refused with a message)."""
    from openpyxl import Workbook

    if total > EXPORT_MAX:
        return too_many(request, total)
    full = wants_full_numbers(request) if full_numbers is None else full_numbers
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append([str(c.header) for c in columns])
    count = 0
    for row in rows:
        if count >= EXPORT_MAX:
            break
        ws.append(row_values(row, columns, full))
        count += 1
    out = io.BytesIO()
    wb.save(out)
    changes = {"filters": filters, "sort": sort, "rows": count}
    if any(c.mask is not None for c in columns):
        changes["full_id_number"] = full
    audit.record(request.user, AuditEntry.Action.EXPORT, object_type=object_type,
                 region_code=getattr(request.user, "region_id", None) or "", changes=changes,
                 summary=summary + (_("（含完整公民身份号码）") if full else ""))
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={filename}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Cache-Control"] = "no-store"
    return response


__all__ = ["Column", "choice_label", "EXPORT_MAX", "export_xlsx", "filters_of", "is_export", "mask_id_number", "wants_full_numbers"]
