"""Data of the person page's 就业援助 panel (``web/assistance/recognitions/_person.html``): the person's
recognitions and active assistance case, read through the assistance app's queries (issue 8)."""
from __future__ import annotations

from django import template

from jiuye.accounts import roles
from jiuye.assistance.models import Case, CaseKind
from jiuye.assistance.queries import recognitions
from jiuye.assistance.services.cases import ACTIVE
from jiuye.assistance.services.recognitions import categories_text

register = template.Library()


@register.simple_tag(takes_context=True)
def person_assistance(context, person):
    user = context["request"].user
    if not roles.can_read_registry(user):
        return {"visible": False}
    acts = recognitions.recognitions_of_person(user, person.pk)
    case = (Case.objects.filter(person_id=person.pk, kind=CaseKind.HARD_TO_EMPLOY, status__in=ACTIVE).first())
    return {
        "visible": True,
        "acts": [{"act": a, "categories": categories_text(a.categories)} for a in acts],
        "case": case,
        "may_apply": roles.can_work_cases(user) and not any(a.status in recognitions.OPEN for a in acts),
    }
