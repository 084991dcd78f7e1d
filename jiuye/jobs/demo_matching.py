"""The demo city's matching (a step of ``jobs.demo.seed_demo``): one recommendation run over the demo
city's open seekers and vacancies, so that the runs page, the stored lists and the residents' "推荐岗位"
have content. Runs after the vacancies and seekers steps; with no seeker or vacancy it says so."""
from __future__ import annotations

import datetime


def seed(today: datetime.date) -> str:
    from jiuye.jobs.matching import load
    from jiuye.jobs.models import RunStatus, SeekerRegistration, Vacancy
    from jiuye.jobs.services import matching

    if not (Vacancy.objects.filter(load.open_vacancies_q(today)).exists()
            and SeekerRegistration.objects.filter(load.open_seekers_q(today)).exists()):
        return "岗位推荐：暂无在招岗位或求职登记，未运行推荐批次"
    run = matching.run_recommendations(None, congestion=True, on=today)
    if run.status != RunStatus.DONE:
        return f"岗位推荐：失败（{run.error}）"
    return (f"岗位推荐：批次 {run.pk}，求职人员 {run.seekers} 人，岗位 {run.vacancies} 个，"
            f"推荐 {run.stats.get('recommendations', 0)} 条")
