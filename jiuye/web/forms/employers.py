"""Employers wing forms."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries
from jiuye.web.forms.common import region_filter_choices, sort_field


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
