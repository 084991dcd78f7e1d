"""Forms of the case workbench (援助个案): the list's filter, a service, reassignment, the overview's dates."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.assistance.models import CaseKind, CaseStatus, CloseKind, ServiceKind
from jiuye.assistance.queries import cases as queries
from jiuye.web.forms.common import ServiceErrorsMixin, date_field, region_filter_choices, sort_field

STATUS_CHOICES = [(queries.ACTIVE, _("援助中及跟踪回访")), *CaseStatus.choices, (queries.ALL, _("全部"))]
ESCALATION_CHOICES = [("", _("全部")), ("street", _("街道督办")), ("district", _("区县督办"))]


class CaseSearchForm(forms.Form):
    """The 援助个案 list's filter (the same ``CaseSearch`` as the API's)."""

    q = forms.CharField(label=_("姓名或户编号"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("援助类型"), required=False, choices=[("", _("全部")), *CaseKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
    escalation = forms.ChoiceField(label=_("督办层级"), required=False, choices=ESCALATION_CHOICES)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    mine = forms.BooleanField(label=_("仅看我负责的"), required=False)
    opened_from = date_field(_("立案日期起"), required=False)
    opened_to = date_field(_("立案日期止"), required=False)
    close_kind = forms.ChoiceField(label=_("结案方式"), required=False, choices=[("", _("全部")), *CloseKind.choices])
    closed_from = date_field(_("结案日期起"), required=False)
    closed_to = date_field(_("结案日期止"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def clean(self):
        data = super().clean()
        for start, end in (("opened_from", "opened_to"), ("closed_from", "closed_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("截止日期早于起始日期"))
        return data

    def search(self, *, limit: int) -> queries.CaseSearch:
        d = self.cleaned_data
        return queries.CaseSearch(kind=d["kind"], status=d["status"] or queries.ACTIVE, overdue=d["overdue"],
                                  escalation=d["escalation"], region_code=d["region"], mine=d["mine"], text=d["q"],
                                  opened_from=d["opened_from"], opened_to=d["opened_to"],
                                  close_kind=d["close_kind"], closed_from=d["closed_from"], closed_to=d["closed_to"],
                                  sort=d["sort"],
                                  limit=limit, offset=d["offset"] or 0)


class ServiceForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("服务内容"), choices=[("", "——"), *ServiceKind.choices])
    served_on = date_field(_("服务日期"))
    person_id = forms.TypedChoiceField(label=_("服务对象"), required=False, coerce=int, empty_value=None)
    outcome = forms.CharField(label=_("服务结果"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = [("", _("（全户）"))] + [(m.person_id, m.name) for m in members]
        if len(members) <= 1:
            self.fields["person_id"].widget = forms.HiddenInput()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "served_on": d["served_on"], "outcome": d["outcome"], "note": d["note"],
                "person_id": d["person_id"]}


class ReassignForm(ServiceErrorsMixin, forms.Form):
    worker_id = forms.TypedChoiceField(label=_("改派给"), coerce=int)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker_id"].choices = [("", "——")] + [(w.pk, str(w)) for w in workers]


class OverviewForm(forms.Form):
    on = date_field(_("统计日期"), required=False)
    period_from = date_field(_("结案统计起始日期"), required=False,
                             help_text=_("默认为统计日期所在年度的1月1日"))

    def clean(self):
        data = super().clean()
        if data.get("on") and data.get("period_from") and data["period_from"] > data["on"]:
            self.add_error("period_from", _("起始日期晚于统计日期"))
        return data
