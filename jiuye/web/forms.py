"""Workbench forms. They only parse input; every rule is checked by jiuye.registry.services."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from jiuye.accounts.models import AuditEntry
from jiuye.imports import kinds
from jiuye.registry.groups import GROUP_CHOICES
from jiuye.registry.models import (
    ContractType,
    EmploymentForm,
    EmploymentStatus,
    EndingReason,
    HukouType,
    Person,
    Relation,
    UnemploymentReason,
)
from jiuye.registry.services import PERSON_EDITABLE_FIELDS
from jiuye.registry import queries
from jiuye.web import reads

BLANK = [("", _("（全部）"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class ServiceErrorsMixin:
    """Shows a ValidationError raised by a service next to the field it names."""

    error_aliases: dict[str, str] = {}

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = self.error_aliases.get(field, field)
                self.add_error(target if target in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


# ---------------------------------------------------------------------------------------------
# Search and filters


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名/身份证号/电话"), required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、公民身份号码或手机号"), "autofocus": True}))
    region = forms.ChoiceField(label=_("区划"), required=False)
    status = forms.ChoiceField(label=_("就业状态"), required=False, choices=BLANK + list(EmploymentStatus.choices))
    group = forms.ChoiceField(label=_("人员类别"), required=False, choices=BLANK + list(GROUP_CHOICES))
    hukou_type = forms.ChoiceField(label=_("户籍性质"), required=False, choices=BLANK + list(HukouType.choices))
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        indent = {3: "", 4: "\u3000", 5: "\u3000\u3000"}
        self.fields["region"].choices = BLANK + [
            (r.code, f"{indent.get(r.level, '')}{r.name}") for r in reads.regions_for_filter(user)
        ]


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("单位名称或统一社会信用代码"), required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": _("单位名称或统一社会信用代码"), "autofocus": True}))
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("户编号"), required=False, max_length=32)
    zero_employment = forms.BooleanField(label=_("仅零就业家庭"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class StatusOnForm(forms.Form):
    on = _date_field(_("查询日期"))


class AuditFilterForm(forms.Form):
    operator = forms.CharField(label=_("操作人账号"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False, choices=BLANK + [
        ("person", _("人员")), ("household", _("家庭户")), ("employer", _("用人单位")), ("user", _("用户")),
        ("import_batch", _("导入批次")),
    ])
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=BLANK + list(AuditEntry.Action.choices))
    date_from = _date_field(_("起始日期"), required=False)
    date_to = _date_field(_("截止日期"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期早于起始日期"))
        return data


# ---------------------------------------------------------------------------------------------
# Registrations


class EmployerChoiceMixin(forms.Form):
    """An employer given by its credit code or picked from the employers within the user's region."""

    employer_credit_code = forms.CharField(label=_("就业单位统一社会信用代码"), required=False, max_length=24)
    employer = forms.TypedChoiceField(label=_("或选择本辖区单位"), required=False, coerce=int, empty_value=None)

    def setup_employers(self, user):
        self.fields["employer"].choices = [("", "——")] + [
            (e.pk, f"{e.name}（{e.credit_code}）") for e in reads.employers_for_pick(user)
        ]

    def clean(self):
        data = super().clean()
        code = (data.get("employer_credit_code") or "").strip()
        data["employer_obj"] = None
        if code:
            employer = queries.employer_for_registration(code)
            if employer is None:
                self.add_error("employer_credit_code", _("未找到统一社会信用代码为%(c)s的单位，请先登记该单位") % {"c": code})
            else:
                data["employer_obj"] = employer
        elif data.get("employer"):
            data["employer_obj"] = reads.visible_employer(self.user, data["employer"])
        return data


class EmploymentRegistrationForm(ServiceErrorsMixin, EmployerChoiceMixin):
    effective_date = _date_field(_("就业日期"))
    employment_form = forms.ChoiceField(label=_("就业形式"), required=False, choices=[("", "——")] + list(EmploymentForm.choices))
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=[("", "——")] + list(ContractType.choices))
    contract_months = forms.IntegerField(label=_("合同期限（月）"), required=False, min_value=1, max_value=600)
    social_insurance = forms.NullBooleanField(label=_("缴纳社会保险"), required=False)
    occupation = forms.CharField(label=_("工种/岗位"), required=False, max_length=64)

    field_order = ["effective_date", "employment_form", "employer_credit_code", "employer", "contract_type",
                   "contract_months", "social_insurance", "occupation"]
    error_aliases = {"corrects": "__all__"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_employers(user)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "effective_date": d["effective_date"], "employment_form": d["employment_form"], "employer": d["employer_obj"],
            "contract_type": d["contract_type"], "contract_months": d["contract_months"],
            "social_insurance": d["social_insurance"], "occupation": d["occupation"].strip(),
        }


