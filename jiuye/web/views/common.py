"""What every wing uses: role checks, pagination links, the service-form round trip."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.web.exports import EXPORT_MAX

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# Access decorators (role checks only; region scope is applied by queries and services)


def require(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


staff_required = require(roles.can_read_registry, gettext_lazy("您的角色无权使用登记查询功能"))
writer_required = require(roles.can_write_registry, gettext_lazy("您的角色无权修改登记信息"))
importer_required = require(roles.can_import, gettext_lazy("您的角色无权导入数据"))
audit_reader_required = require(roles.can_read_audit, gettext_lazy("您的角色无权查看审计日志"))


# ---------------------------------------------------------------------------------------------
# Helpers


#: How many page numbers the pager shows on each side of the current page.
PAGE_WINDOW = 2


def _offset_of(form) -> int:
    return (form.cleaned_data.get("offset") or 0) if form.is_valid() else 0


def page_context(request, form, rows_and_more, *, total: int | None = None, page_size: int = PAGE_SIZE):
    """The pager of one page of a list: previous/next links always; with the list's ``total`` (a COUNT
    of the same filter) also "共 N 条", first/last and the page numbers around the current page."""
    rows, has_more = rows_and_more
    offset = _offset_of(form)

    def link(new_offset):
        params = request.GET.copy()
        params["offset"] = str(max(0, new_offset))
        params.pop("format", None)
        params.pop("full_id", None)
        return "?" + params.urlencode()

    context = {
        "rows": rows,
        "offset": offset,
        "first_index": offset + 1,
        "last_index": offset + len(rows),
        "prev_url": link(offset - page_size) if offset > 0 else "",
        "next_url": link(offset + page_size) if has_more else "",
        "total": total,
        "numbers": [],
    }
    if total is not None:
        pages = max(1, -(-total // page_size))
        current = offset // page_size + 1
        window = range(max(1, current - PAGE_WINDOW), min(pages, current + PAGE_WINDOW) + 1)
        numbers = [{"number": n, "url": link((n - 1) * page_size), "current": n == current and offset % page_size == 0}
                   for n in window]
        context.update(pages=pages, current=current, numbers=numbers,
                       first_url=link(0) if window.start > 1 else "",
                       last_url=link((pages - 1) * page_size) if window.stop - 1 < pages else "")
    return context


def search_page(request, form, search) -> dict:
    """Context of a search page: the form and one page of ``search(user, form.search(limit=PAGE_SIZE))``,
    the app's query (the same function the API calls)."""
    result = ([], False)
    if form.is_valid():
        result = search(request.user, form.search(limit=PAGE_SIZE))
    return {"form": form, "page": page_context(request, form, result)}


def sort_context(request, current: str) -> dict:
    """What the sortable column headers need (``{% sort_th %}``): the sort applied and the query string."""
    params = request.GET.copy()
    for key in ("offset", "format", "full_id"):
        params.pop(key, None)
    return {"current": current, "params": params}


def export_params(request) -> list[tuple[str, str]]:
    """The list's filter and sort as hidden fields of its export form (the export shows exactly the list)."""
    return [(key, value) for key, values in request.GET.lists() if key not in ("offset", "format", "full_id")
            for value in values]


def list_page(request, form, *, search, count, sort=None) -> dict:
    """Context of a list page: one page of ``search(user, s)`` with the total ``count(user, s)`` (the
    same filter), the pager with page numbers, the sortable headers (``sort(s)``: the sort key applied,
    from the app's queries) and the export form's fields. ``search``/``count``/``sort`` are the app's
    query functions, the same the API calls."""
    result, total, applied = ([], False), None, ""
    if form.is_valid():
        s = form.search(limit=PAGE_SIZE)
        result = search(request.user, s)
        total = count(request.user, s)
        applied = sort(s) if sort else getattr(s, "sort", "")
    return {"form": form, "page": page_context(request, form, result, total=total),
            "sorting": sort_context(request, applied), "export_fields": export_params(request),
            "may_export_full_ids": roles.can_see_full_id_number(request.user), "export_max": EXPORT_MAX}


def service_form(request, form, call, *, success, template, context):
    """Validate ``form``, call the service; service errors go onto the form, success redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            target = call(form)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, template, {"form": form, **context})


def form_action(request, form, call, *, success, done, page):
    """A posted form that calls a service (a decision, an objection …): valid and accepted → the success message
    and ``done()`` (a redirect); the service's ValidationError → its messages on the form and ``page(form)`` (the
    record's page again, status 400); out of scope → 403."""
    if form.is_valid():
        try:
            call(form)
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, success)
            return done()
    return page(form)


def post_data(request):
    return request.POST if request.method == "POST" else None
