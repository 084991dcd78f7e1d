"""The matching part's daily job: a recommendation run over everyone (registry.events.daily_refresh,
sent by ``jiuye refresh_projections``); connected in JobsConfig.ready."""
from django.dispatch import receiver

from jiuye.registry import events


@receiver(events.daily_refresh, dispatch_uid="jobs_matching_daily")
def _daily(sender, today=None, **kwargs):
    from django.utils import timezone

    from jiuye.jobs.services import matching

    return matching.daily_line(matching.daily(today or timezone.localdate()))
