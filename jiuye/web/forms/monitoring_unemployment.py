"""Forms of the unemployment pages: the month and region of the rate table, the drill-down list, the series
list's filter and the series entry (统计部门数据录入)."""
from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.monitoring.models import SeriesIndicator
from jiuye.monitoring.periods import MONTH, PeriodError, parse_period
from jiuye.monitoring.queries import unemployment as queries
from jiuye.regions.models import Region
from jiuye.web.forms.common import ServiceErrorsMixin, region_filter_choices, sort_field


class MonthField(forms.CharField):
    """A month as "2026-10" (the month input) or "2026年10月"; cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            period = parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        if period.kind != MONTH:
            raise forms.ValidationError(_("请填写某一个月，如 2026-10"))
        return period.start


def _indent(r: Region) -> str:
    return {3: "", 4: "\u3000", 5: "\u3000\u3000"}.get(r.level, "") + r.name


def own_and_below(user) -> list[tuple[str, str]]:
    """The user's own node (when it is a county, street or community) and every region below it."""
    own = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    out = [(own.code, _indent(own))] if own is not None and own.level >= Region.Level.COUNTY else []
    return out + [(c, label) for c, label in region_filter_choices(user) if c]


class UnemploymentForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("本级"))] + own_and_below(user)


class UnemployedSearchForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, region_code: str, default_month: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code = region_code
        self.default_month = default_month

    def search(self, *, limit: int) -> queries.UnemployedSearch:
        d = self.cleaned_data
        return queries.UnemployedSearch(region_code=self.region_code, month=d["month"] or self.default_month,
                                        sort=d["sort"] or "region", limit=limit, offset=d["offset"] or 0)


class SeriesSearchForm(forms.Form):
    region = forms.ChoiceField(label=_("区划"), required=False)
    indicator = forms.ChoiceField(label=_("指标"), required=False, choices=[("", _("全部"))] + list(SeriesIndicator.choices))
    month_from = MonthField(label=_("月份起"), required=False)
    month_to = MonthField(label=_("月份止"), required=False)
    history = forms.BooleanField(label=_("含已更正的旧版本"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部"))] + own_and_below(user)

    def search(self, *, limit: int) -> queries.SeriesSearch:
        d = self.cleaned_data
        return queries.SeriesSearch(region_code=d["region"], indicator=d["indicator"], month_from=d["month_from"],
                                    month_to=d["month_to"], history=bool(d["history"]), sort=d["sort"] or "-month",
                                    limit=limit, offset=d["offset"] or 0)


class SeriesEntryForm(ServiceErrorsMixin, forms.Form):
    region = forms.ChoiceField(label=_("区划"))
    indicator = forms.ChoiceField(label=_("指标"), choices=SeriesIndicator.choices)
    month = MonthField(label=_("月份"))
    value = forms.CharField(label=_("数值"), max_length=24,
                            help_text=_("城镇从业人员数填人数；城镇调查失业率填百分数（5.2 即 5.2%）"))
    source = forms.CharField(label=_("数据来源"), max_length=128,
                             help_text=_("如“西安市统计局 2026年10月劳动力调查”"))
    reason = forms.CharField(label=_("更正原因"), max_length=255, required=False,
                             help_text=_("该月已录入数值时必填：更正将保存为新版本，旧版本保留"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "——")] + own_and_below(user)
