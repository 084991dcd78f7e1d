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
