"""What every wing's forms use: date inputs, service errors shown on the form, the region picker."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.accounts.scoping import scope_prefix
from jiuye.apitypes import MAX_DATE, MIN_DATE
from jiuye.regions import queries as region_queries

BLANK = [("", _("（全部）"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_in_range(value):
    # The same range as the API's dates (jiuye.apitypes.ApiDate): beyond it date arithmetic overflows.
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(_("日期应在 %(a)s 至 %(b)s 之间") % {"a": MIN_DATE, "b": MAX_DATE}, code="date_range")


def date_field(label, required=True, **kwargs):
    validators = [*kwargs.pop("validators", []), _date_in_range]
    return forms.DateField(label=label, required=required, widget=DateInput(), validators=validators, **kwargs)


class ServiceErrorsMixin:
    """Shows a ValidationError raised by a service next to the field it names."""

    error_aliases: dict[str, str] = {}

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = self.error_aliases.get(field, field)
                self.add_error(target if target in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


def region_filter_choices(user) -> list[tuple[str, str]]:
    """Counties, streets and communities strictly below the user's region node, indented by level."""
    indent = {3: "", 4: "\u3000", 5: "\u3000\u3000"}
    regions = region_queries.filter_choices(scope_prefix(user), exclude_code=user.region_id)
    return BLANK + [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in regions]


def community_choices(user) -> list[tuple[str, str]]:
    """Communities/villages the user may place a person in, with their street."""
    return [("", "——")] + [(r.code, f"{r.parent.name if r.parent_id else ''} {r.name}".strip())
                           for r in region_queries.communities_within(scope_prefix(user))]


def sort_field():
    """A list's sort key from its column headers ("name", "-name"); the app's queries hold the whitelist
    and fall back to the list's default order for anything else."""
    return forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
