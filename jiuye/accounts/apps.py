from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiuye.accounts"
    label = "accounts"
    verbose_name = "账号与审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.accounts import signals, throttling

        signals.connect()
        throttling.connect()
