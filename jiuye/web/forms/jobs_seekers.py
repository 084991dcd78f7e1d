"""Forms of job seekers: the list's filter, starting/stopping a seeker registration, the profile."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.jobs.models import SeekingEnd, WorkType
from jiuye.jobs.queries import seekers as queries
from jiuye.regions import queries as region_queries
from jiuye.web.forms.common import DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

STATUS_CHOICES = [("open", _("求职中")), ("closed", _("已结束")), ("all", _("全部"))]


class SeekerSearchForm(DateRangeMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    occupation = forms.CharField(label=_("意向职业代码"), required=False, max_length=16,
                                 help_text=_("如 6-18-02-04，或大类/中类代码前缀 6-18"))
    date_from = date_field(_("求职登记日期起"), required=False)
    date_to = date_field(_("求职登记日期止"), required=False)
    priority = forms.BooleanField(label=_("只看优先人员"), required=False)
    text = forms.CharField(label=_("姓名/证件号码"), required=False, max_length=64)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries.SeekerSearch:
        d = self.cleaned_data
        status = d["status"] or "open"
        return queries.SeekerSearch(status="" if status == "all" else status, region_code=d["region"],
                                    occupation=d["occupation"], date_from=d["date_from"], date_to=d["date_to"],
                                    priority=bool(d["priority"]), text=d["text"], sort=d["sort"], limit=limit,
                                    offset=d["offset"] or 0)


class StartForm(ServiceErrorsMixin, forms.Form):
    started_on = date_field(_("求职登记日期"), required=False)


class StopForm(ServiceErrorsMixin, forms.Form):
    ended_on = date_field(_("结束日期"), required=False)
    reason = forms.ChoiceField(label=_("结束原因"), choices=SeekingEnd.choices, initial=SeekingEnd.WITHDREW)


def place_choices(person) -> list[tuple[str, str]]:
    """Streets and communities of the person's county (意向工作地点), and the county itself."""
    indent = {3: "", 4: "\u3000", 5: "\u3000\u3000"}
    return [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in region_queries.filter_choices(person.region_id[:6])]


def _list_text(value) -> str:
    return "、".join(value or [])


class ProfileForm(ServiceErrorsMixin, forms.Form):
    """The profile's fields; lists typed as text separated by 、 or commas (the service splits them)."""

    occupations = forms.CharField(label=_("意向职业（职业代码，多个用、分隔）"), required=False, max_length=400,
                                  help_text=_("可在下方“查找职业”中按名称查到代码"))
    regions = forms.MultipleChoiceField(label=_("意向工作地点"), required=False, widget=forms.CheckboxSelectMultiple)
    wage_min = forms.IntegerField(label=_("期望月薪下限（元）"), required=False, min_value=0)
    wage_max = forms.IntegerField(label=_("期望月薪上限（元）"), required=False, min_value=0)
    work_types = forms.MultipleChoiceField(label=_("意向用工形式"), required=False, choices=WorkType.choices,
                                           widget=forms.CheckboxSelectMultiple)
    hours = forms.CharField(label=_("可工作时间"), required=False, max_length=64)
    max_commute_km = forms.IntegerField(label=_("可接受通勤距离（公里）"), required=False, min_value=0, max_value=500)
    skills = forms.CharField(label=_("补充技能（多个用、分隔）"), required=False, max_length=1000)
    certificates = forms.CharField(label=_("补充证书（多个用、分隔）"), required=False, max_length=1000)
    experience_years = forms.IntegerField(label=_("工作年限"), required=False, min_value=0, max_value=60)
    resume = forms.CharField(label=_("个人简历"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = place_choices(person)

    @classmethod
    def initial_of(cls, profile) -> dict:
        if profile is None:
            return {}
        return {"occupations": _list_text(profile.occupations), "regions": profile.regions, "wage_min": profile.wage_min,
                "wage_max": profile.wage_max, "work_types": profile.work_types, "hours": profile.hours,
                "max_commute_km": profile.max_commute_km, "skills": _list_text(profile.skills),
                "certificates": _list_text(profile.certificates), "experience_years": profile.experience_years,
                "resume": profile.resume}

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["experience_years"] = d.get("experience_years") or 0
        return d


class OccupationLookupForm(forms.Form):
    occ_q = forms.CharField(label=_("查找职业"), required=False, max_length=32)
