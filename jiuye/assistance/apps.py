from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jiuye.assistance"
    label = "assistance"
    verbose_name = "就业援助"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.assistance import parameters  # noqa: F401  (declares the assistance app's dated parameters)
        from jiuye.assistance import receivers  # noqa: F401  (connects the receivers of the registry's events)
        from jiuye.assistance.services import posts as _posts  # noqa: E402  (公益性岗位: next step on cases, import kinds)
        _posts.connect()
        from jiuye.assistance.importers import posts as _post_importers  # noqa: E402  (welfare_posts, post_placements)
        _post_importers.register()
        from jiuye.assistance.importers.recognitions import register as register_recognitions

        register_recognitions()  # import kind "recognitions" (就业困难人员认定台账)
