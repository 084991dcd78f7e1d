"""Presentation helpers for the workbench templates (formatting only, no rules)."""
from __future__ import annotations

import json

from django import template
from django.http import QueryDict

from jiuye.registry.identity import mask_id_number, mask_phone
from jiuye.registry.industries import industry_label as _industry_label
from jiuye.registry.status import status_label as _status_label

register = template.Library()


@register.filter
def audit_actor(entry) -> str:
    from jiuye.web.views.audit import actor_label

    return actor_label(entry)


@register.filter
def audit_channel(entry) -> str:
    from jiuye.web.views.audit import channel_label

    return channel_label(entry)


@register.filter
def audit_keys(entry) -> str:
    """The labels of the keys an audit entry's changes name, joined (the person page's change log)."""
    from jiuye.web.views.audit import key_labels

    return "、".join(key_labels(entry))


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value or "")


@register.filter
def status_label(person) -> str:
    """A person's status today as people read it: 未登记 (never registered) apart from 已终止 (ended)."""
    return _status_label(person.employment_status, person.status_since)


@register.filter
def industry(code: str) -> str:
    """A GB/T 4754 code by name ("80" -> "O 居民服务、修理和其他服务业 / 80 居民服务业")."""
    return _industry_label(code or "")


@register.filter
def pretty_json(value) -> str:
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


@register.inclusion_tag("web/_field.html")
def field(bound_field, wide=False):
    return {"f": bound_field, "wide": wide}


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label: str, css: str = ""):
    """A sortable column header: a link that sorts the list by ``key`` (ascending, then descending on
    the next click), marked when the list is sorted by it. Needs ``sorting`` (views.common.list_page)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    sorting = context.get("sorting") or {}
    current = sorting.get("current", "")
    params = sorting.get("params")
    params = params.copy() if params is not None else QueryDict(mutable=True)
    label = gettext(label)
    if current == key:
        params["sort"], state, mark = "-" + key, "ascending", "▲"
        title = gettext("按%(c)s升序排列，点击改为降序") % {"c": label}
    elif current == "-" + key:
        params["sort"], state, mark = key, "descending", "▼"
        title = gettext("按%(c)s降序排列，点击改为升序") % {"c": label}
    else:
        params["sort"], state, mark = key, "none", ""
        title = gettext("按%(c)s排序") % {"c": label}
    return format_html('<th class="sortable {}" aria-sort="{}" data-sort="{}"><a href="?{}" title="{}">{}'
                       '<span class="sort-mark" aria-hidden="true">{}</span></a></th>',
                       css, state, key, params.urlencode(), title, label, mark)


@register.filter
def thousands(value) -> str:
    """A count with thousands separators ("12,345"), whatever the locale's formats say (Django's
    zh-hans formats group nothing, so humanize's intcomma prints "12345")."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
