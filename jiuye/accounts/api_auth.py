"""API authentication: the browser session (with CSRF for writes) or a bearer token."""
from __future__ import annotations

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from jiuye.accounts.models import ApiToken


class _Bearer(HttpBearer):
    def authenticate(self, request, token):
        hashed = ApiToken.hash_key(token)
        record = ApiToken.objects.select_related("user", "user__region").filter(key_hash=hashed, revoked=False).first()
        if record is None or not record.user.is_active:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class _Session(APIKeyCookie):
    """Django session cookie; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        return None


def token_user(request):
    """The active user of a valid ``Authorization: Bearer`` token on ``request``, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return _Bearer().authenticate(request, token.strip())


def SessionOrToken():
    return [_Bearer(), _Session()]
