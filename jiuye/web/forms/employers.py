"""Employers wing forms: search, register and edit an employer."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries, services
from jiuye.registry.identity import IdentityError, parse_credit_code
from jiuye.registry.industries import DIVISIONS, SECTION_NAMES, industry_label
from jiuye.registry.models import Employer, Ownership, SizeClass
from jiuye.registry.services import EMPLOYER_EDITABLE_FIELDS
from jiuye.web.forms.common import (
    ServiceErrorsMixin,
    phone_field,
    preselect_single,
    region_choices,
    region_filter_choices,
    sort_field,
)


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("单位名称或统一社会信用代码"), required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": _("单位名称或统一社会信用代码"), "autofocus": True}))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.EmployerSearch:
        d = self.cleaned_data
        return queries.EmployerSearch(text=d["q"], region_code=d["region"], sort=d["sort"], limit=limit,
                                      offset=d["offset"] or 0)


def industry_choices(current: str = "") -> list:
    """GB/T 4754-2017 divisions by name, grouped by section (门类); a stored 3-4 digit code is kept."""
    groups = []
    for letter, (section, low, high) in SECTION_NAMES.items():
        options = [(f"{d:02d}", f"{d:02d} {DIVISIONS[f'{d:02d}']}") for d in range(low, high + 1)]
        groups.append((f"{letter} {section}", options))
    choices = [("", "——")] + groups
    if current and len(current) > 2:
        choices.insert(1, (current, industry_label(current)))
    return choices


class EmployerForm(ServiceErrorsMixin, forms.Form):
    """Register (with the credit code) or edit an employer. The credit code is checked at once, with its
    own message (length, illegal character, expected check character, already registered)."""

    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "class": "mono"}))
    name = forms.CharField(label=_("单位名称"), max_length=128)
    industry_code = forms.ChoiceField(label=_("行业（国民经济行业分类大类）"), required=False)
    size_class = forms.ChoiceField(label=_("企业规模"), required=False, choices=[("", "——")] + list(SizeClass.choices))
    ownership = forms.ChoiceField(label=_("经济类型"), required=False, choices=[("", "——")] + list(Ownership.choices))
    region = forms.ChoiceField(label=_("所在区划"))
    address = forms.CharField(label=_("单位地址"), required=False, max_length=255)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=64)
    contact_phone = phone_field(_("联系电话"))
    employee_count = forms.IntegerField(label=_("职工人数"), required=False, min_value=0, max_value=10_000_000)

    def __init__(self, *args, user, employer: Employer | None = None, **kwargs):
        self.user = user
        self.employer = employer
        if employer is not None:
            initial = {f: getattr(employer, f) for f in EMPLOYER_EDITABLE_FIELDS if f != "region"}
            initial["region"] = employer.region_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].choices = industry_choices(employer.industry_code if employer else "")
        choices = region_choices(user)
        if employer is not None and employer.region_id not in {c for c, _l in choices}:
            choices.append((employer.region_id, employer.region.name))
        self.fields["region"].choices = choices
        preselect_single(self, "region")
        if employer is not None:
            del self.fields["credit_code"]

    def clean_credit_code(self):
        try:
            code = parse_credit_code(self.cleaned_data["credit_code"])
        except IdentityError as exc:
            raise ValidationError(str(exc)) from None
        message = services.duplicate_credit_code_error(self.user, code)
        if message:
            raise ValidationError(message)
        return code

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
