"""Mass-layoff warnings from unemployment registrations (失业登记归集的规模性裁员预警).

Called by ``receivers_layoff`` inside the transaction of the registry's change (one service call, or one
committed import chunk). For the employers named as 失业前单位 by the new counting registrations:

1. a registration naming an employer with an active mass-layoff warning (of any key: a report's or ours) is
   linked to it (``WarningLink``);
2. the counting unemployment registrations of those employers (not void, not replaced, reason in
   ``monitoring.layoff.unemployment_reasons``, not yet linked to a closed warning of that employer) are
   counted per employer and effective date in ONE grouped query for the chunk; a window is the registrations
   whose effective dates lie at most ``monitoring.layoff.registration_window_days`` days apart
   (``[end − window, end]``: 30 apart together, 31 apart not). The fullest window that holds a new
   registration is judged with ``rules.is_mass_layoff`` against the headcount (the latest current report's
   start headcount of the employer while it is in the monitored sample, else ``Employer.employee_count``,
   else the people threshold alone); a window on the line raises (or refreshes) the warning
   ``employer:<id>:registrations`` and links the window's registrations.

Level: orange when the line is reached, red at twice the people threshold (or more).
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from jiuye.monitoring import rules
from jiuye.monitoring.models import (EnterpriseReport, MonitoredEnterprise, Warning, WarningKind, WarningLevel,
                                     WarningLink, WarningStatus)
from jiuye.monitoring.services.warnings import link_registrations, raise_warning
from jiuye.parameters.store import params
from jiuye.registry.models import Employer, Registration
from jiuye.registry.status import counting_registrations

KEY = "employer:{id}:registrations"
RED_MULTIPLE = 2  # red at twice the people threshold (a board convention, not a legal number)


def key_of(employer_id: int) -> str:
    return KEY.format(id=employer_id)


def _params(region_id: str, on: datetime.date):
    p = params(region_id, on)
    return {"reasons": set(p["monitoring.layoff.unemployment_reasons"]),
            "window": int(p["monitoring.layoff.registration_window_days"]), "p": p}


def headcount_of(employer: Employer, on: datetime.date) -> tuple[int | None, str]:
    """(headcount, source): the latest current report's start headcount while the employer is in the sample,
    else the employer's 职工人数, else None."""
    in_sample = MonitoredEnterprise.objects.filter(employer=employer, joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on))
    report = (EnterpriseReport.objects.filter(enterprise__in=in_sample, is_current=True, month__lte=on)
              .order_by("-month", "-version").values("start_headcount", "month").first())
    if report is not None:
        return report["start_headcount"], _("%(m)s企业月报月初职工人数") % {"m": report["month"].strftime("%Y年%m月")}
    if employer.employee_count:
        return employer.employee_count, _("单位登记职工人数")
    return None, _("无职工人数（仅按人数标准判断）")


def _best_window(dated: dict[datetime.date, int], day: datetime.date, window: int) -> tuple[int, datetime.date, datetime.date]:
    """The fullest window [end − window, end] that contains ``day`` (ends from ``day`` to ``day + window``,
    at dates that hold registrations); ties: the earliest."""
    days = sorted(dated)
    best = (0, day, day)
    for end in [d for d in days if day <= d <= day + datetime.timedelta(days=window)]:
        start = end - datetime.timedelta(days=window)
        n = sum(c for d, c in dated.items() if start <= d <= end)
        first = min(d for d in dated if start <= d <= end)
        if n > best[0]:
            best = (n, first, end)
    return best


def _closed_links(employer_ids):
    """Registrations already answered by a closed mass-layoff warning of these employers: they do not count again."""
    return WarningLink.objects.filter(warning__kind=WarningKind.MASS_LAYOFF, warning__status=WarningStatus.CLOSED,
                                      warning__employer_id__in=employer_ids).values("registration_id")


