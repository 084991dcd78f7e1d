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
