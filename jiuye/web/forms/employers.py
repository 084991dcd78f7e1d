"""Employers wing forms."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("单位名称或统一社会信用代码"), required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": _("单位名称或统一社会信用代码"), "autofocus": True}))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)

    def search(self, *, limit: int) -> queries.EmployerSearch:
        return queries.EmployerSearch(text=self.cleaned_data["q"], limit=limit, offset=self.cleaned_data["offset"] or 0)
