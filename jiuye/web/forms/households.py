"""Households wing forms: search, create and edit a household, its members and their relations."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries
from jiuye.registry.identity import IdentityError, parse_resident_id
from jiuye.registry.models import Household, Relation
from jiuye.web.forms.common import (
    ServiceErrorsMixin,
    community_choices,
    date_field,
    preselect_single,
    region_filter_choices,
    sort_field,
)


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


class HouseholdForm(ServiceErrorsMixin, forms.Form):
    """Create a household (number typed or generated, community, address, income, note) or edit one (the
    number and community stay)."""

    number = forms.CharField(label=_("户编号"), required=False, max_length=32,
                             help_text=_("留空则自动编号：社区代码-序号，如610102001001-00042"))
    region = forms.ChoiceField(label=_("所在社区"))
    address = forms.CharField(label=_("地址"), required=False, max_length=255)
    has_business_income = forms.BooleanField(label=_("有经营性或投资性收入"), required=False)
    note = forms.CharField(label=_("备注"), required=False, max_length=255)

    def __init__(self, *args, user, household: Household | None = None, **kwargs):
        self.household = household
        if household is not None:
            kwargs.setdefault("initial", {"address": household.address, "note": household.note,
                                          "has_business_income": household.has_business_income})
        super().__init__(*args, **kwargs)
        if household is None:
            self.fields["region"].choices = community_choices(user)
            preselect_single(self, "region")
        else:
            del self.fields["number"], self.fields["region"]

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        for name in ("number", "address", "note"):
            if name in d:
                d[name] = d[name].strip()
        return d


def relation_choices(household: Household | None) -> tuple[list, str]:
    """The relations to offer a new member and the default: 户主 while the household has none; once it
    has one, no default (the worker picks the relation) and 户主 is not offered."""
    has_head = household is not None and household.memberships.filter(
        left_on__isnull=True, relation=Relation.HEAD).exists()
    if has_head:
        return [("", _("——请选择——"))] + [c for c in Relation.choices if c[0] != Relation.HEAD], ""
    return list(Relation.choices), Relation.HEAD


class AddMemberForm(ServiceErrorsMixin, forms.Form):
    id_number = forms.CharField(label=_("成员公民身份号码"), max_length=24)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    joined_on = date_field(_("加入日期"), required=False)
    move = forms.BooleanField(label=_("已属其他户的，从原户迁入本户"), required=False)

    error_aliases = {"person": "id_number"}
    prefix = "add"

    def __init__(self, *args, user, household: Household | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices, default = relation_choices(household)
        if self.is_bound and not default:
            # 户主 posted anyway (an old page): accepted by the field, refused by the service with its message
            choices = choices[:1] + list(Relation.choices)
        self.fields["relation"].choices = choices
        self.initial.setdefault("relation", default)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        try:
            parse_resident_id(value)
        except IdentityError as exc:
            raise ValidationError(str(exc)) from None
        person = queries.visible_person_by_id_number(self.user, value)
        if person is None:
            raise ValidationError(_("未找到该公民身份号码的人员，或该人员不在您的管辖范围内；请先新建人员档案"))
        self.person = person
        return person.id_number


class MemberRelationForm(ServiceErrorsMixin, forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)

    prefix = "relation"
    error_aliases = {"person": "__all__"}


class RemoveMemberForm(ServiceErrorsMixin, forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    left_on = date_field(_("离开日期"), required=False)

    prefix = "remove"
    error_aliases = {"person": "__all__"}
