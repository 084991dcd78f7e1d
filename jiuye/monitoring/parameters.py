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

# monitoring: supply (the shortage-occupation catalogue, 紧缺职业目录; see queries/supply.py and docs/monitoring/supply.md)
SHORTAGE_PARAMETERS = [
    Parameter("monitoring.shortage.min_ratio", "decimal", "紧缺职业：求人倍率下限", unit="倍", minimum=0,
              description="某职业某月需求人数÷求职人数达到此值（或有需求而无求职者）即计为该月紧缺。"),
    Parameter("monitoring.shortage.min_months", "int", "紧缺职业：全年紧缺月数下限", unit="个月", minimum=1,
              description="一年中至少有此月数紧缺的职业方可列入紧缺职业目录（持续性）。"),
    Parameter("monitoring.shortage.min_openings", "int", "紧缺职业：全年需求人数下限", unit="人", minimum=1,
              description="全年需求人数不足此数的职业不列入目录（避免个别岗位造成的偶然紧缺）。"),
    Parameter("monitoring.shortage.max_entries", "int", "紧缺职业目录：最多职业数", unit="个", minimum=1,
              description="目录按紧缺月数、求人倍率、需求人数排序后最多收录的职业数。"),
]
declare(*SHORTAGE_PARAMETERS, owner="monitoring")
# monitoring: enterprises (the sample's coverage check and the level of a mass-layoff warning)
ENTERPRISE_PARAMETERS = [
    Parameter("monitoring.sample.min_industries", "int", "监测企业样本至少覆盖的行业门类数", unit="个", minimum=1,
              description="重点企业用工监测样本应覆盖的国民经济行业门类（GB/T 4754）数目下限。"),
    Parameter("monitoring.sample.large_industry_share", "decimal", "本地主要行业的就业占比下限", unit="比例", minimum=0,
              description="行业门类的职工人数占本辖区全部用人单位职工人数达到此比例（0.05 即 5%）即为本地主要行业，样本中应有代表。"),
    Parameter("monitoring.sample.thin_ratio", "decimal", "样本行业占比偏低的判定比例", unit="比例", minimum=0,
              description="主要行业在样本中的职工占比低于其本地占比乘以此比例（0.5 即不足一半）时列为“代表性不足”。"),
    Parameter("monitoring.layoff.level_people", "list[int]", "规模性裁员预警等级（黄、橙、红）的裁员人数", unit="人",
              minimum=1, description="依次为黄色、橙色、红色预警的裁员人数下限；达到预警线但不足第一项的为蓝色预警。"),
]
declare(*ENTERPRISE_PARAMETERS, owner="monitoring")
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
