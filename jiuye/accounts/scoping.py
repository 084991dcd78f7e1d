"""Region scoping: the single place that turns a user into the part of the region tree they may see.

Every selector (``*/queries.py``) and every service (``*/services.py``) goes through these functions,
so views, API handlers and management commands cannot bypass them.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.regions.codes import significant_prefix
from jiuye.regions.queries import within_q


class OutOfScope(PermissionDenied):
    """The object lies outside the user's region, or the role may not do this."""


def scope_prefix(user) -> str | None:
    """Code prefix of the user's region; '' means the whole tree; None means nothing at all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if user.region_id is None:
        return None
    return significant_prefix(user.region_id)


def region_q(user, field: str = "region") -> Q:
    """Rows whose ``field`` (a FK to Region, or a code column ending in _id/_code) lies in the user's scope."""
    return within_q(scope_prefix(user), field)


def prefix_contains(prefix: str | None, region_code: str | None) -> bool:
    """The scope test: is ``region_code`` inside the scope ``prefix`` (from ``scope_prefix``)?"""
    if prefix is None or not region_code:
        return False
    return region_code.startswith(prefix)


def in_scope(user, region_code: str | None) -> bool:
    return prefix_contains(scope_prefix(user), region_code)


def ensure_can_read(user) -> None:
    if not roles.can_read_registry(user):
        raise OutOfScope(_("您的角色无权查看登记信息"))


def ensure_can_write(user, region_code: str | None) -> None:
    """Raise OutOfScope unless ``user`` may change records of ``region_code``."""
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    if region_code is None or not in_scope(user, region_code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
