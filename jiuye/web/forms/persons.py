"""Persons wing forms: search, the status-on-date picker, person records, registrations, corrections."""
from __future__ import annotations

import re

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.apitypes import MAX_OFFSET
from jiuye.registry import queries
from jiuye.registry.identity import IdentityError, parse_credit_code, parse_resident_id
from jiuye.registry.groups import GROUP_CHOICES
from jiuye.registry.models import (
    ContractType,
    EmploymentForm,
    EmploymentStatus,
    EndingReason,
    HukouType,
    Person,
    UnemploymentReason,
)
from jiuye.registry.services import PERSON_EDITABLE_FIELDS, person_field_errors
from jiuye.web.forms.common import (
    BLANK,
    DateInput,
    ServiceErrorsMixin,
    community_choices,
    date_field,
    phone_field,
    preselect_single,
    region_filter_choices,
    sort_field,
)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名/身份证号/电话"), required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、公民身份号码或手机号"), "autofocus": True}))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    # "none" holds the never registered and those whose status ended with no status of its own
    status = forms.ChoiceField(label=_("就业状态"), required=False, choices=BLANK + [
        (value, _("未登记或已终止") if value == EmploymentStatus.NONE else label) for value, label in EmploymentStatus.choices])
    group = forms.ChoiceField(label=_("人员类别"), required=False, choices=BLANK + list(GROUP_CHOICES))
    hukou_type = forms.ChoiceField(label=_("户籍性质"), required=False, choices=BLANK + list(HukouType.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.PersonSearch:
        d = self.cleaned_data
        return queries.PersonSearch(text=d["q"], region_code=d["region"], status=d["status"], group=d["group"],
                                    hukou_type=d["hukou_type"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class StatusOnForm(forms.Form):
    on = date_field(_("查询日期"))


# ---------------------------------------------------------------------------------------------
# Registrations


def employer_by_credit_code(user, code: str):
    """(employer, None) for a registered credit code, else (None, message): the code's own mistake
    (length, illegal character, expected check character; ``identity.parse_credit_code``), or, for a
    valid code no employer has, "未登记" with a link to register it when ``user`` may."""
    try:
        code = parse_credit_code(code)
    except IdentityError as exc:
        return None, str(exc)
    employer = queries.employer_for_registration(code)
    if employer is not None:
        return employer, None
    if roles.can_write_registry(user):
        return None, format_html(
            _("统一社会信用代码{}的单位未登记。<a href=\"{}\">登记该单位</a>后再办理"),
            code, reverse("web:employer_create") + "?" + urlencode({"credit_code": code}))
    return None, _("统一社会信用代码%(c)s的单位未登记，请联系社区或街道先登记该单位") % {"c": code}


class EmployerChoiceMixin(forms.Form):
    """An employer given by its credit code or picked from the employers within the user's region."""

    employer_credit_code = forms.CharField(label=_("就业单位统一社会信用代码"), required=False, max_length=24)
    employer = forms.TypedChoiceField(label=_("或选择本辖区单位"), required=False, coerce=int, empty_value=None)

    def setup_employers(self, user):
        self.fields["employer"].choices = [("", "——")] + [
            (e.pk, f"{e.name}（{e.credit_code}）") for e in queries.employers_for_pick(user)
        ]

    def clean(self):
        data = super().clean()
        code = (data.get("employer_credit_code") or "").strip()
        data["employer_obj"] = None
        if code:
            employer, message = employer_by_credit_code(self.user, code)
            if message:
                self.add_error("employer_credit_code", message)
            data["employer_obj"] = employer
        elif data.get("employer"):
            data["employer_obj"] = queries.visible_employer(self.user, data["employer"])
        return data


class EmploymentRegistrationForm(ServiceErrorsMixin, EmployerChoiceMixin):
    effective_date = date_field(_("就业日期"))
    employment_form = forms.ChoiceField(label=_("就业形式"), error_messages={"required": _("请填写就业形式")}, choices=[("", "——")] + list(EmploymentForm.choices))
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=[("", "——")] + list(ContractType.choices))
    contract_start = date_field(_("合同起始日期"), required=False)
    contract_end = date_field(_("合同终止日期"), required=False, help_text=_("合同的最后一天；固定期限合同必填"))
    contract_months = forms.IntegerField(label=_("合同期限（月）"), required=False, min_value=0, max_value=600,
                                         help_text=_("填写合同起止日期时由系统计算，可不填"))
    social_insurance = forms.NullBooleanField(label=_("缴纳社会保险"), required=False)
    occupation = forms.CharField(label=_("工种/岗位"), required=False, max_length=64)

    field_order = ["effective_date", "employment_form", "employer_credit_code", "employer", "contract_type",
                   "contract_start", "contract_end", "contract_months", "social_insurance", "occupation"]
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
            "contract_start": d["contract_start"], "contract_end": d["contract_end"],
            "social_insurance": d["social_insurance"], "occupation": d["occupation"].strip(),
        }


class UnemploymentRegistrationForm(ServiceErrorsMixin, forms.Form):
    effective_date = date_field(_("失业登记日期"))
    unemployment_reason = forms.ChoiceField(label=_("失业原因"), error_messages={"required": _("请填写失业原因")}, choices=[("", "——")] + list(UnemploymentReason.choices))
    former_employer_credit_code = forms.CharField(label=_("失业前单位统一社会信用代码"), required=False, max_length=24,
                                                  help_text=_("选填：失业前工作单位，须为已登记的单位"))
    confirm = forms.BooleanField(label=_("已核实，确认办理失业登记"), required=False)
    error_aliases = {"former_employer": "former_employer_credit_code"}

    def __init__(self, *args, person: Person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        marks = [str(label) for flag, label in ((person.able_to_work, _("无劳动能力")),
                                                 (person.willing_to_work, _("无就业意愿"))) if not flag]
        if marks:
            # The service asks for the confirmation (services._confirmations); the form shows why.
            self.warning = _("注意：本人档案记为%(m)s。请核实本人情况，确需办理失业登记请勾选确认。") % {"m": "、".join(marks)}
            self.fields["confirm"].help_text = self.warning
        else:
            self.warning = ""
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        code = (data.get("former_employer_credit_code") or "").strip()
        data["former_employer_obj"] = None
        if code:
            employer, message = employer_by_credit_code(self.user, code)
            if message:
                self.add_error("former_employer_credit_code", message)
            data["former_employer_obj"] = employer
        return data

    def service_kwargs(self) -> dict:
        return {"effective_date": self.cleaned_data["effective_date"],
                "unemployment_reason": self.cleaned_data["unemployment_reason"],
                "former_employer": self.cleaned_data["former_employer_obj"],
                "confirm": bool(self.cleaned_data.get("confirm"))}


class EndStatusForm(ServiceErrorsMixin, forms.Form):
    effective_date = date_field(_("终止日期"))
    ending_reason = forms.ChoiceField(label=_("终止原因"), error_messages={"required": _("请填写终止原因")}, choices=[("", "——")] + list(EndingReason.choices))

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
    # Required for a correction (the entry's values are prefilled); a void ignores them (clean).
    effective_date = date_field(_("生效日期"))
    employment_form = forms.ChoiceField(label=_("就业形式"), error_messages={"required": _("请填写就业形式")}, choices=[("", "——")] + list(EmploymentForm.choices))
    contract_type = forms.ChoiceField(label=_("劳动合同类型"), required=False, choices=[("", "——")] + list(ContractType.choices))
    contract_start = date_field(_("合同起始日期"), required=False)
    contract_end = date_field(_("合同终止日期"), required=False, help_text=_("合同的最后一天；固定期限合同必填"))
    contract_months = forms.IntegerField(label=_("合同期限（月）"), required=False, min_value=0, max_value=600,
                                         help_text=_("填写合同起止日期时由系统计算，可不填"))
    social_insurance = forms.NullBooleanField(label=_("缴纳社会保险"), required=False)
    occupation = forms.CharField(label=_("工种/岗位"), required=False, max_length=64)
    unemployment_reason = forms.ChoiceField(label=_("失业原因"), error_messages={"required": _("请填写失业原因")}, choices=[("", "——")] + list(UnemploymentReason.choices))
    ending_reason = forms.ChoiceField(label=_("终止原因"), error_messages={"required": _("请填写终止原因")}, choices=[("", "——")] + list(EndingReason.choices))
    VOID_IGNORES = ("effective_date", "employment_form", "unemployment_reason", "ending_reason")

    field_order = ["mode", "reason", "effective_date", "employment_form", "employer_credit_code", "employer",
                   "contract_type", "contract_start", "contract_end", "contract_months", "social_insurance",
                   "occupation", "unemployment_reason", "ending_reason"]
    KIND_FIELDS = {
        "employment": ["employment_form", "employer_credit_code", "employer", "contract_type", "contract_start",
                       "contract_end", "contract_months", "social_insurance", "occupation"],
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
            "contract_start": r.contract_start, "contract_end": r.contract_end,
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
        if data.get("mode") == self.MODE_VOID:
            for name in self.VOID_IGNORES:  # a void keeps the entry as it is
                self._errors.pop(name, None)
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
        r = self.registration
        if "contract_months" in out and (out["contract_start"], out["contract_end"]) != (r.contract_start, r.contract_end) \
                and out["contract_months"] == r.contract_months:
            out["contract_months"] = None  # the dates changed and the term was left as it was: derived anew
        return out


# ---------------------------------------------------------------------------------------------
# Person records


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
        self.fields["graduation_date"].help_text = _("尚未毕业的可填一年内的预计毕业时间")
        self.fields["phone"] = phone_field(model_fields["phone"].label)
        if person is not None:  # taken away only through 劳动能力/就业意愿标记 (services.work_flag_lowered_error)
            for flag in ("able_to_work", "willing_to_work"):
                if getattr(person, flag) and flag in self.fields:
                    self.fields[flag].disabled = True
                    self.fields[flag].help_text = _("改为“无”须在“零就业家庭 › 劳动能力/就业意愿标记”中办理（填写原因、上传证明材料）")
        choices = community_choices(user)
        if person is not None and person.region_id not in {c for c, _l in choices}:
            choices.append((person.region_id, person.region.name))
        self.fields["region"].choices = choices
        preselect_single(self, "region")
        if person is not None:
            del self.fields["id_number"]
        order = [name for _title, names in self.SECTIONS for name in names if name in self.fields]
        self.order_fields(order)

    def sections(self):
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.SECTIONS]

    def clean_id_number(self):
        # At once, whatever else is missing: the number's own mistake (length, characters, birth date,
        # check character) and a number already registered.
        try:
            ident = parse_resident_id(self.cleaned_data["id_number"])
        except IdentityError as exc:
            raise ValidationError(str(exc)) from None
        if Person.objects.filter(id_number=ident.number).exists():
            raise ValidationError(_("公民身份号码%(n)s已登记") % {"n": ident.number})
        self.birth_date = ident.birth_date
        return ident.number

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        birth = self.person.birth_date if self.person is not None else getattr(self, "birth_date", None)
        # The services' field rules (graduation date), shown with the form's own errors in one submit.
        errors = person_field_errors({k: v for k, v in data.items() if k == "graduation_date"}, birth_date=birth)
        for name, messages in errors.items():
            if name in self.fields and name not in self._errors:
                self.add_error(name, messages)
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
