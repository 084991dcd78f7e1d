"""Forms of vacancies (招聘岗位): the list's search and filters, the vacancy form (staff and the employer
portal), review, closing, confirming the occupation; the occupations page's search."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.jobs.models import PoolReason, PoolStatus, VacancyStatus, WorkType
from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.rules import SEX_GROUNDS
from jiuye.registry.models import Education
from jiuye.web.forms.common import BLANK, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

STATUS_CHOICES = [("open", _("招聘中（有效期内）")), ("review", _("待审核"))] + list(VacancyStatus.choices)


class VacancySearchForm(forms.Form):
    text = forms.CharField(label=_("关键词"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("岗位名称、描述、职业，如：电焊 收银")}))
    occupation = forms.CharField(label=_("职业代码"), required=False, max_length=10,
                                 help_text=_("任一层级，如 6-18-00-00 含其下全部职业"))
    region = forms.ChoiceField(label=_("工作地点"), required=False)
    wage_min = forms.IntegerField(label=_("月薪不低于"), required=False, min_value=0, max_value=1_000_000)
    wage_max = forms.IntegerField(label=_("月薪不高于"), required=False, min_value=0, max_value=1_000_000)
    work_type = forms.ChoiceField(label=_("用工形式"), required=False, choices=BLANK + list(WorkType.choices))
    education = forms.ChoiceField(label=_("学历"), required=False, choices=BLANK + list(Education.choices),
                                  help_text=_("只列学历要求不高于此的岗位"))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=BLANK + STATUS_CHOICES)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, public: bool = False, mine: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.public, self.mine = public, mine
        self.fields["region"].choices = region_filter_choices(user) if getattr(user, "region_id", None) else BLANK
        if public:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        if data.get("wage_min") is not None and data.get("wage_max") is not None and data["wage_min"] > data["wage_max"]:
            self.add_error("wage_max", _("上限低于下限"))
        return data

    def search(self, *, limit: int) -> queries.VacancySearch:
        d = self.cleaned_data
        return queries.VacancySearch(text=d["text"], occupation=d["occupation"], region_code=d["region"],
                                     wage_min=d["wage_min"], wage_max=d["wage_max"], work_type=d["work_type"],
                                     education=d["education"], status=d.get("status") or "", mine=self.mine,
                                     public=self.public, sort=d["sort"], limit=limit, offset=d["offset"] or 0)


SEX_CHOICES = [("", _("不限")), ("M", _("限男性（须选择法定依据）"))]
GROUND_CHOICES = [("", "——")] + list(SEX_GROUNDS.items())


class VacancyForm(ServiceErrorsMixin, forms.Form):
    """The vacancy's fields, as the services take them (``service_values``)."""

    employer = forms.ChoiceField(label=_("招聘单位"))
    title = forms.CharField(label=_("岗位名称"), max_length=64)
    occupation_code = forms.CharField(label=_("职业代码"), required=False, max_length=10,
                                      help_text=_("可留空：保存后系统按岗位名称推荐，由您确认"))
    work_type = forms.ChoiceField(label=_("用工形式"), choices=WorkType.choices)
    openings = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=100_000)
    wage_min = forms.IntegerField(label=_("月薪下限（元）"), required=False, min_value=0, max_value=1_000_000)
    wage_max = forms.IntegerField(label=_("月薪上限（元）"), required=False, min_value=0, max_value=1_000_000)
    region = forms.ChoiceField(label=_("工作地点"))
    address = forms.CharField(label=_("详细地址"), required=False, max_length=255)
    education_min = forms.ChoiceField(label=_("最低学历"), required=False, choices=[("", _("不限"))] + list(Education.choices))
    experience_years = forms.IntegerField(label=_("工作经验（年）"), required=False, min_value=0, max_value=50)
    skills = forms.CharField(label=_("技能要求"), required=False, max_length=500, help_text=_("用顿号或逗号分隔"))
    certificates = forms.CharField(label=_("证书要求"), required=False, max_length=500, help_text=_("用顿号或逗号分隔"))
    hours = forms.CharField(label=_("工作时间"), required=False, max_length=64)
    description = forms.CharField(label=_("岗位描述"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("不得含有性别、民族、户籍、婚育、残疾、病原携带等限制或歧视性内容"))
    age_min = forms.IntegerField(label=_("年龄下限"), required=False, min_value=0, max_value=100)
    age_max = forms.IntegerField(label=_("年龄上限"), required=False, min_value=0, max_value=100)
    age_justification = forms.CharField(label=_("年龄限制理由"), required=False, max_length=255,
                                        help_text=_("设定年龄限制须说明理由，岗位将提交审核"))
    sex_requirement = forms.ChoiceField(label=_("性别要求"), required=False, choices=SEX_CHOICES)
    sex_ground = forms.ChoiceField(label=_("性别要求的法定依据"), required=False, choices=GROUND_CHOICES,
                                   help_text=_("《女职工劳动保护特别规定》附录所列女职工禁忌从事的劳动"))
    valid_from = date_field(_("有效期起"))
    valid_until = date_field(_("有效期止"))
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=64)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    latitude = forms.DecimalField(label=_("纬度"), required=False, min_value=-90, max_value=90, max_digits=10, decimal_places=7)
    longitude = forms.DecimalField(label=_("经度"), required=False, min_value=-180, max_value=180, max_digits=11, decimal_places=7)

    def __init__(self, *args, employers, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(str(e.pk), e.name) for e in employers]
        if len(self.fields["employer"].choices) != 1:
            self.fields["employer"].choices = [("", "——")] + self.fields["employer"].choices
        elif not self.is_bound:
            self.initial.setdefault("employer", self.fields["employer"].choices[0][0])
        self.fields["region"].choices = [("", "——")] + list(regions)

    def service_values(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("employer", None)
        for key in ("latitude", "longitude"):
            d[key] = float(d[key]) if d.get(key) is not None else None
        return d


class ReviewForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect,
                                 choices=[("approve", _("同意发布")), ("refuse", _("不予发布"))])
    reason = forms.CharField(label=_("审核意见"), required=False, max_length=255, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予发布时必填"))


class CloseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("关闭原因"), required=False, max_length=200)


