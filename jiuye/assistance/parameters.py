"""The assistance app's dated parameters (declared here; values in jiuye/parameters/data/ and a
deployment's JIUYE_PARAMETERS_DIR, docs/parameters.md). Read them as of a date for a jurisdiction:
``params(region_code, on)["assistance.deadlines.first_contact_working_days"]``."""
from jiuye.parameters import Parameter, declare
from jiuye.registry.parameters import HARD_TO_EMPLOY_CATEGORIES

PARAMETERS = [
    # Recognition (就业困难人员认定)
    Parameter("assistance.recognition.validity_months", "int", "就业困难人员认定有效期", unit="个月", minimum=0,
              description="0：长期有效，至退出为止；大于0：自认定之日起的月数，届满须重新认定。"),
    Parameter("assistance.recognition.stable_employment_months", "int", "稳定就业退出：连续就业月数", unit="个月", minimum=1,
              description="已认定人员连续就业满此月数即为稳定就业，退出就业困难人员认定。"),
    # Case deadlines, in working days (法定节假日及调休上班日按国家安排)
    Parameter("assistance.deadlines.first_contact_working_days", "int", "立案后首次联系时限", unit="个工作日", minimum=1),
    Parameter("assistance.deadlines.plan_working_days", "int", "立案后制定援助计划时限", unit="个工作日", minimum=1),
    Parameter("assistance.deadlines.zero_employment_working_days", "int", "零就业家庭实现就业时限", unit="个工作日", minimum=1,
              description="自认定为零就业家庭之日起，至少一名成员实现就业的时限。"),
    Parameter("assistance.deadlines.hard_to_employ_working_days", "int", "就业困难人员援助就业时限", unit="个工作日", minimum=1),
    Parameter("assistance.escalation.district_after_working_days", "int", "逾期升级至区县督办", unit="个工作日", minimum=1,
              description="期限逾期即由街道督办；逾期超过此工作日数仍未办结的，升级至区县督办。"),
    Parameter("assistance.follow_up_months", "int", "就业后跟踪回访期", unit="个月", minimum=0,
              description="援助对象实现就业后跟踪回访的月数；期间再次失业的，原个案重新立案。"),
    Parameter("assistance.follow_up_visit_working_days", "int", "就业后首次回访时限", unit="个工作日", minimum=1),
]
# Evidence each category needs (认定材料清单), per jurisdiction.
PARAMETERS += [
    Parameter(f"assistance.recognition.evidence.{code}", "list[str]", f"认定材料：{code}",
              description="申请认定该类别就业困难人员须提交的材料名称。")
    for code in HARD_TO_EMPLOY_CATEGORIES
]

declare(*PARAMETERS, owner="assistance")
