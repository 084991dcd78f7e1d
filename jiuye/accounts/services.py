"""Writes to accounts: users bound to a role and region, API tokens."""
from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.regions.codes import pad
from jiuye.regions.models import Region

ROLE_MIN_LEVEL = {
    Role.COMMUNITY_WORKER: Region.Level.COMMUNITY,
    Role.STREET_OFFICER: Region.Level.STREET,
    Role.DISTRICT_OFFICER: Region.Level.COUNTY,
    Role.CITY_OFFICER: Region.Level.CITY,
}


@transaction.atomic
def create_user(*, actor, username: str, password: str, role: str, region_code: str | None,
                display_name: str = "") -> User:
    """A user bound to a role and a region node. A resident's person record or an employer user's employer
    is linked afterwards on the registry's side (``jiuye.registry.services.link_account``)."""
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
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已存在") % {"u": username}})
    user = User(username=username, role=role, region=region, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._audited = True  # recorded below (accounts.signals skips it)
    user.save()
    audit.record(actor, AuditEntry.Action.CREATE, object_type="user", object_id=user.pk, object_label=username,
                 region_code=region.code if region else "", changes={"role": role, "region": region_code},
                 summary=_("新建用户"))
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
