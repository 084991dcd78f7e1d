"""The assistance app's models, one module per part (each part adds its module here)."""
from jiuye.assistance.models.core import *  # noqa: F401,F403
from jiuye.assistance.models.posts import *  # noqa: F401,F403
from jiuye.assistance.models.relocation import *  # noqa: F401,F403  (helper ledger: relocation communities)
