"""The bureau holiday calendar: a year the package does not cover (2027) entered by the bureau, the open
cases' deadlines re-computed, package years still read from the package, validation (every mistake at
once), the command, the web page and the API."""
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from jiuye.accounts.models import AuditEntry
from jiuye.assistance import calendar
from jiuye.assistance.models import CalendarYear, Case, CaseDeadline, CaseEvent, CaseKind, DeadlineKind
from jiuye.assistance.services import calendar_years, cases
from jiuye.assistance.services.calendar_years import Holiday, Workday
from jiuye.registry import events
from jiuye.registry import services as registry
from jiuye.registry.models import Household
from tests.conftest import COMMUNITY_A1

D = datetime.date
# A 2027 schedule for the tests (not the State Council's notice: the package's last year is 2026).
HOLIDAYS_2027 = [Holiday(D(2027, 1, 1), D(2027, 1, 3), "元旦"), Holiday(D(2027, 2, 6), D(2027, 2, 13), "春节")]
WORKDAYS_2027 = [Workday(D(2027, 1, 30), "春节"), Workday(D(2027, 2, 20), "春节")]
DOCUMENT = "国务院办公厅关于2027年部分节假日安排的通知（测试）"


@pytest.fixture
def case(district_officer, community_worker):
    household = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
    # On the zero-employment list (the daily check closes a case whose household is not on it).
    Household.objects.filter(pk=household.pk).update(is_zero_employment=True)
    # Opened Monday 21 December 2026: the 30-working-day deadline runs into 2027, not yet known.
    return cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household,
                           opened_on=D(2026, 12, 21))


@pytest.mark.django_db
def test_2027_is_not_in_the_package_and_package_years_are():
    assert 2026 in calendar.PACKAGE_YEARS and 2027 not in calendar.PACKAGE_YEARS
    assert calendar_years.next_uncovered_year() == 2027


@pytest.mark.django_db
def test_entering_2027_moves_the_uncovered_deadlines_and_they_stop_saying_uncovered(case, district_officer):
    employment = case.deadlines.get(kind=DeadlineKind.EMPLOYMENT)
    first = case.deadlines.get(kind=DeadlineKind.FIRST_CONTACT)
    assert employment.uncovered and not first.uncovered
    # Counted Monday–Friday through January 2027: 21 Dec + 30 working days (25 Dec is a working day in China).
    assert employment.due_on == D(2027, 2, 1)
    result = calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT,
                                       holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027)
    assert result.created and result.holiday_days == 11 and result.workdays == 2
    employment.refresh_from_db()
    assert not employment.uncovered
    # 1 January (Friday) is a holiday now and Saturday 30 January a working day: the count comes out even.
    assert employment.due_on == D(2027, 2, 1)
    # The 10-working-day plan deadline fell on Monday 4 January counting 1 January: now Tuesday the 5th.
    assert result.moves == [(case.pk, DeadlineKind.PLAN, D(2027, 1, 4), D(2027, 1, 5))]
    assert result.deadlines_moved == 1 and result.deadlines_checked == 2
    assert not CaseDeadline.objects.filter(uncovered=True).exists()


@pytest.mark.django_db
def test_a_holiday_on_the_due_date_moves_the_deadline_and_the_case(case, district_officer):
    employment = case.deadlines.get(kind=DeadlineKind.EMPLOYMENT)
    result = calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT,
                                       holidays=[Holiday(D(2027, 1, 1), D(2027, 1, 1), "元旦"),
                                                 Holiday(D(2027, 1, 28), D(2027, 2, 1), "测试假期")],
                                       workdays=[])
    employment.refresh_from_db()
    assert not employment.uncovered
    # Two weekday holidays in the span (1 Jan, 28 Jan, 29 Jan, 1 Feb: four weekdays) push it four working days on.
    assert employment.due_on == D(2027, 2, 5)
    assert result.deadlines_moved == 2 and result.cases_moved == 1
    assert sorted(result.moves) == sorted([(case.pk, DeadlineKind.EMPLOYMENT, D(2027, 2, 1), D(2027, 2, 5)),
                                           (case.pk, DeadlineKind.PLAN, D(2027, 1, 4), D(2027, 1, 5))])
    note = CaseEvent.objects.filter(case=case, kind="note").get()
    assert "2027-02-01→2027-02-05" in note.text
    entry = AuditEntry.objects.get(object_type="calendar_year")
    assert entry.changes["deadlines_moved"] == 2 and entry.changes["year"] == 2027
    assert "2027年节假日安排" in entry.summary


