"""What every wing uses: role checks, pagination links, the service-form round trip."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from jiuye.accounts import roles

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


def page_context(request, form, rows_and_more):
    """Previous/next links for offset pagination (no COUNT over big tables)."""
    rows, has_more = rows_and_more
    offset = (form.cleaned_data.get("offset") or 0) if form.is_valid() else 0

    def link(new_offset):
        params = request.GET.copy()
        params["offset"] = str(max(0, new_offset))
        return "?" + params.urlencode()

    return {
        "rows": rows,
        "offset": offset,
        "first_index": offset + 1,
        "last_index": offset + len(rows),
        "prev_url": link(offset - PAGE_SIZE) if offset > 0 else "",
        "next_url": link(offset + PAGE_SIZE) if has_more else "",
    }


def search_page(request, form, search) -> dict:
    """Context of a search page: the form and one page of ``search(user, form.search(limit=PAGE_SIZE))``,
    the app's query (the same function the API calls)."""
    result = ([], False)
    if form.is_valid():
        result = search(request.user, form.search(limit=PAGE_SIZE))
    return {"form": form, "page": page_context(request, form, result)}


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


def post_data(request):
    return request.POST if request.method == "POST" else None
