"""The demo sample: forty-odd enterprises over at least five industries, ten years of balanced, chained reports,
the planted mass layoff with its warning, a late reporter and the demo employer as the missing reporter."""
import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import F

from jiuye.accounts.models import Role
from jiuye.monitoring import demo_enterprises
from jiuye.monitoring.models import EnterpriseReport, MonitoredEnterprise, Warning
from jiuye.monitoring.queries import enterprises as ent_queries
from jiuye.monitoring.queries import reports as report_queries
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A2, COMMUNITY_B1, _user
from tests.monitoring_helpers import make_employer

D = datetime.date
TODAY = D(2026, 11, 20)
CODES = ["13", "17", "36", "47", "52", "62", "65", "72", "83", "84", "54", "61"]


def test_the_demo_sample(district_officer):
    firms = []
    for n in range(1, 49):
        firms.append(make_employer(district_officer, n, industry_code=CODES[n % len(CODES)], employee_count=30 + 17 * n,
                                   region=[COMMUNITY_A2, COMMUNITY_B1][n % 2]))
    boss = _user("demo_employer", Role.EMPLOYER_USER, None)
    registry.link_account(actor=None, user=boss, employer=firms[0])
    line = demo_enterprises.seed(TODAY)
    assert "已发出预警" in line
    assert 40 <= MonitoredEnterprise.objects.count() <= 42
    assert ent_queries.coverage(district_officer).sections_covered >= 5
    assert EnterpriseReport.objects.filter(month=D(2016, 11, 1)).count() >= 40  # ten years up to last month
    assert not EnterpriseReport.objects.filter(month__gt=D(2026, 10, 1)).exists()
    later = EnterpriseReport.objects.filter(month__gt=D(2016, 11, 1)).values("enterprise", "month", "start_headcount")
    ends = dict(((e, m), end) for e, m, end in EnterpriseReport.objects.values_list("enterprise", "month", "end_headcount"))
    assert all(ends[(r["enterprise"], r["month"] - relativedelta(months=1))] == r["start_headcount"] for r in later)
    assert not EnterpriseReport.objects.exclude(end_headcount=F("start_headcount") + F("additions") - F("reductions")).exists()
    warning = Warning.objects.get(kind="mass_layoff")
    assert warning.facts["layoffs"] == 35 and warning.since == D(2026, 10, 1)
    counts = report_queries.due_counts(district_officer, D(2026, 10, 1), TODAY)
    assert counts["late"] == 1 and counts["missing"] == 1
    own = MonitoredEnterprise.objects.get(employer=firms[0])
    assert report_queries.missing_months(boss, own, TODAY) == [(D(2026, 10, 1), D(2026, 11, 10))]
    assert demo_enterprises.seed(TODAY) == ""  # once