@pytest.mark.django_db
def test_the_bulk_due_refresh_agrees_with_the_cases_rule(case, district_officer):
    case.deadlines.filter(kind=DeadlineKind.FIRST_CONTACT).update(met_on=D(2026, 12, 22))
    calendar_years.refresh_cases_due([case.pk])
    bulk = Case.objects.get(pk=case.pk)
    cases.refresh_due(case)
    case.refresh_from_db()
    assert (bulk.next_due_on, bulk.district_due_on) == (case.next_due_on, case.district_due_on)


@pytest.mark.django_db
def test_package_years_are_still_read_from_the_package(district_officer):
    calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT, holidays=HOLIDAYS_2027,
                              workdays=WORKDAYS_2027)
    # 2026: National Day 1–7 October off, Saturday 10 October a make-up working day (the package).
    assert calendar.add_working_days(D(2026, 9, 30), 3) == calendar.Due(D(2026, 10, 10), False, ())
    assert calendar.is_workday(D(2027, 1, 1)) == (False, True)
    assert calendar.is_workday(D(2027, 1, 30)) == (True, True)
    assert calendar.is_workday(D(2028, 1, 3)) == (True, False)
    rows = {r.year: r for r in calendar_years.calendar_years()}
    assert rows[2027].source == "bureau" and rows[2027].document == DOCUMENT
    assert rows[2026].source == "package"


@pytest.mark.django_db
def test_every_mistake_is_named_at_once(district_officer):
    with pytest.raises(ValidationError) as exc:
        calendar_years.enter_year(actor=district_officer, year=2027, document="", holidays=[
            Holiday(D(2026, 12, 31), D(2027, 1, 1), "元旦"),
            Holiday(D(2027, 2, 10), D(2027, 2, 6), "春节"),
            Holiday(D(2027, 5, 1), D(2027, 5, 3), ""),
        ], workdays=[Workday(D(2027, 2, 8), "春节"), Workday(D(2027, 5, 1), "劳动节")])
    errors = exc.value.message_dict
    assert "依据文件" in errors["document"][0]
    holidays = " ".join(errors["holidays"])
    assert "2026-12-31（元旦） 不在2027年内" in holidays
    assert "2027-02-10 至 2027-02-06（春节）：结束日期早于开始日期" in holidays
    assert "请填写节日名称" in holidays
    workdays = " ".join(errors["workdays"])
    assert "2027-02-08（春节） 是星期一" in workdays and "应为星期六或星期日" in workdays
    assert "日期 2027-05-01 重复出现" in workdays
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_a_package_year_is_refused_and_only_the_bureau_enters(district_officer, community_worker):
    with pytest.raises(ValidationError) as exc:
        calendar_years.enter_year(actor=district_officer, year=2026, document=DOCUMENT,
                                  holidays=[Holiday(D(2026, 1, 1), D(2026, 1, 1), "元旦")], workdays=[])
    assert "已由日历组件" in exc.value.message_dict["year"][0]
    with pytest.raises(PermissionDenied):
        calendar_years.enter_year(actor=community_worker, year=2027, document=DOCUMENT, holidays=HOLIDAYS_2027,
                                  workdays=[])


@pytest.mark.django_db
def test_entering_a_year_again_replaces_its_days(district_officer):
    calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT, holidays=HOLIDAYS_2027,
                              workdays=WORKDAYS_2027)
    result = calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT + "（更正）",
                                       holidays=HOLIDAYS_2027[:1], workdays=[])
    assert not result.created
    assert calendar.is_workday(D(2027, 2, 8)) == (True, True)
    holidays, workdays = calendar_years.holidays_of(2027)
    assert holidays == HOLIDAYS_2027[:1] and workdays == []
    assert AuditEntry.objects.filter(object_type="calendar_year", action="update").get().changes["before"]["document"] == DOCUMENT


