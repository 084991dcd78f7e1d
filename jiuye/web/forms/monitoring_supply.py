"""Forms of the supply-and-demand pages (人力资源市场供求) and the shortage-occupation catalogue (紧缺职业目录)."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.monitoring.periods import KIND_LABELS, MONTH, PeriodError, month_of, parse_period, period_of
from jiuye.monitoring.queries import supply as queries
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin, region_choices, region_filter_choices, sort_field

DIMENSION_CHOICES = list(queries.DIMENSIONS.items())
SIDE_CHOICES = [("openings", _("需求（岗位）")), ("seekers", _("求职（求职登记）"))]


def default_period():
    """The last complete month."""
    return month_of(timezone.localdate()).previous()


class PeriodMixin:
    def clean_period(self):
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return default_period()
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class SupplyForm(PeriodMixin, forms.Form):
    kind = forms.ChoiceField(label=_("统计周期"), required=False, choices=list(KIND_LABELS.items()))
    period = forms.CharField(label=_("统计期"), required=False, max_length=16,
                             help_text=_("如 2026-10、2026Q3、2026"))
    region = forms.ChoiceField(label=_("地区"), required=False)
    dimension = forms.ChoiceField(label=_("分组"), required=False, choices=DIMENSION_CHOICES)
    months = forms.IntegerField(label=_("趋势月数"), required=False, min_value=3, max_value=120)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if getattr(user, "region_id", None) else BLANK

    def clean(self):
        data = super().clean()
        period = data.get("period")
        kind = data.get("kind") or (period.kind if period else MONTH)
        if period is not None and period.kind != kind:
            data["period"] = period_of(period.start, kind)  # the picker's kind wins: the period containing it
        data["kind"] = kind
        data["dimension"] = data.get("dimension") or queries.REGION
        data["months"] = data.get("months") or 24
        return data


class RecordsForm(PeriodMixin, forms.Form):
    side = forms.ChoiceField(label=_("类别"), required=False, choices=SIDE_CHOICES)
    period = forms.CharField(label=_("统计期"), required=False, max_length=16)
    dimension = forms.ChoiceField(label=_("分组"), required=False, choices=BLANK + DIMENSION_CHOICES)
    key = forms.CharField(label=_("分组值"), required=False, max_length=32)
    region = forms.ChoiceField(label=_("地区"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if getattr(user, "region_id", None) else BLANK
        self.fields["side"].widget = forms.HiddenInput()
        self.fields["dimension"].widget = forms.HiddenInput()
        self.fields["key"].widget = forms.HiddenInput()

    def chosen_side(self) -> str:
        return (self.cleaned_data.get("side") if self.is_valid() else "") or "openings"

    def search(self, *, limit: int) -> queries.SupplyRecords:
        d = self.cleaned_data
        return queries.SupplyRecords(period=d["period"].code, dimension=d["dimension"], key=d["key"], region=d["region"],
                                     sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class CatalogueSearchForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2200)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def search(self, *, limit: int) -> queries.CatalogueSearch:
        d = self.cleaned_data
        return queries.CatalogueSearch(year=d["year"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class CatalogueComputeForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2200)
    region = forms.ChoiceField(label=_("发布区划"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year - 1)
            self.initial.setdefault("region", user.region_id or "")

