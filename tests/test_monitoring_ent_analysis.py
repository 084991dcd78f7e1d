"""Missing and late reports at the due-date edges; job-loss aggregates equal the sum of the per-enterprise figures."""
import datetime
import zoneinfo

from django.conf import settings
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from jiuye.monitoring.queries import job_loss as loss
from jiuye.monitoring.queries import reports as queries
from tests.conftest import COMMUNITY_B1
from tests.monitoring_helpers import make_employer, make_enterprise, make_report

D = datetime.date
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
JUNE = D(2025, 6, 1)


def _status(user, today):
    rows = queries.due_of_search(user, queries.DueSearch(month=JUNE, status="all"), today)
    return {e.employer.name: e.due_rank for e in rows}


def test_missing_and_late_at_the_due_date_edges(district_officer):
    due = queries.due_on("610102001001", JUNE)
    assert due == D(2025, 7, 10)
    silent = make_enterprise(make_employer(district_officer, 1, industry_code="13", name="未报企业"))
    on_time = make_enterprise(make_employer(district_officer, 2, industry_code="13", name="按时企业"))
    late = make_enterprise(make_employer(district_officer, 3, industry_code="13", name="迟报企业"))
    make_enterprise(make_employer(district_officer, 4, industry_code="13", name="已退出企业"), left_on=JUNE)
    make_report(on_time, JUNE, 50, due_on=due, submitted_at=datetime.datetime(2025, 7, 10, 23, 30, tzinfo=TZ))
    make_report(late, JUNE, 50, due_on=due, submitted_at=datetime.datetime(2025, 7, 11, 0, 30, tzinfo=TZ))
    assert silent  # no report
    on_due_day = _status(district_officer, D(2025, 7, 10))
    assert on_due_day == {"未报企业": 2, "按时企业": 3, "迟报企业": 1}  # pending on the due day itself
    day_after = _status(district_officer, D(2025, 7, 11))
    assert day_after["未报企业"] == 0
    assert queries.due_counts(district_officer, JUNE, D(2025, 7, 11)) == {"missing": 1, "late": 1, "pending": 0,
                                                                          "on_time": 1}
    default = queries.due_of_search(district_officer, queries.DueSearch(month=JUNE), D(2025, 7, 11))
    assert sorted(e.employer.name for e in default) == ["未报企业", "迟报企业"]


def test_a_correction_after_the_due_date_does_not_make_a_report_late(district_officer):
    from jiuye.monitoring.services.reports import ReportData, write_report

    e = make_enterprise(make_employer(district_officer, 1, industry_code="13", name="更正企业"))
    for day, end in ((D(2025, 7, 5), 50), (D(2025, 8, 5), 49)):
        write_report(e, ReportData(month=JUNE, start_headcount=50, reductions={("resigned", "personal"): 50 - end},
                                   correction_reason="更正"), actor=district_officer, channel="staff",
                     submitted_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ))
    assert _status(district_officer, D(2025, 9, 1)) == {"更正企业": 3}


MONTHS = [D(2025, m, 1) for m in (1, 2, 3)]
report_st = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(MONTHS), st.integers(0, 500), st.integers(0, 40),
                               st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=12)


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=report_st, by=st.sampled_from(sorted(loss.BY)))
def test_aggregates_equal_the_sum_of_the_per_enterprise_figures(district_officer, reports, by):
    from jiuye.monitoring.models import EnterpriseReport, MonitoredEnterprise

    EnterpriseReport.objects.all().delete()
    MonitoredEnterprise.objects.all().delete()
    from jiuye.registry.models import Employer

    employers = list(Employer.objects.order_by("pk"))
    specs = [("13", "medium", "private", "610102001001"), ("52", "small", "state", "610102001002"),
             ("62", "micro", "private", COMMUNITY_B1), ("65", "large", "foreign", "610102001001")]
    while len(employers) < 4:
        i = len(employers)
        code, size, own, region = specs[i]
        employers.append(make_employer(district_officer, 20 + i, industry_code=code, size_class=size, ownership=own,
                                       region=region))
    enterprises = [make_enterprise(emp) for emp in employers[:4]]
    seen = set()
    for i, month, start, adds, resigned, laid in reports:
        if (i, month) in seen:
            continue
        seen.add((i, month))
        laid = min(laid, start + adds)
        resigned = min(resigned, start + adds - laid)
        make_report(enterprises[i], month, start, additions=adds,
                    reductions={("economic_layoff", "orders_down"): laid, ("resigned", "personal"): resigned},
                    layoffs=laid)
    search = loss.LossSearch(month_from=MONTHS[0], month_to=MONTHS[-1], by=by)
    grouped = loss.month_totals(loss.job_loss(district_officer, search))
    per_enterprise = loss.month_totals(loss.job_loss(district_officer, loss.LossSearch(
        month_from=MONTHS[0], month_to=MONTHS[-1], by="enterprise")))
    assert set(grouped) == set(per_enterprise)
    for month, t in grouped.items():
        p = per_enterprise[month]
        assert (t.enterprises, t.start, t.end, t.additions, t.reductions, t.layoffs) == \
            (p.enterprises, p.start, p.end, p.additions, p.reductions, p.layoffs)
        rows = EnterpriseReport.objects.filter(month=month, is_current=True)
        assert t.reductions == sum(r.reductions for r in rows) and t.net == sum(r.net_change for r in rows)
    for row in loss.job_loss(district_officer, search):  # each figure is the total of the list it opens
        s = queries.ReportSearch(month_from=row.month, month_to=row.month, enterprise_id=row.filters.get("enterprise"),
                                 region_code=row.filters.get("region", ""), industry=row.filters.get("industry", ""),
                                 size_class=row.filters.get("size_class", ""), ownership=row.filters.get("ownership", ""))
        assert queries.count_reports(district_officer, s) == row.enterprises
