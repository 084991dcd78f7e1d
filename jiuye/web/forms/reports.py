"""Forms of the reports pages: the kept reports' filter, a new report (kind, region, period, format) and a
new schedule."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.reports.models import ReportFormat, ReportKind, ReportSchedule, RunStatus
from jiuye.web.forms.common import ServiceErrorsMixin, region_choices, region_filter_choices, sort_field

BLANK = [("", _("全部"))]
PERIOD_HELP = _("周报：如 2026-W48（第48周）或该周内的任一日期；月度分析和统计报表：如 2026-06；年度、中期评估：如 2025")


class RunSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), required=False, choices=BLANK + list(ReportKind.choices))
    region = forms.ChoiceField(label=_("区划"), required=False)
    period = forms.CharField(label=_("统计期"), required=False, max_length=10)
    format = forms.ChoiceField(label=_("格式"), required=False, choices=BLANK + list(ReportFormat.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(RunStatus.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int):
        from jiuye.reports.queries import RunSearch

        d = self.cleaned_data
        return RunSearch(kind=d["kind"], region_code=d["region"], period=d["period"], format=d["format"],
                         status=d["status"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class _RegionMixin:
    def _regions(self, user):
        choices = region_choices(user)
        self.fields["region"].choices = choices
        if not self.is_bound and user.region_id:
            self.initial.setdefault("region", user.region_id)


class ReportForm(_RegionMixin, ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    region = forms.ChoiceField(label=_("区划"))
    period = forms.CharField(label=_("统计期"), max_length=10, help_text=PERIOD_HELP)
    format = forms.ChoiceField(label=_("格式"), choices=ReportFormat.choices, initial=ReportFormat.XLSX)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._regions(user)


class ScheduleForm(_RegionMixin, ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    region = forms.ChoiceField(label=_("区划"))
    format = forms.ChoiceField(label=_("格式"), choices=ReportFormat.choices, initial=ReportFormat.XLSX)
    cadence = forms.ChoiceField(label=_("频次"), required=False,
                                choices=[("", _("按报告类型（周报每周、月报每月、评估每年）"))] + list(ReportSchedule.Cadence.choices))
    next_run_on = forms.DateField(label=_("首次生成日期"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("留空：下周一、下月1日或明年1月1日"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._regions(user)
