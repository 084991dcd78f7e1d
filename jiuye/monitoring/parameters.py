"""Dated parameters the monitoring app reads (values in parameters/data/*.yaml or a deployment's file).

Every threshold a warning uses (the mass-layoff line, the reasons that count as layoffs, rate thresholds per
level, the unemployment limits of each jurisdiction's plan, the report deadline) is a dated parameter with
its legal basis, read as of the period it judges. Each part declares its own keys here, one block per part.
"""
from __future__ import annotations

from jiuye.parameters import Parameter, declare  # noqa: F401

# monitoring: layoff (shared by the enterprise reports and the registration trigger; see rules.py)
from jiuye.monitoring.models import ReductionType  # noqa: E402
from jiuye.registry.models import UnemploymentReason  # noqa: E402

LAYOFF_PARAMETERS = [
    Parameter("monitoring.layoff.min_people", "int", "规模性裁员预警线：裁减人数", unit="人", minimum=1,
              description="一次（一个月内）裁减人员达到此人数即发出规模性裁员预警。"),
    Parameter("monitoring.layoff.min_share", "decimal", "规模性裁员预警线：占职工总数比例", unit="比例", minimum=0,
              description="裁减人数不足上一项，但占月初职工人数达到此比例（0.10 即 10%）也发出预警。"),
    Parameter("monitoring.layoff.reduction_types", "list[str]", "计入裁员的减员类型",
              choices=tuple(c for c, _label in ReductionType.choices),
              description="企业月报中哪些减员类型计入裁员人数（辞职、退休、合同期满等不计入）。"),
    Parameter("monitoring.layoff.unemployment_reasons", "list[str]", "计入裁员的失业原因",
              choices=tuple(c for c, _label in UnemploymentReason.choices),
              description="失业登记写明失业前单位时，哪些失业原因计入该单位的裁员人数。"),
    Parameter("monitoring.layoff.registration_window_days", "int", "失业登记归集期", unit="天", minimum=1,
              description="同一失业前单位的失业登记在此天数内累计达到预警线即发出规模性裁员预警。"),
    Parameter("monitoring.report.due_day", "int", "企业月报报送截止日", unit="日", minimum=1,
              description="监测企业应于次月此日（含）前报送上月用工情况，逾期为迟报，未报为缺报（1至28）。"),
]
declare(*LAYOFF_PARAMETERS, owner="monitoring")

# monitoring: unemployment (registered and surveyed rates: the limit of each series and the warning levels)
UNEMPLOYMENT_PARAMETERS = [
    Parameter("monitoring.unemployment.registered_limit", "decimal", "城镇登记失业率控制目标", unit="%", minimum=0,
              description="本辖区规划或年度目标中的城镇登记失业率上限（百分数，4 即 4%）；预警等级和预测越限以此为准。"),
    Parameter("monitoring.unemployment.surveyed_limit", "decimal", "城镇调查失业率控制目标", unit="%", minimum=0,
              description="本辖区规划或年度目标中的城镇调查失业率上限（百分数，5.5 即 5.5%）。"),
    Parameter("monitoring.unemployment.level_ratios", "list[decimal]", "失业率预警等级线（占控制目标的比例）",
              minimum=0,
              description="依次为蓝色、黄色、橙色、红色预警线，以控制目标的倍数表示（0.85 即达到目标的85%）；"
                          "失业率达到某一线即为该等级，低于蓝色线不预警。"),
]
declare(*UNEMPLOYMENT_PARAMETERS, owner="monitoring")
