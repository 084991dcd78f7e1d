"""操作指南: a short guide per role, written for the worker (templates/web/help/).

/help/ shows the guide of the user's own role (the general page before login), /help/<role>/ any
other role's, /help/general/ the general page (logging in, passwords, phones, whom to ask). The guides
hold no personal data, so they are open before login too (a worker who cannot log in reads them).
Numbers the guides quote (login lock-out, password length) come from the settings they describe.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from jiuye.accounts.models import Role

GENERAL = "general"


@dataclass(frozen=True)
class Guide:
    slug: str
    label: object  # lazy translation
    template: str


GUIDES = [Guide(GENERAL, _("通用说明"), "web/help/general.html")] + [
    Guide(value, label, f"web/help/{value}.html") for value, label in Role.choices
]
BY_SLUG = {g.slug: g for g in GUIDES}


def _password_min_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 8


@require_safe
def help_page(request, role: str | None = None):
    user = request.user
    if role is None:
        role = user.role if user.is_authenticated and user.role in BY_SLUG else GENERAL
    guide = BY_SLUG.get(role)
    if guide is None:
        raise Http404(_("没有这个角色的操作指南"))
    own = user.role if user.is_authenticated else None
    return render(request, "web/help/page.html", {
        "guide": guide,
        "guides": [{"slug": g.slug, "label": g.label, "current": g.slug == guide.slug, "own": g.slug == own}
                   for g in GUIDES],
        "own_role": own,
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "password_min_length": _password_min_length(),
    })
