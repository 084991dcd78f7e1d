from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jiuye.reports"
    label = "reports"
    verbose_name = "统计报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (tasks, schedules); one line per part.
        pass
