"""Template helpers of the warning board (issue 11, part board): level labels, the labels of a warning's
figures, and the workbench home's 预警 panel (``web/monitoring/_home_panel.html``), read through
``monitoring.queries.warnings`` so that the home view itself stays unchanged."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.monitoring.models import WarningLevel
from jiuye.monitoring.queries import warnings as queries
from jiuye.registry.models import UnemploymentReason

register = template.Library()

FACT_LABELS = {
    "source": _("触发来源"), "registrations": _("归集期内失业登记人数"), "window_start": _("归集期起"),
    "window_end": _("归集期止"), "window_days": _("归集期（天）"), "headcount": _("职工人数"),
    "headcount_source": _("职工人数来源"), "min_people": _("裁员人数标准（人）"), "min_share": _("占职工总数比例标准"),
    "reasons": _("计入裁员的失业原因"), "employer_id": _("单位编号"), "credit_code": _("统一社会信用代码"),
}
SOURCES = {"registrations": _("失业登记归集"), "report": _("企业月报")}


@register.filter
def warning_level_label(level: str) -> str:
    try:
        return str(WarningLevel(level).label)
    except ValueError:
        return level


@register.filter
def warning_fact_label(key: str) -> str:
    return str(FACT_LABELS.get(key, key))


@register.filter
def warning_fact_value(value):
    if isinstance(value, list):
        reasons = dict(UnemploymentReason.choices)
        return "、".join(str(reasons.get(v, v)) for v in value)
    if isinstance(value, str) and value in SOURCES:
        return str(SOURCES[value])
    return value


@register.simple_tag(takes_context=True)
def open_warning_counts(context):
    """Open (not closed) warnings in the user's scope by level, the red ones first; nothing for users who may
    not read monitoring."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not roles.can_read_monitoring(user):
        return {"show": False}
    counts = queries.level_counts(user)
    return {"show": True, "total": counts["total"],
            "levels": [(level, warning_level_label(level), n) for level, n in counts["by_level"].items()]}
