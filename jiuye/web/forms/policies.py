"""Forms of the policies wing (issue 9, screening part): the catalogue's filter, loading a pack, the
explanation form, starting a screening run, and the filters of the runs and results lists."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.policies.models import Beneficiary, RunStatus
from jiuye.policies.queries import catalogue
from jiuye.policies.queries import screening as queries
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

CATALOGUE_SORTS = {"code": "code", "name": "name", "kind": "kind", "beneficiary": "beneficiary_code", "period": "period_from"}


def _policy_choices():
    return [(r["code"], f"{r['code']} {r['name']}") for r in catalogue.catalogue()]


class CatalogueForm(forms.Form):
    pack = forms.ChoiceField(label=_("政策包"), required=False)
    kind = forms.ChoiceField(label=_("补贴种类"), required=False)
    beneficiary = forms.ChoiceField(label=_("受益对象"), required=False, choices=BLANK + list(Beneficiary.choices))
    q = forms.CharField(label=_("名称或编号"), required=False, max_length=64)
    in_force_on = date_field(_("有效日期"), required=False, help_text=_("只列出该日在实施期限内的政策"))
    sort = sort_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = BLANK + [(e["pack"].code, f"{e['pack'].code} {e['pack'].title}") for e in catalogue.packs()]
        self.fields["kind"].choices = BLANK + [(k, k) for k in catalogue.kinds()]

    def search(self) -> catalogue.CatalogueSearch:
        d = self.cleaned_data
        return catalogue.CatalogueSearch(pack=d["pack"], kind=d["kind"], beneficiary=d["beneficiary"], text=d["q"].strip(),
                                         in_force_on=d["in_force_on"])


class PackUploadForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("政策包文件（.yaml）"))
    note = forms.CharField(label=_("版本说明"), required=False, max_length=255)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("政策包文件不能超过2MB"))
        try:
            return f.name, f.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("政策包文件须为UTF-8编码的文本（YAML）")) from None


class ExplainForm(forms.Form):
    policy = forms.ChoiceField(label=_("政策"))
    id_number = forms.CharField(label=_("公民身份号码"), required=False, max_length=32)
    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=32,
                                  help_text=_("单位享受的补贴（如招用某人）：两者都填"))
    as_of = date_field(_("判定日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", "——")] + _policy_choices()
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())

    def clean(self):
        d = super().clean()
        if not (d.get("id_number") or "").strip() and not (d.get("credit_code") or "").strip():
            self.add_error("id_number", _("请填写公民身份号码或统一社会信用代码"))
        return d


class StartRunForm(ServiceErrorsMixin, forms.Form):
    as_of = date_field(_("筛查日期"))
    codes = forms.MultipleChoiceField(label=_("政策（不选则为全部在实施的政策）"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    error_aliases = {"codes": "codes", "as_of": "as_of"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = _policy_choices()
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())


class RunSearchForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(RunStatus.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def search(self, *, limit: int) -> queries.RunSearch:
        d = self.cleaned_data
        return queries.RunSearch(status=d["status"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class ResultSearchForm(forms.Form):
    policy = forms.ChoiceField(label=_("政策"), required=False)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    claimed = forms.ChoiceField(label=_("申领情况"), required=False,
                                choices=BLANK + [("no", _("未申领")), ("yes", _("已申领"))])
    beneficiary = forms.ChoiceField(label=_("受益对象"), required=False,
                                    choices=BLANK + [("person", _("个人")), ("employer", _("单位"))])
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, policies: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)
        self.fields["policy"].choices = BLANK + [(p["code"], f"{p['code']} {p['name']}") for p in policies]

    def search(self, *, limit: int) -> queries.ResultSearch:
        d = self.cleaned_data
        return queries.ResultSearch(policy=d["policy"], region_code=d["region"], claimed=d["claimed"],
                                    beneficiary=d["beneficiary"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)
