"""The policies app's reactions to the registry's domain events (connected in PoliciesConfig.ready)."""
from django.dispatch import receiver

from jiuye.registry import events


@receiver(events.daily_refresh, dispatch_uid="policies_daily")
def _daily(sender, today=None, **kwargs):
    from django.utils import timezone

    from jiuye.policies.services import screening

    counts = screening.daily(today or timezone.localdate())
    return screening.daily_line(counts)
