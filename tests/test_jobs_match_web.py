"""The matching pages: what staff, an employer and a resident see."""
import pytest
from django.test import Client

from jiuye.jobs.models import Recommendation
from tests.jobs_helpers import occupations  # noqa: F401  (fixture)
from tests.jobs_match_helpers import employer_user, market, resident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("occupations")]


def _get(user, url, **params):
    c = Client()
    c.force_login(user)
    return c.get(url, params)


def test_staff_see_jobs_for_a_seeker_with_reasons(district_officer, make_person, other_street_officer):
    m = market(district_officer, make_person)
    r = _get(district_officer, f"/jobs/seekers/{m['a'].pk}/jobs/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "张焊工 的匹配岗位" in text and "电焊工" in text and "要求高中/中专，本人大专（满足）" in text
    assert "电焊工（已招满）" not in text
    assert _get(other_street_officer, f"/jobs/seekers/{m['a'].pk}/jobs/").status_code == 404
    x = _get(district_officer, f"/jobs/seekers/{m['a'].pk}/jobs/", format="xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def test_employer_sees_masked_seekers_and_not_other_vacancies(district_officer, make_person):
    m = market(district_officer, make_person)
    user = employer_user(m["firm"])
    text = _get(user, f"/jobs/vacancies/{m['welder_job'].pk}/seekers/").content.decode()
    assert "张**" in text and "张焊工" not in text
    assert m["a"].id_number not in text
    from tests.jobs_helpers import make_employer
    from tests.jobs_match_helpers import today_vacancy

    other = today_vacancy(make_employer(district_officer, 3, name="别家"))
    assert _get(user, f"/jobs/vacancies/{other.pk}/seekers/").status_code == 404


def test_resident_sees_their_recommended_jobs_as_cards(district_officer, make_person):
    m = market(district_officer, make_person)
    text = _get(resident(m["a"]), "/my/jobs/").content.decode()
    assert 'data-testid="my-job"' in text and "电焊工" in text and "为什么推荐" in text


def test_runs_page_starts_a_run_and_shows_its_statistics(district_officer, make_person, settings, tmp_path):
    settings.JIUYE_MATCHING_DIR = str(tmp_path)
    m = market(district_officer, make_person)
    c = Client()
    c.force_login(district_officer)
    r = c.post("/jobs/recommendations/", {"congestion": "on"})
    assert r.status_code == 302
    text = c.get(r["Location"]).content.decode()
    assert "已完成" in text and "100%" in text and "岗位曝光基尼系数" in text and "张焊工" in text
    assert m["a"].id_number not in text  # masked in the list
    assert Recommendation.objects.filter(person=m["a"]).exists()
    listing = c.get("/jobs/recommendations/").content.decode()
    assert 'data-testid="run-row"' in listing and "共 1 条" in listing
