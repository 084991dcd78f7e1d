"""Template helpers for pending registrations (待生效) and online self-registrations (网上自助)."""
from __future__ import annotations

from django import template

from jiuye.accounts import roles
from jiuye.registry import queries

register = template.Library()


@register.simple_tag
def pending_summary(pending) -> str:
    """What a pending entry will register, in words."""
    return queries.pending_summary(pending)


@register.simple_tag(takes_context=True)
def self_registrations_waiting(context, limit: int = 5) -> dict:
    """The home page panel's data: the user's waiting self-registrations (none for roles that cannot
    confirm them)."""
    user = context.get("user")
    if user is None or not roles.can_write_registry(user):
        return {"rows": [], "count": 0, "show": False}
    return {"rows": queries.self_registrations_waiting(user, limit=limit),
            "count": queries.count_self_registrations_waiting(user), "show": True}
