"""User administration wing forms: the account list's filters, a new account, role and region,
a password reset, disabling a leaver."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.accounts.queries import UserSearch
from jiuye.accounts.scoping import scope_prefix
from jiuye.regions import queries as region_queries
from jiuye.regions.models import Region
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin

SORT_CHOICES = [
    ("username", _("用户名")), ("name", _("姓名")), ("role", _("角色")), ("region", _("所属区划")),
    ("last_login", _("最近登录")), ("-joined", _("新建时间（新的在前）")),
    ("-username", _("用户名（降序）")), ("-name", _("姓名（降序）")), ("-role", _("角色（降序）")),
    ("-region", _("所属区划（降序）")), ("-last_login", _("最近登录（降序）")), ("joined", _("新建时间")),
]
STATUS_CHOICES = BLANK + [("active", _("正常")), ("inactive", _("已停用")), ("locked", _("登录已锁定"))]


def role_choices(user) -> list[tuple[str, str]]:
    allowed = set(roles.assignable_roles(user))
    return [(value, label) for value, label in Role.choices if value in allowed]


def region_choices(user) -> list[tuple[str, str]]:
    """The officer's own node and every county, street and community under it."""
    indent = {1: "", 2: "", 3: "", 4: "\u3000", 5: "\u3000\u3000"}
    own = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    nodes = ([own] if own is not None else []) + region_queries.filter_choices(
        scope_prefix(user), exclude_code=user.region_id)
    return [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in nodes]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("角色"), required=False)
    region = forms.ChoiceField(label=_("所属区划"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = BLANK + role_choices(user)
        self.fields["region"].choices = BLANK + region_choices(user)

    def search(self, *, limit: int) -> UserSearch:
        d = self.cleaned_data
        return UserSearch(text=d["q"], role=d["role"], region_code=d["region"], status=d["status"],
                          sort=d["sort"] or "username", limit=limit, offset=d["offset"] or 0)


class UserCreateForm(ServiceErrorsMixin, forms.Form):
    username = forms.RegexField(label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _")})
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    role = forms.ChoiceField(label=_("角色"))
    region = forms.ChoiceField(label=_("所属区划"))
    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(render_value=False),
                                help_text=_("至少10位，不能是常见密码、纯数字或与用户名、姓名相近。"))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False, widget=forms.PasswordInput(render_value=False))
    error_aliases = {"password": "password1"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(user)
        self.fields["region"].choices = region_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"username": d["username"], "display_name": d["display_name"], "role": d["role"],
                "region_code": d["region"], "password": d["password1"]}


class UserChangeForm(ServiceErrorsMixin, forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    role = forms.ChoiceField(label=_("角色"))
    region = forms.ChoiceField(label=_("所属区划"))

    def __init__(self, *args, user, account, **kwargs):
        kwargs.setdefault("initial", {"display_name": account.display_name, "role": account.role,
                                      "region": account.region_id})
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(user)
        self.fields["region"].choices = region_choices(user)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"display_name": d["display_name"], "role": d["role"], "region_code": d["region"]}


class PasswordResetForm(ServiceErrorsMixin, forms.Form):
    password1 = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput(render_value=False),
                                help_text=_("至少10位，不能是常见密码、纯数字或与用户名、姓名相近。"))
    password2 = forms.CharField(label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(render_value=False))
    error_aliases = {"password": "password1"}

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=200, required=False)
