"""API of the bureau holiday calendar (节假日安排), helper "ledger": the years and their source, a
bureau year's days, and entering a year (district and city officers; 403 otherwise, 422 with every
mistake). Thin handlers over ``assistance.services.calendar_years``."""
from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from jiuye.accounts import roles
from jiuye.assistance.models import CalendarYear
from jiuye.apitypes import text
from jiuye.assistance.services import calendar_years

router = Router(tags=["assistance"])
Year = Annotated[int, Field(ge=calendar_years.MIN_YEAR, le=calendar_years.MAX_YEAR)]


class YearOut(Schema):
    year: int
    source: str
    source_label: str
    document: str
    holiday_days: int
    workdays: int
    entered_at: datetime.datetime | None


class YearList(Schema):
    items: list[YearOut]
    next_uncovered_year: int
    uncovered_open_deadlines: int


def _year_out(y) -> YearOut:
    return YearOut(year=y.year, source=y.source, source_label=str(y.source_label), document=y.document,
                   holiday_days=y.holiday_days, workdays=y.workdays, entered_at=y.entered_at)


def _staff(request):
    if not roles.can_read_registry(request.auth):
        raise PermissionDenied("您的角色无权查看节假日安排")


@router.get("/work-calendar", response=YearList, summary="节假日安排：已知年份及来源（日历组件或本局录入）")
def list_years(request):
    _staff(request)
    return YearList(items=[_year_out(y) for y in calendar_years.calendar_years(request.auth)],
                    next_uncovered_year=calendar_years.next_uncovered_year(),
                    uncovered_open_deadlines=calendar_years.uncovered_open_deadlines())


class HolidayOut(Schema):
    start: datetime.date
    end: datetime.date
    name: str


class WorkdayOut(Schema):
    date: datetime.date
    name: str


class YearDays(Schema):
    year: int
    document: str
    holidays: list[HolidayOut]
    workdays: list[WorkdayOut]


@router.get("/work-calendar/{year}", response=YearDays, summary="本局录入年份的放假安排与调休上班日")
def year_days(request, year: Year):
    _staff(request)
    cal = CalendarYear.objects.filter(year=year).first()
    if cal is None:
        raise Http404("not entered")
    holidays, workdays = calendar_years.holidays_of(year)
    return YearDays(year=year, document=cal.document,
                    holidays=[HolidayOut(start=h.start, end=h.end, name=h.name) for h in holidays],
                    workdays=[WorkdayOut(date=w.date, name=w.name) for w in workdays])


class YearIn(Schema):
    """The holidays and make-up working days one per line, as on the web form:
    ``"2027-01-01 至 2027-01-03 元旦\n2027-02-06 至 2027-02-13 春节"`` and ``"2027-02-20 春节"``."""

    year: Year
    document: text(255)
    holidays: text(4000, multiline=True)
    workdays: text(2000, multiline=True) = ""


class EnterOut(Schema):
    year: int
    created: bool
    holiday_days: int
    workdays: int
    deadlines_checked: int
    deadlines_moved: int
    cases_moved: int


@router.post("/work-calendar", response={201: EnterOut}, summary="录入（或更正）一个年份的节假日安排，并重新计算援助个案期限")
def enter_year(request, payload: YearIn):
    if not calendar_years.can_edit_calendar(request.auth):
        raise PermissionDenied("您的角色无权录入节假日安排（区县、市人社局工作人员录入）")
    holidays, holiday_errors = calendar_years.parse_lines(payload.holidays, calendar_years.parse_holiday_line)
    workdays, workday_errors = calendar_years.parse_lines(payload.workdays, calendar_years.parse_workday_line)
    errors = {k: v for k, v in (("holidays", holiday_errors), ("workdays", workday_errors)) if v}
    for key, messages in calendar_years.validation_errors(payload.year, payload.document, holidays, workdays).items():
        if not (key == "holidays" and not holidays and holiday_errors):
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    result = calendar_years.enter_year(actor=request.auth, year=payload.year, document=payload.document,
                                       holidays=holidays, workdays=workdays)
    return Status(201, EnterOut(year=result.calendar_year.year, created=result.created, holiday_days=result.holiday_days,
                                workdays=result.workdays, deadlines_checked=result.deadlines_checked,
                                deadlines_moved=result.deadlines_moved, cases_moved=result.cases_moved))
