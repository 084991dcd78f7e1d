"""Login, failed login and logout go to the audit log."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.registry.queries import account_region_code


def on_logged_in(sender, request, user, **kwargs):
    audit.record(
        user, AuditEntry.Action.LOGIN, object_type="user", object_id=user.pk, object_label=user.get_username(),
        region_code=account_region_code(user), summary=_("登录"),
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username string is kept; Django has already masked the password in ``credentials``.
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    known = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    audit.record(
        None, AuditEntry.Action.LOGIN_FAILED, object_type="user", object_id=known.pk if known else "",
        object_label=username, region_code=account_region_code(known) if known else "", summary=_("登录失败"),
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit.record(
        user, AuditEntry.Action.LOGOUT, object_type="user", object_id=user.pk, object_label=user.get_username(),
        region_code=account_region_code(user), summary=_("退出"),
    )
