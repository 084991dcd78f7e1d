from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiuye.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.registry import checks  # noqa: F401  (registers system checks)
