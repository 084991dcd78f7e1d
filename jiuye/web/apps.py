from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiuye.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "工作台"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from jiuye.web import signals

        user_logged_in.connect(signals.on_logged_in, dispatch_uid="jiuye.web.audit_login")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="jiuye.web.audit_login_failed")
        user_logged_out.connect(signals.on_logged_out, dispatch_uid="jiuye.web.audit_logout")
