from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: the task worker, backup and restore (the top floor: it may use every app)."""

    name = "jiuye.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self):
        # django-tasks-db names its app in plain English (not translatable); the admin lists it as the
        # task queue that `jiuye worker` runs (its field and status labels: jiuye/locale).
        from django.apps import apps

        apps.get_app_config("django_tasks_database").verbose_name = "后台任务队列"