def registrations_changed(registration_ids, *, actor=None) -> list[Warning]:
    """Evaluate the employers named by the counting unemployment registrations among ``registration_ids``."""
    new = list(counting_registrations().filter(
        pk__in=list(registration_ids), kind=Registration.Kind.UNEMPLOYMENT, former_employer__isnull=False)
        .values("pk", "former_employer_id", "effective_date", "unemployment_reason"))
    if not new:
        return []
    employers = {e.pk: e for e in Employer.objects.filter(pk__in={r["former_employer_id"] for r in new})}
    settings = {}
    for r in new:
        e = employers[r["former_employer_id"]]
        settings[(e.pk, r["effective_date"])] = _params(e.region_id, r["effective_date"])
    counting = [r for r in new if r["unemployment_reason"] in settings[(r["former_employer_id"], r["effective_date"])]["reasons"]]
    if not counting:
        return []
    touched = []
    # 1. link to an active mass-layoff warning of the employer (any key)
    active = {}
    for w in (Warning.objects.filter(kind=WarningKind.MASS_LAYOFF, employer_id__in={r["former_employer_id"] for r in counting})
              .exclude(status=WarningStatus.CLOSED).order_by("raised_at", "pk")):
        active.setdefault(w.employer_id, []).append(w)
    for employer_id, warnings in active.items():
        ids = [r["pk"] for r in counting if r["former_employer_id"] == employer_id]
        for w in warnings:
            link_registrations(w, ids)
    # 2. one grouped count per (employer, date, reason) over the span the chunk can reach
    employer_ids = {r["former_employer_id"] for r in counting}
    max_window = max(s["window"] for s in settings.values())
    lo = min(r["effective_date"] for r in counting) - datetime.timedelta(days=max_window)
    hi = max(r["effective_date"] for r in counting) + datetime.timedelta(days=max_window)
    reasons = set().union(*(s["reasons"] for s in settings.values()))
    closed_links = _closed_links(employer_ids)
    grouped = (counting_registrations()
               .filter(kind=Registration.Kind.UNEMPLOYMENT, former_employer_id__in=employer_ids,
                       unemployment_reason__in=reasons, effective_date__gte=lo, effective_date__lte=hi)
               .exclude(pk__in=closed_links)
               .values("former_employer_id", "effective_date", "unemployment_reason").annotate(n=Count("pk")))
    per_employer: dict[int, list[tuple]] = defaultdict(list)
    for g in grouped:
        per_employer[g["former_employer_id"]].append((g["effective_date"], g["unemployment_reason"], g["n"]))
    for employer_id in sorted(employer_ids):
        employer = employers[employer_id]
        own_active = [w for w in active.get(employer_id, []) if w.key == key_of(employer_id)]
        if active.get(employer_id) and not own_active:
            continue  # a report's warning covers this layoff: the registrations are linked to it
        best = None
        for r in sorted((r for r in counting if r["former_employer_id"] == employer_id), key=lambda r: r["effective_date"]):
            s = settings[(employer_id, r["effective_date"])]
            dated: dict[datetime.date, int] = defaultdict(int)
            for day, reason, n in per_employer[employer_id]:
                if reason in s["reasons"]:
                    dated[day] += n
            n, first, last = _best_window(dated, r["effective_date"], s["window"])
            if best is None or n > best[0]:
                best = (n, first, last, s)
        if best is None:
            continue
        n, first, last, s = best
        headcount, source = headcount_of(employer, last)
        if not rules.is_mass_layoff(n, headcount, s["p"]):
            continue
        touched.append(_raise(employer, n, first, last, headcount, source, s, actor))
    return touched


def _raise(employer: Employer, n: int, first: datetime.date, last: datetime.date, headcount, source, s, actor) -> Warning:
    p = s["p"]
    min_people = int(p["monitoring.layoff.min_people"])
    level = WarningLevel.RED if n >= RED_MULTIPLE * min_people else WarningLevel.ORANGE
    why = rules.layoff_explanation(n, headcount, p)
    detail = _("%(e)s：%(a)s至%(b)s共有%(n)s人办理失业登记并写明失业前单位为该单位（失业原因计入裁员），%(why)s。") % {
        "e": employer.name, "a": first.isoformat(), "b": last.isoformat(), "n": n, "why": why}
    facts = {"source": "registrations", "registrations": n, "window_start": first, "window_end": last,
             "window_days": s["window"], "headcount": headcount, "headcount_source": source,
             "min_people": min_people, "min_share": str(p["monitoring.layoff.min_share"]),
             "reasons": sorted(s["reasons"]), "employer_id": employer.pk, "credit_code": employer.credit_code}
    warning, _what = raise_warning(
        kind=WarningKind.MASS_LAYOFF, key=key_of(employer.pk), region_id=employer.region_id, level=level,
        title=_("规模性裁员风险：%(e)s（失业登记%(n)s人）") % {"e": employer.name, "n": n}, since=first, detail=detail,
        facts=facts, employer_id=employer.pk, actor=actor)
    window_ids = (counting_registrations()
                  .filter(kind=Registration.Kind.UNEMPLOYMENT, former_employer_id=employer.pk,
                          unemployment_reason__in=s["reasons"], effective_date__gte=first, effective_date__lte=last)
                  .exclude(pk__in=_closed_links({employer.pk}))
                  .values_list("pk", flat=True))
    link_registrations(warning, list(window_ids))
    return warning
