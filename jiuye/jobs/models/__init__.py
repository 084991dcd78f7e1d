from jiuye.jobs.models.occupations import *  # noqa: F401,F403
from jiuye.jobs.models.vacancies import *  # noqa: F401,F403
from jiuye.jobs.models.seekers import *  # noqa: F401,F403
from jiuye.jobs.models.applications import *  # noqa: F401,F403
from jiuye.jobs.models.gigs import *  # noqa: F401,F403
from jiuye.jobs.models.events import *  # noqa: F401,F403
from jiuye.jobs.models.matching import *  # noqa: F401,F403
