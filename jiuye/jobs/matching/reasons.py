"""The reasons of one match in Chinese, requirement by requirement, each with its points.

``explain(parts, snapshot-like sides, names)`` turns ``score.reasons`` (the facts) into dicts
``{"part", "label", "points", "max_points", "fit", "text"}``: the same list in the web pages, the API
and the CLI's JSON. Names (occupations, skills) are looked up once per call (``Names``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from jiuye.jobs.matching import score
from jiuye.jobs.matching.arrays import EDUCATION_RANK, WORK_TYPE_BITS, Vocabulary, occupation_code, occupation_int

LABELS = {"occupation": "职业相近", "skills": "技能与证书", "education": "学历", "experience": "工作经验",
          "place": "工作地点", "wage": "薪酬", "work_type": "用工形式", "text": "文字相关度",
          "priority": "优先安置"}
FIT_LABELS = {"full": "符合", "partial": "部分符合", "missing": "未满足", "neutral": "未作要求"}
EDUCATION_LABELS = {"": "未填写", "primary": "小学及以下", "junior": "初中", "senior": "高中", "vocational": "中专/中职/技校",
                    "college": "大专", "bachelor": "本科", "master": "硕士研究生", "doctor": "博士研究生"}
RANK_LABELS = {0: "未填写", 1: "小学及以下", 2: "初中", 3: "高中/中专", 4: "大专", 5: "本科", 6: "硕士研究生", 7: "博士研究生"}
WORK_TYPE_LABELS = {"full_time": "全职", "part_time": "兼职", "gig": "零工", "internship": "就业见习", "welfare_post": "公益性岗位"}
LEVEL_LABELS = {"community": "同一社区", "street": "同一街道", "district": "同一区县", "city": "同一城市", "province": "同一省份"}
OCCUPATION_LEVEL_LABELS = ("同一职业", "同属一个小类", "同属一个中类", "同属一个大类")


@dataclass
class Names:
    occupations: dict[str, str] = field(default_factory=dict)  # code → name (any level)
    skills: list[str] = field(default_factory=list)            # column → name

    @classmethod
    def for_codes(cls, codes, skills: Vocabulary) -> Names:
        from jiuye.jobs.models import Occupation

        wanted: set[str] = set()
        for c in codes:
            value = occupation_int(c)
            if value >= 0:  # the code and its groups: small, medium, major (the hierarchy is in the digits)
                wanted.update(occupation_code(value // div * div) for div in (1, 100, 10_000, 1_000_000))
        names = dict(Occupation.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
        return cls(names, list(skills.index))


def _occ(code_int: int, names: Names) -> str:
    code = occupation_code(code_int)
    return f"{names.occupations.get(code, '')}（{code}）" if code else "未填写"


def _group(code_int: int, level: int, names: Names) -> str:
    code = occupation_code(code_int)
    parts = code.split("-")
    group = "-".join(parts[:4 - level]) if level else code
    return f"{names.occupations.get(group, '')}（{group}）"


def _work_types(mask: int) -> str:
    if not mask:
        return "不限"
    return "、".join(WORK_TYPE_LABELS[k] for k, bit in WORK_TYPE_BITS.items() if mask & bit)


def _text(r: score.Reason, names: Names, s, i: int, v, j: int) -> str:
    d = r.data
    if r.part == "priority":
        return "公益性岗位：本人为就业困难人员或零就业家庭成员，优先安置"
    if r.part == "occupation":
        if d["vacancy"] < 0:
            return "岗位未填写职业代码"
        if d["matched"] < 0:
            own = "、".join(_occ(c, names) for c in d["seeker"]) or "未填写"
            return f"岗位职业 {_occ(d['vacancy'], names)}，本人意向及经历职业 {own}（不相近）"
        source = "求职意向" if d["position"] == 0 else "意向或经历"
        level = d["level"]
        if level == 0:
            return f"{source} {_occ(d['matched'], names)}与岗位职业相同"
        return (f"{source} {_occ(d['matched'], names)}与岗位职业 {_occ(d['vacancy'], names)}"
                f"{OCCUPATION_LEVEL_LABELS[level]} {_group(d['vacancy'], level, names)}")
    if r.part == "skills":
        if not d["held"] and not d["missing"]:
            return "岗位未要求技能或证书"
        held = "、".join(names.skills[c] for c in d["held"] if c < len(names.skills))
        missing = "、".join(names.skills[c] for c in d["missing"] if c < len(names.skills))
        out = []
        if held:
            out.append(f"具备 {held}")
        if missing:
            out.append(f"缺少 {missing}")
        return "；".join(out)
    if r.part == "education":
        if d["required"] <= 0:
            return f"岗位未要求学历，本人{RANK_LABELS.get(d['seeker'], '')}"
        ok = "满足" if r.fit == "full" else "未满足"
        return f"要求{RANK_LABELS.get(d['required'], '')}，本人{RANK_LABELS.get(d['seeker'], '')}（{ok}）"
    if r.part == "experience":
        if d["required"] <= 0:
            return f"岗位未要求工作经验，本人{d['seeker']}年"
        ok = "满足" if r.fit == "full" else "未满足"
        return f"要求{d['required']}年，本人{d['seeker']}年（{ok}）"
    if r.part == "place":
        bits = []
        if d["level"]:
            bits.append(LEVEL_LABELS[d["level"]])
        elif not d["preferred"]:
            bits.append("不在本人居住地附近")
        if d["preferred"]:
            bits.append("在本人意向工作地点内")
        if d["km"] is not None:
            bits.append(f"约{d['km']}公里")
            if d["max_commute_km"]:
                bits.append(f"可接受通勤{d['max_commute_km']:g}公里" + ("以内" if d["km"] <= d["max_commute_km"] else "（超出）"))
        return "，".join(bits)
    if r.part == "wage":
        rng = ("" if not d["min"] and not d["max"] else
               f"{d['min'] or ''}–{d['max'] or ''}元/月" if d["max"] else f"{d['min']}元/月起")
        if r.fit == "neutral":
            return f"岗位薪酬 {rng or '面议'}；本人期望 {str(d['seeker_min']) + '元/月以上' if d['seeker_min'] else '未填写'}"
        ok = "符合" if r.fit == "full" else "低于期望"
        return f"岗位薪酬 {rng}，本人期望{d['seeker_min']}元/月以上（{ok}）"
    if r.part == "work_type":
        ok = "符合" if r.fit == "full" else "不符"
        return f"岗位为{_work_types(d['vacancy'])}，本人意向{_work_types(d['seeker'])}（{ok}）"
    if r.part == "text":
        return f"岗位名称与描述和本人简历、技能的文字相关度 {d['cosine']:.2f}"
    return ""


def explain(parts: dict, seeker: tuple, vacancy: tuple, names: Names, weights=None) -> list[dict]:
    """The reasons of one pair as dicts (JSON-ready, Chinese text)."""
    s, i = seeker
    v, j = vacancy
    out = []
    for r in score.reasons(parts, seeker, vacancy, weights):
        out.append({"part": r.part, "label": LABELS[r.part], "points": round(r.points, 1),
                    "max_points": round(r.max_points, 1), "fit": r.fit, "fit_label": FIT_LABELS[r.fit],
                    "text": _text(r, names, s, i, v, j)})
    return out


def codes_of(seekers, rows, vacancies, cols) -> set[str]:
    """The occupation codes a set of pairs' reasons name (for ``Names.for_codes``)."""
    out: set[str] = set()
    for i in rows:
        out.update(occupation_code(int(c)) for c in seekers.occupations[i] if c >= 0)
    for j in cols:
        if vacancies.occupation[j] >= 0:
            out.add(occupation_code(int(vacancies.occupation[j])))
    return out


__all__ = ["EDUCATION_LABELS", "EDUCATION_RANK", "LABELS", "Names", "codes_of", "explain"]
