"""The enterprise sample of the demo city (``registry.events.registry_loaded`` with ``demo=True``).

About forty monitored enterprises chosen from the demo city's employers so that the sample mirrors the city's
industry structure (slots per GB/T 4754 section in proportion to the section's employees, the largest
employers of each section first, at least one for each of the largest sections), each with ten years of
monthly reports up to last month that balance and chain (start = previous end), with seasonal hiring
(spring after the Festival, autumn) and leaving (resignations after the Festival, retirements, contracts
ending); the history stays under the mass-layoff line. Planted: a mass layoff last month at one enterprise
(35 经济性裁员, 订单减少) whose warning is raised by ``services.reports.evaluate_layoff`` (the service's own
evaluation); one late reporter (its last due report came in three days after the due date); the demo employer
user's employer is enrolled too and has not yet reported last month, so it is the missing reporter and
``demo_employer`` can submit that report in the portal. Deterministic (a fixed seed), bulk inserts.
"""
from __future__ import annotations

import datetime
import math
import random
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from jiuye.registry import events

SEED = 20261111
SAMPLE_SIZE = 40
PLANTED_LAYOFF = 35
YEARS = 10


def _section(code: str) -> str:
    from jiuye.monitoring.queries.enterprises import section_letter

    return section_letter(code)


def _choose(employers: list, size: int) -> list:
    """Slots per section in proportion to its employees (largest remainders), the largest employers first."""
    by_section: dict[str, list] = {}
    for e in employers:
        by_section.setdefault(_section(e.industry_code), []).append(e)
    by_section.pop("?", None)
    weights = {s: sum(e.employee_count or 0 for e in es) for s, es in by_section.items()}
    total = sum(weights.values()) or 1
    quotas = {s: size * w / total for s, w in weights.items()}
    slots = {s: min(int(q), len(by_section[s])) for s, q in quotas.items()}
    for s in sorted(weights, key=lambda s: -weights[s])[:6]:  # the largest sections always have one
        slots[s] = max(slots[s], 1)
    for s in sorted(quotas, key=lambda s: -(quotas[s] - int(quotas[s]))):
        if sum(slots.values()) >= size:
            break
        if slots[s] < len(by_section[s]):
            slots[s] += 1
    chosen = []
    for s, n in slots.items():
        chosen += sorted(by_section[s], key=lambda e: (-(e.employee_count or 0), e.pk))[:n]
    return sorted(chosen, key=lambda e: e.pk)


def _demo_employer():
    """The employer of the demo employer user (``registry/demo/users.py``): its link when the user exists, else the
    employer that module will choose."""
    from jiuye.accounts.models import User
    from jiuye.registry.demo.users import STREET
    from jiuye.registry.models import Employer
    from jiuye.registry.queries import linked_employer_id

    user = User.objects.filter(username="demo_employer").first()
    linked = linked_employer_id(user) if user is not None else None
    if linked:
        return Employer.objects.get(pk=linked)
    return (Employer.objects.filter(region__code__startswith=STREET[:9]).order_by("id").first()
            or Employer.objects.order_by("id").first())


