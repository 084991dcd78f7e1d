"""Forms of claims (补贴申领): the list's filter, the worker's lookup and the claim form, review,
objections, approval, publicity (公示)."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.policies import engine
from jiuye.policies.models import ClaimChannel, ClaimStatus, Policy
from jiuye.policies.queries import claims as queries
from jiuye.web.forms.assistance_recognitions import MultipleFileField
from jiuye.web.forms.common import BLANK, DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

STATUS_CHOICES = [("submitted", _("待审核")), ("ready", _("审核通过待公示"))] + [
    (v, label) for v, label in ClaimStatus.choices if v != ClaimStatus.SUBMITTED]


def policy_choices() -> list[tuple[str, str]]:
    """The policies of the current pack versions ("code name")."""
    versions = engine.current_versions()
    return [(p.code, f"{p.name}（{p.code}）")
            for p in Policy.objects.filter(version__in=versions).order_by("code").only("code", "name")]


class ClaimSearchForm(DateRangeMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + STATUS_CHOICES)
    policy = forms.ChoiceField(label=_("政策"), required=False)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("提交日期起"), required=False)
    date_to = date_field(_("提交日期止"), required=False)
    channel = forms.ChoiceField(label=_("申领渠道"), required=False, choices=BLANK + list(ClaimChannel.choices))
    text = forms.CharField(label=_("申领编号/姓名/证件号码"), required=False, max_length=64)
    queue = forms.BooleanField(required=False, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)
        self.fields["policy"].choices = BLANK + policy_choices()

    def search(self, *, limit: int) -> queries.ClaimSearch:
        d = self.cleaned_data
        return queries.ClaimSearch(status=d["status"], policy=d["policy"], region_code=d["region"], date_from=d["date_from"],
                                   date_to=d["date_to"], channel=d["channel"], text=d["text"], queue=bool(d["queue"]),
                                   sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class LookupForm(forms.Form):
    """经办代办: whom the claim is about (an identity number or a credit code) and the policy."""

    policy = forms.ChoiceField(label=_("政策"))
    id_number = forms.CharField(label=_("公民身份号码"), required=False, max_length=18)
    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=18)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", "——")] + policy_choices()

    def clean(self):
        data = super().clean()
        if not (data.get("id_number") or "").strip() and not (data.get("credit_code") or "").strip():
            raise forms.ValidationError(_("请填写公民身份号码或统一社会信用代码"))
        return data


def evidence_field_name(i: int) -> str:
    return f"evidence_{i}"


class ClaimForm(ServiceErrorsMixin, forms.Form):
    """The claim for one entitlement: a file field per evidence item the policy asks for; a worker may
    tick instead that the paper original was checked."""

    policy = forms.CharField(widget=forms.HiddenInput, max_length=64)
    event_type = forms.CharField(widget=forms.HiddenInput, max_length=32)
    event_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("说明"), required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, evidence: list[str], worker: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.evidence = list(evidence)
        self.worker = worker
        for i, name in enumerate(self.evidence):
            self.fields[evidence_field_name(i)] = MultipleFileField(
                label=name, required=False, help_text=_("可上传PDF、图片、Word、Excel、OFD，每个文件不超过10MB"))
            if worker:
                self.fields[f"paper_{i}"] = forms.BooleanField(label=_("已核验纸质原件：%(n)s") % {"n": name}, required=False)

    def evidence_rows(self):
        return [{"file": self[evidence_field_name(i)], "paper": self[f"paper_{i}"] if self.worker else None}
                for i in range(len(self.evidence))]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        files = {name: d.get(evidence_field_name(i)) or [] for i, name in enumerate(self.evidence)}
        paper = [name for i, name in enumerate(self.evidence) if self.worker and d.get(f"paper_{i}")]
        return {"policy_code": d["policy"], "event_type": d["event_type"], "event_id": d["event_id"],
                "evidence_files": {k: v for k, v in files.items() if v}, "paper_checked": paper, "note": d["note"]}


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料名称"))
    files = MultipleFileField(label=_("文件"), help_text=_("可上传PDF、图片、Word、Excel、OFD，每个文件不超过10MB"))

    def __init__(self, *args, evidence: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(n, n) for n in evidence]


class ReviewForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), choices=[("pass", _("审核通过（进入公示）")), ("reject", _("不予核准"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("审核意见"), required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予核准时必填"))


class ObjectionForm(ServiceErrorsMixin, forms.Form):
    raised_by = forms.CharField(label=_("异议人"), max_length=64)
    contact = forms.CharField(label=_("联系方式"), required=False, max_length=32)
    raised_on = date_field(_("提出日期"))
    reason = forms.CharField(label=_("异议内容"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("raised_on", timezone.localdate())


class ResolveForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("dismissed", _("异议不成立（继续公示）")),
                                                            ("upheld", _("异议成立（不予核准）"))], widget=forms.RadioSelect)
    resolution = forms.CharField(label=_("处理说明"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(ServiceErrorsMixin, forms.Form):
    override_reason = forms.CharField(label=_("超预算核准理由"), required=False, max_length=255,
                                      help_text=_("仅在超出预算时填写；只有区县、市人社局工作人员可以批准超预算核准"))


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("撤回说明"), required=False, max_length=255)


class PublishForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=128)
    claims = forms.MultipleChoiceField(label=_("列入公示的申领"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, ready, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].choices = [(str(c.pk), c.number) for c in ready]
        if not self.is_bound:
            self.initial.setdefault("claims", [str(c.pk) for c in ready])
            self.initial.setdefault("title", _("%(y)s年就业补助资金补贴拟核准名单公示") % {"y": timezone.localdate().year})


class PublicitySearchForm(DateRangeMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=BLANK + [("open", _("公示中/待核准")), ("closed", _("已核准结束"))])
    date_from = date_field(_("公示起始日期起"), required=False)
    date_to = date_field(_("公示起始日期止"), required=False)
    text = forms.CharField(label=_("公示编号/标题"), required=False, max_length=64)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def search(self, *, limit: int) -> queries.PublicitySearch:
        d = self.cleaned_data
        return queries.PublicitySearch(state=d["state"], date_from=d["date_from"], date_to=d["date_to"], text=d["text"],
                                       sort=d["sort"], limit=limit, offset=d["offset"] or 0)
