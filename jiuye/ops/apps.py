from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: the task worker, backup and restore (the top floor: it may use every app)."""

    name = "jiuye.ops"
    label = "ops"
    verbose_name = "运维"
