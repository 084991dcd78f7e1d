from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jiuye.assistance"
    label = "assistance"
    verbose_name = "就业援助"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.assistance import parameters  # noqa: F401  (declares the assistance app's dated parameters)
        from jiuye.assistance import receivers  # noqa: F401  (connects the receivers of the registry's events)
        from jiuye.assistance.importers.recognitions import register as register_recognitions

        register_recognitions()  # import kind "recognitions" (就业困难人员认定台账)