class OccupationForm(ServiceErrorsMixin, forms.Form):
    occupation_code = forms.CharField(label=_("职业代码"), max_length=10)


class OccupationSearchForm(forms.Form):
    q = forms.CharField(label=_("名称、别名或代码"), required=False, max_length=100)
    parent = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)


class PoolSearchForm(forms.Form):
    reason = forms.ChoiceField(label=_("入库原因"), required=False, choices=BLANK + list(PoolReason.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("active", _("在库")), ("all", _("（全部）"))]
                               + [c for c in PoolStatus.choices if c[0] != "active"])
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    occupation = forms.CharField(label=_("职业代码"), required=False, max_length=10)
    date_from = date_field(_("发生日期起"), required=False)
    date_to = date_field(_("发生日期止"), required=False)
    priority = forms.BooleanField(label=_("只看优先人员（就业困难人员、零就业家庭成员）"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int):
        from jiuye.jobs.queries.pool import PoolSearch

        d = self.cleaned_data
        status = d["status"] or "active"
        return PoolSearch(reason=d["reason"], status="" if status == "all" else status, region_code=d["region"],
                          occupation=d["occupation"], date_from=d["date_from"], date_to=d["date_to"],
                          priority=bool(d["priority"]), sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class DemandSearchForm(forms.Form):
    period = forms.CharField(label=_("调查期"), required=False, max_length=16, help_text=_("如 2026Q4、2026-11"))
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    occupation = forms.CharField(label=_("职业代码"), required=False, max_length=10)
    urgent = forms.BooleanField(label=_("只看急需"), required=False)
    pending = forms.BooleanField(label=_("只看未生成岗位的"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int):
        from jiuye.jobs.queries.surveys import DemandSearch

        d = self.cleaned_data
        return DemandSearch(period=d["period"].strip(), region_code=d["region"], occupation=d["occupation"],
                            urgent=bool(d["urgent"]), pending=bool(d["pending"]), limit=limit, offset=d["offset"] or 0)