def test_lines_as_people_type_them():
    assert calendar_years.parse_holiday_line("2027-02-06 至 2027-02-13 春节") == Holiday(D(2027, 2, 6), D(2027, 2, 13), "春节")
    assert calendar_years.parse_holiday_line("2027年1月1日 元旦") == Holiday(D(2027, 1, 1), D(2027, 1, 1), "元旦")
    assert calendar_years.parse_holiday_line("2027/10/1~2027/10/7 国庆节") == Holiday(D(2027, 10, 1), D(2027, 10, 7), "国庆节")
    assert calendar_years.parse_workday_line("2027-02-20 春节") == Workday(D(2027, 2, 20), "春节")
    values, errors = calendar_years.parse_lines("2027-01-01 元旦\n\n2027-13-01 错\n明天", calendar_years.parse_holiday_line)
    assert len(values) == 1
    assert errors[0].startswith("第3行“2027-13-01 错”：日期“2027-13-01”不存在") and errors[1].startswith("第4行")


# ---------------------------------------------------------------------------------------------
# The command


@pytest.mark.django_db
def test_load_work_calendar_from_yaml(tmp_path, case):
    f = tmp_path / "2027.yaml"
    f.write_text(f"year: 2027\ndocument: {DOCUMENT}\nholidays:\n"
                 "  - {name: 元旦, start: 2027-01-01, end: 2027-01-01}\n"
                 "  - {name: 测试假期, start: 2027-01-28, end: 2027-02-01}\n"
                 "workdays: []\n", encoding="utf-8")
    out = io.StringIO()
    call_command("load_work_calendar", str(f), stdout=out)
    text = out.getvalue()
    assert "已录入2027年节假日安排" in text and "到期日调整 2 项" in text
    assert CalendarYear.objects.get(year=2027).entered_by is None
    assert AuditEntry.objects.get(object_type="calendar_year").actor_name == "system"