def seed(today: datetime.date) -> str:
    from jiuye.monitoring.models import EnterpriseReport, EnterpriseReportLine, MonitoredEnterprise, ReportChannel
    from jiuye.monitoring.queries.reports import due_on
    from jiuye.monitoring.rules import layoffs_of
    from jiuye.monitoring.services.reports import evaluate_layoff
    from jiuye.parameters import params
    from jiuye.registry.models import Employer

    if MonitoredEnterprise.objects.exists():
        return ""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(SEED)
    last = today.replace(day=1) - relativedelta(months=1)
    first = last - relativedelta(months=12 * YEARS - 1)
    months = [first + relativedelta(months=i) for i in range(12 * YEARS)]
    candidates = list(Employer.objects.filter(employee_count__gte=20).exclude(industry_code="")
                      .only("pk", "industry_code", "employee_count", "region_id", "contact_name", "contact_phone"))
    chosen = _choose(candidates, SAMPLE_SIZE)
    own = _demo_employer()
    if own is not None and own.pk not in {e.pk for e in chosen}:
        chosen.append(own)
    if len([e for e in chosen if own is None or e.pk != own.pk]) < 2:
        return ""  # too few employers for a sample with a planted layoff and a late reporter (a tiny registry)
    now = datetime.datetime.combine(today, datetime.time(8), tzinfo=tz)
    due_last = due_on(chosen[0].region_id, last)
    late_month = last if today > due_last + datetime.timedelta(days=3) else last - relativedelta(months=1)
    planted = max((e for e in chosen if own is None or e.pk != own.pk), key=lambda e: (e.employee_count or 0, -e.pk))
    planted = min((e for e in chosen if (e.employee_count or 0) >= 200 and e.pk != getattr(own, "pk", None)),
                  key=lambda e: (e.employee_count, e.pk), default=planted)
    late = next(e for e in reversed(chosen) if e.pk not in (planted.pk, getattr(own, "pk", None)))
    layoff_types = {m.year: None for m in months}
    for year in layoff_types:
        layoff_types[year] = params(chosen[0].region_id, datetime.date(year, 12, 1))
    with transaction.atomic():
        enterprises = MonitoredEnterprise.objects.bulk_create([
            MonitoredEnterprise(employer_id=e.pk, region_id=e.region_id, joined_on=first,
                                contact_name=e.contact_name or "人事专员", contact_phone=e.contact_phone or "",
                                created_at=datetime.datetime.combine(first, datetime.time(9), tzinfo=tz))
            for e in chosen])
        reports, plans = [], []
        due_cache: dict[tuple[str, datetime.date], datetime.date] = {}
        for employer, enterprise in zip(chosen, enterprises):
            head = max(int(employer.employee_count or 20), 20)
            for month in months:
                if own is not None and employer.pk == own.pk and month == last:
                    continue  # the missing reporter: the demo employer reports it in the portal
                season = 1 + 0.6 * math.cos(2 * math.pi * (month.month - 3) / 12)  # hiring peaks in March
                hires = max(0, round(head * 0.018 * season + rng.gauss(0, max(1.0, head * 0.004))))
                resigned = max(0, round(head * (0.012 + (0.01 if month.month in (2, 3) else 0))
                                        + rng.gauss(0, max(1.0, head * 0.003))))
                retired = 1 if rng.random() < min(0.9, head / 400) else 0
                expired = max(0, round(head * 0.004 + rng.gauss(0, 0.8))) if month.month in (6, 12) else 0
                fired = 1 if head >= 100 and rng.random() < 0.08 else 0
                lines = {("resigned", "personal"): resigned, ("retired", "retirement"): retired,
                         ("contract_expired", "contract"): expired, ("employer_termination", "other"): fired}
                if employer.pk == planted.pk and month == last:
                    lines[("economic_layoff", "orders_down")] = PLANTED_LAYOFF
                    hires = 0
                removed = sum(lines.values())
                if removed > head + hires - 5:  # keep a small enterprise alive
                    lines = {("resigned", "personal"): max(0, head + hires - 5)}
                    removed = sum(lines.values())
                adds = {"new_hire": hires}
                p = layoff_types[month.year]
                key = (employer.region_id, month)
                if key not in due_cache:
                    due_cache[key] = due_on(employer.region_id, month)
                due = due_cache[key]
                if employer.pk == late.pk and month == late_month:
                    submitted = datetime.datetime.combine(due + datetime.timedelta(days=3), datetime.time(15), tzinfo=tz)
                else:
                    submitted = datetime.datetime.combine(due - datetime.timedelta(days=rng.randint(1, 8)),
                                                          datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)
                submitted = min(submitted, now)
                end = head + hires - removed
                reports.append(EnterpriseReport(
                    enterprise=enterprise, region_id=employer.region_id, month=month, start_headcount=head,
                    end_headcount=end, additions=hires, reductions=removed,
                    layoffs=layoffs_of([(k, n) for (k, _r), n in lines.items()], p),
                    channel=ReportChannel.SEED, submitted_at=submitted, due_on=due))
                plans.append((adds, lines))
                head = end
        EnterpriseReport.objects.bulk_create(reports, batch_size=2000)
        line_rows = []
        for report, (adds, lines) in zip(reports, plans):
            line_rows += [EnterpriseReportLine(report_id=report.pk, direction="add", kind=k, count=n)
                          for k, n in adds.items() if n]
            line_rows += [EnterpriseReportLine(report_id=report.pk, direction="reduce", kind=k, reason=r, count=n)
                          for (k, r), n in lines.items() if n]
        EnterpriseReportLine.objects.bulk_create(line_rows, batch_size=5000)
        planted_report = next(r for r in reports if r.enterprise.employer_id == planted.pk and r.month == last)
        warning, _what, _linked = evaluate_layoff(planted_report)
    return (f"重点企业用工监测：{len(enterprises)}家监测企业，{len(reports):,}份月报（{YEARS}年），"
            f"{planted.name}{last:%Y年%-m月}裁员{PLANTED_LAYOFF}人已发出预警" + ("" if warning else "（未达预警线）"))


@receiver(events.registry_loaded, dispatch_uid="monitoring_enterprises_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    if not demo:
        return ""
    return seed(today or timezone.localdate())
