"""The KPI catalogue (指标目录): every indicator the project reports, with a stable code.

Each KPI is either **computed** from the registry (a tested, set-based query in ``kpis/compute.py`` over any
period and any region) or an **input series** (entered or imported with its source: ``targets.InputValue``,
or the monitoring app's statistics series for the urban employed and the surveyed rate). The code is stable:
targets, reports, the API and the dashboard refer to a KPI by it. Definitions in docs/targets/kpis.md.

``measure`` tells how a KPI behaves over time and regions:
- ``flow``: a count of events in the period (new urban jobs); a region's value is the sum of its children's
  (``additive``: each person attributed once); a person counts once in a period, so a year is not always
  the sum of its months; a five-year cumulative target compares with the sum of the plan's annual values
  (as the statistics offices add them);
- ``stock``: a count on the period's last day (zero-employment households); additive over regions, not
  over time;
- ``rate``: a ratio or average (unemployment rate, schooling years); never added up.
"""
from __future__ import annotations

from dataclasses import dataclass

COMPUTED, INPUT = "computed", "input"
FLOW, STOCK, RATE = "flow", "stock", "rate"


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str  # Chinese name as the seeds write it
    unit: str  # "人", "户", "%", "万人次", "年", "个"
    kind: str  # COMPUTED or INPUT
    measure: str  # FLOW, STOCK or RATE
    definition: str  # one sentence in Chinese, shown on the dashboard and in reports
    decimals: int = 0
    # For input series: which series holds the values ("targets" = targets.InputValue; "monitoring:<indicator>"
    # = monitoring.StatSeriesValue of that indicator).
    series: str = "targets"
    # A KPI the registry estimates beside an official input series (graduate destination rate).
    estimate_of: str = ""
    # Lower is better (unemployment rates, zero-employment households): a target is a ceiling.
    lower_is_better: bool = False

    @property
    def additive(self) -> bool:
        return self.measure in (FLOW, STOCK)

    @property
    def computed(self) -> bool:
        return self.kind == COMPUTED


