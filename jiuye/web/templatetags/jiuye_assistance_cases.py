"""Template tags of the case workbench: the workbench home's "我的援助个案" panel."""
from __future__ import annotations

from django import template

from jiuye.accounts import roles
from jiuye.assistance.queries import cases as queries

register = template.Library()


@register.simple_tag(takes_context=True)
def my_cases_summary(context):
    """The user's own active and overdue cases, or None for users who do not work cases or have none."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not roles.can_work_cases(user):
        return None
    summary = queries.my_summary(user)
    return summary if summary.active else None
