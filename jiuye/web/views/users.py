"""User administration wing: district and city officers manage the accounts of their region (list,
create, role and region, password reset, unlock, disable). Scope and rank rules live in
accounts.services/queries; every change is audited there."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import queries, roles, services
from jiuye.accounts.models import Role
from jiuye.web.forms import users as forms
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.views.common import list_page, post_data, require, service_form

user_admin_required = require(roles.can_admin_users, gettext_lazy("您的角色无权管理用户账号"))


def _user_url(account) -> str:
    return reverse("web:user", args=[account.pk])


def _status(u) -> str:
    return _("已停用") if not u.is_active else (_("登录已锁定") if u.is_locked else _("正常"))


#: The export's columns (the page's, with the region code and the account's creation time).
USER_COLUMNS = [
    Column(_l("用户名"), lambda u: u.username),
    Column(_l("姓名"), lambda u: u.display_name),
    Column(_l("角色"), lambda u: str(Role(u.role).label) if u.role in Role.values else u.role),
    Column(_l("所属区划代码"), lambda u: u.region_id or ""),
    Column(_l("所属区划"), lambda u: u.region.name if u.region_id else ""),
    Column(_l("状态"), _status),
    Column(_l("最近登录"), lambda u: u.last_login),
    Column(_l("新建时间"), lambda u: u.date_joined),
]


@user_admin_required
def user_list(request):
    form = forms.UserFilterForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.all_users(request.user, s), total=queries.count_users(request.user, s),
                           columns=USER_COLUMNS, sheet=_("用户账号"), filename="users", object_type="user",
                           filters=filters_of(form), sort=s.sort, summary=_("导出用户账号列表"))
    context = list_page(request, form, search=queries.search_users, count=queries.count_users)
    return render(request, "web/users/list.html", context)


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
