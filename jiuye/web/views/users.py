"""User administration wing: district and city officers manage the accounts of their region (list,
create, role and region, password reset, unlock, disable). Scope and rank rules live in
accounts.services/queries; every change is audited there."""
from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from jiuye.accounts import audit, queries, roles, services
from jiuye.accounts.models import AuditEntry, Role
from jiuye.web.forms import users as forms
from jiuye.web.views.common import PAGE_SIZE, page_context, post_data, require, service_form

user_admin_required = require(roles.can_admin_users, gettext_lazy("您的角色无权管理用户账号"))
EXPORT_MAX = 50_000


def _user_url(account) -> str:
    return reverse("web:user", args=[account.pk])


@user_admin_required
def user_list(request):
    form = forms.UserFilterForm(request.GET, user=request.user)
    if form.is_valid() and request.GET.get("format") == "xlsx":
        return _export(request, form.search(limit=EXPORT_MAX))
    result, total = ([], False), None
    if form.is_valid():
        search = form.search(limit=PAGE_SIZE)
        result = queries.search_users(request.user, search)
        total = queries.count_users(request.user, search)
    export = request.GET.copy()
    export["format"] = "xlsx"
    export.pop("offset", None)
    return render(request, "web/users/list.html", {
        "form": form, "page": page_context(request, form, result), "total": total,
        "export_url": "?" + export.urlencode(),
    })


def _export(request, search):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("用户账号"))
    ws.append([_("用户名"), _("姓名"), _("角色"), _("所属区划代码"), _("所属区划"), _("状态"), _("最近登录"), _("新建时间")])
    count = 0
    tz = timezone.get_current_timezone()
    for u in queries.all_users(request.user, search):
        status = _("已停用") if not u.is_active else (_("登录已锁定") if u.is_locked else _("正常"))
        ws.append([u.username, u.display_name, str(Role(u.role).label) if u.role in Role.values else u.role,
                   u.region_id or "", u.region.name if u.region_id else "", status,
                   u.last_login.astimezone(tz).strftime("%Y-%m-%d %H:%M") if u.last_login else "",
                   u.date_joined.astimezone(tz).strftime("%Y-%m-%d %H:%M")])
        count += 1
    out = io.BytesIO()
    wb.save(out)
    audit.record(request.user, AuditEntry.Action.EXPORT, object_type="user", region_code=request.user.region_id or "",
                 changes={"filters": {"text": search.text, "role": search.role, "region": search.region_code,
                                      "status": search.status}, "rows": count},
                 summary=_("导出用户账号列表"))
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=users-{timezone.localdate():%Y%m%d}.xlsx"
    response["Cache-Control"] = "no-store"
    return response


@user_admin_required
def user_create(request):
    form = forms.UserCreateForm(post_data(request), user=request.user)

    def call(f):
        return _user_url(services.create_user(actor=request.user, **f.service_kwargs()))

    return service_form(request, form, call, success=_("账号已建立"), template="web/users/form.html",
                        context={"title": _("新建用户账号")})


@user_admin_required
def user_detail(request, pk: int):
    account = queries.get_user_for_admin(request.user, pk)
    return render(request, "web/users/detail.html", {
        "account": account, "is_self": account.pk == request.user.pk,
        "password_form": forms.PasswordResetForm(), "deactivate_form": forms.DeactivateForm(),
    })


@user_admin_required
def user_edit(request, pk: int):
    account = queries.get_user_for_admin(request.user, pk)
    form = forms.UserChangeForm(post_data(request), user=request.user, account=account)

    def call(f):
        return _user_url(services.update_user(actor=request.user, user=account, **f.service_kwargs()))

    return service_form(request, form, call, success=_("账号信息已保存"), template="web/users/form.html",
                        context={"title": _("修改角色与区划"), "account": account})


@user_admin_required
def user_password(request, pk: int):
    account = queries.get_user_for_admin(request.user, pk)
    form = forms.PasswordResetForm(post_data(request))

    def call(f):
        services.reset_password(actor=request.user, user=account, password=f.cleaned_data["password1"])
        return _user_url(account)

    return service_form(request, form, call, success=_("密码已重置，请通知本人登录后修改"),
                        template="web/users/form.html", context={"title": _("重置密码"), "account": account})


@require_POST
@user_admin_required
def user_unlock(request, pk: int):
    account = queries.get_user_for_admin(request.user, pk)
    services.unlock_user(actor=request.user, user=account)
    messages.success(request, _("账号已解锁"))
    return redirect(_user_url(account))


@require_POST
@user_admin_required
def user_active(request, pk: int):
    account = queries.get_user_for_admin(request.user, pk)
    active = request.POST.get("active") == "1"
    form = forms.DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.set_active(actor=request.user, user=account, active=active, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("账号已启用") if active else _("账号已停用，其接口令牌已吊销"))
    return redirect(_user_url(account))
