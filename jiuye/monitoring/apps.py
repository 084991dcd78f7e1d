from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jiuye.monitoring"
    label = "monitoring"
    verbose_name = "就业监测预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (import kinds, receivers, demo); one line per part.
        from jiuye.monitoring import parameters  # noqa: F401  (declares the monitoring's dated parameters)
        from jiuye.monitoring import receivers_layoff  # noqa: F401  (board: unemployment registrations → mass-layoff warnings)
        from jiuye.monitoring import demo_board  # noqa: F401  (board: registry_loaded judges the demo's recent unemployment registrations)
