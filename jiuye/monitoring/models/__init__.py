from jiuye.monitoring.models.enterprises import *  # noqa: F401,F403
from jiuye.monitoring.models.warnings import *  # noqa: F401,F403
from jiuye.monitoring.models.supply import *  # noqa: F401,F403  (supply: the shortage-occupation catalogue)
from jiuye.monitoring.models.unemployment import *  # noqa: F401,F403
