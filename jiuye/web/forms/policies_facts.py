"""Forms of the policy facts wing (补贴依据数据): the list filters and the create and correction forms of
each kind. Persons are named by identity number and employers by credit code (looked up within the
user's scope; a platform or internship unit anywhere, by its public code); the rules are the services'
(``policies.services.facts``), shown next to the field they concern."""
from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.policies.models import AccountKind, LoanStatus
from jiuye.policies.queries import facts as queries
from jiuye.policies.services import facts as services
from jiuye.registry import queries as registry_queries
from jiuye.web.forms.common import BLANK, DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

PERSON_KINDS = ("benefit_periods", "online_shops", "internships", "trainings")
LOAN_PART_KINDS = ("loan_repayments", "loan_interest")


# ---------------------------------------------------------------------------------------------
# List filters


class FactSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("姓名、身份证号或信用代码"), required=False, max_length=64)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("日期从"), required=False)
    date_to = date_field(_("日期至"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["region"].choices = region_filter_choices(user)
        label = services.KINDS[kind].model._meta.get_field(queries._DATE_FIELDS[kind]).verbose_name
        self.fields["date_from"].label = _("%(l)s从") % {"l": label}
        self.fields["date_to"].label = _("%(l)s至") % {"l": label}
        extra = EXTRA_FILTERS.get(kind)
        if extra:
            name, field = extra
            self.fields[name] = field()

    def search(self, *, limit: int) -> queries.FactSearch:
        d = self.cleaned_data
        s = queries.SEARCHES[self.kind](text=d["q"], region_code=d["region"], date_from=d["date_from"],
                                        date_to=d["date_to"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)
        extra = EXTRA_FILTERS.get(self.kind)
        if extra:
            name = extra[0]
            value = d.get(name)
            if name == "months":
                value = None if value in (None, "") else int(value)
            elif name == "year":
                value = value or None
            setattr(s, name, value)
        return s


EXTRA_FILTERS = {
    "benefit_periods": ("months", lambda: forms.IntegerField(label=_("应领月数"), required=False, min_value=0,
                                                            max_value=services.MAX_BENEFIT_MONTHS)),
    "insurance_years": ("year", lambda: forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)),
    "loans": ("status", lambda: forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(LoanStatus.choices))),
    "loan_repayments": ("late", lambda: forms.BooleanField(label=_("只看逾期"), required=False)),
    "internships": ("retained", lambda: forms.BooleanField(label=_("只看留用"), required=False)),
    "trainings": ("completed", lambda: forms.BooleanField(label=_("只看已结业"), required=False)),
    "payment_accounts": ("current", lambda: forms.BooleanField(label=_("只看当前有效"), required=False)),
}


# ---------------------------------------------------------------------------------------------
# Create and correct


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.DateField):
        return date_field(field.verbose_name, required=not field.blank)
    if isinstance(field, models.CharField) and field.choices:
        return forms.ChoiceField(label=field.verbose_name, required=not field.blank,
                                 choices=([("", "——")] if field.blank else []) + list(field.choices))
    formfield = field.formfield(**kwargs)
    if isinstance(field, models.DecimalField):
        formfield.min_value = None  # the services say "不能为负数" with the field's name
    return formfield


def _model_fields(kind: str, names) -> dict:
    model = services.KINDS[kind].model
    out = {}
    for name in names:
        formfield = _formfield(model._meta.get_field(name))
        if formfield is not None:
            out[name] = formfield
    if "ends_on" in out and kind == "benefit_periods":
        out["ends_on"].required = False
        out["ends_on"].help_text = _("不填则按领取起始日期和应领月数计算（0个月：同起始日期）")
    if "note" in out:
        out["note"].required = False
    return out


