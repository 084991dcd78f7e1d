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

# Public-welfare posts (公益性岗位), the posts part (services/posts.py)
POST_CATEGORIES = ("urban", "rural", "temporary")
#: What makes a person eligible for a post: a recognised hard-to-employ person (an act of this app), or a
#: member of one of the registry's groups (registry/groups.py codes).
POST_ELIGIBLE_GROUPS = ("recognised_hard_to_employ", "hard_to_employ", "zero_employment_household", "poverty_lifted",
                        "poverty_monitored", "disabled", "dibao", "migrant_worker", "long_term_unemployed", "veteran")
PARAMETERS += [
    Parameter(f"assistance.posts.eligible_groups.{c}", "list[str]", f"公益性岗位安置对象：{c}", choices=POST_ELIGIBLE_GROUPS,
              description="可安置到该类公益性岗位的人员：recognised_hard_to_employ（经认定的就业困难人员）或人员库的重点群体代码。")
    for c in POST_CATEGORIES
] + [
    Parameter(f"assistance.posts.tenure_months.{c}", "int", f"公益性岗位安置期限（累计）：{c}", unit="个月", minimum=1,
              description="同一人在该类公益性岗位上累计安置的最长月数。")
    for c in POST_CATEGORIES
] + [
    Parameter(f"assistance.posts.subsidy_monthly.{c}", "decimal", f"公益性岗位月补贴标准：{c}", unit="元", minimum=0,
              description="岗位未单独填写月补贴时按此标准；0表示本辖区未规定统一标准，须在每个岗位上填写月补贴。")
    for c in ("urban", "rural")
] + [
    Parameter("assistance.posts.temporary_subsidy_rate", "decimal", "临时性公益性岗位补贴：按城镇公益性岗位月补贴标准的倍数",
              minimum=0, description="例如1.2即120%。"),
    Parameter("assistance.posts.near_retirement_years", "int", "距法定退休年龄不足此年数的，可安置至退休", unit="年", minimum=0),
    Parameter("assistance.posts.to_retirement_categories", "list[str]", "可延长至退休的岗位类别", choices=POST_CATEGORIES),
    Parameter("assistance.posts.warning_days", "int", "安置期满提醒：提前天数", unit="天", minimum=1),
    Parameter("assistance.posts.payroll_prorate", "bool", "补贴按出勤折算",
              description="true：应发补贴=月补贴×出勤天数÷（出勤天数+缺勤天数）；false：当月有出勤即全额发放。"),
    Parameter("assistance.posts.suggest_days_before_deadline", "int", "个案临近就业时限多少天内提示公益性岗位兜底安置",
              unit="天", minimum=0),
]

declare(*PARAMETERS, owner="assistance")
