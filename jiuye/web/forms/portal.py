"""Portal wing forms: a resident's online self-registration (网上自助) and the worker's rejection."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries
from jiuye.registry.models import ContractType, EmploymentForm, PendingRegistration, UnemploymentReason
from jiuye.web.forms.common import (
    BLANK,
    DateRangeMixin,
    ServiceErrorsMixin,
    date_field,
    region_filter_choices,
    sort_field,
)

ALL = "all"  # the status filter's "every status" (no status in the query string means 待社区确认)
_SELF_STATUSES = [PendingRegistration.Status.WAITING_CONFIRMATION, PendingRegistration.Status.APPLIED,
                  PendingRegistration.Status.REJECTED, PendingRegistration.Status.WITHDRAWN]


class SelfRegistrationSearchForm(DateRangeMixin, forms.Form):
    """The 网上自助登记 list's filter: status (待社区确认 by default), kind, street or community, the
    submission date range, the sort."""

    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[(s.value, s.label) for s in _SELF_STATUSES] + [(ALL, _("全部"))])
    kind = forms.ChoiceField(label=_("登记类型"), required=False, choices=BLANK + list(PendingRegistration.Kind.choices))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("提交日期起"), required=False)
    date_to = date_field(_("提交日期止"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.SelfRegistrationSearch:
        d = self.cleaned_data
        status = d["status"] or PendingRegistration.Status.WAITING_CONFIRMATION
        return queries.SelfRegistrationSearch(status="" if status == ALL else status, kind=d["kind"],
                                              region_code=d["region"], date_from=d["date_from"],
                                              date_to=d["date_to"], sort=d["sort"], limit=limit,
                                              offset=d["offset"] or 0)


def _employer(form, field: str, code: str):
    code = (code or "").strip()
    if not code:
        return None
    employer = queries.employer_for_registration(code)
    if employer is None:
        form.add_error(field, _("未找到统一社会信用代码为%(c)s的单位；请核对代码，或不填单位由社区工作人员补充") % {"c": code})
    return employer


class SelfUnemploymentForm(ServiceErrorsMixin, forms.Form):
    effective_date = date_field(_("失业日期"), help_text=_("不能晚于今天"))
    unemployment_reason = forms.ChoiceField(label=_("失业原因"), choices=[("", "——")] + list(UnemploymentReason.choices))
    former_employer_credit_code = forms.CharField(
        label=_("失业前单位统一社会信用代码"), required=False, max_length=24, help_text=_("选填"))
    error_aliases = {"former_employer": "former_employer_credit_code", "confirm": "__all__"}

    def clean(self):
        data = super().clean()
        data["former_employer_obj"] = _employer(self, "former_employer_credit_code",
                                                data.get("former_employer_credit_code"))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"kind": "unemployment", "effective_date": d["effective_date"],
                "unemployment_reason": d["unemployment_reason"], "former_employer": d["former_employer_obj"]}


class SelfEmploymentForm(ServiceErrorsMixin, forms.Form):
    effective_date = date_field(_("就业日期"), help_text=_("不能晚于今天"))
    employment_form = forms.ChoiceField(label=_("就业形式"), choices=[("", "——")] + list(EmploymentForm.choices))
    employer_credit_code = forms.CharField(label=_("就业单位统一社会信用代码"), required=False, max_length=24,
                                           help_text=_("单位就业、公益性岗位须填写；灵活就业、个体经营等可不填"))
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=[("", "——")] + list(ContractType.choices))
    contract_start = date_field(_("合同起始日期"), required=False)
    contract_end = date_field(_("合同终止日期"), required=False, help_text=_("合同的最后一天；固定期限合同必填"))
    occupation = forms.CharField(label=_("工种/岗位"), required=False, max_length=64)
    error_aliases = {"employer": "employer_credit_code"}

    def clean(self):
        data = super().clean()
        data["employer_obj"] = _employer(self, "employer_credit_code", data.get("employer_credit_code"))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"kind": "employment", "effective_date": d["effective_date"], "employment_form": d["employment_form"],
                "employer": d["employer_obj"], "contract_type": d["contract_type"],
                "contract_start": d["contract_start"], "contract_end": d["contract_end"],
                "occupation": (d["occupation"] or "").strip()}


class RejectForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("不予确认的原因"), max_length=255,
                             help_text=_("居民可看到此原因"), widget=forms.TextInput())
