from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "jiuye.targets"
    label = "targets"
    verbose_name = "目标任务与指标"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (parameters, import kinds, demo); one line per part.
        from jiuye.targets import parameters  # noqa: F401  (declares the targets' dated parameters)
        from jiuye.targets.kpis import cache_receivers  # noqa: F401  (dashboard: kept KPI values' invalidation)
