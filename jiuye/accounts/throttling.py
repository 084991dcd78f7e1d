"""Login throttling with django-axes: after ``AXES_FAILURE_LIMIT`` failed logins an account, and
separately a client address, is locked for ``AXES_COOLOFF_TIME`` (settings.py). Lockouts are audited;
officers unlock accounts through ``services.unlock_user`` (the user administration of the workbench)."""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy listed in
    ``settings.JIUYE_TRUSTED_PROXIES`` (e.g. nginx on 127.0.0.1) the right-most address of
    X-Forwarded-For that is not a trusted proxy. Without it every login behind the proxy would come
    from one address, and one person's typing errors would lock everyone out. Axes and the audit log
    both use it."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(getattr(settings, "JIUYE_TRUSTED_PROXIES", ()) or ())
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address[:45]
    return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried. Passwords are guessed over HTTP, where a request is
    always passed; an authentication without a request (a script, the test client's ``login``) is not
    throttled here instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def failure_limit() -> int:
    limit = settings.AXES_FAILURE_LIMIT
    return limit if isinstance(limit, int) else 5


def locked_q(username_field: str = "username") -> Q:
    """Users (``username_field``) whose account is locked out now: the failures axes counts for the
    username within the cool-off time reach the limit (one grouped query, for lists)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = (AccessAttempt.objects.filter(attempt_time__gte=since).exclude(username=None).values("username")
              .annotate(n=Sum("failures_since_start")).filter(n__gte=failure_limit()).values("username"))
    return Q(**{f"{username_field}__in": locked})


def is_locked(username: str) -> bool:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    n = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"] or 0
    return n >= failure_limit()


def reset_account(username: str) -> int:
    """Forgets the failed logins of ``username`` (unlocks the account); the count of records removed."""
    return axes_reset(username=username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    User = get_user_model()
    known = User.objects.filter(username=username).first() if username else None
    audit.record(None, AuditEntry.Action.LOCKOUT, object_type="user", object_id=known.pk if known else "",
                 object_label=str(username or "")[:150], region_code=(known.region_id or "") if known else "",
                 summary=_("连续登录失败，已锁定"))


def connect():
    user_locked_out.connect(on_locked_out, dispatch_uid="jiuye.accounts.audit_lockout")
