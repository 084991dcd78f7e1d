"""What every wing's forms use: date inputs, service errors shown on the form, the region picker."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.accounts.scoping import scope_prefix
from jiuye.apitypes import MAX_DATE, MIN_DATE
from jiuye.regions import queries as region_queries
from jiuye.regions.models import Region
from jiuye.registry.services import phone_error

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


class DateRangeMixin:
    """A filter form with ``date_from`` / ``date_to``: the end may not come before the start."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期早于起始日期"))
        return data


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


def preselect_single(form, name: str) -> None:
    """A required select with one real option offers only it, preselected (a community worker's own
    community): no "——" to pick first."""
    field = form.fields[name]
    options = [(value, label) for value, label in field.choices if value not in ("", None)]
    if len(options) == 1 and field.required:
        field.choices = options
        if not form.is_bound and not form.initial.get(name):
            form.initial[name] = options[0][0]


def region_choices(user) -> list[tuple[str, str]]:
    """The user's own region and every county, street and community below it (an employer's place)."""
    indent = {3: "", 4: "\u3000", 5: "\u3000\u3000"}
    prefix = scope_prefix(user)
    regions = list(region_queries.filter_choices(prefix))
    own = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    if own is not None and own.code not in {r.code for r in regions}:
        regions.insert(0, own)
    return [("", "——")] + [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in regions]


def phone_field(label):
    """A phone input checked by the registry's one rule (identity.parse_phone) as a field check."""
    def check(value):
        message = phone_error(value)
        if message:
            raise ValidationError(message, code="phone")

    return forms.CharField(label=label, required=False, max_length=20, validators=[check],
                           widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

def sort_field():
    """A list's sort key from its column headers ("name", "-name"); the app's queries hold the whitelist
    and fall back to the list's default order for anything else."""
    return forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
