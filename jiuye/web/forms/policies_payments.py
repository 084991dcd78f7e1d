"""Forms of the payments wing (issue 9): the ledger's filter, budgets (filter, create, edit), payment
batches (filter, create, the bank's return file) and a batch's items filter."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.policies.models import BatchStatus, EntryKind, ItemStatus
from jiuye.policies.queries import ledger as queries
from jiuye.web.forms.common import BLANK, DateRangeMixin, ServiceErrorsMixin, date_field, region_choices, region_filter_choices, sort_field

YEARS = (2000, 2100)


def _policy_choices(user, *, all_label=None):
    first = [("", all_label or _("（全部）"))]
    return first + [(c, c) for c in queries.policy_codes(user)]


class EntrySearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("申领编号/姓名/单位"), required=False, max_length=64)
    policy = forms.ChoiceField(label=_("政策"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=BLANK + list(EntryKind.choices))
    year = forms.IntegerField(label=_("预算年度"), required=False, min_value=YEARS[0], max_value=YEARS[1])
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("记账日期起"), required=False)
    date_to = date_field(_("记账日期止"), required=False)
    claim = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    batch = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = _policy_choices(user)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.EntrySearch:
        d = self.cleaned_data
        return queries.EntrySearch(text=d["q"], policy_code=d["policy"], kind=d["kind"], year=d["year"],
                                   region_code=d["region"], date_from=d["date_from"], date_to=d["date_to"],
                                   claim_id=d["claim"], batch_id=d["batch"], sort=d["sort"], limit=limit,
                                   offset=d["offset"] or 0)


class BudgetSearchForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=YEARS[0], max_value=YEARS[1])
    policy = forms.ChoiceField(label=_("政策"), required=False)
    region = forms.ChoiceField(label=_("区划"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = _policy_choices(user) + [("*", _("全部政策（区划总预算）"))]
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.BudgetSearch:
        d = self.cleaned_data
        return queries.BudgetSearch(year=d["year"], policy_code=d["policy"], region_code=d["region"], sort=d["sort"],
                                    limit=limit, offset=d["offset"] or 0)


def _all_policy_codes():
    from jiuye.policies.models import Policy

    return sorted(set(Policy.objects.values_list("code", flat=True)))


class BudgetForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=YEARS[0], max_value=YEARS[1])
    region = forms.ChoiceField(label=_("区划"))
    policy_code = forms.ChoiceField(label=_("政策"), required=False)
    amount = forms.DecimalField(label=_("预算金额（元）"), min_value=0, max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, budget=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget
        if budget is not None:
            for name in ("year", "region", "policy_code"):
                del self.fields[name]
            if not self.is_bound:
                self.initial.update(amount=budget.amount, note=budget.note)
        else:
            self.fields["region"].choices = region_choices(user)
            self.fields["policy_code"].choices = [("", _("全部政策（区划总预算）"))] + [(c, c) for c in _all_policy_codes()]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        if self.budget is not None:
            return {"amount": d["amount"], "note": d["note"]}
        return {"year": d["year"], "region": d["region"], "policy_code": d["policy_code"], "amount": d["amount"],
                "note": d["note"]}


class BatchSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("批次号"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(BatchStatus.choices))
    region = forms.ChoiceField(label=_("发放单位"), required=False)
    date_from = date_field(_("创建日期起"), required=False)
    date_to = date_field(_("创建日期止"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.BatchSearch:
        d = self.cleaned_data
        return queries.BatchSearch(text=d["q"], status=d["status"], region_code=d["region"], date_from=d["date_from"],
                                   date_to=d["date_to"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class BatchCreateForm(ServiceErrorsMixin, forms.Form):
    region = forms.ChoiceField(label=_("发放范围"), required=False,
                               help_text=_("不选则为本辖区全部已核准待发放的申领"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("申领编号/户名"), required=False, max_length=64)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(ItemStatus.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def search(self, *, limit: int) -> queries.ItemSearch:
        d = self.cleaned_data
        return queries.ItemSearch(text=d["q"], status=d["status"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class ReturnFileForm(forms.Form):
    file = forms.FileField(label=_("银行回盘文件"), help_text=_("CSV，默认表头：明细编号,账号,户名,金额,结果,银行流水号,说明（UTF-8或GBK）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("回盘文件超过20MB"))
        return f
