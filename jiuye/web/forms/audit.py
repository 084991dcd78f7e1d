"""Audit wing forms."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.queries import AuditSearch
from jiuye.web.forms.common import BLANK, DateRangeMixin, date_field, sort_field


FIXED_OBJECT_TYPES = [
    ("person", _("人员")), ("registration", _("登记（就业、失业登记及更正）")), ("household", _("家庭户")), ("employer", _("用人单位")), ("user", _("用户")),
    ("import_batch", _("导入批次")), ("import_alert", _("导入告警（管辖范围外记录过多）")), ("api_token", _("接口令牌")),
    ("audit", _("审计日志导出")),
    ("recognition", _("就业困难人员认定")), ("case", _("援助个案")), ("capacity_mark", _("劳动能力/就业意愿标记")),
    ("welfare_post", _("公益性岗位")), ("welfare_placement", _("公益性岗位安置")),
    ("relocation_community", _("易地搬迁安置社区")), ("calendar_year", _("节假日安排")),
]


def object_type_choices(object_types: dict) -> list:
    """The fixed list, then every other object type the audit log's page knows (``object_types``: apps add
    theirs to ``views.audit.OBJECT_TYPES``, which passes them to the form)."""
    known = {code for code, _label in FIXED_OBJECT_TYPES}
    return BLANK + FIXED_OBJECT_TYPES + [(code, label) for code, label in object_types.items() if code not in known]


class AuditFilterForm(DateRangeMixin, forms.Form):
    operator = forms.CharField(label=_("操作人账号"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False, choices=BLANK + FIXED_OBJECT_TYPES)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=BLANK + list(AuditEntry.Action.choices))
    date_from = date_field(_("起始日期"), required=False)
    date_to = date_field(_("截止日期"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, object_types: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if object_types:
            self.fields["object_type"].choices = object_type_choices(object_types)

    def search(self, *, limit: int) -> AuditSearch:
        d = self.cleaned_data
        return AuditSearch(actor=d["operator"], object_type=d["object_type"], object_id=d["object_id"],
                           action=d["action"], date_from=d["date_from"], date_to=d["date_to"],
                           sort=d["sort"] or "-at", limit=limit,
                           offset=d["offset"] or 0)