@pytest.mark.django_db
def test_load_work_calendar_from_csv_names_each_bad_row(tmp_path, regions):
    f = tmp_path / "2027.csv"
    f.write_text("类型,开始日期,结束日期,节日\n放假,2027-01-01,2027-01-03,元旦\n上班,2027-02-08,,春节\n休假,2027-03-01,,x\n",
                 encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("load_work_calendar", str(f), "--document", DOCUMENT)
    assert "第4行：类型“休假”应为“放假”或“上班”" in str(exc.value)
    f.write_text("类型,开始日期,结束日期,节日\n放假,2027-01-01,2027-01-03,元旦\n上班,2027-02-08,,春节\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_work_calendar", str(f), "--document", DOCUMENT)
    assert "2027-02-08（春节） 是星期一" in str(exc.value)
    f.write_text("类型,开始日期,结束日期,节日\n放假,2027-01-01,2027-01-03,元旦\n上班,2027-02-20,,春节\n", encoding="utf-8")
    out = io.StringIO()
    call_command("load_work_calendar", str(f), "--document", DOCUMENT, stdout=out)
    assert "放假 3 天，调休上班 1 天" in out.getvalue()


# ---------------------------------------------------------------------------------------------
# Web and API


HOLIDAY_LINES = "2027-01-01 元旦\n2027-01-28 至 2027-02-01 测试假期"


@pytest.mark.django_db
def test_the_page_lists_years_and_their_source_and_warns_of_uncovered_deadlines(client, case, community_worker):
    client.force_login(community_worker)
    response = client.get(reverse("web:work_calendar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-year="2026" data-source="package"' in html and "日历组件 chinese-calendar" in html
    assert 'id="uncovered-notice"' in html and "2027年" in html
    assert 'id="enter-year"' not in html  # community workers read only
    assert client.post(reverse("web:work_calendar"), {"year": "2027"}).status_code == 403


@pytest.mark.django_db
def test_the_bureau_enters_2027_on_the_web_and_hears_how_many_deadlines_moved(client, case, district_officer):
    client.force_login(district_officer)
    response = client.post(reverse("web:work_calendar"), {"year": "2027", "document": DOCUMENT,
                                                         "holidays": HOLIDAY_LINES, "workdays": ""}, follow=True)
    html = response.content.decode()
    assert "已录入2027年节假日安排：放假6天、调休上班0天" in html and "到期日调整2项（涉及个案1件）" in html
    assert 'data-date="2027-01-28"' in html
    assert not CaseDeadline.objects.filter(uncovered=True).exists()
    response = client.get(reverse("web:work_calendar"))
    assert 'data-year="2027" data-source="bureau"' in response.content.decode()


@pytest.mark.django_db
def test_the_web_form_shows_every_mistake_at_once(client, district_officer):
    client.force_login(district_officer)
    response = client.post(reverse("web:work_calendar"), {
        "year": "2027", "document": DOCUMENT,
        "holidays": "2027-01-01 元旦\n2027-02-30 春节\n2026-12-31 元旦",
        "workdays": "2027-02-08 春节\n2027-01-01 元旦"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2行“2027-02-30 春节”：日期“2027-02-30”不存在" in html
    assert "2026-12-31（元旦） 不在2027年内" in html
    assert "2027-02-08（春节） 是星期一" in html
    assert "日期 2027-01-01 重复出现" in html
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_api_reads_and_enters_a_year(client, case, district_officer, community_worker):
    client.force_login(community_worker)
    body = client.get("/api/v1/work-calendar").json()
    assert body["next_uncovered_year"] == 2027 and body["uncovered_open_deadlines"] == 2
    assert {"year": 2026, "source": "package"}.items() <= body["items"][0].items()
    payload = {"year": 2027, "document": DOCUMENT, "holidays": HOLIDAY_LINES, "workdays": ""}
    assert client.post("/api/v1/work-calendar", payload, content_type="application/json").status_code == 403
    client.force_login(district_officer)
    bad = dict(payload, workdays="2027-02-08 春节\n2027-02-31 春节")
    response = client.post("/api/v1/work-calendar", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]["workdays"] == ["第2行“2027-02-31 春节”：日期“2027-02-31”不存在",
                                                     "调休上班日 2027-02-08（春节） 是星期一：调休上班日应为星期六或星期日"]
    response = client.post("/api/v1/work-calendar", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"year": 2027, "created": True, "holiday_days": 6, "workdays": 0, "deadlines_checked": 2,
                               "deadlines_moved": 2, "cases_moved": 1}
    days = client.get("/api/v1/work-calendar/2027").json()
    assert days["holidays"][1] == {"start": "2027-01-28", "end": "2027-02-01", "name": "测试假期"}
    assert client.get("/api/v1/work-calendar/2031").status_code == 404


@pytest.mark.django_db
def test_the_guide_names_what_the_pages_show(client, district_officer):
    client.force_login(district_officer)
    guide = client.get(reverse("web:help_role", args=["district_officer"])).content.decode()
    assert "易地搬迁社区三本台账" in guide and "标记安置社区" in guide and "节假日安排" in guide
    assert "标记安置社区" in client.get(reverse("web:relocation_ledgers")).content.decode()
    page = client.get(reverse("web:work_calendar")).content.decode()
    assert "节假日安排" in page and "2027-02-06 至 2027-02-13 春节" in page


@pytest.mark.django_db
def test_the_daily_refresh_picks_up_a_newer_package_covering_2027(case, monkeypatch):
    """A calendar package upgraded to cover 2027: the next daily refresh re-computes what was uncovered."""
    real = calendar._package_is_workday
    monkeypatch.setattr(calendar, "PACKAGE_YEARS", range(2004, 2028))
    monkeypatch.setattr(calendar, "_package_is_workday",
                        lambda d: False if d == D(2027, 1, 1) else (d.weekday() < 5 if d.year == 2027 else real(d)))
    # The daily refresh's signal (``jiuye refresh_projections`` sends it after the registry's work; the
    # command itself would also recompute this hand-made household's flag and close its case).
    def daily():
        return [str(line) for _r, line in events.daily_refresh.send(sender=None, today=D(2026, 12, 22)) if line]

    assert "节假日安排：重新检查未载入年份的期限2项，到期日调整2项，仍待录入0项" in daily()
    assert not CaseDeadline.objects.filter(uncovered=True).exists()
    assert case.deadlines.get(kind=DeadlineKind.EMPLOYMENT).due_on == D(2027, 2, 2)
    assert not any("节假日安排" in line for line in daily())
