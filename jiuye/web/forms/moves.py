"""Forms of the 就业创业证 (reissue) and of 迁入/迁出 (request, decision). Issue 7, H2."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.registry import certificates, transfers
from jiuye.web.forms.common import ServiceErrorsMixin


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
