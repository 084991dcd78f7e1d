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
