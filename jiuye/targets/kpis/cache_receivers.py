"""Receivers that keep the kept KPI values (kpis/cache.py) true: a registry change deletes the values it may
affect, inside the writer's transaction; the daily refresh and the demo load precompute the current periods.
Imported by TargetsConfig.ready (dashboard part). Rules: cache.py's docstring and docs/targets/dashboard.md."""
from __future__ import annotations

import datetime

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jiuye.monitoring.models import StatSeriesValue
from jiuye.monitoring.periods import PeriodError, parse_period
from jiuye.registry import events
from jiuye.targets.kpis.cache import (HOUSEHOLD_KPIS, PERSON_FIELDS_NOT_COUNTED, PERSON_KPIS, current_periods,
                                      default_periods, earliest_registration, invalidate, refresh)
from jiuye.targets.models import CommunityAssessment, InputValue


@receiver([events.registrations_recorded, events.registrations_corrected, events.registrations_voided],
          dispatch_uid="targets_kpi_cache_registrations", weak=False)
def _registrations(sender, ids=(), corrected_ids=(), voided_ids=(), **kwargs):
    since = earliest_registration([*ids, *(corrected_ids or ()), *(voided_ids or ())])
    if since is not None:
        invalidate(since=since)


@receiver(events.persons_changed, dispatch_uid="targets_kpi_cache_persons", weak=False)
def _persons(sender, fields=(), **kwargs):
    if set(fields or ()) - PERSON_FIELDS_NOT_COUNTED or not fields:
        invalidate()


@receiver(events.persons_created, dispatch_uid="targets_kpi_cache_persons_created", weak=False)
def _persons_created(sender, **kwargs):
    invalidate(kpis=PERSON_KPIS)


@receiver([events.households_changed, events.memberships_opened, events.memberships_closed],
          dispatch_uid="targets_kpi_cache_households", weak=False)
def _households(sender, **kwargs):
    invalidate(kpis=HOUSEHOLD_KPIS)


@receiver(events.registry_loaded, dispatch_uid="targets_kpi_cache_loaded", weak=False)
def _loaded(sender, today=None, demo=False, **kwargs):
    invalidate()
    if demo:
        kept = refresh(default_periods(today))  # quick: the default view; the trend months fill on first view
        return f"指标缓存：已预先计算 {kept} 项指标值（上月及年初至上月累计）"
    return None


@receiver(events.daily_refresh, dispatch_uid="targets_kpi_cache_daily", weak=False)
def _daily(sender, today=None, **kwargs):
    kept = refresh(current_periods(today))
    return f"指标缓存：已重新计算 {kept} 项指标值"


@receiver([post_save, post_delete], sender=InputValue, dispatch_uid="targets_kpi_cache_inputs", weak=False)
def _inputs(sender, instance, **kwargs):
    try:
        invalidate(since=parse_period(instance.period).start)
    except PeriodError:
        invalidate()


@receiver([post_save, post_delete], sender=StatSeriesValue, dispatch_uid="targets_kpi_cache_series", weak=False)
def _series(sender, instance, **kwargs):
    invalidate(since=instance.month)


@receiver([post_save, post_delete], sender=CommunityAssessment, dispatch_uid="targets_kpi_cache_assessments",
          weak=False)
def _assessments(sender, instance, **kwargs):
    invalidate(since=datetime.date(instance.year, 1, 1))
