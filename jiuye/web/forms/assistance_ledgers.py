"""Forms of the relocation communities' ledgers (易地搬迁社区三本台账): the ledger's date and sort, the
list's date, the flag/edit form of a relocation community and its unflag (取消标记) form."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.assistance.models import RelocationCommunity
from jiuye.assistance.queries import ledgers
from jiuye.web.forms.common import ServiceErrorsMixin, community_choices, date_field, sort_field


class LedgerForm(forms.Form):
    """One ledger of one relocation community (or of all in scope): which ledger, on which date."""

    ledger = forms.ChoiceField(label=_("台账"), required=False, choices=[(k, v) for k, v in ledgers.LEDGERS.items()],
                               widget=forms.HiddenInput)
    on = date_field(_("台账日期"), required=False, help_text=_("按该日的登记状态生成，默认今天"))
    measure = forms.ChoiceField(label=_("筛选"), required=False,
                                choices=[("", _("（全部）"))] + [(k, ledgers.COUNT_LABELS[k]) for k in ledgers.COUNT_KEYS])
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, region_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code = region_code

    @property
    def ledger_key(self) -> str:
        value = self.cleaned_data.get("ledger") if self.is_valid() else self.data.get("ledger")
        return value if value in ledgers.LEDGERS else ledgers.LABOUR

    @property
    def on_date(self):
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()

    def search(self, *, limit: int) -> ledgers.LedgerSearch:
        d = self.cleaned_data
        return ledgers.LedgerSearch(ledger=self.ledger_key, region_code=self.region_code, on=self.on_date, sort=d["sort"],
                                    measure=d["measure"], limit=limit, offset=d["offset"] or 0)

    def measure_choices(self) -> list[tuple[str, str]]:
        """The counts the current ledger's list can be narrowed to."""
        return [("", str(_("（全部）")))] + [(k, str(ledgers.COUNT_LABELS[k])) for k in ledgers.LEDGER_MEASURES[self.ledger_key]]


class CommunityListForm(forms.Form):
    on = date_field(_("统计日期"), required=False, help_text=_("默认今天"))

    @property
    def on_date(self):
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class RelocationCommunityForm(ServiceErrorsMixin, forms.Form):
    region = forms.ChoiceField(label=_("安置社区/村"))
    project_name = forms.CharField(label=_("搬迁安置项目"), max_length=128)
    households_relocated = forms.IntegerField(label=_("搬迁户数"), required=False, min_value=0, max_value=1_000_000)
    persons_relocated = forms.IntegerField(label=_("搬迁人数"), required=False, min_value=0, max_value=1_000_000)
    since = date_field(_("搬迁入住时间"), required=False)
    note = forms.CharField(label=_("备注"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, community: RelocationCommunity | None = None, **kwargs):
        if community is not None:
            kwargs.setdefault("initial", {k: getattr(community, k) for k in
                                          ("project_name", "households_relocated", "persons_relocated", "since", "note")})
        super().__init__(*args, **kwargs)
        self.community = community
        if community is not None:
            del self.fields["region"]
        else:
            flagged = set(RelocationCommunity.objects.filter(ended_on__isnull=True).values_list("region_id", flat=True))
            self.fields["region"].choices = [c for c in community_choices(user) if c[0] not in flagged]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        out = {k: d.get(k) for k in ("project_name", "households_relocated", "persons_relocated", "since", "note")}
        if self.community is None:
            out["region"] = d["region"]
        return out


class EndCommunityForm(ServiceErrorsMixin, forms.Form):
    """Unflag a relocation community: the reason, and the date from which it leaves the list."""

    ended_on = date_field(_("取消标记日期"), required=False,
                          help_text=_("自该日起不再列为易地搬迁安置社区，默认今天；此前日期的台账不变"))
    reason = forms.CharField(label=_("取消标记原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict:
        return {"ended_on": self.cleaned_data.get("ended_on"), "reason": self.cleaned_data["reason"]}
