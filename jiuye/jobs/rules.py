"""Fair requirements of a vacancy (招聘岗位的公平要求): a pure rule module, no database.

``check(fields)`` reads a vacancy's structured fields and its title/description text and answers a
``Verdict``: the refusals (each naming the field, the value, the reason and the law it breaks; all of
them at once) and the review flags (an age limit, a sex requirement on a stated ground, an age written in
the text). ``services.vacancies`` refuses publication on any refusal and sends a flagged vacancy to
review; the same function runs for the web form, the API, imports and survey lines.

The laws:
- 《就业促进法》第二十六条 (no discrimination), 第二十七条 (sex), 第二十八条 (ethnicity), 第二十九条 (disability),
  第三十条 (infectious-pathogen carriers), 第三十一条 (rural workers: household registration);
- 《妇女权益保障法》(2022) 第四十三条 (sex, marital and child-bearing status in hiring);
- 《女职工劳动保护特别规定》附录 (work unsuitable for women): the only grounds on which a vacancy may ask
  for men (``SEX_GROUNDS``), recorded in ``sex_ground`` and checked by a reviewer;
- 《劳动法》第十五条 (no one under 16; the minimum is the dated parameter ``jobs.vacancy.min_age``).

Text matching is a table of patterns (``TEXT_RULES``), each with the phrasings it catches; tests hold
every example and the phrasings that must pass (男装导购, 女装店员, 持健康证, 残疾人优先, 身体健康).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

LAW_SEX = "《就业促进法》第二十七条；《妇女权益保障法》第四十三条"
LAW_ETHNICITY = "《就业促进法》第二十八条"
LAW_HUKOU = "《就业促进法》第三十一条"
LAW_MARITAL = "《妇女权益保障法》第四十三条"
LAW_DISABILITY = "《就业促进法》第二十九条"
LAW_CARRIER = "《就业促进法》第三十条"
LAW_MIN_AGE = "《劳动法》第十五条"
LAW_GENERAL = "《就业促进法》第二十六条"

#: Grounds of the appendix of 《女职工劳动保护特别规定》 (work unsuitable for women): key → label.
SEX_GROUNDS = {
    "mine_underground": "矿山井下作业",
    "physical_grade_4": "体力劳动强度分级标准中规定的第四级体力劳动强度的作业",
    "heavy_lifting": "每小时负重6次以上、每次负重超过20公斤的作业，或者间断负重、每次负重超过25公斤的作业",
}

CATEGORY_LABELS = {
    "sex": "性别",
    "ethnicity": "民族",
    "hukou": "户籍",
    "marital": "婚姻、生育状况",
    "disability": "残疾",
    "carrier": "传染病病原携带",
}
LAWS = {"sex": LAW_SEX, "ethnicity": LAW_ETHNICITY, "hukou": LAW_HUKOU, "marital": LAW_MARITAL,
        "disability": LAW_DISABILITY, "carrier": LAW_CARRIER}


@dataclass(frozen=True)
class TextRule:
    category: str
    pattern: re.Pattern
    examples: tuple[str, ...]


def _r(category: str, pattern: str, *examples: str) -> TextRule:
    return TextRule(category, re.compile(pattern, re.IGNORECASE), examples)


_SEX = r"(?:男|女)(?:性|士|生|工)?"
_NOT_GOODS = r"(?!装|鞋|包|表|款|式|童|科|篮|排|足|子单打|子双打)"  # 男装导购, 女装, 女鞋, 女子单打 are goods/sports, not people
_NUM = r"(?:\d+|[一二两三四五六七八九十]+|若干)"
_ETHNIC = r"(?:汉族|汉人|少数民族|回族|藏族|维吾尔族|维族|蒙古族|满族|壮族|苗族|彝族|朝鲜族|哈萨克族)"

TEXT_RULES: tuple[TextRule, ...] = (
    # Sex (性别)
    _r("sex", r"(?:限|仅限|只限|只招|仅招|只要|须为|需为|必须为|必须是|要求为?|最好是)\s*" + _SEX + _NOT_GOODS,
       "限男性", "仅限女性", "只招男工", "要求女性", "须为男性", "只要女生"),
    _r("sex", r"(?<!不限)(?<![男女])" + _SEX + _NOT_GOODS + r"(?:者)?(?:优先|为主|更佳|最佳)", "男性优先", "女士优先", "女生为主"),
    _r("sex", r"性别(?:要求)?\s*[:：]?\s*(?:限)?(?:男|女)(?!女|男|不限|均可|皆可)", "性别：男", "性别要求：女", "性别限女"),
    _r("sex", r"(?:招|招聘|招收)\s*(?:男|女)(?:性|士|生|工)", "招女工", "招聘男性", "招收女生"),
    _r("sex", r"(?<![男女])(?:男|女)(?:性|士|生|工)?\s*" + _NUM + r"\s*名", "男性2名", "女3名", "女工若干名"),
    _r("sex", r"(?:不招|不要|谢绝|不收|拒收)\s*(?:男|女)", "不招女性", "谢绝女士"),
    _r("sex", r"(?:男|女)(?:性|士|生)?\s*(?:勿扰|免谈|勿投|不予考虑)", "女士勿扰", "男生免谈"),
    # Ethnicity (民族)
    _r("ethnicity", r"(?:限|仅限|只限|只招|仅招|只要|须为|需为|要求为?)\s*" + _ETHNIC, "限汉族", "仅限汉族", "只招汉族"),
    _r("ethnicity", _ETHNIC + r"(?:者)?(?:优先|为主)", "汉族优先"),
    _r("ethnicity", r"(?:不招|不要|谢绝|不收|不录用)\s*" + _ETHNIC, "不招少数民族", "谢绝维吾尔族"),
    _r("ethnicity", r"民族\s*[:：]\s*(?:限)?\s*汉", "民族：汉"),
    # Household registration (户籍, rural origin)
    _r("hukou", r"(?:本地|本市|本省|本区|西安|陕西|城镇|城市|非农业?)\s*(?:户口|户籍)", "本地户口", "西安户籍", "城镇户口", "非农户口"),
    _r("hukou", r"(?:户口|户籍)\s*(?:要求|限|须为|需为|必须|所在地须|所在地限)", "户籍要求：本市", "户口限城镇"),
    _r("hukou", r"(?:限|仅限|只招|仅招|只要)\s*(?:本地|本市|城镇|城市)\s*(?:人|居民|户口|户籍|生源)?", "限本地人", "仅限城镇居民"),
    _r("hukou", r"(?:不招|不要|谢绝|不收|不录用)\s*(?:农村|外地|外省|农民工|农业户口)", "不招农村户口", "谢绝外地人"),
    _r("hukou", r"(?:本地|城镇)\s*(?:人|生源)?\s*优先", "本地人优先"),
    # Marital and child-bearing status (婚育)
    _r("marital", r"已婚已育|已婚未育|未婚未育|已育|未育|未婚|已婚|单身(?!宿舍|公寓|楼|房|间)", "已婚已育", "已育优先", "未婚",
       "限已婚", "单身优先"),
    _r("marital", r"(?:无|暂无|没有)\s*(?:生育|怀孕|二胎|三胎|婚育)\s*(?:计划|打算|意向)", "无生育计划", "暂无怀孕打算"),
    _r("marital", r"(?:\d+|[一二两三四五六七八九十]+)\s*年内\s*(?:不|不得|不能|无|不会)\s*(?:生育|结婚|怀孕|要孩子)", "三年内不生育", "2年内不结婚"),
    _r("marital", r"(?:孕妇|哺乳期|怀孕)\S{0,2}(?:勿扰|免谈|不招|除外)|(?:不招|谢绝)\s*(?:孕妇|哺乳期)", "孕妇勿扰", "不招孕妇"),
    # Disability (残疾)
    _r("disability", r"身体健全|肢体健全|四肢健全|五官端正|无(?:任何)?残疾|非残疾人?|身体无残疾|无身体缺陷",
       "身体健全", "无残疾", "五官端正"),
    _r("disability", r"(?:不招|不要|谢绝|不收|不录用)\s*残(?:疾|障)", "谢绝残疾人"),
    # Infectious-pathogen carriers (传染病病原携带)
    _r("carrier", r"(?:乙肝|HBV|丙肝|HCV|HIV|艾滋病?|病原体?|病毒)\S{0,4}携带|携带者", "乙肝携带者", "HBV携带", "病原携带者"),
    _r("carrier", r"(?:大|小)三阳|乙肝(?:两对半|五项)", "大三阳", "乙肝两对半"),
    _r("carrier", r"(?:无|非|不招|不要|谢绝|拒收|排除)\s*(?:乙肝|HBV|丙肝|HIV|艾滋|肝炎|传染病)", "无乙肝", "不招乙肝", "谢绝HIV"),
    _r("carrier", r"(?:乙肝|HBV)\s*(?:阴性|检测|表面抗原)", "乙肝阴性", "HBV检测"),
    _r("carrier", r"(?:乙肝|HBV|丙肝|HIV|艾滋病?|肝炎|传染病)\S{0,3}?(?:勿扰|免谈|不招|除外|不要|谢绝|勿投)", "乙肝勿扰", "肝炎患者免谈"),
)

#: An age written in the text (年龄18-35岁, 35岁以下): not refused, sent to review like an age field.
TEXT_AGE = re.compile(r"\d{2}\s*(?:岁|周岁)\s*(?:以下|以内|以上|之间)|\d{2}\s*[-—~～至到]\s*\d{2}\s*(?:岁|周岁)|年龄\s*(?:要求|限制|限)?\s*[:：]?\s*\d{2}")


@dataclass
class Verdict:
    refusals: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def text_findings(text: str) -> list[tuple[str, str]]:
    """(category, the phrase found) for each discriminatory phrasing in ``text``, each phrase once, in order."""
    text = _normal(text)
    out: dict[tuple[str, str], None] = {}
    for rule in TEXT_RULES:
        for m in rule.pattern.finditer(text):
            phrase = m.group(0).strip()
            if phrase:
                out.setdefault((rule.category, phrase), None)
    return list(out)


def refusal(field_name: str, value, reason: str, law: str, code: str) -> dict:
    return {"field": field_name, "value": "" if value is None else str(value), "reason": reason, "law": law, "code": code}


def flag(code: str, field_name: str, value, reason: str) -> dict:
    return {"code": code, "field": field_name, "value": "" if value is None else str(value), "reason": reason}


def check(fields: dict, *, min_age: int = 16) -> Verdict:
    """The verdict on a vacancy's fields (keys of ``jobs.Vacancy``: title, description, sex_requirement,
    sex_ground, age_min, age_max, age_justification; missing keys are empty)."""
    v = Verdict()
    sex = (fields.get("sex_requirement") or "").strip()
    ground = (fields.get("sex_ground") or "").strip()
    grounded_male = sex == "M" and ground in SEX_GROUNDS
    if sex == "F":
        v.refusals.append(refusal("sex_requirement", "女", "招聘不得限定性别：国家规定的女职工禁忌从事的劳动范围之外，"
                                  "不得以性别为由拒绝录用或提高录用标准", LAW_SEX, "sex"))
    elif sex == "M" and not ground:
        v.refusals.append(refusal("sex_requirement", "男", "限招男性须依据国家规定的女职工禁忌从事的劳动范围（《女职工劳动保护特别规定》附录），"
                                  "请选择法定依据，否则不得限定性别", LAW_SEX, "sex"))
    elif sex == "M" and ground not in SEX_GROUNDS:
        v.refusals.append(refusal("sex_ground", ground, "不是《女职工劳动保护特别规定》附录所列的女职工禁忌从事的劳动", LAW_SEX, "sex"))
    elif sex and sex not in ("M", "F"):
        v.refusals.append(refusal("sex_requirement", sex, "性别要求只能为空或依法定依据限招男性", LAW_SEX, "sex"))
    if ground and sex != "M":
        v.refusals.append(refusal("sex_ground", ground, "填写了性别要求的法定依据却未限定性别", LAW_SEX, "sex"))
    if grounded_male:
        v.flags.append(flag("sex_ground", "sex_ground", SEX_GROUNDS[ground],
                            "限招男性（依据：%s），须审核岗位确属该类作业" % SEX_GROUNDS[ground]))

    for name in ("title", "description"):
        for category, phrase in text_findings(fields.get(name) or ""):
            if category == "sex" and grounded_male:
                continue  # the recorded ground covers a sex requirement written in the text too
            v.refusals.append(refusal(name, phrase, "招聘信息不得含有%s方面的限制或歧视性内容（“%s”）"
                                      % (CATEGORY_LABELS[category], phrase), LAWS[category], category))

    age_min, age_max = fields.get("age_min"), fields.get("age_max")
    justification = (fields.get("age_justification") or "").strip()
    if age_min is not None and age_min < min_age:
        v.refusals.append(refusal("age_min", age_min, "不得招用未满%d周岁的未成年人" % min_age, LAW_MIN_AGE, "min_age"))
    if age_max is not None and age_max < min_age:
        v.refusals.append(refusal("age_max", age_max, "年龄上限低于法定最低就业年龄%d周岁" % min_age, LAW_MIN_AGE, "min_age"))
    if age_min is not None and age_max is not None and age_min > age_max:
        v.refusals.append(refusal("age_max", age_max, "年龄上限小于下限%d" % age_min, "", "age_range"))
    if (age_min is not None or age_max is not None) and not justification:
        v.refusals.append(refusal("age_justification", "", "设定年龄限制须说明理由（与岗位的实际需要相关），并经审核",
                                  LAW_GENERAL, "age_justification"))
    elif age_min is not None or age_max is not None:
        span = "%s—%s岁" % (age_min if age_min is not None else "", age_max if age_max is not None else "")
        v.flags.append(flag("age_limit", "age_max" if age_max is not None else "age_min", span,
                            "设有年龄限制（%s，理由：%s），须审核是否为岗位实际需要" % (span, justification)))
    text_age = [m.group(0) for name in ("title", "description") for m in TEXT_AGE.finditer(_normal(fields.get(name) or ""))]
    if text_age:
        v.flags.append(flag("text_age", "description", "、".join(dict.fromkeys(text_age)),
                            "岗位描述中写有年龄条件（%s），须审核是否为岗位实际需要" % "、".join(dict.fromkeys(text_age))))
    return v


def message(r: dict) -> str:
    """One refusal as a sentence: what, which value, why, which law."""
    value = "（%s）" % r["value"] if r.get("value") else ""
    law = "，依据%s" % r["law"] if r.get("law") else ""
    return "%s%s%s" % (r["reason"], value if r["value"] not in r["reason"] else "", law)
