"""The demo city's vacancies: every work type, one refused with its reasons, one waiting for review, the
demo employer's own vacancies, welfare posts published as vacancies, suggestions to confirm."""
from jiuye.accounts.models import Role
from jiuye.assistance.models import WelfarePost
from jiuye.jobs import demo_vacancies
from jiuye.jobs.models import Vacancy, VacancyStatus, WorkType
from jiuye.jobs.services import vacancies as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, XINCHENG, _user
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


def test_the_demo_vacancies(occupations, district_officer, monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    officer = _user("demo_district", Role.DISTRICT_OFFICER, XINCHENG)
    firms = [make_employer(district_officer, n=i) for i in range(1, 5)]
    boss = _user("demo_employer", Role.EMPLOYER_USER, None)
    registry.link_account(actor=None, user=boss, employer=firms[2])
    WelfarePost.objects.create(employer=firms[0], title="社区治安巡防员", category="urban", region_id=COMMUNITY_A1, openings=3,
                               starts_on=D(2026, 11, 1), created_by=officer)
    line = demo_vacancies.seed(D(2026, 11, 20))
    assert "拒绝发布1个" in line and "待审核1个" in line and "公益性岗位1个" in line and "人力资源储备池0人" in line
    assert Vacancy.objects.filter(status=VacancyStatus.PUBLISHED).count() >= 55
    assert set(Vacancy.objects.values_list("work_type", flat=True)) == set(WorkType.values)
    refused = Vacancy.objects.get(status=VacancyStatus.REFUSED)
    assert {r["code"] for r in refused.refusals} >= {"sex", "hukou", "marital"}
    assert Vacancy.objects.filter(employer=firms[2]).exists()
    assert Vacancy.objects.filter(occupation__isnull=True).exists()
    assert Vacancy.objects.filter(latitude__isnull=False).exists()
    assert "用工需求调查4家" in line
    assert demo_vacancies.seed(D(2026, 11, 20)) == ""  # once
