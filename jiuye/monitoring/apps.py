from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jiuye.monitoring"
    label = "monitoring"
    verbose_name = "就业监测预警"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (import kinds, receivers, demo); one line per part.
        from jiuye.monitoring import parameters  # noqa: F401  (declares the monitoring's dated parameters)
        from jiuye.monitoring import demo_supply  # noqa: F401  (supply: registry_loaded, ten years of market history and a catalogue)
        from jiuye.monitoring.importers import reports as _ent_reports  # noqa: E402  (enterprises: import kind ent_reports)
        _ent_reports.register()  # (enterprises)
        from jiuye.monitoring import demo_enterprises  # noqa: F401  (enterprises: registry_loaded, the demo sample and its reports)
        from jiuye.monitoring import receivers_unemployment  # noqa: F401  (unemployment: daily levels and monthly forecasts)
        from jiuye.monitoring import demo_unemployment  # noqa: F401  (unemployment: the demo's statistics series and forecasts)
        from jiuye.monitoring.importers import series as _series_importer  # noqa: E402  (unemployment: import kind stat_series)

        _series_importer.register()
        from jiuye.monitoring import receivers_layoff  # noqa: F401  (board: unemployment registrations → mass-layoff warnings)
        from jiuye.monitoring import demo_board  # noqa: F401  (board: registry_loaded judges the demo's recent unemployment registrations)
