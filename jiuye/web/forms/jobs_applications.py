"""Forms of applications: the pipeline's filter, recommend/apply posts, the next steps, the hire."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.jobs.models import ApplicationOrigin, ApplicationStatus
from jiuye.jobs.queries import applications as queries
from jiuye.registry.models import ContractType, EmploymentForm
from jiuye.web.forms.common import BLANK, DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

STATUS_CHOICES = BLANK + [("live", _("进行中"))] + list(ApplicationStatus.choices)


class ApplicationSearchForm(DateRangeMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    origin = forms.ChoiceField(label=_("来源"), required=False, choices=BLANK + list(ApplicationOrigin.choices))
    vacancy = forms.IntegerField(label=_("岗位编号"), required=False, min_value=1, max_value=MAX_OFFSET)
    event = forms.IntegerField(label=_("招聘活动编号"), required=False, min_value=1, max_value=MAX_OFFSET)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("创建日期起"), required=False)
    date_to = date_field(_("创建日期止"), required=False)
    priority = forms.BooleanField(label=_("只看优先人员"), required=False)
    text = forms.CharField(label=_("姓名/岗位名称"), required=False, max_length=64)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_filter_choices(user) if getattr(user, "region_id", None) else BLANK
        self.fields["region"].choices = choices

    def search(self, *, limit: int) -> queries.ApplicationSearch:
        d = self.cleaned_data
        return queries.ApplicationSearch(status=d["status"], origin=d["origin"], vacancy_id=d["vacancy"],
                                         event_id=d["event"], region_code=d["region"], date_from=d["date_from"],
                                         date_to=d["date_to"], priority=bool(d["priority"]), text=d["text"],
                                         sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class RecommendForm(ServiceErrorsMixin, forms.Form):
    vacancy = forms.IntegerField(min_value=1, max_value=MAX_OFFSET)
    person = forms.IntegerField(min_value=1, max_value=MAX_OFFSET)
    score = forms.FloatField(required=False, min_value=0, max_value=1000)
    next = forms.CharField(required=False, max_length=300)


class ApplyForm(ServiceErrorsMixin, forms.Form):
    vacancy = forms.IntegerField(min_value=1, max_value=MAX_OFFSET)
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET)
    event = forms.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET)  # applied at a recruitment event
    next = forms.CharField(required=False, max_length=300)


class StepForm(ServiceErrorsMixin, forms.Form):
    """apply / offer / decline / reject / withdraw: an optional note."""
    note = forms.CharField(label=_("说明"), required=False, max_length=255)


class InterviewForm(ServiceErrorsMixin, forms.Form):
    interview_at = forms.DateTimeField(label=_("面试时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("说明"), required=False, max_length=255)


YES_NO = [("", _("未填写")), ("yes", _("是")), ("no", _("否"))]


class HireForm(ServiceErrorsMixin, forms.Form):
    start_date = date_field(_("入职日期"))
    employment_form = forms.ChoiceField(label=_("就业形式"), choices=EmploymentForm.choices, initial=EmploymentForm.UNIT)
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=BLANK + list(ContractType.choices))
    contract_start = date_field(_("合同起始日期"), required=False)
    contract_end = date_field(_("合同终止日期"), required=False)
    contract_months = forms.IntegerField(label=_("合同期限（月）"), required=False, min_value=1, max_value=600)
    social_insurance = forms.ChoiceField(label=_("缴纳社会保险"), required=False, choices=YES_NO)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["social_insurance"] = {"yes": True, "no": False}.get(d.get("social_insurance") or "")
        return d
