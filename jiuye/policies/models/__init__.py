from jiuye.policies.models.claims import *  # noqa: F401,F403
from jiuye.policies.models.facts import *  # noqa: F401,F403
from jiuye.policies.models.ledger import *  # noqa: F401,F403
from jiuye.policies.models.packs import *  # noqa: F401,F403
from jiuye.policies.models.screening import *  # noqa: F401,F403
