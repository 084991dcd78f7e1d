"""The enterprise pages: the sample with its coverage verdict, enrolment, the report form (staff and portal) with
the warning said by the same request, the unbalanced refusal, missing/late with chases, job loss, exports, scope."""
import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from dateutil.relativedelta import relativedelta

from jiuye.accounts.models import Role, User
from jiuye.monitoring.models import EnterpriseReport, ReportReminder, Warning
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_B1
from tests.monitoring_helpers import make_employer, make_enterprise, make_report

D = datetime.date


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _last_month():
    return timezone.localdate().replace(day=1) - relativedelta(months=1)


def test_list_shows_the_coverage_verdict_with_reasons_and_exports(district_officer):
    for n, code in enumerate(["13", "52", "62"], start=1):
        make_enterprise(make_employer(district_officer, n, industry_code=code, employee_count=100))
    make_employer(district_officer, 9, industry_code="47", employee_count=5000)  # construction: large, not sampled
    c = client_for(district_officer)
    page = c.get(reverse("web:monitored_enterprises")).content.decode()
    assert "样本覆盖不足" in page and "少于5个" in page and "E 建筑业" in page and "没有监测企业" in page
    assert 'data-total="3"' in page
    export = c.get(reverse("web:monitored_enterprises") + "?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_enrol_and_report_with_the_warning_said_in_the_same_request(district_officer, community_worker):
    employer = make_employer(district_officer, 1, industry_code="13")
    r = client_for(district_officer).post(reverse("web:enterprise_enrol"), {
        "credit_code": employer.credit_code, "joined_on": "2024-01", "contact_name": "王会计", "contact_phone": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    c = client_for(community_worker)
    url = reverse("web:enterprise_report_new", args=[pk])
    month = f"{_last_month():%Y-%m}"
    bad = c.post(url, {"month": month, "start_headcount": 120, "end_headcount": 100, "red_economic_layoff": 21,
                       "red_economic_layoff_reason": "orders_down"})
    assert bad.status_code == 400 and "月末人数应为99" in bad.content.decode() and "相差+1" in bad.content.decode()
    assert EnterpriseReport.objects.count() == 0
    ok = c.post(url, {"month": month, "start_headcount": 120, "end_headcount": 99, "red_economic_layoff": 21,
                      "red_economic_layoff_reason": "orders_down"}, follow=True)
    text = ok.content.decode()
    assert "已发出蓝色预警" in text and Warning.objects.filter(kind="mass_layoff").count() == 1
    report = EnterpriseReport.objects.get()
    detail = c.get(reverse("web:enterprise_report", args=[report.pk])).content.decode()
    assert "经济性裁员" in detail and "订单减少" in detail and "规模性裁员预警" in detail
    page = c.get(reverse("web:monitored_enterprise", args=[pk])).content.decode()
    assert 'data-chart=' in page and "王会计" in page


def test_out_of_scope_enterprise_is_not_found(district_officer, other_street_officer):
    e = make_enterprise(make_employer(district_officer, 1, industry_code="13"))
    c = client_for(other_street_officer)
    assert c.get(reverse("web:monitored_enterprise", args=[e.pk])).status_code == 404
    assert c.get(reverse("web:enterprise_report_new", args=[e.pk])).status_code == 404
    report = make_report(e, D(2025, 1, 1), 100)
    assert c.get(reverse("web:enterprise_report", args=[report.pk])).status_code == 404


def test_portal_employer_reports_its_own_and_sees_missing_months(district_officer):
    employer = make_employer(district_officer, 1, industry_code="13")
    other = make_enterprise(make_employer(district_officer, 2, industry_code="52", region=COMMUNITY_B1))
    last = _last_month()
    make_enterprise(employer, joined_on=last - relativedelta(months=2))
    user = User.objects.create_user("emp", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, employer=employer)
    c = client_for(user)
    page = c.get(reverse("web:my_enterprise_reports")).content.decode()
    assert f"{(last - relativedelta(months=1)):%Y年%-m月}" in page
    r = c.post(reverse("web:my_enterprise_report_new"), {"month": f"{last:%Y-%m}", "start_headcount": 50,
                                                          "end_headcount": 52, "add_new_hire": 2})
    assert r.status_code == 302
    assert EnterpriseReport.objects.get().channel == "portal"
    assert c.get(reverse("web:monitored_enterprise", args=[other.pk])).status_code == 403
    assert c.get(reverse("web:my_enterprise_report", args=[EnterpriseReport.objects.get().pk])).status_code == 200


def test_due_list_counts_and_chase(district_officer, community_worker):
    last = _last_month()
    a = make_enterprise(make_employer(district_officer, 1, industry_code="13"), joined_on=D(2020, 1, 1))
    make_enterprise(make_employer(district_officer, 2, industry_code="52"), joined_on=D(2020, 1, 1))
    c = client_for(community_worker)
    page = c.get(reverse("web:reports_due") + f"?month={last:%Y-%m}&status=all").content.decode()
    assert 'data-total="2"' in page
    r = c.post(reverse("web:report_chase", args=[a.pk]), {"month": f"{last:%Y-%m}", "channel": "phone", "note": "已催"})
    assert r.status_code == 302 and ReportReminder.objects.count() == 1
    export = c.get(reverse("web:reports_due") + f"?month={last:%Y-%m}&status=all&format=xlsx")
    assert export.status_code == 200


def test_job_loss_page_table_chart_drill_down_and_export(district_officer):
    e = make_enterprise(make_employer(district_officer, 1, industry_code="13"))
    make_report(e, D(2025, 3, 1), 200, reductions={("economic_layoff", "orders_down"): 10, ("resigned", "personal"): 10},
                layoffs=10)
    c = client_for(district_officer)
    page = c.get(reverse("web:job_loss") + "?month_from=2025-01&month_to=2025-06&by=size").content.decode()
    assert "10.00%" in page and "中型" in page and "data-chart=" in page
    assert "month_from=2025-03" in page and "size_class=medium" in page
    drill = c.get(reverse("web:enterprise_reports") + "?month_from=2025-03&month_to=2025-03&size_class=medium")
    assert 'data-total="1"' in drill.content.decode()
    assert c.get(reverse("web:job_loss") + "?month_from=2025-01&month_to=2025-06&by=size&format=xlsx").status_code == 200
