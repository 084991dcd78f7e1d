"""System check: every parameter file (shipped and the deployment's) is valid, so a mistake stops
`jiuye check` / `runserver` / `migrate` with file and line instead of a wrong answer later."""
from django.core.checks import Error, register

from jiuye.parameters.files import ParameterFilesInvalid
from jiuye.parameters.store import load_values


@register("jiuye")
def parameter_files(app_configs, **kwargs):
    try:
        load_values()
    except ParameterFilesInvalid as exc:
        return [Error(str(e), hint="jiuye params check <文件> 逐条列出错误；改正后重启", id="jiuye.E101")
                for e in exc.errors]
    return []