class FactForm(ServiceErrorsMixin, forms.Form):
    """Create (``fact`` None) or correct a fact of ``kind``."""

    error_aliases = {"person": "id_number", "borrower_person": "id_number", "employer": "credit_code",
                     "borrower_employer": "credit_code", "loan": "loan_contract", "platform": "platform_code",
                     "unit": "unit_code"}

    def __init__(self, *args, user, kind: str, fact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.kind, self.fact = user, kind, fact
        k = services.KINDS[kind]
        names = [n for n in k.fields if n not in ("platform", "unit")]
        if fact is not None and kind == "payment_accounts":
            names = [n for n in names if n not in ("kind", "valid_from")]
        if fact is None and kind == "payment_accounts":
            names = [n for n in names if n != "valid_until"]
        owner_fields = {}
        if fact is None:
            if kind in PERSON_KINDS:
                owner_fields["id_number"] = forms.CharField(label=_("公民身份号码"), max_length=18)
            if kind in ("loans", "payment_accounts"):
                owner_fields["id_number"] = forms.CharField(label=_("公民身份号码（个人）"), max_length=18, required=False)
                owner_fields["credit_code"] = forms.CharField(label=_("统一社会信用代码（单位）"), max_length=18, required=False)
            if kind == "insurance_years":
                owner_fields["credit_code"] = forms.CharField(label=_("统一社会信用代码"), max_length=18)
            if kind in LOAN_PART_KINDS:
                owner_fields["loan_contract"] = forms.CharField(label=_("借款合同编号"), max_length=64)
                owner_fields["loan_lender"] = forms.CharField(label=_("经办银行"), max_length=64, required=False,
                                                              help_text=_("同一合同编号有多家银行时填写"))
        if kind == "online_shops":
            owner_fields["platform_code"] = forms.CharField(label=_("电商平台/创业服务机构统一社会信用代码"), max_length=18)
        if kind == "internships":
            owner_fields["unit_code"] = forms.CharField(label=_("见习单位统一社会信用代码"), max_length=18)
        for name, field in owner_fields.items():
            self.fields[name] = field
        for name, field in _model_fields(kind, names).items():
            self.fields[name] = field
        if fact is not None:
            self.fields["reason"] = forms.CharField(label=_("更正原因"), max_length=200)
            if not self.is_bound:
                for name in names:
                    self.initial[name] = getattr(fact, name)
                if kind == "online_shops":
                    self.initial["platform_code"] = fact.platform.credit_code
                if kind == "internships":
                    self.initial["unit_code"] = fact.unit.credit_code
        if "kind" in self.fields:
            self.fields["kind"].required = False
            self.fields["kind"].help_text = _("不填则按所属人员（社保卡）或单位（银行账户）")
            self.fields["kind"].choices = [("", "——")] + list(AccountKind.choices)

    def _person(self, name: str):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        person = registry_queries.visible_person_by_id_number(self.user, value)
        if person is None:
            self.add_error(name, _("没有该公民身份号码的人员档案，或不在您的管辖范围内"))
        return person

    def _employer(self, name: str, *, scoped: bool = True):
        value = "".join((self.cleaned_data.get(name) or "").split()).upper()
        if not value:
            return None
        if scoped:
            employer = registry_queries.visible_employer_by_credit_code(self.user, value)
        else:
            employer = registry_queries.employer_for_registration(value)
        if employer is None:
            self.add_error(name, _("没有该统一社会信用代码的用人单位，或不在您的管辖范围内"))
        return employer

    def clean(self):
        data = super().clean()
        owners: dict = {}
        kind = self.kind
        if self.fact is None:
            if kind in PERSON_KINDS:
                owners["person"] = self._person("id_number")
            if kind == "insurance_years":
                owners["employer"] = self._employer("credit_code")
            if kind in ("loans", "payment_accounts"):
                person, employer = self._person("id_number"), self._employer("credit_code")
                if not data.get("id_number") and not data.get("credit_code"):
                    self.add_error("id_number", _("请填写公民身份号码或统一社会信用代码（二者选一）"))
                owners.update({"borrower_person": person, "borrower_employer": employer} if kind == "loans"
                              else {"person": person, "employer": employer})
            if kind in LOAN_PART_KINDS and data.get("loan_contract"):
                loans = queries.facts_visible_to("loans", self.user).filter(contract_number=data["loan_contract"].strip())
                if data.get("loan_lender"):
                    loans = loans.filter(lender=data["loan_lender"].strip())
                found = list(loans[:2])
                if not found:
                    self.add_error("loan_contract", _("没有该借款合同的创业担保贷款，或不在您的管辖范围内"))
                elif len(found) > 1:
                    self.add_error("loan_lender", _("该合同编号有多笔贷款，请填写经办银行"))
                else:
                    owners["loan"] = found[0]
        if kind == "online_shops":
            owners["platform"] = self._employer("platform_code", scoped=False)
        if kind == "internships":
            owners["unit"] = self._employer("unit_code", scoped=False)
        self.owners = owners
        return data

    def values(self) -> dict:
        d = {name: value for name, value in self.cleaned_data.items()
             if name in services.KINDS[self.kind].fields}
        if "kind" in d and not d["kind"]:
            d.pop("kind")
        return {**d, **self.owners}
