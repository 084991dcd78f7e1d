"""Presentation helpers for the workbench templates (formatting only, no rules)."""
from __future__ import annotations

import json

from django import template

from jiuye.registry.identity import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value or "")


@register.filter
def pretty_json(value) -> str:
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


@register.inclusion_tag("web/_field.html")
def field(bound_field, wide=False):
    return {"f": bound_field, "wide": wide}
