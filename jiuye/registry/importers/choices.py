"""Choice fields by their Chinese label (the model TextChoices), their code, or common aliases."""
from __future__ import annotations

from jiuye.imports.normalise import Choice
from jiuye.registry.models import (
    ContractType,
    Education,
    EmploymentForm,
    EndingReason,
    HukouType,
    Ownership,
    PovertyStatus,
    Registration,
    Relation,
    SchoolType,
    SizeClass,
    UnemploymentReason,
    VeteranKind,
)

HUKOU = Choice(HukouType.choices, "户籍性质", {
    HukouType.URBAN: ["城镇户口", "城镇户籍", "非农", "非农业", "非农业户口", "非农户口", "城市", "城市户口", "城镇居民"],
    HukouType.RURAL: ["农业", "农业户口", "农村户口", "农村户籍", "农", "农民", "农村居民"],
})

EDUCATION = Choice(Education.choices, "文化程度", {
    Education.PRIMARY: ["小学", "文盲", "半文盲", "文盲或半文盲", "未上学", "不识字或识字很少", "学前"],
    Education.JUNIOR: ["初中及以下", "初级中学"],
    Education.SENIOR: ["高中", "普高", "普通高中", "高级中学"],
    Education.VOCATIONAL: ["中专", "中职", "技校", "职高", "职业高中", "中等专科", "中技", "技工学校", "中专/中技",
                           "中等职业教育", "中专或中技"],
    Education.COLLEGE: ["专科", "大学专科", "高职", "高职高专", "大专及以上", "专科(高职)"],
    Education.BACHELOR: ["大学本科", "大学", "学士", "本科及以上"],
    Education.MASTER: ["硕士", "研究生", "硕士研究生", "研究生(硕士)"],
    Education.DOCTOR: ["博士", "博士研究生", "研究生(博士)"],
})

SCHOOL_TYPE = Choice(SchoolType.choices, "毕业院校类型", {
    SchoolType.UNIVERSITY: ["高校", "普通高校", "大学", "高等学校", "普通高等院校", "高等院校"],
    SchoolType.SECONDARY_VOCATIONAL: ["中职", "中专", "中等职业学校(中专)", "职业高中"],
    SchoolType.TECHNICAL: ["技校", "技工学校", "技师学院", "高级技工学校"],
})

VETERAN_KIND = Choice(VeteranKind.choices, "退役类别", {
    VeteranKind.SOLDIER: ["士兵", "退役士兵(义务兵)", "义务兵", "士官", "退伍军人"],
    VeteranKind.SELF_EMPLOYED_OFFICER: ["军转干部", "自主择业", "自主择业军队转业干部", "转业干部"],
    VeteranKind.OTHER: ["其他"],
})

POVERTY_STATUS = Choice(PovertyStatus.choices, "脱贫/监测状态", {
    PovertyStatus.NONE: ["否", "非", "一般户", "一般农户", "不是", "无"],
    PovertyStatus.LIFTED: ["脱贫户", "脱贫", "已脱贫", "脱贫人员", "建档立卡脱贫户", "是"],
    PovertyStatus.MONITORED: ["监测对象", "监测户", "防返贫监测对象", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户",
                              "返贫监测对象"],
})

RELATION = Choice(Relation.choices, "与户主关系", {
    Relation.HEAD: ["本人", "户主本人"],
    Relation.SPOUSE: ["妻", "妻子", "夫", "丈夫", "夫妻", "爱人", "老婆", "老公"],
    Relation.CHILD: ["子", "女", "儿子", "女儿", "长子", "次子", "三子", "四子", "五子", "长女", "次女", "三女", "四女", "五女",
                     "独生子", "独生女", "养子", "养女", "继子", "继女", "子女", "孩子"],
    Relation.PARENT: ["父亲", "母亲", "父", "母", "公公", "婆婆", "岳父", "岳母", "继父", "继母", "养父", "养母"],
    Relation.SIBLING: ["兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"],
    Relation.GRANDCHILD: ["孙子", "孙女", "外孙", "外孙子", "外孙女", "孙子女", "外孙子女"],
    Relation.GRANDPARENT: ["祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆", "姥爷", "姥姥"],
    Relation.OTHER: ["儿媳", "女婿", "侄子", "侄女", "外甥", "外甥女", "其他亲属", "非亲属"],
})

SIZE_CLASS = Choice(SizeClass.choices, "企业规模", {
    SizeClass.LARGE: ["大", "大型企业"],
    SizeClass.MEDIUM: ["中", "中型企业"],
    SizeClass.SMALL: ["小", "小型企业"],
    SizeClass.MICRO: ["微", "微型企业", "小微", "小微企业"],
})

