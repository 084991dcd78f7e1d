"""Forms of the zero-employment pages (零就业家庭): the lists' filters, the overview's period, the
capacity mark (无劳动能力/无就业意愿标记, with evidence files) and its withdrawal."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.assistance.models import CapacityKind, SpellCause
from jiuye.assistance.queries import zero as queries
from jiuye.web.forms.common import DateRangeMixin, ServiceErrorsMixin, date_field, region_filter_choices, sort_field

BLANK = [("", _("全部"))]


class _ListForm(forms.Form):
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)


class ZeroHouseholdSearchForm(_ListForm):
    state = forms.ChoiceField(label=_("援助情况"), required=False,
                              choices=BLANK + [(k, _(v)) for k, v in queries.HOUSEHOLD_STATES])

    def search(self, *, limit: int) -> queries.ZeroHouseholdSearch:
        d = self.cleaned_data
        return queries.ZeroHouseholdSearch(region_code=d["region"], state=d["state"], sort=d["sort"], limit=limit,
                                           offset=d["offset"] or 0)


class SpellSearchForm(DateRangeMixin, _ListForm):
    date_from = date_field(_("期间起"), required=False)
    date_to = date_field(_("期间止"), required=False)
    end = forms.ChoiceField(label=_("消除情况"), required=False, choices=BLANK + [
        ("open", _("尚未消除")), ("resolved", _("成员实现就业")), ("no_longer_qualifies", _("不再符合条件"))])
    cause = forms.ChoiceField(label=_("消除原因"), required=False, choices=BLANK + list(SpellCause.choices))

    def search(self, *, limit: int) -> queries.SpellSearch:
        d = self.cleaned_data
        return queries.SpellSearch(region_code=d["region"], date_from=d["date_from"], date_to=d["date_to"], end=d["end"],
                                   cause=d["cause"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)


class MarkSearchForm(DateRangeMixin, _ListForm):
    kind = forms.ChoiceField(label=_("标记"), required=False, choices=BLANK + list(CapacityKind.choices))
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=BLANK + [("active", _("有效")), ("lifted", _("已撤销"))])
    cleared = forms.BooleanField(label=_("仅看致零就业家庭消除的"), required=False)
    date_from = date_field(_("标记日期起"), required=False)
    date_to = date_field(_("标记日期止"), required=False)

    def search(self, *, limit: int) -> queries.MarkSearch:
        d = self.cleaned_data
        return queries.MarkSearch(region_code=d["region"], kind=d["kind"], state=d["state"], cleared=d["cleared"],
                                  date_from=d["date_from"], date_to=d["date_to"], sort=d["sort"], limit=limit,
                                  offset=d["offset"] or 0)


class OverviewForm(DateRangeMixin, forms.Form):
    date_from = date_field(_("期间起"), required=False)
    date_to = date_field(_("期间止"), required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class CapacityMarkForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("标记"), choices=[("", "——")] + list(CapacityKind.choices))
    reason = forms.CharField(label=_("原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：持有一级残疾人证，经医院诊断无法从事任何工作"))
    evidence = MultipleFileField(label=_("证明材料"), help_text=_("至少一份：残疾人证、医疗诊断证明、本人书面声明等（PDF、图片、Word、Excel、OFD，每个不超过10MB）"))
    on = date_field(_("标记日期"), required=False)

    def service_kwargs(self, files) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "reason": d["reason"], "evidence_files": files,
                "on": d["on"] or timezone.localdate()}


class LiftMarkForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("撤销说明"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))
    on = date_field(_("撤销日期"), required=False)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"note": d["note"], "on": d["on"] or timezone.localdate()}
