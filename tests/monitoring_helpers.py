"""Shared helpers for the monitoring tests (issue 11): employers, enterprises in the sample, plain reports.

``make_enterprise`` and ``make_report`` write straight through the ORM (no service, no warning): tests of
the aggregates, the board and the demo use them to have something to work on; the enterprise services'
own tests go through ``monitoring.services.enterprises``.
"""
import datetime

from stdnum.cn import uscc

from jiuye.monitoring.models import EnterpriseReport, EnterpriseReportLine, MonitoredEnterprise
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1

D = datetime.date


def credit_code(n: int = 0) -> str:
    body = f"91610102MA6W8QX{n:02d}"
    return body + uscc.calc_check_digit(body)


def make_employer(officer, n=1, region=COMMUNITY_A1, name=None, industry_code="13", size_class="medium",
                  ownership="private", **fields):
    return registry.create_employer(actor=officer, credit_code=credit_code(n), name=name or f"监测企业{n}",
                                    region=region, industry_code=industry_code, size_class=size_class,
                                    ownership=ownership, **fields)


def make_enterprise(employer, joined_on=D(2016, 1, 1), left_on=None) -> MonitoredEnterprise:
    return MonitoredEnterprise.objects.create(employer=employer, region_id=employer.region_id, joined_on=joined_on,
                                              left_on=left_on)


def make_report(enterprise, month, start, *, additions=0, reductions=None, layoffs=0, due_on=None,
                submitted_at=None) -> EnterpriseReport:
    """``reductions``: {(type, reason): n}; additions: a number of new hires."""
    reductions = reductions or {}
    removed = sum(reductions.values())
    report = EnterpriseReport.objects.create(
        enterprise=enterprise, region_id=enterprise.region_id, month=month, start_headcount=start,
        end_headcount=start + additions - removed, additions=additions, reductions=removed, layoffs=layoffs,
        due_on=due_on or (month.replace(day=28) + datetime.timedelta(days=14)).replace(day=10),
        **({"submitted_at": submitted_at} if submitted_at else {}))
    lines = [EnterpriseReportLine(report=report, direction="reduce", kind=k, reason=r, count=n)
             for (k, r), n in reductions.items() if n]
    if additions:
        lines.append(EnterpriseReportLine(report=report, direction="add", kind="new_hire", count=additions))
    EnterpriseReportLine.objects.bulk_create(lines)
    return report
