"""Forms of the market wing (issue 10, part "market"): the gig board and its task form, labour sharing, recruitment
events. Persons are named by identity number and employers by credit code, looked up within the user's
scope; the rules are the services' (``jobs.services.gigs``, ``sharing``, ``events``), shown next to the
field they concern."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.apitypes import MAX_OFFSET
from jiuye.jobs.models import EventKind, EventStatus, GigStatus, GigTakeStatus, Occupation, SharingKind, SharingStatus
from jiuye.jobs.queries import events as event_queries
from jiuye.jobs.queries import gigs as gig_queries
from jiuye.jobs.queries import sharing as sharing_queries
from jiuye.registry import queries as registry_queries
from jiuye.web.forms.common import (
    BLANK,
    DateRangeMixin,
    ServiceErrorsMixin,
    date_field,
    phone_field,
    region_choices,
    region_filter_choices,
    sort_field,
)


def _offset():
    return forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _time(label):
    return forms.TimeField(label=label, widget=TimeInput())


def _datetime(label):
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


def _occupation(code: str):
    code = (code or "").strip()
    return Occupation.objects.filter(code=code).first() if code else None


class OccupationMixin:
    def clean_occupation_code(self):
        code = (self.cleaned_data.get("occupation_code") or "").strip()
        if code and _occupation(code) is None:
            raise forms.ValidationError(_("职业代码“%(c)s”不存在（格式如 6-18-02-04）") % {"c": code})
        return code


# ---------------------------------------------------------------------------------------------
# Gigs


class GigSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("任务、单位或地址"), required=False, max_length=64)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(GigStatus.choices))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("工作日期从"), required=False)
    date_to = date_field(_("工作日期至"), required=False)
    mine = forms.BooleanField(label=_("只看我的"), required=False)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_jobs(user) else BLANK

    def search(self, *, limit: int) -> gig_queries.GigSearch:
        d = self.cleaned_data
        return gig_queries.GigSearch(text=d["q"], status=d["status"], region_code=d["region"], date_from=d["date_from"],
                                     date_to=d["date_to"], mine=d["mine"], sort=d["sort"], limit=limit,
                                     offset=d["offset"] or 0)


class GigForm(OccupationMixin, ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("零工任务"), max_length=64)
    work_date = date_field(_("工作日期"))
    start_time = _time(_("开始时间"))
    end_time = _time(_("结束时间"))
    daily_pay = forms.DecimalField(label=_("日薪（元）"), max_digits=8, decimal_places=2)
    headcount = forms.IntegerField(label=_("需要人数"), min_value=1, max_value=500, initial=1)
    region = forms.ChoiceField(label=_("工作地点"))
    address = forms.CharField(label=_("详细地址"), required=False, max_length=255)
    occupation_code = forms.CharField(label=_("职业代码（可选）"), required=False, max_length=10)
    description = forms.CharField(label=_("工作内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    credit_code = forms.CharField(label=_("发布单位统一社会信用代码"), required=False, max_length=18)
    poster_name = forms.CharField(label=_("或：个人发布人姓名"), required=False, max_length=64)
    contact_phone = phone_field(_("联系电话"))
    error_aliases = {"employer": "credit_code"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if roles.can_work_jobs(user):
            self.fields["region"].choices = region_choices(user)
        else:  # an employer user: the regions of the city of its employer
            from jiuye.regions.models import Region

            self.fields["region"].choices = [("", "——")] + [
                (r.code, r.name) for r in Region.objects.filter(level__gte=4).order_by("code")[:2000]]
        if not roles.can_work_jobs(user):
            del self.fields["credit_code"]
            del self.fields["poster_name"]

    def clean(self):
        data = super().clean()
        code = (data.get("credit_code") or "").strip().upper()
        data["employer"] = None
        if code:
            data["employer"] = registry_queries.visible_employer_by_credit_code(self.user, code)
            if data["employer"] is None:
                self.add_error("credit_code", _("用人单位不存在或不在您的管辖范围内"))
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "work_date": d["work_date"], "start_time": d["start_time"], "end_time": d["end_time"],
                "daily_pay": d["daily_pay"], "headcount": d["headcount"], "region": d["region"], "address": d["address"],
                "description": d["description"], "occupation": _occupation(d["occupation_code"]),
                "employer": d.get("employer"), "poster_name": d.get("poster_name", ""),
                "contact_phone": d.get("contact_phone", "")}


class PersonIdForm(ServiceErrorsMixin, forms.Form):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18)
    error_aliases = {"person": "id_number", "task": None, "event": None}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        person = registry_queries.persons_visible_to(self.user).filter(id_number=value).first()
        if person is None:
            raise forms.ValidationError(_("人员不存在或不在您的管辖范围内"))
        self.person = person
        return value


class GigOutcomeForm(ServiceErrorsMixin, forms.Form):
    take = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(label=_("完成情况"), choices=[(GigTakeStatus.DONE, _("已完成")),
                                                          (GigTakeStatus.NO_SHOW, _("未到岗"))])
    paid = forms.DecimalField(label=_("实发报酬（元）"), required=False, max_digits=8, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("备注"), required=False, max_length=255)


# ---------------------------------------------------------------------------------------------
# Labour sharing


class SharingSearchForm(DateRangeMixin, OccupationMixin, forms.Form):
    q = forms.CharField(label=_("岗位或单位"), required=False, max_length=64)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=BLANK + list(SharingKind.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(SharingStatus.choices))
    occupation = forms.CharField(label=_("职业代码或大类"), required=False, max_length=10)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    date_from = date_field(_("期间从"), required=False)
    date_to = date_field(_("期间至"), required=False)
    matchable = forms.BooleanField(label=_("只看可对接"), required=False)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_jobs(user) else BLANK

    def search(self, *, limit: int) -> sharing_queries.SharingSearch:
        d = self.cleaned_data
        return sharing_queries.SharingSearch(
            text=d["q"], kind=d["kind"], status=d["status"], occupation_code=d["occupation"], region_code=d["region"],
            date_from=d["date_from"], date_to=d["date_to"], matchable=d["matchable"], sort=d["sort"], limit=limit,
            offset=d["offset"] or 0)


class SharingOfferForm(OccupationMixin, ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SharingKind.choices)
    credit_code = forms.CharField(label=_("单位统一社会信用代码"), max_length=18)
    title = forms.CharField(label=_("岗位/工种"), max_length=64)
    occupation_code = forms.CharField(label=_("职业代码"), required=False, max_length=10,
                                      help_text=_("按职业大类匹配可对接的信息，如 6-18-02-04"))
    headcount = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000)
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"))
    wage = forms.IntegerField(label=_("月薪/报酬（元）"), required=False, min_value=0, max_value=1_000_000)
    terms = forms.CharField(label=_("条件说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    error_aliases = {"employer": "credit_code"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not roles.can_work_jobs(user):
            del self.fields["credit_code"]

    def values(self) -> dict:
        d = self.cleaned_data
        employer = None
        if d.get("credit_code"):
            employer = registry_queries.visible_employer_by_credit_code(self.user, d["credit_code"])
        return {"kind": d["kind"], "employer": employer, "title": d["title"], "occupation": _occupation(d["occupation_code"]),
                "headcount": d["headcount"], "starts_on": d["starts_on"], "ends_on": d["ends_on"], "wage": d["wage"],
                "terms": d["terms"]}


class PlacementForm(ServiceErrorsMixin, forms.Form):
    offer = forms.IntegerField(label=_("共享信息编号"), required=False, min_value=1)
    request = forms.IntegerField(label=_("缺工信息编号"), required=False, min_value=1)
    from_credit_code = forms.CharField(label=_("调出单位信用代码（无共享信息时）"), required=False, max_length=18)
    to_credit_code = forms.CharField(label=_("调入单位信用代码（无缺工信息时）"), required=False, max_length=18)
    headcount = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000)
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"))
    terms = forms.CharField(label=_("协议条件"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    workers = forms.CharField(label=_("调剂人员身份证号（可选，每行一个）"), required=False, max_length=19 * 500,
                              widget=forms.Textarea(attrs={"rows": 3}))
    error_aliases = {"from_employer": "from_credit_code", "to_employer": "to_credit_code"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        for name in ("offer", "request"):
            pk = data.get(name)
            data[f"{name}_obj"] = None
            if pk:
                row = sharing_queries.offers_visible_to(self.user).filter(pk=pk).select_related("employer").first()
                if row is None:
                    self.add_error(name, _("调剂信息不存在或不在您的管辖范围内"))
                data[f"{name}_obj"] = row
        from jiuye.registry.models import Employer

        for name in ("from_credit_code", "to_credit_code"):
            code = (data.get(name) or "").strip().upper()
            data[name + "_obj"] = Employer.objects.filter(credit_code=code).first() if code else None
            if code and data[name + "_obj"] is None:
                self.add_error(name, _("统一社会信用代码“%(c)s”未登记") % {"c": code})
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {"offer": d["offer_obj"], "request": d["request_obj"], "from_employer": d["from_credit_code_obj"],
                "to_employer": d["to_credit_code_obj"], "headcount": d["headcount"], "starts_on": d["starts_on"],
                "ends_on": d["ends_on"], "terms": d["terms"], "worker_id_numbers": (d["workers"] or "").split()}


# ---------------------------------------------------------------------------------------------
# Events


class EventSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("活动名称或主办单位"), required=False, max_length=64)
    kind = forms.ChoiceField(label=_("活动类型"), required=False, choices=BLANK + list(EventKind.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + list(EventStatus.choices))
    region = forms.ChoiceField(label=_("区划"), required=False)
    date_from = date_field(_("日期从"), required=False)
    date_to = date_field(_("日期至"), required=False)
    upcoming = forms.BooleanField(label=_("只看未结束"), required=False)
    offset = _offset()
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user) if roles.can_read_jobs(user) else BLANK

    def search(self, *, limit: int) -> event_queries.EventSearch:
        d = self.cleaned_data
        return event_queries.EventSearch(text=d["q"], kind=d["kind"], status=d["status"], region_code=d["region"],
                                         date_from=d["date_from"], date_to=d["date_to"], upcoming=d["upcoming"],
                                         sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class EventForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=128)
    organiser = forms.CharField(label=_("主办单位"), max_length=128)
    region = forms.ChoiceField(label=_("主办区划"))
    starts_at = _datetime(_("开始时间"))
    ends_at = _datetime(_("结束时间"))
    place = forms.CharField(label=_("举办地点"), required=False, max_length=255)
    stream_url = forms.CharField(label=_("直播地址"), required=False, max_length=255)
    description = forms.CharField(label=_("活动说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)


class EventEmployerForm(ServiceErrorsMixin, forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    booth = forms.CharField(label=_("展位"), required=False, max_length=32)
    error_aliases = {"event": None}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        self.employer = registry_queries.visible_employer_by_credit_code(self.user, code)
        if self.employer is None:
            raise forms.ValidationError(_("用人单位不存在或不在您的管辖范围内"))
        return code


class EventVacancyForm(ServiceErrorsMixin, forms.Form):
    vacancy = forms.IntegerField(label=_("岗位编号"), min_value=1)
    error_aliases = {"event": None}


class CheckInForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
