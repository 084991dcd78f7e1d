"""Forms of the targets management pages (targets: list filter, new, replace, breakdown; input values)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.monitoring.periods import PeriodError, parse_period
from jiuye.regions.models import Region
from jiuye.targets import queries
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.models import Comparator, TargetNature, TargetScope
from jiuye.web.forms.common import ServiceErrorsMixin, region_filter_choices, sort_field

COMPARATORS = [(v, label) for v, label in Comparator.choices if v != Comparator.ABOUT]


def kpi_choices(*, inputs_only: bool = False, blank=_("全部")):
    items = [(k.code, k.name) for k in KPIS.values() if not inputs_only or (not k.computed and k.series == "targets")]
    return ([("", blank)] if blank is not None else []) + items


def own_and_below(user) -> list[tuple[str, str]]:
    """The user's own node (any level) and every county, street and community below it."""
    own = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    out = [(own.code, own.name)] if own is not None else []
    return out + [c for c in region_filter_choices(user) if c[0]]


class TargetSearchForm(forms.Form):
    region = forms.ChoiceField(label=_("区划"), required=False)
    kpi = forms.ChoiceField(label=_("指标"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    history = forms.BooleanField(label=_("含已修订的旧版本"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部"))] + own_and_below(user)
        self.fields["kpi"].choices = kpi_choices()

    def search(self, *, limit: int) -> queries.TargetSearch:
        d = self.cleaned_data
        return queries.TargetSearch(region_code=d["region"], kpi=d["kpi"], year=d["year"], history=bool(d["history"]),
                                    sort=d["sort"] or "region", limit=limit, offset=d["offset"] or 0)


class TargetForm(ServiceErrorsMixin, forms.Form):
    kpi = forms.ChoiceField(label=_("指标"))
    region = forms.ChoiceField(label=_("区划"))
    plan = forms.CharField(label=_("规划/计划"), max_length=128, help_text=_("如“新城区2026年就业目标任务”"))
    basis = forms.CharField(label=_("依据"), max_length=255, required=False, help_text=_("文号及条款"))
    start_year = forms.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("终止年度"), min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label=_("目标口径"), choices=TargetScope.choices,
                              help_text=_("年度：当年数；累计：规划期各年合计（原文〔〕或[]）；期末水平：比率、上限、存量"))
    nature = forms.ChoiceField(label=_("指标属性"), choices=TargetNature.choices, initial=TargetNature.EXPECTED)
    comparator = forms.ChoiceField(label=_("比较方式"), choices=[("", _("按目标值原文或指标方向"))] + COMPARATORS,
                                   required=False)
    value_text = forms.CharField(label=_("目标值"), max_length=32,
                                 help_text=_("照原文填写：15360、[60]、≥90、＜5.5；单位同指标目录"))
    baseline_year = forms.IntegerField(label=_("基期年度"), required=False, min_value=1980, max_value=2100)
    baseline_text = forms.CharField(label=_("基期值"), max_length=32, required=False,
                                    help_text=_("照原文填写：3.64、—、≈6、≥90、>97"))
    note = forms.CharField(label=_("备注"), max_length=255, required=False)
    error_aliases = {"value": "value_text"}

    def __init__(self, *args, user, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = kpi_choices(blank="——")
        self.fields["region"].choices = [("", "——")] + own_and_below(user)
        if fixed:  # a replacement keeps its KPI and region
            for name in ("kpi", "region"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["value"] = None
        return d


class ReplaceForm(TargetForm):
    reason = forms.CharField(label=_("修订原因"), max_length=255)


class BreakdownForm(ServiceErrorsMixin, forms.Form):
    """One value per child region of the target's region."""
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    def __init__(self, *args, target, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.children = children
        for region in children:
            self.fields[f"value_{region.code}"] = forms.CharField(label=region.name, max_length=24, required=False)

    def values(self) -> dict[str, str]:
        return {r.code: self.cleaned_data.get(f"value_{r.code}") or "" for r in self.children
                if (self.cleaned_data.get(f"value_{r.code}") or "").strip()}

    def add_service_error(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class TargetPeriodForm(forms.Form):
    period = PeriodField(label=_("统计期"), required=False, max_length=16, help_text=_("2026、2026-Q3 或 2026-11"))


class InputSearchForm(forms.Form):
    region = forms.ChoiceField(label=_("区划"), required=False)
    kpi = forms.ChoiceField(label=_("指标"), required=False)
    period = PeriodField(label=_("统计期"), required=False, max_length=16)
    history = forms.BooleanField(label=_("含已更正的旧版本"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部"))] + own_and_below(user)
        self.fields["kpi"].choices = kpi_choices(inputs_only=True)

    def search(self, *, limit: int) -> queries.InputSearch:
        d = self.cleaned_data
        return queries.InputSearch(region_code=d["region"], kpi=d["kpi"], period=d["period"].code if d["period"] else "",
                                   history=bool(d["history"]), sort=d["sort"] or "-period", limit=limit,
                                   offset=d["offset"] or 0)


class InputValueForm(ServiceErrorsMixin, forms.Form):
    kpi = forms.ChoiceField(label=_("指标"))
    region = forms.ChoiceField(label=_("区划"))
    period = forms.CharField(label=_("统计期"), max_length=16, help_text=_("2026、2026-Q3 或 2026-11"))
    value = forms.CharField(label=_("数值"), max_length=24, help_text=_("单位同指标目录；百分数填 91.5 即 91.5%"))
    source = forms.CharField(label=_("数据来源"), max_length=128, help_text=_("如“市教育局”"))
    note = forms.CharField(label=_("备注（更正原因）"), max_length=255, required=False,
                           help_text=_("该期已录入时保存为新版本，旧版本保留"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = kpi_choices(inputs_only=True, blank="——")
        self.fields["region"].choices = [("", "——")] + own_and_below(user)
