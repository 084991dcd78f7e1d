"""Forms of the enterprise sample and its monthly reports (issue 11, part "enterprises"). The rules are the
services' (``monitoring.services.enterprises``, ``monitoring.services.reports``), shown next to the field they
concern; the same report form serves staff and the employer's portal."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.apitypes import MAX_OFFSET
from jiuye.monitoring.models import AdditionReason, ReductionReason, ReductionType
from jiuye.monitoring.periods import PeriodError, month_start, parse_period
from jiuye.monitoring.queries import enterprises as ent_queries
from jiuye.monitoring.queries import job_loss as loss_queries
from jiuye.monitoring.queries import reports as report_queries
from jiuye.monitoring.services.enterprises import REMINDER_CHANNELS
from jiuye.monitoring.services.reports import ReportData
from jiuye.registry.industries import SECTION_NAMES
from jiuye.registry.models import Ownership, SizeClass
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin, phone_field, region_filter_choices, sort_field

SECTION_CHOICES = BLANK + [(k, f"{k} {v[0]}") for k, v in SECTION_NAMES.items()]
STATUS_CHOICES = [("active", _("在监测")), ("left", _("已退出")), ("all", _("全部"))]


def _offset():
    return forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month as "2026-10" (the browser's month input), "2026年10月" or "2026-10-01" → its first day."""

    widget = MonthInput

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value

    def to_python(self, value):
        if hasattr(value, "year"):
            return month_start(value)
        text = str(value or "").strip()[:20]
        if not text:
            return None
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            text = text[:7]
        try:
            period = parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        if period.kind != "month":
            raise forms.ValidationError(_("应为某一个月，如 2026-10"))
        return period.start


def _count(label, required=False):
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=1_000_000)


# ---------------------------------------------------------------------------------------------
# The sample


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label=_("企业名称、信用代码或联系人"), required=False, max_length=64)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    industry = forms.ChoiceField(label=_("行业门类"), required=False, choices=SECTION_CHOICES)
    size_class = forms.ChoiceField(label=_("企业规模"), required=False, choices=BLANK + list(SizeClass.choices))
    ownership = forms.ChoiceField(label=_("经济类型"), required=False, choices=BLANK + list(Ownership.choices))
    status = forms.ChoiceField(label=_("监测状态"), required=False, choices=STATUS_CHOICES)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_monitoring(user) else BLANK

    def search(self, *, limit: int) -> ent_queries.EnterpriseSearch:
        d = self.cleaned_data
        return ent_queries.EnterpriseSearch(text=d["q"], region_code=d["region"], industry=d["industry"],
                                            size_class=d["size_class"], ownership=d["ownership"],
                                            status=d["status"] or "active", sort=d["sort"], limit=limit,
                                            offset=d["offset"] or 0)


