"""Writes to accounts: users bound to a role and region (created, changed, passwords, unlocking,
disabling: each within the officer's scope and audited), API tokens."""
from __future__ import annotations

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles, throttling
from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, pad
from jiuye.regions.models import Region

ROLE_MIN_LEVEL = {
    Role.COMMUNITY_WORKER: Region.Level.COMMUNITY,
    Role.STREET_OFFICER: Region.Level.STREET,
    Role.DISTRICT_OFFICER: Region.Level.COUNTY,
    Role.CITY_OFFICER: Region.Level.CITY,
}


def _region_for(role: str, region_code: str | None) -> Region | None:
    """The region node a ``role`` account is bound to: it exists and sits at the role's level."""
    if role not in Role.values:
        raise ValidationError({"role": _("角色“%(r)s”无效") % {"r": role}})
    region = None
    if region_code:
        try:
            region = Region.objects.filter(code=pad(region_code)).first()
        except ValueError:
            region = None
        if region is None:
            raise ValidationError({"region": _("区划代码“%(c)s”不存在") % {"c": region_code}})
        expected = ROLE_MIN_LEVEL.get(role)
        if expected is not None and region.level != expected:
            raise ValidationError({"region": _("%(role)s须绑定到%(level)s级区划") % {
                "role": Role(role).label, "level": Region.Level(expected).label}})
    elif role not in (Role.EMPLOYER_USER, Role.RESIDENT):
        raise ValidationError({"region": _("工作人员须绑定区划")})
    return region


def validate_password(password: str, user: User) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS: length, not common, not like the username
    or name, not only digits), with the reasons under "password"."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def ensure_can_manage(actor, user: User | None = None, *, role: str | None = None,
                      region: Region | None = None) -> None:
    """Raise OutOfScope unless ``actor`` may administer ``user`` (an account of their region with a role
    they may hand out, not their own) and give it ``role`` and ``region``. ``actor`` None is the server's
    operator (``jiuye create_user``): no limit."""
    if actor is None:
        return
    if not roles.can_admin_users(actor):
        raise OutOfScope(_("您的角色无权管理用户账号"))
    if actor.is_superuser:
        return
    assignable = roles.assignable_roles(actor)
    if user is not None:
        if user.pk == actor.pk:
            raise OutOfScope(_("不能修改自己的账号，请联系上级管理员"))
        if user.is_superuser or user.role not in assignable or not in_scope(actor, user.region_id):
            raise OutOfScope(_("该账号不在您的管理范围内"))
    if role is not None and role not in assignable:
        raise OutOfScope(_("您无权授予“%(r)s”角色") % {"r": Role(role).label if role in Role.values else role})
    if region is not None and not in_scope(actor, region.code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region.code})
    if region is None and role is not None:
        raise OutOfScope(_("工作人员须绑定您管辖范围内的区划"))


def _save(user: User) -> None:
    user._audited = True  # the caller records the entry (accounts.signals skips it)
    user.save()


def _record(actor, user: User, action: str, summary: str, changes: dict | None = None,
            region_code: str | None = None) -> None:
    audit.record(actor, action, object_type="user", object_id=user.pk, object_label=user.username,
                 region_code=(user.region_id or "") if region_code is None else region_code, changes=changes or {},
                 summary=summary)


def _common_node(a: str | None, b: str | None) -> str:
    """The lowest region node holding both codes (an account moved from ``a`` to ``b`` is audited there,
    so that the readers of both regions see the move); "" when they share no province."""
    if not a or not b:
        return a or b or ""
    for length in sorted(LEVEL_PREFIX_LENGTH.values(), reverse=True):
        if a[:length] == b[:length]:
            return a[:length].ljust(12, "0")
    return ""


@transaction.atomic
def create_user(*, actor, username: str, password: str, role: str, region_code: str | None,
                display_name: str = "") -> User:
    """A user bound to a role and a region node. A resident's person record or an employer user's employer
    is linked afterwards on the registry's side (``jiuye.registry.services.link_account``). Staff
    passwords follow the password policy."""
    region = _region_for(role, region_code)
    ensure_can_manage(actor, role=role, region=region)
    username = (username or "").strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已存在") % {"u": username}})
    user = User(username=username, role=role, region=region, display_name=display_name)
    if role in roles.STAFF_ROLES:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _save(user)
    _record(actor, user, AuditEntry.Action.CREATE, _("新建用户"),
            {"role": role, "region": region.code if region else None, "display_name": display_name})
    return user


@transaction.atomic
def update_user(*, actor, user: User, role: str | None = None, region_code: str | None = None,
                display_name: str | None = None) -> User:
    """Role, region node and name of an account; audited with the fields that changed."""
    new_role = role if role is not None else user.role
    new_region = _region_for(new_role, region_code if region_code is not None else user.region_id)
    ensure_can_manage(actor, user, role=new_role, region=new_region)
    before = {"role": user.role, "region": user.region_id, "display_name": user.display_name}
    user.role, user.region = new_role, new_region
    if display_name is not None:
        user.display_name = display_name.strip()
    after = {"role": user.role, "region": user.region_id, "display_name": user.display_name}
    changed = audit.diff(before, after)
    if changed:
        user.full_clean(exclude=["password"])
        _save(user)
        _record(actor, user, AuditEntry.Action.UPDATE, _("修改用户角色或区划"), changed,
                region_code=_common_node(before["region"], user.region_id))
    return user


@transaction.atomic
def reset_password(*, actor, user: User, password: str) -> User:
    """A new password (the policy applies to staff accounts); the account's failed logins are forgotten."""
    ensure_can_manage(actor, user)
    if user.role in roles.STAFF_ROLES or user.is_superuser:
        validate_password(password, user)
    user.set_password(password)
    _save(user)
    throttling.reset_account(user.username)
    _record(actor, user, AuditEntry.Action.UPDATE, _("重置密码"), {"password": ["***", "***"]})
    return user


@transaction.atomic
def unlock_user(*, actor, user: User) -> int:
    """Unlocks an account locked by failed logins; the number of failed-login records cleared."""
    ensure_can_manage(actor, user)
    cleared = throttling.reset_account(user.username)
    _record(actor, user, AuditEntry.Action.UPDATE, _("解除登录锁定"), {"locked": [True, False], "cleared": cleared})
    return cleared


@transaction.atomic
def set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Disables a leaver's account (no login, API tokens revoked) or enables it again."""
    ensure_can_manage(actor, user)
    if user.is_active == active:
        return user
    user.is_active = active
    _save(user)
    changes = {"is_active": [not active, active]}
    if not active:
        changes["tokens_revoked"] = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    if reason:
        changes["reason"] = reason[:200]
    _record(actor, user, AuditEntry.Action.UPDATE, _("启用账号") if active else _("停用账号"), changes)
    return user


def issue_api_token(*, actor, user: User, name: str) -> str:
    """Creates a token and returns the key; only its hash is stored, so show it once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=ApiToken.hash_key(key))
    token._audited = True  # recorded below (accounts.signals skips it)
    token.save()
    audit.record(actor, AuditEntry.Action.CREATE, object_type="api_token", object_id=user.pk, object_label=user.username,
                 region_code=user.region_id or "", summary=_("签发接口令牌：%(n)s") % {"n": name})
    return key
