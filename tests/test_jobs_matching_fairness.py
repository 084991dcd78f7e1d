"""Fairness: sex, ethnicity and household registration never change anyone's recommendations.

The Person rows are updated directly (recognitions and group memberships fixed); the jobs for each
seeker, each seeker's rank in each vacancy's seekers, and the batch lists must stay the same.
"""
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jiuye.jobs.matching import batch, load
from jiuye.jobs.queries import matching as q
from jiuye.registry.models import HukouType, Person, Sex
from tests.conftest import COMMUNITY_A2, COMMUNITY_B1
from tests.jobs_helpers import make_employer, occupations  # noqa: F401  (fixture)
from tests.jobs_match_helpers import make_seeker, market, today_vacancy

ETHNICITIES = ["汉族", "回族", "满族", "蒙古族", "维吾尔族", "藏族", ""]


@pytest.fixture
def world(occupations, district_officer, make_person):
    m = market(district_officer, make_person)
    other = make_employer(district_officer, 2, name="长安物流", region=COMMUNITY_B1)
    today_vacancy(other, title="仓库管理员", occupation_code="4-02-06-03", description="仓储 管理 叉车", wage_min=4500)
    make_seeker(make_person, occupations=("4-02-06-03",), region=COMMUNITY_A2, name="孙仓管", education="senior",
                skills=["叉车"])
    make_seeker(make_person, occupations=(), region=COMMUNITY_B1, name="周某", profile={"resume": "做过仓储和焊接"})
    return m


def _snapshot_of_recommendations(officer):
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    from jiuye.jobs.models import Vacancy

    jobs = {p: [(r["vacancy_id"], r["score"]) for r in q.jobs_for_person(officer, p, top=10, audit_read=False).rows]
            for p in persons}
    seekers = {v: [(r["person_id"], r["score"]) for r in q.seekers_for_vacancy(officer, v, top=10).rows]
               for v in Vacancy.objects.values_list("pk", flat=True)}
    snap = load.build()
    result, _, _ = batch.recommend(snap.seekers, snap.vacancies, top=3, per_seeker=20, congestion=True)
    r, c, rank, _ = batch.flat(result, result)
    lists = sorted(zip(snap.seekers.person_id[r].tolist(), snap.vacancies.vacancy_id[c].tolist(), rank.tolist()))
    return jobs, seekers, lists


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_sex_ethnicity_and_hukou_change_no_recommendation(world, district_officer, data):
    before = _snapshot_of_recommendations(district_officer)
    for pk in Person.objects.values_list("pk", flat=True):
        Person.objects.filter(pk=pk).update(
            sex=data.draw(st.sampled_from(Sex.values)), ethnicity=data.draw(st.sampled_from(ETHNICITIES)),
            hukou_type=data.draw(st.sampled_from(HukouType.values)),
            hukou_place=data.draw(st.sampled_from(["", "陕西省西安市", "甘肃省天水市", "河南省洛阳市"])))
    assert _snapshot_of_recommendations(district_officer) == before
