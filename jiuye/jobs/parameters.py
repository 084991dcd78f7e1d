"""Dated parameters the jobs app reads (values in parameters/data/*.yaml or a deployment's file).

Every weight of the match score and every limit of the recommender is a dated parameter, so a bureau
can change them with an effective date and a basis, and a past recommendation can be explained with
the values in force on its day. Each part declares its own keys here, one block per part.
"""
from __future__ import annotations

# jobs: vac (vacancies: validity, minimum age)
from jiuye.parameters import Parameter, declare  # noqa: E402

VACANCY_PARAMETERS = [
    Parameter("jobs.vacancy.max_validity_days", "int", "招聘岗位最长有效期", unit="天", minimum=1,
              description="岗位发布的有效期（有效期起至有效期止）不得超过此天数；届满自动过期，可重新发布。"),
    Parameter("jobs.vacancy.min_age", "int", "招聘最低年龄", unit="周岁", minimum=16,
              description="岗位年龄下限不得低于此年龄（禁止招用未满十六周岁的未成年人）。"),
]
declare(*VACANCY_PARAMETERS, owner="jobs")
