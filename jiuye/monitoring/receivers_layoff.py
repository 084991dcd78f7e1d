"""Receivers of part "board": unemployment registrations naming a former employer (失业前单位) may raise a
mass-layoff warning and are linked to the employer's active one, inside the registry's transaction (one
service call, or one committed import chunk). Connected on import from ``MonitoringConfig.ready``."""
from __future__ import annotations

from django.dispatch import receiver

from jiuye.monitoring.services import layoff_registrations
from jiuye.registry import events


@receiver(events.registrations_recorded, dispatch_uid="monitoring_layoff_registrations_recorded")
def _recorded(sender, ids, **kwargs):
    layoff_registrations.registrations_changed(ids)


@receiver(events.registrations_corrected, dispatch_uid="monitoring_layoff_registrations_corrected")
def _corrected(sender, ids, **kwargs):
    # the replacing entries count from now on (a changed former employer, reason or date is judged anew)
    layoff_registrations.registrations_changed(ids)
