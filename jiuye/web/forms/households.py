"""Households wing forms."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries
from jiuye.registry.models import Relation
from jiuye.web.forms.common import ServiceErrorsMixin, date_field, region_filter_choices, sort_field


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("户编号"), required=False, max_length=32)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    zero_employment = forms.BooleanField(label=_("仅零就业家庭"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.HouseholdSearch:
        d = self.cleaned_data
        return queries.HouseholdSearch(number=d["q"], region_code=d["region"], zero_employment=d["zero_employment"],
                                       sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class AddMemberForm(ServiceErrorsMixin, forms.Form):
    id_number = forms.CharField(label=_("成员公民身份号码"), max_length=24)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    joined_on = date_field(_("加入日期"), required=False)
    move = forms.BooleanField(label=_("已属其他户的，从原户迁入本户"), required=False)

    error_aliases = {"person": "id_number"}
    prefix = "add"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        person = queries.visible_person_by_id_number(self.user, self.cleaned_data["id_number"])
        if person is None:
            raise ValidationError(_("未找到该公民身份号码的人员，或该人员不在您的管辖范围内"))
        self.person = person
        return person.id_number


class RemoveMemberForm(ServiceErrorsMixin, forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    left_on = date_field(_("离开日期"), required=False)

    prefix = "remove"
    error_aliases = {"person": "__all__"}
