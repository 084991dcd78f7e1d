"""Data of the household page's 零就业家庭记录 panel (``web/assistance/zero/_household_panel.html``),
read through ``assistance.queries.zero`` so that the household view itself stays unchanged."""
from __future__ import annotations

from django import template
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope
from jiuye.assistance.queries import zero as queries
from jiuye.registry.models import HouseholdMembership
from jiuye.registry.retirement import flags_apply

register = template.Library()


@register.simple_tag(takes_context=True)
def household_zero_history(context, household):
    """The household's spells (newest first), the marks of its members, and the members a writer may
    mark (16 or older, still marked able/willing to work)."""
    user = context["request"].user
    if not roles.can_read_registry(user):
        return {"visible": False}
    today = timezone.localdate()
    spells = queries.household_spells(user, household)
    members = [m.person for m in HouseholdMembership.objects.filter(household=household, left_on__isnull=True)
               .select_related("person").order_by("pk")]
    marks = list(queries.marks_of_search(user, queries.MarkSearch()).filter(person__in=[p.pk for p in members]))
    may_mark = roles.can_write_registry(user) and in_scope(user, household.region_id)
    return {
        "visible": True,
        "spells": [{"s": s, "days": queries.spell_days(s, today)} for s in spells],
        "marks": marks,
        "may_mark": may_mark,
        "markable": [p for p in members if flags_apply(p.birth_date, today) and (p.able_to_work or p.willing_to_work)],
    }