class UnemploymentRegistrationForm(ServiceErrorsMixin, forms.Form):
    effective_date = _date_field(_("失业登记日期"))
    unemployment_reason = forms.ChoiceField(label=_("失业原因"), required=False,
                                            choices=[("", "——")] + list(UnemploymentReason.choices))

    def service_kwargs(self) -> dict:
        return {"effective_date": self.cleaned_data["effective_date"],
                "unemployment_reason": self.cleaned_data["unemployment_reason"]}


class EndStatusForm(ServiceErrorsMixin, forms.Form):
    effective_date = _date_field(_("终止日期"))
    ending_reason = forms.ChoiceField(label=_("终止原因"), required=False, choices=[("", "——")] + list(EndingReason.choices))

    def service_kwargs(self) -> dict:
        return {"effective_date": self.cleaned_data["effective_date"], "ending_reason": self.cleaned_data["ending_reason"]}


class CorrectionForm(ServiceErrorsMixin, EmployerChoiceMixin):
    """Void an entry, or replace it with a corrected copy of the same kind."""

    MODE_VOID = "void"
    MODE_CORRECT = "correct"
    mode = forms.ChoiceField(label=_("处理方式"), widget=forms.RadioSelect, choices=[
        (MODE_CORRECT, _("更正（以更正后的内容替换原登记）")), (MODE_VOID, _("作废（原登记不应存在）")),
    ])
    reason = forms.CharField(label=_("更正/作废原因"), max_length=255, widget=forms.TextInput(attrs={"size": 60}))
    effective_date = _date_field(_("生效日期"), required=False)
    employment_form = forms.ChoiceField(label=_("就业形式"), required=False, choices=[("", "——")] + list(EmploymentForm.choices))
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=[("", "——")] + list(ContractType.choices))
    contract_months = forms.IntegerField(label=_("合同期限（月）"), required=False, min_value=1, max_value=600)
    social_insurance = forms.NullBooleanField(label=_("缴纳社会保险"), required=False)
    occupation = forms.CharField(label=_("工种/岗位"), required=False, max_length=64)
    unemployment_reason = forms.ChoiceField(label=_("失业原因"), required=False,
                                            choices=[("", "——")] + list(UnemploymentReason.choices))
    ending_reason = forms.ChoiceField(label=_("终止原因"), required=False, choices=[("", "——")] + list(EndingReason.choices))

    field_order = ["mode", "reason", "effective_date", "employment_form", "employer_credit_code", "employer",
                   "contract_type", "contract_months", "social_insurance", "occupation", "unemployment_reason",
                   "ending_reason"]
    KIND_FIELDS = {
        "employment": ["employment_form", "employer_credit_code", "employer", "contract_type", "contract_months",
                       "social_insurance", "occupation"],
        "unemployment": ["unemployment_reason"],
        "ending": ["ending_reason"],
    }
    error_aliases = {"corrects": "__all__"}

    def __init__(self, *args, user, registration, **kwargs):
        self.registration = registration
        r = registration
        initial = {
            "mode": self.MODE_CORRECT, "effective_date": r.effective_date, "employment_form": r.employment_form,
            "contract_type": r.contract_type, "contract_months": r.contract_months, "social_insurance": r.social_insurance,
            "occupation": r.occupation, "unemployment_reason": r.unemployment_reason, "ending_reason": r.ending_reason,
            "employer_credit_code": r.employer.credit_code if r.employer_id else "",
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.user = user
        keep = {"mode", "reason", "effective_date", *self.KIND_FIELDS.get(r.kind, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "employer" in self.fields:
            self.setup_employers(user)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("请填写更正或作废的原因"))
        return reason

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_CORRECT and not data.get("effective_date"):
            self.add_error("effective_date", _("请填写生效日期"))
        return data

    @property
    def voiding(self) -> bool:
        return self.cleaned_data.get("mode") == self.MODE_VOID

    def replacement(self) -> dict:
        d = self.cleaned_data
        out = {"effective_date": d["effective_date"]}
        for name in self.KIND_FIELDS.get(self.registration.kind, []):
            if name == "employer_credit_code":
                continue
            if name == "employer":
                out["employer"] = d.get("employer_obj")
            else:
                out[name] = d.get(name)
        if "occupation" in out:
            out["occupation"] = (out["occupation"] or "").strip()
        return out


# ---------------------------------------------------------------------------------------------
# Persons


_SPLIT = re.compile(r"[,，、;；\s]+")


class ListField(forms.CharField):
    """A list of short texts typed as one line, separated by 、 or commas."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "、".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [part for part in _SPLIT.split(text or "") if part]


PERSON_FORM_FIELDS = [f for f in PERSON_EDITABLE_FIELDS if f not in {"skills", "certificates", "region", "female_retirement_base"}]


class PersonForm(ServiceErrorsMixin, forms.Form):
    """Create (with the identity number) or edit a person's record."""

    SECTIONS = [
        (_("基本信息"), ["id_number", "name", "ethnicity", "phone", "hukou_type", "hukou_place", "region", "address"]),
        (_("教育"), ["education", "graduation_date", "school_type", "school_name", "major"]),
        (_("特殊身份"), ["is_veteran", "veteran_kind", "has_disability", "disability_grade", "is_dibao", "poverty_status",
                      "is_land_lost_farmer", "is_released_or_rehabilitated", "female_retirement_base"]),
        (_("就业能力与意愿"), ["able_to_work", "willing_to_work", "skills", "certificates", "preferred_occupation",
                         "preferred_industry", "preferred_wage_min", "preferred_work_place"]),
    ]

    id_number = forms.CharField(label=_("公民身份号码"), max_length=24)
    region = forms.ChoiceField(label=_("居住社区"))
    female_retirement_base = forms.TypedChoiceField(
        label=_("女性原法定退休年龄"), required=False, coerce=int, empty_value=None,
        choices=[("", _("按辖区规则默认")), (50, _("50周岁（工人）")), (55, _("55周岁（干部）"))],
    )
    skills = ListField(label=_("技能特长"), required=False, help_text=_("多项用“、”分隔"))
    certificates = ListField(label=_("职业资格/技能等级证书"), required=False, help_text=_("多项用“、”分隔"))

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        self.person = person
        if person is not None:
            initial = {f: getattr(person, f) for f in PERSON_EDITABLE_FIELDS if f != "region"}
            initial["region"] = person.region_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(Person, fields=PERSON_FORM_FIELDS,
                                        widgets={"graduation_date": DateInput()})
        for name, field in model_fields.items():
            choices = getattr(field, "choices", None)
            if choices and list(choices)[0][0] == "":
                field.choices = [("", "——")] + list(choices)[1:]
            self.fields[name] = field
        self.fields["graduation_date"].widget = DateInput()
        communities = reads.communities_in_scope(user)
        choices = [("", "——")] + [(r.code, f"{r.parent.name if r.parent_id else ''} {r.name}".strip()) for r in communities]
        if person is not None and person.region_id not in {c for c, _l in choices}:
            choices.append((person.region_id, person.region.name))
        self.fields["region"].choices = choices
        if person is not None:
            del self.fields["id_number"]
        order = [name for _title, names in self.SECTIONS for name in names if name in self.fields]
        self.order_fields(order)

    def sections(self):
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.SECTIONS]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------------------------
# Households


class AddMemberForm(ServiceErrorsMixin, forms.Form):
    id_number = forms.CharField(label=_("成员公民身份号码"), max_length=24)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    joined_on = _date_field(_("加入日期"), required=False)
    move = forms.BooleanField(label=_("已属其他户的，从原户迁入本户"), required=False)

    error_aliases = {"person": "id_number"}
    prefix = "add"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        person = reads.visible_person_by_id_number(self.user, self.cleaned_data["id_number"])
        if person is None:
            raise ValidationError(_("未找到该公民身份号码的人员，或该人员不在您的管辖范围内"))
        self.person = person
        return person.id_number


class RemoveMemberForm(ServiceErrorsMixin, forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    left_on = _date_field(_("离开日期"), required=False)

    prefix = "remove"
    error_aliases = {"person": "__all__"}


# ---------------------------------------------------------------------------------------------
# Imports


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=kinds.choices)
    file = forms.FileField(label=_("文件（Excel 或 CSV）"))
    dry_run = forms.BooleanField(label=_("仅校验，不写入"), required=False, initial=True)

    ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise ValidationError(_("只能导入 .xlsx、.xls 或 .csv 文件"))
        return upload

