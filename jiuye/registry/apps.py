from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_planner_statistics(using="default", **kwargs):
    """SQLite plans person searches from ANALYZE statistics; a new index without them can turn a
    20 ms search into a full scan. Refresh them after migrations (PostgreSQL's autovacuum does this)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class RegistryConfig(AppConfig):
    name = "jiuye.registry"
    label = "registry"
    verbose_name = "实名登记"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.registry import checks  # noqa: F401  (registers system checks)
        from jiuye.registry import parameters  # noqa: F401  (declares the registry's dated parameters)
        from jiuye.registry.importers import register_all

        register_all()

        from jiuye.registry import certificates  # issue 7 (H2): 就业创业证 issued on registration

        certificates.connect()

        post_migrate.connect(_refresh_planner_statistics, sender=self, dispatch_uid="jiuye_registry_analyze")