class EnrolForm(ServiceErrorsMixin, forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    joined_on = MonthField(label=_("纳入监测月份"))
    contact_name = forms.CharField(label=_("监测联系人"), max_length=64)
    contact_phone = phone_field(_("联系电话"))
    error_aliases = {"employer_id": "credit_code"}


class LeaveForm(ServiceErrorsMixin, forms.Form):
    left_on = MonthField(label=_("退出监测月份（自该月起不再报送）"))
    reason = forms.CharField(label=_("退出原因"), max_length=128)


# ---------------------------------------------------------------------------------------------
# The monthly report (staff and the employer's portal)

ADD_FIELDS = [(k, f"add_{k}") for k in AdditionReason.values]
RED_FIELDS = [(k, f"red_{k}", f"red_{k}_reason") for k in ReductionType.values]
DEFAULT_REASON = {"resigned": "personal", "retired": "retirement", "contract_expired": "contract"}


class ReportForm(ServiceErrorsMixin, forms.Form):
    month = MonthField(label=_("报告月份"))
    start_headcount = _count(_("月初职工人数"), required=True)
    end_headcount = _count(_("月末职工人数"), required=True)
    note = forms.CharField(label=_("备注（月初人数与上月月末不一致时须说明）"), required=False, max_length=255)
    correction_reason = forms.CharField(label=_("更正原因（更正已报送的月份时填写）"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, name in ADD_FIELDS:
            self.fields[name] = _count(_("增加：%s") % AdditionReason(kind).label)
        for kind, name, reason in RED_FIELDS:
            self.fields[name] = _count(_("减少：%s") % ReductionType(kind).label)
            self.fields[reason] = forms.ChoiceField(label=_("%s的原因") % ReductionType(kind).label, required=False,
                                                    choices=[("", "——")] + list(ReductionReason.choices),
                                                    initial=DEFAULT_REASON.get(kind, ""))

    def addition_fields(self):
        return [self[name] for _k, name in ADD_FIELDS]

    def reduction_fields(self):
        return [(self[name], self[reason]) for _k, name, reason in RED_FIELDS]

    def report_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(month=d["month"], start_headcount=d["start_headcount"], end_headcount=d["end_headcount"],
                          additions={k: d[n] for k, n in ADD_FIELDS if d.get(n)},
                          reductions={(k, d.get(r) or ""): d[n] for k, n, r in RED_FIELDS if d.get(n)},
                          note=d["note"], correction_reason=d["correction_reason"])


# ---------------------------------------------------------------------------------------------
# Lists


class ReportSearchForm(forms.Form):
    q = forms.CharField(label=_("企业名称或信用代码"), required=False, max_length=64)
    month_from = MonthField(label=_("月份从"), required=False)
    month_to = MonthField(label=_("月份至"), required=False)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    industry = forms.ChoiceField(label=_("行业门类"), required=False, choices=SECTION_CHOICES)
    size_class = forms.ChoiceField(label=_("企业规模"), required=False, choices=BLANK + list(SizeClass.choices))
    ownership = forms.ChoiceField(label=_("经济类型"), required=False, choices=BLANK + list(Ownership.choices))
    enterprise = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)
    layoffs_only = forms.BooleanField(label=_("只看有裁员的"), required=False)
    reductions_only = forms.BooleanField(label=_("只看有减员的"), required=False)
    all_versions = forms.BooleanField(label=_("含更正前的版本"), required=False)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_monitoring(user) else BLANK

    def clean(self):
        data = super().clean()
        if data.get("month_from") and data.get("month_to") and data["month_from"] > data["month_to"]:
            self.add_error("month_to", _("截止月份早于起始月份"))
        return data

    def search(self, *, limit: int) -> report_queries.ReportSearch:
        d = self.cleaned_data
        return report_queries.ReportSearch(
            text=d["q"], enterprise_id=d["enterprise"], month_from=d["month_from"], month_to=d["month_to"],
            region_code=d["region"], industry=d["industry"], size_class=d["size_class"], ownership=d["ownership"],
            layoffs_only=d["layoffs_only"], reductions_only=d["reductions_only"], all_versions=d["all_versions"],
            sort=d["sort"], limit=limit, offset=d["offset"] or 0)


DUE_CHOICES = [("", _("缺报和迟报")), ("missing", _("缺报")), ("late", _("迟报")), ("pending", _("未到截止日")),
               ("on_time", _("按时报送")), ("all", _("全部"))]


class DueSearchForm(forms.Form):
    month = MonthField(label=_("报告月份"), required=False)
    status = forms.ChoiceField(label=_("报送情况"), required=False, choices=DUE_CHOICES)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    q = forms.CharField(label=_("企业名称或联系人"), required=False, max_length=64)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_monitoring(user) else BLANK

    def chosen_month(self):
        return (self.cleaned_data.get("month") if self.is_valid() else None) or report_queries.default_due_month()

    def search(self, *, limit: int) -> report_queries.DueSearch:
        d = self.cleaned_data
        return report_queries.DueSearch(month=d["month"] or report_queries.default_due_month(), status=d["status"],
                                        region_code=d["region"], text=d["q"], sort=d["sort"], limit=limit,
                                        offset=d["offset"] or 0)


class ReminderForm(ServiceErrorsMixin, forms.Form):
    month = MonthField(label=_("催报月份"), widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("催报方式"), choices=list(REMINDER_CHANNELS.items()))
    note = forms.CharField(label=_("催报情况"), required=False, max_length=255)


class LossForm(forms.Form):
    month_from = MonthField(label=_("月份从"), required=False)
    month_to = MonthField(label=_("月份至"), required=False)
    by = forms.ChoiceField(label=_("分组"), required=False, choices=[(k, v) for k, v in loss_queries.BY.items()])
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    industry = forms.ChoiceField(label=_("行业门类"), required=False, choices=SECTION_CHOICES)
    size_class = forms.ChoiceField(label=_("企业规模"), required=False, choices=BLANK + list(SizeClass.choices))
    ownership = forms.ChoiceField(label=_("经济类型"), required=False, choices=BLANK + list(Ownership.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_monitoring(user) else BLANK

    def clean(self):
        data = super().clean()
        if data.get("month_from") and data.get("month_to") and data["month_from"] > data["month_to"]:
            self.add_error("month_to", _("截止月份早于起始月份"))
        return data

    def search(self) -> loss_queries.LossSearch:
        from dateutil.relativedelta import relativedelta

        d = self.cleaned_data
        last = d.get("month_to") or report_queries.default_due_month()
        first = d.get("month_from") or month_start(last) - relativedelta(months=11)
        return loss_queries.LossSearch(month_from=first, month_to=last, by=d.get("by") or "industry",
                                       region_code=d.get("region") or "", industry=d.get("industry") or "",
                                       size_class=d.get("size_class") or "", ownership=d.get("ownership") or "")