OWNERSHIP = Choice(Ownership.choices, "经济类型", {
    Ownership.STATE: ["国有企业", "国企", "国有控股", "国有独资", "央企", "国有经济"],
    Ownership.COLLECTIVE: ["集体企业", "集体经济", "集体所有制"],
    Ownership.PRIVATE: ["私营企业", "民营", "民营企业", "私企", "有限责任公司", "股份有限公司", "私营经济"],
    Ownership.FOREIGN: ["外资", "外商独资", "中外合资", "中外合作", "外资企业", "外商投资企业"],
    Ownership.HMT: ["港澳台", "港澳台商投资", "港澳台投资企业", "港澳台资"],
    Ownership.INDIVIDUAL: ["个体", "个体户", "个体经营"],
    Ownership.PUBLIC_INSTITUTION: ["机关", "事业单位", "机关单位", "行政事业单位", "机关事业"],
    Ownership.SOCIAL_ORGANISATION: ["社会团体", "民办非企业", "民办非企业单位", "社团", "基金会"],
})

REGISTRATION_KIND = Choice(
    [(k, lbl) for k, lbl in Registration.Kind.choices if k != Registration.Kind.VOID], "登记类型", {
        Registration.Kind.EMPLOYMENT: ["就业", "就业登记", "再就业", "新就业"],
        Registration.Kind.UNEMPLOYMENT: ["失业", "失业登记"],
        Registration.Kind.ENDING: ["终止", "注销", "终止登记", "注销登记", "状态终止", "就业失业登记注销"],
    },
)

EMPLOYMENT_FORM = Choice(EmploymentForm.choices, "就业形式", {
    EmploymentForm.UNIT: ["单位", "单位招用", "企业就业", "用人单位就业"],
    EmploymentForm.SELF_EMPLOYED: ["个体", "自主创业", "创业", "自谋职业", "个体工商户"],
    EmploymentForm.FLEXIBLE: ["灵活", "灵活就业人员", "零工"],
    EmploymentForm.PUBLIC_WELFARE: ["公益岗", "公益性岗位安置", "公益岗位"],
    EmploymentForm.PLATFORM: ["平台", "新就业形态", "网约配送", "网约车", "外卖骑手"],
    EmploymentForm.AGRICULTURE: ["农业", "务农就业", "种养殖"],
})

CONTRACT_TYPE = Choice(ContractType.choices, "合同类型", {
    ContractType.FIXED: ["固定期限劳动合同", "有固定期限", "固定", "定期"],
    ContractType.OPEN_ENDED: ["无固定期限劳动合同", "长期", "无期限"],
    ContractType.TASK: ["以完成一定工作任务为期限的劳动合同", "任务期限", "项目合同", "完成一定工作任务"],
    ContractType.NONE: ["未签", "无", "无合同", "未签订劳动合同", "否", "没有"],
})

UNEMPLOYMENT_REASON = Choice(UnemploymentReason.choices, "失业原因", {
    UnemploymentReason.CONTRACT_ENDED: ["合同到期", "合同期满", "劳动合同到期", "合同终止"],
    UnemploymentReason.DISMISSED: ["解除劳动合同", "被辞退", "辞退", "解除合同", "裁员", "单位解除劳动合同"],
    UnemploymentReason.RESIGNED: ["辞职", "个人辞职", "主动辞职", "自动离职", "离职"],
    UnemploymentReason.EMPLOYER_CLOSED: ["破产", "单位关闭", "单位破产", "企业破产", "关闭", "单位破产关闭"],
    UnemploymentReason.GRADUATE: ["毕业", "应届毕业", "毕业后未就业", "毕业生未就业", "高校毕业生未就业"],
    UnemploymentReason.BUSINESS_CLOSED: ["停业", "个体停业", "个体户停业", "经营停业"],
    UnemploymentReason.LAND_LOST: ["失地", "土地被征收", "征地", "失地农民"],
})

ENDING_REASON = Choice(EndingReason.choices, "终止原因", {
    EndingReason.NEW_JOB: ["就业", "再就业", "已就业", "找到工作"],
    EndingReason.JOB_ENDED: ["离职", "解除劳动合同", "合同到期", "辞职", "停业"],
    EndingReason.RETIREMENT: ["退休", "办理退休", "达到退休年龄"],
    EndingReason.DEATH: ["死亡", "去世", "病故"],
    EndingReason.SCHOOL: ["升学", "入学", "读研"],
    EndingReason.MILITARY: ["参军", "入伍", "服兵役"],
    EndingReason.MOVED_AWAY: ["迁出", "户籍迁出", "外迁", "搬迁"],
    EndingReason.NOT_SEEKING: ["无就业意愿", "不愿就业", "无意愿", "不再求职"],
})
