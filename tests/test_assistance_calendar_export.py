"""The holiday calendar's Excel exports: the list of years (year, source, document, holidays, make-up
working days, entered by/at) and one bureau-entered year's days (date, 休息/上班, festival); audited."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.calendar import PACKAGE_YEARS
from jiuye.assistance.services import calendar_years
from jiuye.assistance.services.calendar_years import Holiday, Workday

D = datetime.date
HOLIDAYS_2027 = [Holiday(D(2027, 1, 1), D(2027, 1, 3), "元旦"), Holiday(D(2027, 2, 6), D(2027, 2, 13), "春节")]
WORKDAYS_2027 = [Workday(D(2027, 1, 30), "春节"), Workday(D(2027, 2, 20), "春节")]
DOCUMENT = "国务院办公厅关于2027年部分节假日安排的通知（测试）"


def sheet(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def year_2027(district_officer):
    return calendar_years.enter_year(actor=district_officer, year=2027, document=DOCUMENT, holidays=HOLIDAYS_2027,
                                     workdays=WORKDAYS_2027)


@pytest.mark.django_db
def test_the_list_of_years_exports_like_the_page(client, community_worker, year_2027):
    client.force_login(community_worker)  # every staff role reads the calendar
    page = client.get(reverse("web:work_calendar")).content.decode()
    assert 'data-testid="export-form"' in page
    rows = sheet(client.get(reverse("web:work_calendar"), {"format": "xlsx"}))
    assert rows[0] == ("年份", "来源", "依据文件", "放假天数", "调休上班天数", "录入人", "录入时间")
    assert len(rows) == 1 + len(PACKAGE_YEARS) + 1
    year, source, document, holidays, workdays, by, at = rows[1]
    assert (year, source, document, holidays, workdays, by) == (2027, "本局录入", DOCUMENT, 11, 2, "新城区人社局")
    assert at.startswith(datetime.date.today().strftime("%Y-")) and len(at) == 19
    assert rows[2][:2] == (2026, "日历组件 chinese-calendar") and rows[2][3:6] == (None, None, None)
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]), reverse=True)
    entry = AuditEntry.objects.get(action="export", object_type="calendar_year")
    assert entry.actor == community_worker and entry.changes["rows"] == len(rows) - 1
    assert "full_id_number" not in entry.changes


@pytest.mark.django_db
def test_a_bureau_year_exports_its_days(client, community_worker, year_2027):
    client.force_login(community_worker)
    url = reverse("web:work_calendar_year", args=[2027])
    assert 'data-testid="export-form"' in client.get(url).content.decode()
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert rows[0] == ("日期", "星期", "安排", "节日")
    days = [(r[0].date(), r[2], r[3]) for r in rows[1:]]
    assert len(days) == 11 + 2
    assert days[0] == (D(2027, 1, 1), "休息", "元旦")
    assert (D(2027, 1, 30), "上班", "春节") in days and (D(2027, 2, 20), "上班", "春节") in days
    assert [d for d, *_ in days] == sorted(d for d, *_ in days)
    assert rows[1][1] == "星期五"  # 2027-01-01
    entry = AuditEntry.objects.get(action="export", object_type="calendar_year")
    assert entry.changes["filters"] == {"year": 2027} and entry.changes["rows"] == 13 and DOCUMENT in entry.summary


@pytest.mark.django_db
def test_no_export_of_a_year_the_bureau_did_not_enter(client, community_worker):
    client.force_login(community_worker)
    assert client.get(reverse("web:work_calendar_year", args=[2031]), {"format": "xlsx"}).status_code == 404
    response = client.get(reverse("web:work_calendar_year", args=[2026]), {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == reverse("web:work_calendar")
    client.logout()
    assert client.get(reverse("web:work_calendar"), {"format": "xlsx"}).status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()
