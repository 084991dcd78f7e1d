from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The import engine: readers, header matching, validation, error report, batches (no domain)."""

    name = "jiuye.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "数据导入"
