"""Forms of the 就业创业证 (reissue) and of 迁入/迁出 (request, decision). Issue 7, H2."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import certificates, transfers
from jiuye.registry.models import TransferStatus
from jiuye.web.forms.common import DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field


ALL = "all"  # the status filter's "every status" (no status in the query string means the default)


class TransferSearchForm(DateRangeMixin, forms.Form):
    """The 人员迁移 list's filter: the direction (the tabs; 迁入 by default), status (待接收 by default),
    the street or community on the user's side, the request date range, the sort."""

    tab = forms.ChoiceField(label=_("方向"), required=False, choices=[("incoming", _("迁入")), ("outgoing", _("迁出"))],
                            widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=list(TransferStatus.choices) + [(ALL, _("全部"))])
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("申请日期起"), required=False)
    date_to = date_field(_("申请日期止"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    @property
    def direction(self) -> str:
        value = self.cleaned_data.get("tab") if self.is_valid() else self.data.get("tab")
        return value if value in transfers.DIRECTIONS else "incoming"

    def search(self, *, limit: int) -> transfers.TransferSearch:
        d = self.cleaned_data
        status = d["status"] or TransferStatus.PENDING
        return transfers.TransferSearch(direction=self.direction, status="" if status == ALL else status,
                                        region_code=d["region"], date_from=d["date_from"], date_to=d["date_to"],
                                        sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class ReissueForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("补发/换发原因"), choices=[("", "——")] + certificates.REISSUE_REASONS)
    note = forms.CharField(label=_("说明"), max_length=255, required=False,
                           help_text=_("原因为“其他”时必填"))

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"], "note": self.cleaned_data["note"]}


class TransferRequestForm(ServiceErrorsMixin, forms.Form):
    to_region = forms.ChoiceField(label=_("迁入社区/村"))
    reason = forms.CharField(label=_("迁移原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_region"].choices = [("", "——")] + [
            (r.code, f"{r.parent.name if r.parent_id else ''} {r.name}".strip())
            for r in transfers.target_choices(user) if r.code != person.region_id
        ]

    def service_kwargs(self) -> dict:
        return {"to_region": self.cleaned_data["to_region"], "reason": self.cleaned_data["reason"]}


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("接收")), ("reject", _("退回")), ("cancel", _("撤回"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=_("处理意见"), max_length=255, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_("退回时必填"))
    error_aliases = {"decision_note": "note", "status": "note"}
