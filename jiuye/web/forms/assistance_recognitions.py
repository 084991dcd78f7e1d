"""Forms of hard-to-employ recognition (就业困难人员认定): the list's filter, 申请认定, evidence upload,
decision, exit and withdrawal."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.assistance.models import ExitReason, RecognitionOrigin, RecognitionStatus
from jiuye.assistance.queries import recognitions as queries
from jiuye.assistance.services import recognitions as services
from jiuye.web.forms.common import BLANK, DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field


class RecognitionSearchForm(DateRangeMixin, forms.Form):
    """The 就业困难人员认定 list's filter: status, category, origin, street/community, application date range,
    recognised on a date (认定有效日期)."""

    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(RecognitionStatus.choices))
    category = forms.ChoiceField(label=_("认定类别"), required=False,
                                 choices=BLANK + [(c, label) for c, label in services.CATEGORY_LABELS.items()])
    origin = forms.ChoiceField(label=_("来源"), required=False, choices=BLANK + list(RecognitionOrigin.choices))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("申请日期起"), required=False)
    date_to = date_field(_("申请日期止"), required=False)
    recognised_on = date_field(_("认定有效日期"), required=False, help_text=_("只列出该日认定有效的记录"))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.RecognitionSearch:
        d = self.cleaned_data
        return queries.RecognitionSearch(status=d["status"], category=d["category"], origin=d["origin"],
                                         region_code=d["region"], date_from=d["date_from"], date_to=d["date_to"],
                                         recognised_on=d["recognised_on"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _evidence_choices(names) -> list[tuple[str, str]]:
    return [(n, n) for n in names] + [("", _("其他材料"))]


class ApplyForm(ServiceErrorsMixin, forms.Form):
    """申请认定 on the person's behalf: categories (those the registry's facts meet are ticked), the
    application date, the evidence files of one kind (more can be added on the act's page)."""

    categories = forms.MultipleChoiceField(label=_("认定类别"), widget=forms.CheckboxSelectMultiple)
    applied_on = date_field(_("申请日期"))
    note = forms.CharField(label=_("说明"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file_kind = forms.ChoiceField(label=_("材料名称"), required=False)
    files = MultipleFileField(label=_("证明材料"), required=False,
                              help_text=_("可上传PDF、图片、Word、Excel、OFD，每个文件不超过10MB"))

    def __init__(self, *args, enabled: list[str], met: dict[str, str], evidence: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c, f"{services.category_label(c)}（{met[c]}）" if c in met else services.category_label(c)) for c in enabled]
        self.fields["file_kind"].choices = _evidence_choices(evidence)
        if not self.is_bound:
            self.initial.setdefault("categories", [c for c in enabled if c in met])
            self.initial.setdefault("applied_on", timezone.localdate())

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"categories": d["categories"], "applied_on": d["applied_on"], "note": d["note"],
                "files": d["files"], "file_kind": d["file_kind"]}


class UploadForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料名称"), required=False)
    files = MultipleFileField(label=_("证明材料"), help_text=_("可上传PDF、图片、Word、Excel、OFD，每个文件不超过10MB"))

    def __init__(self, *args, evidence: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _evidence_choices(evidence)


class DecideForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("认定结论"), choices=[("recognised", _("认定为就业困难人员")),
                                                            ("rejected", _("不予认定"))], widget=forms.RadioSelect)
    valid_from = date_field(_("认定生效日期"), required=False, help_text=_("默认今天"))
    note = forms.CharField(label=_("认定意见"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("不予认定时必填"))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"recognised": d["decision"] == "recognised", "valid_from": d["valid_from"], "note": d["note"]}


class ExitForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("退出原因"), choices=[("", "——")] + list(ExitReason.choices))
    on = date_field(_("退出日期"))
    note = forms.CharField(label=_("退出说明"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("原因为“其他”时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"reason": d["reason"], "on": d["on"], "note": d["note"]}


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("撤销原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))
