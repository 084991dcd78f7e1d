"""Forms of the public-welfare posts wing (公益性岗位): catalogue filter and edit, placements filter,
placement, exit, attendance, payroll."""
from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.assistance.models import PlacementExit, PlacementStatus, PostCategory, PostStatus
from jiuye.assistance.queries import posts as queries
from jiuye.registry import queries as registry_queries
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

ALL = "all"


def employer_choices(user) -> list[tuple[str, str]]:
    return [("", "——")] + [(str(e.pk), e.name) for e in registry_queries.employers_for_pick(user)]


def _place_choices(user) -> list[tuple[str, str]]:
    """Streets and communities of the user's scope (a post's place), the user's own node first when it is one."""
    from jiuye.web.forms.common import region_choices

    return [(code, label) for code, label in region_choices(user) if code == "" or len(code.rstrip("0")) > 6]


class PostSearchForm(forms.Form):
    q = forms.CharField(label=_("岗位或单位"), required=False, max_length=64)
    category = forms.ChoiceField(label=_("岗位类别"), required=False, choices=BLANK + list(PostCategory.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(PostStatus.choices))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    vacant = forms.BooleanField(label=_("只看有空缺"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.PostSearch:
        d = self.cleaned_data
        return queries.PostSearch(text=d["q"], category=d["category"], status=d["status"], region_code=d["region"],
                                  vacant=d["vacant"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class PostForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("岗位名称"), max_length=64)
    category = forms.ChoiceField(label=_("岗位类别"), choices=[("", "——")] + list(PostCategory.choices))
    employer = forms.ChoiceField(label=_("用人单位"))
    region = forms.ChoiceField(label=_("工作地点（街道或社区）"))
    openings = forms.IntegerField(label=_("岗位数"), min_value=1, max_value=10_000)
    monthly_subsidy = forms.DecimalField(label=_("月补贴标准（元）"), required=False, min_value=0, max_digits=9,
                                         decimal_places=2, help_text=_("不填则按本辖区该类岗位的补贴标准"))
    starts_on = date_field(_("开发日期"))
    ends_on = date_field(_("截止日期"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=PostStatus.choices, initial=PostStatus.OPEN)
    duties = forms.CharField(label=_("岗位职责"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = employer_choices(user)
        self.fields["region"].choices = _place_choices(user)
        if post is not None:
            if str(post.employer_id) not in {c for c, _l in self.fields["employer"].choices}:
                self.fields["employer"].choices.append((str(post.employer_id), post.employer.name))
            if not self.is_bound:
                for name in self.fields:
                    value = getattr(post, f"{name}_id" if name in ("employer", "region") else name)
                    self.initial[name] = value
        else:
            del self.fields["status"]

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["employer"] = int(d["employer"])
        return d


class PlacementSearchForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=list(PlacementStatus.choices) + [(ALL, _("全部"))])
    category = forms.ChoiceField(label=_("岗位类别"), required=False, choices=BLANK + list(PostCategory.choices))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    ending = forms.BooleanField(label=_("即将期满"), required=False)
    post = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, warning_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)
        self.warning_days = warning_days
        self.fields["ending"].label = _("即将期满（%(n)d天内）") % {"n": warning_days}

    def search(self, *, limit: int) -> queries.PlacementSearch:
        d = self.cleaned_data
        status = d["status"] or PlacementStatus.ACTIVE
        return queries.PlacementSearch(post_id=d["post"], status="" if status == ALL else status, category=d["category"],
                                       region_code=d["region"], ending_within=self.warning_days if d["ending"] else None,
                                       sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class CandidateSearchForm(forms.Form):
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    replaces = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.CandidateSearch:
        d = self.cleaned_data
        return queries.CandidateSearch(region_code=d["region"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class PlaceForm(ServiceErrorsMixin, forms.Form):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18)
    started_on = date_field(_("上岗日期"), initial=datetime.date.today)
    planned_end_on = date_field(_("计划期满日期"), required=False, help_text=_("不填则按安置期限自动计算"))
    note = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    error_aliases = {"person": "id_number", "post": None, "effective_date": "started_on",
                     "contract_end": "planned_end_on"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        person = registry_queries.visible_person_by_id_number(self.user, self.cleaned_data["id_number"])
        if person is None:
            raise ValidationError(_("在您的管辖范围内没有该公民身份号码的人员档案"))
        self.person = person
        return self.cleaned_data["id_number"]


class ExitForm(ServiceErrorsMixin, forms.Form):
    ended_on = date_field(_("离岗日期"), initial=datetime.date.today)
    reason = forms.ChoiceField(label=_("离岗原因"), choices=[("", "——")] + list(PlacementExit.choices),
                               help_text=_("实现其他就业的，为本人办理新单位的就业登记即自动离岗，无须在此办理"))
    note = forms.CharField(label=_("说明"), required=False, max_length=255)
    error_aliases = {"placement": None}


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthInput(forms.TextInput):
    input_type = "month"


def month_field(label):
    def parse(value):
        m = MONTH.match(value or "")
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
            raise ValidationError(_("月份“%(v)s”无效，应为“年-月”，例如2026-03") % {"v": value})
    return forms.CharField(label=label, max_length=7, validators=[parse], widget=MonthInput())


def month_of(value: str) -> datetime.date:
    y, m = value.split("-")
    return datetime.date(int(y), int(m), 1)


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    month = month_field(_("月份"))
    days_worked = forms.IntegerField(label=_("出勤天数"), min_value=0, max_value=31)
    absent_days = forms.IntegerField(label=_("缺勤天数"), min_value=0, max_value=31, initial=0)
    note = forms.CharField(label=_("备注"), required=False, max_length=255)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"month": month_of(d["month"]), "days_worked": d["days_worked"], "absent_days": d["absent_days"] or 0,
                "note": d["note"]}


class PayrollForm(forms.Form):
    employer = forms.ChoiceField(label=_("用人单位"))
    month = month_field(_("月份"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = employer_choices(user)