KPIS: dict[str, Kpi] = {k.code: k for k in [
    # -- computed from the registry (kpis/compute.py) --------------------------------------------------
    Kpi("new_urban_jobs", "城镇新增就业人数", "人", COMPUTED, FLOW,
        "期内由非就业状态经就业登记（务农除外）转为就业、登记地为城镇社区的人数（同一人只计一次），减去期内因退休、死亡自然减员的人数。"),
    Kpi("reemployed_unemployed", "失业人员再就业人数", "人", COMPUTED, FLOW,
        "就业登记（务农除外）生效前一日处于登记失业状态、就业登记日期在期内的人数（同一人只计一次）。"),
    Kpi("hte_employed", "就业困难人员实现就业人数", "人", COMPUTED, FLOW,
        "就业登记（务农除外）生效前一日为已认定就业困难人员、就业登记日期在期内的人数（同一人只计一次）。"),
    Kpi("zero_employment_households", "零就业家庭户数", "户", COMPUTED, STOCK,
        "期末仍为零就业家庭的户数（应保持动态清零）。", lower_is_better=True),
    Kpi("zero_employment_resolved", "零就业家庭当期消除户数", "户", COMPUTED, FLOW,
        "期内实现至少一人就业、不再是零就业家庭的户数。"),
    Kpi("registered_urban_unemployed", "城镇登记失业人数", "人", COMPUTED, STOCK,
        "期末处于登记失业状态、登记地为城镇社区的人数。", lower_is_better=True),
    Kpi("registered_unemployment_rate", "城镇登记失业率", "%", COMPUTED, RATE,
        "期末城镇登记失业人数 ÷（城镇从业人员数〔统计部门输入〕+ 城镇登记失业人数）。", decimals=2,
        lower_is_better=True),
    Kpi("graduate_destination_rate_estimate", "高校毕业生就业去向落实率（系统测算）", "%", COMPUTED, RATE,
        "当年毕业、居住在本辖区的高校毕业生中，12月31日处于就业、升学或参军状态的比例。", decimals=1,
        estimate_of="graduate_destination_rate"),
    Kpi("rural_transfer_persons", "输转城乡富余劳动力人数", "人", COMPUTED, FLOW,
        "期内实现非务农就业的农村户籍劳动力人数（同一人只计一次；武威口径）。"),
    Kpi("rural_transfer_person_times", "农村劳动力转移就业人数（人次）", "万人次", COMPUTED, FLOW,
        "期内农村户籍劳动力非务农就业登记的人次（西安口径，以万人次计）。", decimals=2),
    Kpi("rural_local_transfer", "就地就近转移就业人数", "人", COMPUTED, FLOW,
        "期内在户籍所在县内实现非务农就业的农村户籍劳动力人数（安康口径）。"),
    Kpi("avg_schooling_years", "劳动年龄人口平均受教育年限", "年", COMPUTED, RATE,
        "期末16岁至法定退休年龄的常住登记人员按文化程度折算的受教育年限平均数。", decimals=2),
    Kpi("full_employment_communities", "充分就业社区数", "个", COMPUTED, STOCK,
        "按本辖区充分就业社区标准评估达标的社区数（年度评估）。"),
    Kpi("hte_assistance_rate", "就业困难人员援助率", "%", COMPUTED, RATE,
        "期末在册就业困难人员中已建立援助个案或已实现就业的比例。", decimals=1),
    # -- input series (entered or imported with their source) ---------------------------------------------
    Kpi("urban_employed", "城镇从业人员数", "人", INPUT, STOCK,
        "统计部门提供的城镇从业人员数（城镇登记失业率的分母之一）。", series="monitoring:urban_employed"),
    Kpi("surveyed_unemployment_rate", "城镇调查失业率", "%", INPUT, RATE,
        "统计部门劳动力调查的城镇调查失业率。", decimals=1, series="monitoring:surveyed_rate", lower_is_better=True),
    Kpi("graduate_destination_rate", "高校毕业生就业去向落实率", "%", INPUT, RATE,
        "教育部门公布的高校毕业生就业去向落实率（官方口径）。", decimals=1),
    Kpi("vocational_training_persons", "职业技能培训人次", "万人次", INPUT, FLOW,
        "期内开展补贴性职业技能培训的人次。", decimals=2),
    Kpi("skilled_workers_share", "技能劳动者占就业人员比例", "%", INPUT, RATE,
        "技能劳动者占就业人员总量的比例。", decimals=1),
    Kpi("high_skilled_share", "高技能人才占技能劳动者比例", "%", INPUT, RATE,
        "高技能人才占技能劳动者的比例。", decimals=1),
    Kpi("entrepreneurship_loans", "创业担保贷款发放额", "亿元", INPUT, FLOW,
        "期内发放的创业担保贷款金额。", decimals=2),
    Kpi("entrepreneurship_driven_jobs", "创业带动就业人数", "人", INPUT, FLOW,
        "期内创业带动就业的人数。"),
    Kpi("pension_insurance_persons", "基本养老保险参保人数", "万人", INPUT, STOCK,
        "期末基本养老保险参保人数。", decimals=2),
    Kpi("pension_insurance_coverage", "基本养老保险参保率", "%", INPUT, RATE,
        "期末基本养老保险参保率。", decimals=1),
    Kpi("unemployment_insurance_persons", "失业保险参保人数", "万人", INPUT, STOCK,
        "期末失业保险参保人数。", decimals=2),
    Kpi("injury_insurance_persons", "工伤保险参保人数", "万人", INPUT, STOCK,
        "期末工伤保险参保人数。", decimals=2),
    Kpi("labour_dispute_closure_rate", "劳动人事争议仲裁结案率", "%", INPUT, RATE,
        "期内劳动人事争议仲裁案件结案率。", decimals=1),
    Kpi("labour_inspection_closure_rate", "劳动保障监察举报投诉案件结案率", "%", INPUT, RATE,
        "期内劳动保障监察举报投诉案件结案率。", decimals=1),
    Kpi("new_labour_staying_local", "新增劳动力本地就业比例", "%", INPUT, RATE,
        "新增劳动力中在本地就业的比例（安康目标：50%）。", decimals=1),
    Kpi("labour_force_employed_share", "有劳动能力和就业意愿人员就业率", "%", INPUT, RATE,
        "有劳动能力和就业意愿的人员中已就业的比例。", decimals=1),
    # -- targets part (issue 12): the seeds' other indicators, input series until the registry holds them ---
    # full-employment communities above the municipal level (seed 002 item 8): titles awarded by the national and
    # provincial departments, recorded per community and year by a manager (targets.services_communities.designate)
    # and counted from those records; the municipal level is the assessment (full_employment_communities)
    Kpi("fe_communities_national", "国家级充分就业社区数", "个", COMPUTED, STOCK,
        "已录入“国家级充分就业社区”称号的社区数（截至期末年度；每个社区按其最高称号计一次）。"),
    Kpi("fe_communities_provincial_star", "省级充分就业星级社区数", "个", COMPUTED, STOCK,
        "已录入“省级充分就业星级社区”称号的社区数（截至期末年度；每个社区按其最高称号计一次）。"),
    Kpi("fe_communities_provincial", "省级充分就业社区数", "个", COMPUTED, STOCK,
        "已录入“省级充分就业社区”称号的社区数（截至期末年度；每个社区按其最高称号计一次）。"),
    # 西安 专栏3 (seed 001)
    Kpi("hr_service_agencies", "人力资源服务机构数量", "万家", INPUT, STOCK,
        "期末人力资源服务机构数量。", decimals=2),
    Kpi("hr_service_revenue", "人力资源服务业年营业收入", "亿元", INPUT, FLOW,
        "期内人力资源服务业营业收入。", decimals=1),
    Kpi("hr_service_employees", "人力资源服务业从业人数", "万人", INPUT, STOCK,
        "期末人力资源服务业从业人数。", decimals=2),
    Kpi("migrant_worker_training", "农民工参加职业培训人次", "万人次", INPUT, FLOW,
        "期内农民工参加补贴性职业技能培训的人次。", decimals=2),
    Kpi("pension_enterprise_persons", "城镇企业职工基本养老保险参保人数", "万人", INPUT, STOCK,
        "期末城镇企业职工基本养老保险参保人数。", decimals=2),
    Kpi("pension_resident_persons", "城乡居民基本养老保险参保人数", "万人", INPUT, STOCK,
        "期末城乡居民基本养老保险参保人数。", decimals=2),
    Kpi("pension_institution_persons", "机关事业单位基本养老保险参保人数", "万人", INPUT, STOCK,
        "期末机关事业单位基本养老保险参保人数。", decimals=2),
    Kpi("supplementary_pension_fund", "补充养老保险基金规模", "亿元", INPUT, STOCK,
        "期末企业年金、职业年金等补充养老保险基金规模。", decimals=1),
    Kpi("professional_technical_talent", "专业技术人才数量", "万人", INPUT, STOCK,
        "期末专业技术人才总量。", decimals=2),
    Kpi("high_skilled_talent", "高技能人才数量", "万人", INPUT, STOCK,
        "期末高技能人才总量。", decimals=2),
    Kpi("new_skill_certificates", "新增取得职业资格证书或职业技能等级证书人数", "万人次", INPUT, FLOW,
        "期内新增取得职业资格证书或职业技能等级证书的人次。", decimals=2),
    Kpi("new_senior_skill_certificates", "新增取得高级工以上证书人数", "万人次", INPUT, FLOW,
        "期内新增取得高级工以上职业资格证书或职业技能等级证书的人次。", decimals=2),
    Kpi("labour_dispute_mediation_rate", "劳动人事争议调解成功率", "%", INPUT, RATE,
        "期内劳动人事争议调解成功的案件占调解案件的比例。", decimals=1),
    Kpi("social_security_card_holders", "社会保障卡持卡人数", "万人", INPUT, STOCK,
        "期末社会保障卡持卡人数。", decimals=2),
    Kpi("e_social_security_card_coverage", "申领电子社保卡人口覆盖率", "%", INPUT, RATE,
        "期末申领电子社保卡人数占常住人口的比例。", decimals=1),
    # 武威 专栏1 (seed 004)
    Kpi("urban_employment_share", "城镇就业占比", "%", INPUT, RATE,
        "城镇就业人员占全部就业人员的比例。", decimals=1),
    Kpi("tertiary_employment_share", "第三产业就业占比", "%", INPUT, RATE,
        "第三产业就业人员占全部就业人员的比例。", decimals=1),
]}


def get(code: str) -> Kpi:
    """The KPI of ``code``; KeyError for an unknown code (callers turn it into a Chinese message)."""
    return KPIS[code]


def computed_codes() -> list[str]:
    return [k.code for k in KPIS.values() if k.computed]


def input_codes() -> list[str]:
    return [k.code for k in KPIS.values() if not k.computed]
