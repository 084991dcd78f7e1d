"""Dated parameters the targets app reads (values in parameters/data/*.yaml or a deployment's file).

The red/amber/green thresholds of progress against the time-elapsed share (序时进度), the criteria of a
full-employment community (充分就业社区) per jurisdiction ... each part declares its own keys here, one
block per part.
"""
from __future__ import annotations

from jiuye.parameters import Parameter, declare  # noqa: F401

# targets: kpis (issue 12 scope 1): years of schooling by education, for avg_schooling_years (docs/targets/kpis.md)
SCHOOLING_LEVELS = ("primary", "junior", "senior", "vocational", "college", "bachelor", "master", "doctor")
SCHOOLING_LABELS = {"primary": "小学及以下", "junior": "初中", "senior": "高中", "vocational": "中专/中职/技校",
                    "college": "大专", "bachelor": "本科", "master": "硕士研究生", "doctor": "博士研究生"}
KPI_PARAMETERS = [
    Parameter(f"targets.schooling_years.{level}", "int", f"受教育年限折算：{SCHOOLING_LABELS[level]}", unit="年",
              minimum=0, description="计算劳动年龄人口平均受教育年限时，该文化程度折算的受教育年数。")
    for level in SCHOOLING_LEVELS
]
declare(*KPI_PARAMETERS, owner="targets")
# targets: targets (issue 12): red/amber/green of progress against the time-elapsed share (序时进度) and of a
# ceiling against its limit (see targets/progress.py and docs/targets/targets.md)
TARGET_PARAMETERS = [
    Parameter("targets.progress.amber_gap", "decimal", "进度偏慢（黄）：低于序时进度的差额", unit="比例", minimum=0,
              description="计数类指标的完成进度低于序时进度、但差额不超过此值（0.05 即 5 个百分点）为正常（绿）；"
                          "超过此值为偏慢（黄）。"),
    Parameter("targets.progress.red_gap", "decimal", "进度滞后（红）：低于序时进度的差额", unit="比例", minimum=0,
              description="计数类指标的完成进度低于序时进度超过此值（0.15 即 15 个百分点）为滞后（红）。"),
    Parameter("targets.ceiling.amber_share", "decimal", "控制目标接近上限（黄）的比例", unit="比例", minimum=0,
              description="失业率等控制类指标达到上限的此比例（0.9 即上限的90%）为偏紧（黄），达到或超过上限为红。"),
]
declare(*TARGET_PARAMETERS, owner="targets")
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
