from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jiuye.jobs"
    label = "jobs"
    verbose_name = "岗位与匹配"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each part connects what it needs here (import kinds, receivers); one line per part.
        from jiuye.jobs import parameters  # noqa: F401  (declares the jobs' dated parameters)
        from jiuye.jobs import demo  # noqa: F401  (registry_loaded: occupations for every load; the demo city's jobs)
        from jiuye.jobs import receivers_matching  # noqa: F401  (daily_refresh: the daily recommendation run)
        from jiuye.jobs import receivers_seekers  # noqa: F401  (seek: registrations close seeking, link scheduled hires)
        from jiuye.jobs import receivers_pool  # noqa: F401  (vac: daily expiry of vacancies)
        from jiuye.jobs.importers import occupations as _occupation_importer  # noqa: E402  (vac: import kind occupations)

        _occupation_importer.register()
        from jiuye.jobs.importers import surveys as _survey_importer  # noqa: E402  (vac: import kind demand_survey)

        _survey_importer.register()
        from jiuye.jobs.importers import vacancies as _vacancy_importer  # noqa: E402  (vac: import kind vacancies)

        _vacancy_importer.register()
