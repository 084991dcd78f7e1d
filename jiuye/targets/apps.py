from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "jiuye.targets"
    label = "targets"
    verbose_name = "目标任务与指标"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (parameters, import kinds, demo); one line per part.
        from jiuye.targets import parameters  # noqa: F401  (declares the targets' dated parameters)
        from jiuye.targets.importers import targets as _target_importers  # noqa: E402  (targets: import kinds targets, kpi_inputs)
        _target_importers.register()  # (targets)
        from jiuye.targets import demo  # noqa: F401  (targets: registry_loaded loads the seeds' targets and the demo's)
        from jiuye.targets import demo_tasks  # noqa: F401  (tasks: registry_loaded, the task tables; demo progress and assessment)
        from jiuye.targets.kpis import cache_receivers  # noqa: F401  (dashboard: kept KPI values' invalidation)
