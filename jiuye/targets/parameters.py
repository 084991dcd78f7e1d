"""Dated parameters the targets app reads (values in parameters/data/*.yaml or a deployment's file).

The red/amber/green thresholds of progress against the time-elapsed share (序时进度), the criteria of a
full-employment community (充分就业社区) per jurisdiction ... each part declares its own keys here, one
block per part.
"""
from __future__ import annotations

from jiuye.parameters import Parameter, declare  # noqa: F401

# targets: communities and tasks (issue 12): the criteria of a full-employment community (充分就业社区),
# judged for each community on 31 December of the year assessed (see communities.py, docs/targets/communities.md).
COMMUNITY_PARAMETERS = [
    Parameter("targets.fe_community.zero_households_max", "int", "充分就业社区：零就业家庭户数上限", unit="户", minimum=0,
              description="年末（12月31日）社区内尚未消除的零就业家庭户数不超过此数（动态清零为0）。"),
    Parameter("targets.fe_community.hte_assisted_min", "decimal", "充分就业社区：就业困难人员援助率下限", unit="比例",
              minimum=0, description="年末在册就业困难人员中已建立援助个案或已实现就业的比例不低于此值（1 即 100%）。"),
    Parameter("targets.fe_community.registered_unemployment_max", "decimal", "充分就业社区：登记失业率上限",
              unit="比例", minimum=0,
              description="年末劳动年龄登记失业人数占劳动年龄登记就业与失业人数之和的比例不超过此值（0.04 即 4%）。"),
    Parameter("targets.fe_community.able_willing_employed_min", "decimal", "充分就业社区：有劳动能力和就业意愿人员就业率下限",
              unit="比例", minimum=0,
              description="年末劳动年龄、有劳动能力且有就业意愿的人员中处于就业状态的比例不低于此值。"),
    Parameter("targets.fe_community.reemployed_min", "decimal", "充分就业社区：登记失业人员再就业率下限", unit="比例",
              minimum=0, description="年内处于登记失业状态的人员中，年末已实现就业的比例不低于此值。"),
]
declare(*COMMUNITY_PARAMETERS, owner="targets")
