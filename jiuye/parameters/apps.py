from django.apps import AppConfig
from django.core.signals import setting_changed


def _settings_changed(setting, **kwargs):
    if setting == "JIUYE_PARAMETERS_DIR":
        from jiuye.parameters.store import clear_cache

        clear_cache()


class ParametersConfig(AppConfig):
    """No models: the app only brings the `jiuye params` command and the system check of the files."""

    name = "jiuye.parameters"
    label = "parameters"
    verbose_name = "参数"

    def ready(self):
        from jiuye.parameters import checks  # noqa: F401  (registers the system check)

        setting_changed.connect(_settings_changed, dispatch_uid="jiuye_parameters_settings_changed")
