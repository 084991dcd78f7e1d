"""Jobs for a seeker and seekers for a vacancy, through the queries (scope, masking, reasons)."""
import pytest

from jiuye.accounts.models import AuditEntry
from jiuye.jobs.queries import matching as q
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_B1
from tests.jobs_helpers import occupations  # noqa: F401  (fixture)
from tests.jobs_match_helpers import employer_user, make_seeker, market, resident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("occupations")]


def test_jobs_for_a_welder_rank_the_welding_job_first_with_reasons(district_officer, make_person):
    m = market(district_officer, make_person)
    result = q.jobs_for_person(district_officer, m["a"].pk, top=5)
    titles = [r["title"] for r in result.rows]
    assert titles[0] == "电焊工" and "电焊工（已招满）" not in titles
    reasons = {r["part"]: r for r in result.rows[0]["reasons"]}
    assert reasons["occupation"]["text"].startswith("求职意向 焊工（6-18-02-04）与岗位职业相同")
    assert reasons["skills"]["text"] == "具备 焊工证"
    assert reasons["education"]["text"] == "要求高中/中专，本人大专（满足）"
    assert reasons["place"]["text"].startswith("同一社区")
    assert abs(sum(r["points"] for r in result.rows[0]["reasons"]) - result.rows[0]["score"]) < 0.5
    assert AuditEntry.objects.filter(object_type="person", object_id=str(m["a"].pk), action="view").exists()


def test_missing_requirements_are_named(district_officer, make_person):
    m = market(district_officer, make_person)
    row = next(r for r in q.jobs_for_person(district_officer, m["b"].pk).rows if r["title"] == "电焊工")
    reasons = {r["part"]: r for r in row["reasons"]}
    assert reasons["education"]["text"] == "要求高中/中专，本人初中（未满足）"
    assert reasons["skills"]["text"] == "缺少 焊工证"
    assert "低于期望" in reasons["wage"]["text"]


def test_seekers_for_a_vacancy_staff_in_scope_only(district_officer, other_street_officer, make_person):
    m = market(district_officer, make_person)
    far = make_seeker(make_person, region=COMMUNITY_B1, name="赵远方")
    names = [r["name"] for r in q.seekers_for_vacancy(district_officer, m["welder_job"].pk).rows]
    assert names[0] == "张焊工" and "赵远方" in names
    with pytest.raises(NotFound):
        q.seekers_for_vacancy(other_street_officer, m["welder_job"].pk)  # the vacancy is in street A
    assert far.pk


def test_employer_sees_masked_seekers_of_its_own_vacancies(district_officer, make_person):
    from jiuye.jobs.models import Application

    m = market(district_officer, make_person)
    user = employer_user(m["firm"])
    rows = q.seekers_for_vacancy(user, m["welder_job"].pk).rows
    assert rows[0]["name"] == "张**" and rows[0]["person_id"] is None and "phone" not in rows[0]
    assert rows[0]["age_band"].endswith("岁") and rows[0]["reasons"]
    Application.objects.create(vacancy=m["welder_job"], person=m["a"], origin="applied", status="applied")
    rows = q.seekers_for_vacancy(user, m["welder_job"].pk).rows
    assert rows[0]["name"] == "张焊工" and rows[0]["disclosed"]
    with pytest.raises(NotFound):
        q.jobs_for_person(user, m["a"].pk)


def test_resident_sees_only_their_own_jobs(district_officer, make_person):
    m = market(district_officer, make_person)
    user = resident(m["c"])
    assert q.jobs_for_person(user, m["c"].pk).rows[0]["title"] == "中式烹调师"
    with pytest.raises(NotFound):
        q.jobs_for_person(user, m["a"].pk)
    with pytest.raises(NotFound):
        q.seekers_for_vacancy(user, m["cook_job"].pk)


def test_a_welfare_post_lists_eligible_priority_persons_first_and_only_them(district_officer, make_person):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from jiuye.assistance.models import PostCategory, Recognition, RecognitionStatus
    from jiuye.assistance.services import posts
    from jiuye.jobs.models import WorkType
    from tests.jobs_match_helpers import today_vacancy

    m = market(district_officer, make_person)
    since = timezone.localdate() - datetime.timedelta(days=100)
    helped = make_seeker(make_person, occupations=("4-03-02-01",), name="钱援助")
    Recognition.objects.create(person=helped, region_id=helped.region_id, categories=["long_term_unemployed"],
                               applied_on=since, status=RecognitionStatus.RECOGNISED, valid_from=since)
    post = posts.create_post(actor=district_officer, employer=m["firm"], title="社区保洁", category=PostCategory.URBAN,
                             region=helped.region_id, openings=2, monthly_subsidy=Decimal("1950"), starts_on=since)
    job = today_vacancy(m["firm"], title="社区保洁（公益性岗位）", occupation_code="4-03-02-01",
                        work_type=WorkType.WELFARE_POST, welfare_post=post)
    rows = q.seekers_for_vacancy(district_officer, job.pk).rows
    assert [r["name"] for r in rows] == ["钱援助"]
    assert rows[0]["reasons"][0]["label"] == "优先安置" and rows[0]["flags"] == ["就业困难人员"]
    assert q.jobs_for_person(district_officer, helped.pk).rows[0]["vacancy_id"] == job.pk
    assert job.pk not in [r["vacancy_id"] for r in q.jobs_for_person(district_officer, m["c"].pk).rows]
