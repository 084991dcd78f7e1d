"""The recommendation run, the snapshot file, the command line."""
import json

import numpy as np
import pytest
from django.core.management import call_command

from jiuye.jobs.matching import batch, load
from jiuye.jobs.matching.synthetic import synthetic
from jiuye.jobs.models import Recommendation, RunStatus
from jiuye.jobs.queries import matching as q
from jiuye.jobs.services import matching as runs
from tests.jobs_helpers import occupations  # noqa: F401  (fixture)
from tests.jobs_match_helpers import market, resident


def test_congestion_spreads_exposure_over_more_vacancies_than_plain_top_k():
    s, v = synthetic(3000, 200, seed=2)
    plain, st_plain, _ = batch.recommend(s, v, top=5, per_seeker=50, congestion=False)
    ctl, st_ctl, cand = batch.recommend(s, v, top=5, per_seeker=50, congestion=True)
    assert st_plain["method"] == "top_k" and st_ctl["method"] == "congestion"
    assert st_ctl["gini"] < st_plain["gini"]
    r, c, rank, score = batch.flat(ctl, cand)
    assert rank.max() == 5 and (score > 0).all()
    assert set(zip(r.tolist(), c.tolist())) <= set(zip(*cand.nonzero()))


@pytest.mark.django_db
def test_a_run_stores_each_seekers_list_and_the_resident_sees_it(occupations, district_officer, make_person, settings,
                                                                tmp_path):
    settings.JIUYE_MATCHING_DIR = str(tmp_path)
    m = market(district_officer, make_person)
    run = runs.run_recommendations(district_officer, congestion=True)
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.seekers == 3 and run.vacancies == 2 and run.stats["coverage"] == 1.0
    first = Recommendation.objects.filter(run=run, person=m["a"], rank=1).get()
    assert first.vacancy_id == m["welder_job"].pk and first.score > 50
    assert load.latest_path() is not None  # the snapshot the single queries now read
    mine = q.recommended_for(resident(m["a"]), m["a"].pk)
    assert mine.source == "run" and mine.rows[0]["title"] == "电焊工" and mine.rows[0]["reasons"]
    # the saved snapshot round-trips
    snap = load.read(load.latest_path())
    assert snap.seekers.person_id.tolist() == sorted([m["a"].pk, m["b"].pk, m["c"].pk])
    assert np.allclose(snap.vacancies.text.toarray(), load.build().vacancies.text.toarray())


@pytest.mark.django_db
def test_the_command_line_lists_jobs_and_seekers_with_reasons(occupations, district_officer, make_person, capsys):
    m = market(district_officer, make_person)
    call_command("match", "jobs", "--person", m["a"].id_number, "--top", "3", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["title"] == "电焊工"
    assert {"part", "label", "points", "text"} <= set(out["results"][0]["reasons"][0])
    call_command("match", "seekers", "--vacancy", str(m["welder_job"].pk))
    text = capsys.readouterr().out
    assert "张焊工" in text and "学历" in text and "要求高中/中专，本人大专（满足）" in text
    call_command("match", "run", "--no-congestion")
    assert "覆盖率 100.0%" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_step_runs_once_over_the_city(occupations, district_officer, make_person):
    from django.utils import timezone

    from jiuye.jobs import demo_matching

    assert "未运行" in demo_matching.seed(timezone.localdate())
    market(district_officer, make_person)
    line = demo_matching.seed(timezone.localdate())
    assert "求职人员 3 人" in line and "岗位 2 个" in line


@pytest.mark.django_db
def test_a_saved_snapshot_plus_what_changed_since(occupations, district_officer, make_person, settings, tmp_path):
    from tests.jobs_match_helpers import make_seeker, today_vacancy

    settings.JIUYE_MATCHING_DIR = str(tmp_path)
    m = market(district_officer, make_person)
    load.refresh()
    new_job = today_vacancy(m["firm"], title="氩弧焊工", description="焊接不锈钢")
    newcomer = make_seeker(make_person, name="吴新来", education="college", certificates=["焊工证"])
    jobs = [r["vacancy_id"] for r in q.jobs_for_person(district_officer, m["a"].pk).rows]
    assert new_job.pk in jobs
    seekers = [r["name"] for r in q.seekers_for_vacancy(district_officer, m["welder_job"].pk).rows]
    assert "吴新来" in seekers and newcomer.pk
    m["welder_job"].status = "closed"
    m["welder_job"].save()
    assert m["welder_job"].pk not in [r["vacancy_id"] for r in q.jobs_for_person(district_officer, m["a"].pk).rows]
