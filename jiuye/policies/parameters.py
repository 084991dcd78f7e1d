"""The policies app's dated parameters. Keys name a subsidy's numbers by kind, not by pack: every
jurisdiction sets its own values for the same keys (新城区 in its pack xc2020, 安康市 in ankang2022, a
deployment in JIUYE_PARAMETERS_DIR), and a policy refers to the key. A key no jurisdiction sets is "not
set": the policy still screens and explains, and payment is blocked until it is set.
"""
from jiuye.parameters import Parameter, declare

M = "元"
PM = "元/月"

PARAMETERS = [
    # Workflow
    Parameter("policies.publicity.working_days", "int", "补贴公示期", unit="个工作日", minimum=1,
              description="核准前公示（征求异议）的工作日数，法定节假日不计。"),
    Parameter("policies.claim_window_months", "int", "申领期限", unit="个月", minimum=1,
              description="自依据事件（招用、创业、保险金期满等）之日起可提出申领的月数。"),
    # 一次性吸纳就业补助
    Parameter("policies.hiring_once.amount", "decimal", "一次性吸纳就业补助标准", unit=M, minimum=0),
    # 社会保险补贴
    Parameter("policies.social_insurance.hard_to_employ.monthly", "decimal", "社会保险补贴：就业困难人员", unit=PM, minimum=0),
    Parameter("policies.social_insurance.graduate.monthly", "decimal", "社会保险补贴：高校毕业生", unit=PM, minimum=0),
    Parameter("policies.social_insurance.hard_to_employ.max_months", "int", "社会保险补贴期限：就业困难人员", unit="个月", minimum=1),
    Parameter("policies.social_insurance.graduate.max_months", "int", "社会保险补贴期限：高校毕业生", unit="个月", minimum=1),
    # 创业
    Parameter("policies.startup_once.amount", "decimal", "一次性创业补贴标准", unit=M, minimum=0),
    Parameter("policies.startup_service.amount", "decimal", "一次性创业服务补贴标准（每扶持1名创业者开办网店）", unit=M, minimum=0),
    Parameter("policies.loan_interest.amount", "decimal", "创业担保贷款贴息（每次）", unit=M, minimum=0,
              description="每个计息期的贴息金额；按贷款利息的比例贴息的，由部署方按本地文件设定。"),
    Parameter("policies.loan_interest.max_times", "int", "创业担保贷款贴息累计次数上限", unit="次", minimum=1),
    # 失业保险
    Parameter("policies.unemployment_assistance.share", "decimal", "失业补助金：按失业保险金标准的比例", minimum=0),
    Parameter("policies.unemployment_assistance.months", "int", "失业补助金发放月数", unit="个月", minimum=1),
    # 临时性公益性岗位
    Parameter("policies.temporary_post.base_monthly", "decimal", "本区公益性岗位月补贴标准", unit=PM, minimum=0,
              description="临时性公益性岗位补贴按其倍数计发。"),
    Parameter("policies.temporary_post.share", "decimal", "临时性公益性岗位补贴：按公益性岗位月补贴标准的倍数", minimum=0),
    Parameter("policies.temporary_post.max_months", "int", "临时性公益性岗位补贴期限", unit="个月", minimum=1),
    # 见习、培训、求职
    Parameter("policies.internship_retention.amount", "decimal", "见习留用补贴标准", unit=M, minimum=0),
    Parameter("policies.training.amount", "decimal", "职业培训补贴标准", unit=M, minimum=0),
    Parameter("policies.training.living_allowance", "decimal", "培训期间生活费补贴标准", unit=M, minimum=0),
    Parameter("policies.job_search.amount", "decimal", "求职创业补贴标准", unit=M, minimum=0),
    # 稳岗返还
    Parameter("policies.job_stabilisation.share", "decimal", "稳岗返还：按上年度缴纳失业保险费的比例", minimum=0),
    Parameter("policies.job_stabilisation.relaxed_months", "int", "放宽稳岗返还：按月人均失业保险金的月数", unit="个月", minimum=1),
    Parameter("policies.job_stabilisation.relaxed_average_benefit", "decimal", "放宽稳岗返还：上年度月人均失业保险金标准",
              unit=PM, minimum=0),
    # 安康市 2022 (安政办发〔2022〕11号 第十三、十五项)
    Parameter("policies.transport_once.amount", "decimal", "跨省就业一次性交通补贴标准", unit=M, minimum=0),
    Parameter("policies.community_factory.rent_monthly", "decimal", "社区工厂场地租金补贴", unit=PM, minimum=0),
    Parameter("policies.community_factory.utilities_monthly", "decimal", "社区工厂水电费补贴", unit=PM, minimum=0),
    Parameter("policies.community_factory.max_months", "int", "社区工厂租金水电补贴期限", unit="个月", minimum=1),
]

declare(*PARAMETERS, owner="policies")
