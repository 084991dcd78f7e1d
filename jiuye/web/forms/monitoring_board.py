"""Forms of the warning board: the list's filter and the handling steps (认领, 处置记录, 办结)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.monitoring.models import WarningKind, WarningLevel
from jiuye.monitoring.queries import warnings as queries
from jiuye.web.forms.common import DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

BLANK = [("", _("全部"))]
STATUS_CHOICES = [(queries.ACTIVE, _("未办结")), ("open", _("待认领")), ("acknowledged", _("处置中")),
                  ("closed", _("已办结")), ("all", _("全部"))]


class WarningSearchForm(DateRangeMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    kind = forms.ChoiceField(label=_("预警类型"), required=False, choices=BLANK + list(WarningKind.choices))
    level = forms.ChoiceField(label=_("预警等级"), required=False,
                              choices=BLANK + list(reversed(WarningLevel.choices)))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("起始日期自"), required=False)
    date_to = date_field(_("起始日期至"), required=False)
    text = forms.CharField(label=_("预警事项/单位"), required=False, max_length=64)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.WarningSearch:
        d = self.cleaned_data
        return queries.WarningSearch(kind=d["kind"], level=d["level"], status=d["status"] or queries.ACTIVE,
                                     region_code=d["region"], date_from=d["date_from"], date_to=d["date_to"],
                                     text=d["text"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class AcknowledgeForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("认领说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("处置记录"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("已采取的措施：约谈企业、指导依法裁员、岗位对接、失业保险等"))


class CloseForm(ServiceErrorsMixin, forms.Form):
    response = forms.CharField(label=_("处置措施（办结必填）"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("按规模性裁员应急预案写明采取的处置措施和结果"))


# ---------------------------------------------------------------------------------------------
# Rural labour transfer (农村劳动力转移就业)

from jiuye.monitoring.queries import rural as rural_queries  # noqa: E402

MEASURE_CHOICES = [(k, v) for k, v in rural_queries.MEASURES.items()]
SCOPE_CHOICES = BLANK + [(k, v) for k, v in rural_queries.SCOPE_LABELS.items()]


class RuralForm(forms.Form):
    period = forms.CharField(label=_("统计期"), required=False, max_length=16,
                             help_text=_("如 2026-10（月）、2026Q3（季度）、2026（年）；默认上一个完整月份"))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self) -> rural_queries.RuralSearch:
        return rural_queries.RuralSearch(period=self.cleaned_data["period"], region_code=self.cleaned_data["region"])


class RuralPersonForm(forms.Form):
    period = forms.CharField(label=_("统计期"), required=False, max_length=16)
    measure = forms.ChoiceField(label=_("口径"), required=False, choices=MEASURE_CHOICES)
    region = forms.CharField(label=_("登记地区划代码"), required=False, max_length=12)
    scope = forms.ChoiceField(label=_("转移范围"), required=False, choices=SCOPE_CHOICES)
    origin = forms.CharField(label=_("户籍地县级代码"), required=False, max_length=6)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def search(self, *, limit: int) -> rural_queries.RuralPersonSearch:
        d = self.cleaned_data
        return rural_queries.RuralPersonSearch(period=d["period"], measure=d["measure"] or rural_queries.NEW,
                                               region_code=d["region"], scope=d["scope"], origin=d["origin"],
                                               sort=d["sort"], limit=limit, offset=d["offset"] or 0)
