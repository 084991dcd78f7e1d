"""The columns of the registry's four import kinds: canonical headers and the aliases seen in
community sheets (matched by the engine, ``jiuye.imports.columns``)."""
from __future__ import annotations

from jiuye.imports.columns import IGNORED, F

ID_ALIASES = ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份证号码", "公民身份证号", "身份号码", "身份证件号码",
              "证件号", "居民身份证号码", "居民身份证号")
PHONE_ALIASES = ("电话", "手机", "手机号码", "手机号", "联系方式", "电话号码", "联系手机", "联系电话号码")
COMMUNITY_ALIASES = ("社区", "居住社区", "社区代码", "所属社区", "社区名称", "社区(村)", "村(社区)", "所在社区(村)",
                     "所在村(社区)", "社区/村", "所在社区/村", "居住社区(村)")

PERSON_COLUMNS = [
    F("name", "姓名", "名字", "人员姓名", required=True),
    F("id_number", "公民身份号码", *ID_ALIASES, required=True),
    F("ethnicity", "民族"),
    F("phone", "联系电话", *PHONE_ALIASES),
    F("hukou_type", "户籍性质", "户口性质", "户籍类型", "户口类型", "户籍类别", required=True),
    F("hukou_place", "户籍地", "户籍所在地", "户口所在地", "户籍地址"),
    F("region", "所在社区", *COMMUNITY_ALIASES, required=True),
    F("address", "居住地址", "现居住地址", "住址", "家庭住址", "现住址", "居住地", "现居住地"),
    F("education", "文化程度", "学历", "最高学历"),
    F("graduation_date", "毕业时间", "毕业日期", "毕业年月"),
    F("school_type", "毕业院校类型", "院校类型", "学校类型"),
    F("school_name", "毕业院校", "毕业学校", "学校名称", "院校名称"),
    F("major", "专业", "所学专业"),
    F("is_veteran", "是否退役军人", "退役军人"),
    F("veteran_kind", "退役类别", "退役军人类别"),
    F("has_disability", "是否残疾人", "残疾人", "是否残疾"),
    F("disability_grade", "残疾等级", "残疾级别"),
    F("is_dibao", "是否低保", "低保", "低保家庭", "是否低保家庭成员", "低保家庭成员"),
    F("poverty_status", "脱贫/监测状态", "脱贫监测状态", "脱贫状态", "监测状态", "脱贫/监测", "是否脱贫人口"),
    F("is_land_lost_farmer", "是否失地农民", "失地农民"),
    F("is_released_or_rehabilitated", "是否刑满释放或戒毒康复人员", "刑满释放或戒毒康复人员", "是否刑满释放/戒毒康复人员"),
    F("skills", "技能特长", "技能", "特长", "专业技能"),
    F("certificates", "职业资格证书", "证书", "职业资格", "技能等级证书", "职业资格/技能等级证书"),
    F("able_to_work", "有无劳动能力", "劳动能力", "是否有劳动能力"),
    F("willing_to_work", "有无就业意愿", "就业意愿", "是否有就业意愿"),
    F("preferred_occupation", "求职意向工种", "意向工种", "求职工种", "求职意向"),
    F("preferred_industry", "求职意向行业", "意向行业"),
    F("preferred_wage_min", "期望月薪", "期望薪资", "期望工资", "期望月薪(元)", "期望月薪下限", "期望月薪下限(元)"),
    F("preferred_work_place", "期望工作地点", "期望工作地", "意向工作地点"),
    F("_sex", "性别"),
    F("_birth_date", "出生日期", "出生年月日", "出生年月"),
    F(IGNORED, "序号", "编号", "备注", "说明"),
]

HOUSEHOLD_COLUMNS = [
    F("number", "户编号", "户号", "家庭户编号", "户编码", "家庭编号", required=True),
    F("region", "所在社区", *COMMUNITY_ALIASES, required=True),
    F("address", "家庭地址", "地址", "家庭住址", "住址"),
    F("has_business_income", "有无经营性收入", "经营性收入", "是否有经营性收入", "有无经营性或投资性收入"),
    F("id_number", "成员公民身份号码", "公民身份号码", "成员身份证号", "成员身份证号码", *ID_ALIASES, required=True),
    F("name", "成员姓名", "姓名"),
    F("relation", "与户主关系", "关系", "与户主的关系", "家庭关系", required=True),
    F(IGNORED, "序号", "备注", "说明"),
]

EMPLOYER_COLUMNS = [
    F("credit_code", "统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "单位统一社会信用代码", required=True),
    F("name", "单位名称", "企业名称", "用人单位名称", "单位", "用人单位", required=True),
    F("industry_code", "行业代码", "行业", "所属行业", "行业类别", "国民经济行业代码", "行业大类", "行业大类代码"),
    F("size_class", "企业规模", "规模", "单位规模"),
    F("ownership", "经济类型", "经济性质", "单位性质", "企业类型", "登记注册类型"),
    F("region", "所在区划", "区划", "所在地区", "所属区划", "区划代码", "所在社区", "所在街道", "所在地", required=True),
    F("address", "单位地址", "地址", "注册地址", "经营地址"),
    F("contact_name", "联系人", "联系人姓名"),
    F("contact_phone", "联系电话", *PHONE_ALIASES),
    F("employee_count", "职工人数", "员工人数", "从业人数", "在职职工人数", "职工总数"),
    F(IGNORED, "序号", "备注", "说明"),
]

REGISTRATION_COLUMNS = [
    F("id_number", "公民身份号码", *ID_ALIASES, required=True),
    F("name", "姓名"),
    F("kind", "登记类型", "类型", "登记类别", "登记种类", required=True),
    F("effective_date", "登记日期", "日期", "生效日期", "办理日期", required=True),
    F("employer", "单位统一社会信用代码", "就业单位统一社会信用代码", "用人单位统一社会信用代码", "统一社会信用代码",
      "单位信用代码", "就业单位代码"),
    F("employment_form", "就业形式", "就业方式", "就业类型"),
    F("contract_type", "合同类型", "劳动合同类型"),
    F("contract_months", "合同期限(月)", "合同期限", "合同期限月", "合同期限(个月)"),
    F("contract_start", "合同起始日期", "合同开始日期", "合同起始时间", "合同开始时间"),
    F("contract_end", "合同终止日期", "合同结束日期", "合同终止时间", "合同结束时间", "合同到期日期"),
    F("social_insurance", "是否缴纳社保", "缴纳社保", "是否缴纳社会保险", "社保", "是否参保"),
    F("occupation", "工种", "岗位", "工种/岗位", "职业"),
    F("unemployment_reason", "失业原因"),
    F("former_employer", "失业前单位", "原工作单位", "失业前工作单位", "原单位", "失业前单位统一社会信用代码",
      "原工作单位统一社会信用代码", "原单位统一社会信用代码", "失业前单位信用代码"),
    F("ending_reason", "终止原因", "注销原因"),
    F(IGNORED, "序号", "备注", "说明", "就业单位", "单位名称"),
]
