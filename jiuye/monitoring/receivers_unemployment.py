"""The unemployment part's daily work (registry.events.daily_refresh, sent by ``jiuye refresh_projections``):
evaluate the warning levels of every region's latest month, and refit the forecasts once per new month.
Connected in MonitoringConfig.ready."""
from django.dispatch import receiver

from jiuye.registry import events


@receiver(events.daily_refresh, dispatch_uid="monitoring_unemployment_daily")
def _daily(sender, today=None, **kwargs):
    from django.db import transaction
    from django.utils import timezone

    from jiuye.monitoring.services import forecasts, series

    today = today or timezone.localdate()
    with transaction.atomic():
        raised = series.evaluate_levels(today=today)
    runs = forecasts.refresh_monthly(today)
    return f"失业率预警：{len(raised)}项达到预警线；失业率预测：本月新算{len(runs)}项"
