"""The registry's dated parameters (declared here; values in jiuye/parameters/data/ and a
deployment's JIUYE_PARAMETERS_DIR). ``registry.groups`` hands ``params(region, on)["registry"]`` to
the rule bodies, so ``r["hard_to_employ"]["categories"]`` is the key
``registry.hard_to_employ.categories`` resolved for that jurisdiction on that date."""
from jiuye.parameters import Parameter, declare

HARD_TO_EMPLOY_CATEGORIES = (
    "older_worker",               # 女性40周岁以上、男性50周岁以上
    "disability",                 # 残疾人
    "dibao",                      # 低保家庭成员
    "zero_employment_household",  # 零就业家庭成员
    "long_term_unemployed",       # 连续失业一定期限
    "land_lost_farmer",           # 失地农民
    "veteran_unemployed",         # 退役军人失业一定期限
    "released_or_rehabilitated",  # 刑满释放、戒毒康复人员
    "poor_household_graduate",    # 脱贫家庭/低保家庭离校未就业高校毕业生
)

PARAMETERS = [
    Parameter("registry.female_retirement_base", "int", "女职工原法定退休年龄（默认基准）", unit="周岁",
              choices=(50, 55), description="人员记录未写明时采用；2024年渐进式延迟退休办法在此基准上按出生年月延迟。"),
    Parameter("registry.graduates.within_years_after_leaving", "int", "离校未就业高校毕业生年限（离校N年内）",
              unit="年", minimum=1),
    Parameter("registry.graduates.within_years_after_graduation", "int", "毕业N年内高校毕业生年限", unit="年", minimum=1),
    Parameter("registry.long_term_unemployed_months", "int", "长期失业人员：连续失业月数", unit="个月", minimum=1),
    Parameter("registry.hard_to_employ.categories", "list[str]", "就业困难人员认定类别", choices=HARD_TO_EMPLOY_CATEGORIES,
              description="就业困难人员的具体范围由省级人民政府规定（《就业促进法》第五十二条）。"),
    Parameter("registry.hard_to_employ.older_worker_female_age", "int", "就业困难人员：大龄女性年龄", unit="周岁", minimum=16),
    Parameter("registry.hard_to_employ.older_worker_male_age", "int", "就业困难人员：大龄男性年龄", unit="周岁", minimum=16),
    Parameter("registry.hard_to_employ.long_term_unemployed_months", "int", "就业困难人员：连续失业月数", unit="个月",
              minimum=1),
    Parameter("registry.hard_to_employ.veteran_unemployed_months", "int", "就业困难人员：退役军人失业月数", unit="个月",
              minimum=1),
]

# Online self-service registration (线上就业、失业登记): whether a resident's own registration waits for
# the community worker's confirmation (true) or takes effect at once (false).
PARAMETERS.append(
    Parameter("registry.self_registration.requires_confirmation", "bool", "网上自助登记须经社区确认",
              description="true：居民网上办理的就业、失业登记待社区工作人员确认后生效；false：提交即生效。"),
)

declare(*PARAMETERS, owner="registry")
