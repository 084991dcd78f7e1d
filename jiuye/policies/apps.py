from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jiuye.policies"
    label = "policies"
    verbose_name = "政策找人与补贴"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiuye.policies import parameters  # noqa: F401  (declares the policies' dated parameters)
        from jiuye.policies import pack  # noqa: F401  (registers the "policies" section of pack files)
        from jiuye.policies.importers import facts as _fact_importers  # noqa: E402  (facts: import kinds, one per fact)

        _fact_importers.register()
        from jiuye.policies import demo_claims  # noqa: F401,E402  (registry_loaded: packs for every load; demo history)
        from jiuye.policies import receivers  # noqa: F401,E402  (daily_refresh: the daily screening, stale runs)
