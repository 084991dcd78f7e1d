"""Forms of the key-work tasks and full-employment community pages: the lists' filters, the weekly progress
entry, the liaison link on a department's page, the assessment run and an awarded title."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.targets import communities, queries_communities, queries_tasks
from jiuye.targets.models import Designation, TaskStatus
from jiuye.web.forms.common import ServiceErrorsMixin, date_field, region_filter_choices, sort_field

ALL = [("", _("全部"))]


class TaskSearchForm(forms.Form):
    week = date_field(_("周次（该周任意一天）"), required=False)
    region = forms.ChoiceField(label=_("区划"), required=False)
    plan = forms.ChoiceField(label=_("规划/计划"), required=False)
    department = forms.TypedChoiceField(label=_("责任单位"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("本周状态"), required=False,
                               choices=ALL + list(TaskStatus.choices) + [("unreported", _("牵头单位未填报"))])
    q = forms.CharField(label=_("任务内容"), required=False, max_length=100)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, mine=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mine = mine
        self.fields["region"].choices = region_filter_choices(user)
        self.fields["plan"].choices = ALL + [(p, p) for p in queries_tasks.plans(user)]
        self.fields["department"].choices = ALL + [(d.pk, d.name) for d in queries_tasks.departments(user)]

    def search(self, *, limit: int) -> queries_tasks.TaskSearch:
        d = self.cleaned_data
        return queries_tasks.TaskSearch(
            week=queries_tasks.week_of(d.get("week") or timezone.localdate()), region_code=d.get("region") or "",
            plan=d.get("plan") or "", department=d.get("department"), status=d.get("status") or "", q=d.get("q") or "",
            mine_first=self.mine.pk if self.mine else None, sort=d.get("sort") or "", limit=limit,
            offset=d.get("offset") or 0)


class WeekForm(forms.Form):
    week = date_field(_("周次（该周任意一天）"), required=False)
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)


class ProgressForm(ServiceErrorsMixin, forms.Form):
    department = forms.TypedChoiceField(label=_("责任单位"), coerce=int)
    week = date_field(_("周次（该周任意一天）"))
    status = forms.ChoiceField(label=_("进展状态"), choices=TaskStatus.choices)
    text = forms.CharField(label=_("本周进展"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    figure = forms.DecimalField(label=_("本周数字"), required=False, max_digits=16, decimal_places=4)
    figure_label = forms.CharField(label=_("数字说明"), required=False, max_length=64)
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=4000)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]


class LinkMemberForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label=_("联络员账号（用户名）"), max_length=150)


class AssessmentSearchForm(forms.Form):
    year = forms.IntegerField(label=_("评估年度"), min_value=2000, max_value=2200, required=False)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    passed = forms.ChoiceField(label=_("评估结果"), required=False, choices=ALL + [("yes", _("达标")), ("no", _("未达标"))])
    failed = forms.ChoiceField(label=_("未达到的标准"), required=False,
                               choices=ALL + [(c, label) for c, label, *_r in communities.CRITERIA])
    designation = forms.ChoiceField(label=_("认定称号"), required=False,
                                    choices=ALL + [("any", _("有称号"))] + list(Designation.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_year = default_year
        self.fields["region"].choices = region_filter_choices(user)

    def search(self, *, limit: int) -> queries_communities.AssessmentSearch:
        d = self.cleaned_data
        return queries_communities.AssessmentSearch(
            year=d.get("year") or self.default_year, region_code=d.get("region") or "", passed=d.get("passed") or "",
            failed=d.get("failed") or "", designation=d.get("designation") or "", sort=d.get("sort") or "",
            limit=limit, offset=d.get("offset") or 0)


class AssessForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("评估年度"), min_value=2000, max_value=2200)
    region = forms.ChoiceField(label=_("评估区划"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("本人所在区划"))] + [c for c in region_filter_choices(user) if c[0]]


class DesignationForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2200)
    designation = forms.ChoiceField(label=_("认定称号"), required=False,
                                    choices=[("", _("（无/撤销）"))] + list(Designation.choices))
