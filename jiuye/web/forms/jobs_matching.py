"""Forms of the matching pages (issue 10, item 5): the list size of a match list, the runs' filters,
starting a run."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.jobs.models import RunStatus
from jiuye.jobs.queries import matching as queries
from jiuye.web.forms.common import BLANK, sort_field

TOP_CHOICES = [(10, "10"), (20, "20"), (50, "50"), (100, "100")]


class TopForm(forms.Form):
    top = forms.TypedChoiceField(label=_("列出前"), required=False, coerce=int, choices=TOP_CHOICES, empty_value=20,
                                 initial=20)
    sort = sort_field()

    def top_value(self) -> int:
        return (self.cleaned_data.get("top") or 20) if self.is_valid() else 20


class RunSearchForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(RunStatus.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def search(self, *, limit: int) -> queries.RunSearch:
        d = self.cleaned_data
        return queries.RunSearch(status=d["status"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class StartRunForm(forms.Form):
    congestion = forms.BooleanField(label=_("拥挤控制（按岗位空缺数分配推荐，避免热门岗位被过度推荐）"), required=False,
                                    initial=True)


class RecommendationSearchForm(forms.Form):
    name = forms.CharField(label=_("姓名"), required=False, max_length=32)
    rank = forms.TypedChoiceField(label=_("名次"), required=False, coerce=int, empty_value=None,
                                  choices=BLANK + [(1, _("仅第1名"))])
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def search(self, *, limit: int) -> queries.RecommendationSearch:
        d = self.cleaned_data
        return queries.RecommendationSearch(name=d["name"].strip(), rank=d["rank"], sort=d["sort"], limit=limit,
                                            offset=d["offset"] or 0)
