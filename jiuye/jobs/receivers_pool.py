"""The vacancies part's reactions to the registry's signals: the daily expiry of vacancies past their
validity (``daily_refresh``) and the talent reserve pool's leavers and joiners (``registrations_recorded``,
in the registering transaction, set-based per event: ``services.pool``)."""
from __future__ import annotations

from django.dispatch import receiver

from jiuye.registry import events


@receiver(events.daily_refresh, dispatch_uid="jobs_vacancies_daily")
def _daily(sender, today=None, **kwargs):
    from django.utils import timezone

    from jiuye.jobs.services.vacancies import expire_vacancies

    n = expire_vacancies(today or timezone.localdate())
    return f"招聘岗位：{n}个岗位有效期届满，已过期"


@receiver(events.registrations_recorded, dispatch_uid="jobs_talent_pool")
def _on_registrations_recorded(sender, ids=(), **kwargs):
    from jiuye.jobs.services.pool import on_registrations

    on_registrations(ids)
