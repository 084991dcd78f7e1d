"""The form of the bureau holiday calendar: a year, its document, holidays and make-up working days
typed one per line ("2027-02-06 至 2027-02-13 春节", "2027-02-20 春节"). Every mistake at once: lines
that cannot be read and the rules of ``assistance.services.calendar_years`` (a make-up working day on a
weekend, dates of that year, no date twice) show together."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuye.assistance.services import calendar_years
from jiuye.web.forms.common import ServiceErrorsMixin


class CalendarYearForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=calendar_years.MIN_YEAR, max_value=calendar_years.MAX_YEAR)
    document = forms.CharField(label=_("依据文件"), max_length=255,
                               help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))
    holidays = forms.CharField(
        label=_("放假安排"), widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2027-01-01 至 2027-01-03 元旦\n2027-02-06 至 2027-02-13 春节"}),
        help_text=_("每行一个放假日期段：开始日期 至 结束日期 节日名称；只放一天的写一个日期"))
    workdays = forms.CharField(
        label=_("调休上班日"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-02-20 春节"}),
        help_text=_("每行一个：日期 节日名称（调休上班日应为星期六或星期日）"))

    def clean(self):
        data = super().clean()
        holidays, holiday_errors = calendar_years.parse_lines(data.get("holidays", ""), calendar_years.parse_holiday_line)
        workdays, workday_errors = calendar_years.parse_lines(data.get("workdays", ""), calendar_years.parse_workday_line)
        for message in holiday_errors:
            self.add_error("holidays", message)
        for message in workday_errors:
            self.add_error("workdays", message)
        year = data.get("year")
        rules = calendar_years.validation_errors(year if year is not None else -1, data.get("document", "") or "x",
                                                 holidays, workdays)
        for key, messages in rules.items():
            if key == "year" and (year is None or "year" in self.errors):
                continue
            if key == "holidays" and not holidays and (holiday_errors or "holidays" in self.errors):
                continue
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
        data["holiday_list"], data["workday_list"] = holidays, workdays
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"year": d["year"], "document": d["document"], "holidays": d["holiday_list"], "workdays": d["workday_list"]}
