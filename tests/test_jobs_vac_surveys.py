"""Enterprise demand surveys: the import (every rejected row with its reason, good rows kept), the demand list
(aggregated, with the lines behind, export) and "生成招聘岗位" (draft vacancies through the services)."""
from django.urls import reverse

from jiuye.imports.services import run_import
from jiuye.jobs.models import DemandLine, DemandSurvey, Vacancy, VacancySource, VacancyStatus
from jiuye.jobs.services import vacancies as services
from tests.conftest import COMMUNITY_B1
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


def test_import_list_and_generate(occupations, client, tmp_path, community_worker, district_officer, monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    firm = make_employer(community_worker)
    far = make_employer(district_officer, n=2, region=COMMUNITY_B1)
    path = tmp_path / "demand.csv"
    path.write_text(
        "统一社会信用代码,调查期,调查日期,现有职工人数,本期离职人数,本期入职人数,岗位名称,职业,需求人数,月薪下限,月薪上限,学历要求,用工形式,需求时间,是否急需\n"
        f"{firm.credit_code},2026Q4,2026-11-10,120,8,5,电焊工,6-18-02-04,3,6000,9000,不限,全职,2027-01-15,是\n"
        f"{firm.credit_code},2026Q4,2026-11-10,,,,收银员,收银员,2,3600,4200,高中,兼职,,否\n"
        f"{firm.credit_code},2026Q4,2026-11-10,,,,仓管,不存在的职业,1,4000,5000,,全职,,否\n"
        f"{firm.credit_code},2026Q9,2026-11-10,,,,文员,,1,4000,3000,,全职,,否\n"
        f"{far.credit_code},2026Q4,2026-11-10,,,,保安员,保安员,2,3500,4000,,全职,,否\n", encoding="utf-8")
    batch = run_import(kind="demand_survey", path=path, actor=community_worker)
    assert batch.imported == 2 and batch.rejected >= 2
    survey = DemandSurvey.objects.get()
    assert survey.period == "2026-Q4" and survey.employees == 120 and survey.lines.count() == 2
    again = run_import(kind="demand_survey", path=path, actor=community_worker)
    assert again.imported == 0 and again.unchanged == 2
    client.force_login(community_worker)
    page = client.get(reverse("web:demand_list")).content.decode()
    assert "6-18-02-04" in page and "电焊工" in page and "急需" in page
    ids = list(DemandLine.objects.values_list("pk", flat=True))
    client.post(reverse("web:demand_list"), {"line": [str(i) for i in ids]})
    vacancies = Vacancy.objects.order_by("title")
    assert [v.title for v in vacancies] == ["收银员", "电焊工"]
    assert all(v.status == VacancyStatus.DRAFT and v.source == VacancySource.SURVEY for v in vacancies)
    welder = vacancies.get(title="电焊工")
    assert welder.openings == 3 and welder.valid_until == D(2027, 1, 15) and welder.occupation.code == "6-18-02-04"
    assert not DemandLine.objects.filter(vacancy__isnull=True).exists()
    export = client.get(reverse("web:demand_list"), {"format": "xlsx"})
    assert export.status_code == 200


def test_the_demand_api(occupations, community_worker):
    from django.test import Client

    from jiuye.jobs.models import Occupation

    firm = make_employer(community_worker)
    survey = DemandSurvey.objects.create(employer=firm, period="2026-11", surveyed_on=D(2026, 11, 5), region_id=firm.region_id)
    DemandLine.objects.create(survey=survey, title="焊工", headcount=4, occupation=Occupation.objects.get(code="6-18-02-04"),
                              urgent=True)
    api = Client()
    api.force_login(community_worker)
    body = api.get("/api/v1/jobs/demand", {"occupation": "6-18-00-00"}).json()
    assert body["count"] == 1 and body["summary"][0]["headcount"] == 4 and body["summary"][0]["urgent"] == 1


def test_the_vacancies_import_runs_the_fair_rules(occupations, tmp_path, community_worker, district_officer, monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    firm = make_employer(community_worker)
    far = make_employer(district_officer, n=2, region=COMMUNITY_B1)
    path = tmp_path / "vacancies.csv"
    path.write_text(
        "统一社会信用代码,岗位名称,职业,招聘人数,月薪下限,月薪上限,用工形式,有效期止,岗位描述\n"
        f"{firm.credit_code},电焊工,焊工,3,6000,9000,全职,2027-01-31,氩弧焊\n"
        f"{firm.credit_code},前台,,1,4000,5000,全职,2027-01-31,限女性，已婚已育\n"
        f"{firm.credit_code},文员,,1,4000,5000,全职,2029-01-31,\n"
        f"{far.credit_code},保安员,保安员,2,3500,4000,全职,2027-01-31,\n", encoding="utf-8")
    batch = run_import(kind="vacancies", path=path, actor=community_worker)
    assert batch.imported == 1 and batch.rejected == 3
    v = Vacancy.objects.get()
    assert v.title == "电焊工" and v.status == VacancyStatus.PUBLISHED and v.source == VacancySource.IMPORT
    assert v.occupation.code == "6-18-02-04"
    assert run_import(kind="vacancies", path=path, actor=community_worker).unchanged == 1
