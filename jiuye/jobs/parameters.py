"""Dated parameters the jobs app reads (values in parameters/data/*.yaml or a deployment's file).

Every weight of the match score and every limit of the recommender is a dated parameter, so a bureau
can change them with an effective date and a basis, and a past recommendation can be explained with
the values in force on its day. Each part declares its own keys here, one block per part.
"""
from __future__ import annotations

# jobs: match
from jiuye.parameters import Parameter, declare  # noqa: E402

MATCH_PARTS_LABELS = {"occupation": "职业相近", "skills": "技能与证书", "education": "学历", "experience": "工作经验",
                      "place": "工作地点", "wage": "薪酬", "work_type": "用工形式", "text": "文字相关度",
                      "priority": "公益性岗位优先安置"}
MATCH_PARAMETERS = [
    Parameter(f"jobs.match.weight.{part}", "decimal", f"匹配得分权重：{label}", unit="分", minimum=0,
              description="该项完全符合时得到的分数；各项相加为匹配得分。")
    for part, label in MATCH_PARTS_LABELS.items()
] + [
    Parameter("jobs.match.top", "int", "推荐批次：每人推荐岗位数", unit="个", minimum=1),
    Parameter("jobs.match.candidates_per_seeker", "int", "推荐批次：每人候选岗位数", unit="个", minimum=1,
              description="批量推荐时每人先取得分最高的若干候选岗位，再按岗位空缺数做拥挤控制。"),
]
declare(*MATCH_PARAMETERS, owner="jobs")
# jobs: vac (vacancies: validity, minimum age)

VACANCY_PARAMETERS = [
    Parameter("jobs.vacancy.max_validity_days", "int", "招聘岗位最长有效期", unit="天", minimum=1,
              description="岗位发布的有效期（有效期起至有效期止）不得超过此天数；届满自动过期，可重新发布。"),
    Parameter("jobs.vacancy.min_age", "int", "招聘最低年龄", unit="周岁", minimum=16,
              description="岗位年龄下限不得低于此年龄（禁止招用未满十六周岁的未成年人）。"),
]
declare(*VACANCY_PARAMETERS, owner="jobs")
