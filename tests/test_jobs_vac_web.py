"""Vacancies in the browser (server-rendered): the hub, the list with search/filters/count/export, the form
(refused with the law on the page), review, the employer portal, occupations."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry, Role
from jiuye.jobs.models import Vacancy, VacancyStatus
from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.services import vacancies as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    monkeypatch.setattr(queries, "today", lambda: D(2026, 11, 20))


def _form(firm, **extra):
    data = {"employer": str(firm.pk), "title": "中式烹调师", "work_type": "full_time", "openings": "2", "wage_min": "5000",
            "wage_max": "7000", "region": COMMUNITY_A1, "valid_from": "2026-11-20", "valid_until": "2027-01-31",
            "description": "负责热菜制作", "publish": "1"}
    data.update(extra)
    return data


def test_worker_publishes_a_fair_vacancy_and_finds_it(client, occupations, community_worker, today):
    firm = make_employer(community_worker)
    client.force_login(community_worker)
    assert client.get(reverse("web:jobs")).status_code == 200
    page = client.get(reverse("web:vacancy_new"))
    assert page.status_code == 200 and "保存并发布" in page.content.decode()
    r = client.post(reverse("web:vacancy_new"), _form(firm))
    v = Vacancy.objects.get()
    assert r.status_code == 302 and v.status == VacancyStatus.PUBLISHED
    detail = client.get(reverse("web:vacancy", args=[v.pk])).content.decode()
    assert "中式烹调师" in detail and "推荐职业代码" in detail and "4-03-02-01" in detail
    r = client.post(reverse("web:vacancy_occupation", args=[v.pk]), {"occupation_code": "4-03-02-01"})
    v.refresh_from_db()
    assert v.occupation.code == "4-03-02-01" and v.occupation_confirmed_by == community_worker
    listing = client.get(reverse("web:vacancies"), {"text": "烹调", "status": "open"}).content.decode()
    assert 'data-total="1"' in listing and "中式烹调师" in listing
    assert 'data-total="0"' in client.get(reverse("web:vacancies"), {"text": "焊工"}).content.decode()
    export = client.get(reverse("web:vacancies"), {"text": "烹调", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[1]][0] == "岗位名称" and any("中式烹调师" == c.value for c in sheet["A"])
    assert AuditEntry.objects.filter(action="export", object_type="vacancy").exists()


def test_a_discriminatory_vacancy_is_refused_on_the_page_with_the_law(client, occupations, community_worker, today):
    firm = make_employer(community_worker)
    client.force_login(community_worker)
    r = client.post(reverse("web:vacancy_new"), _form(firm, description="限男性，汉族，已婚已育"), follow=True)
    body = r.content.decode()
    assert "拒绝发布的原因" in body and "《就业促进法》第二十七条" in body and "《妇女权益保障法》第四十三条" in body
    v = Vacancy.objects.get()
    assert v.status == VacancyStatus.REFUSED
    r = client.post(reverse("web:vacancy_publish", args=[v.pk]))
    assert r.status_code == 400 and "第二十七条" in r.content.decode()


def test_age_limit_reviewed_in_the_browser(client, occupations, community_worker, street_officer, today):
    firm = make_employer(community_worker)
    client.force_login(community_worker)
    client.post(reverse("web:vacancy_new"), _form(firm, age_max="45", age_justification="需长时间站立颠勺"))
    v = Vacancy.objects.get()
    assert v.status == VacancyStatus.PENDING_REVIEW
    client.force_login(street_officer)
    queue = client.get(reverse("web:vacancy_review")).content.decode()
    assert "中式烹调师" in queue and "需长时间站立颠勺" in queue
    r = client.post(reverse("web:vacancy_review_decide", args=[v.pk]), {"decision": "refuse", "reason": ""})
    assert r.status_code == 400
    client.post(reverse("web:vacancy_review_decide", args=[v.pk]), {"decision": "refuse", "reason": "年龄限制与岗位无必然联系"})
    v.refresh_from_db()
    assert v.status == VacancyStatus.REFUSED
    client.force_login(community_worker)
    assert "年龄限制与岗位无必然联系" in client.get(reverse("web:vacancy", args=[v.pk])).content.decode()


def test_the_employer_portal(client, occupations, community_worker, district_officer, today):
    firm = make_employer(community_worker)
    other = make_employer(district_officer, n=2, region=COMMUNITY_B1)
    theirs = services.create_vacancy(district_officer, employer_id=other.pk, title="保安员", openings=1,
                                     valid_until=D(2027, 1, 1))
    user = _user("boss", Role.EMPLOYER_USER, None)
    registry.link_account(actor=None, user=user, employer=firm)
    client.force_login(user)
    assert client.get(reverse("web:my_vacancies")).status_code == 200
    r = client.post(reverse("web:vacancy_new"), _form(firm, employer=str(firm.pk)))
    mine = Vacancy.objects.get(employer=firm)
    assert r.status_code == 302 and mine.status == VacancyStatus.PUBLISHED and mine.source == "employer"
    own = client.get(reverse("web:my_vacancies")).content.decode()
    assert "中式烹调师" in own and "保安员" not in own
    assert client.get(reverse("web:vacancy", args=[theirs.pk])).status_code == 404  # a draft of someone else
    assert client.get(reverse("web:vacancy_edit", args=[mine.pk])).status_code == 200
    r = client.post(reverse("web:vacancy_new"), _form(other, employer=str(other.pk)))
    assert r.status_code == 200 and Vacancy.objects.filter(employer=other).count() == 1  # not a choice of the form
    client.post(reverse("web:vacancy_close", args=[mine.pk]), {"reason": "已招到"})
    mine.refresh_from_db()
    assert mine.status == VacancyStatus.CLOSED


def test_residents_search_published_vacancies_only(client, occupations, community_worker, make_person, today):
    firm = make_employer(community_worker)
    services.create_vacancy(community_worker, employer_id=firm.pk, title="收银员", openings=1, valid_until=D(2027, 1, 1),
                            publish=True)
    services.create_vacancy(community_worker, employer_id=firm.pk, title="理货员", openings=1, valid_until=D(2027, 1, 1))
    person = make_person()
    resident = _user("res", Role.RESIDENT, None)
    registry.link_account(actor=None, user=resident, person=person)
    client.force_login(resident)
    page = client.get(reverse("web:vacancies")).content.decode()
    assert "收银员" in page and "理货员" not in page and "岗位搜索" in page


def test_occupations_page(client, occupations, community_worker):
    client.force_login(community_worker)
    top = client.get(reverse("web:occupations")).content.decode()
    assert "1636" in top and top.count('data-testid="occupation-row"') == 8
    found = client.get(reverse("web:occupations"), {"q": "焊工"}).content.decode()
    assert "6-18-02-04" in found
    kids = client.get(reverse("web:occupations"), {"parent": "6-18-02-00"}).content.decode()
    assert "6-18-02-04" in kids


def test_the_guides_name_the_labels_the_pages_have(client, occupations, community_worker, street_officer, today):
    firm = make_employer(community_worker)
    client.force_login(community_worker)
    guide = client.get(reverse("web:help_role", args=["community_worker"])).content.decode()
    new = client.get(reverse("web:vacancy_new")).content.decode()
    hub = client.get(reverse("web:jobs")).content.decode()
    for label in ["发布招聘岗位", "保存并发布", "保存草稿"]:
        assert label in guide and label in (new + hub), label
    v = services.create_vacancy(community_worker, employer_id=firm.pk, title="收银员", openings=1, valid_until=D(2027, 1, 1),
                                age_max=40, age_justification="夜班")
    page = client.get(reverse("web:vacancy", args=[v.pk])).content.decode()
    for label in ["推荐职业代码", "确认此职业", "关闭岗位"]:
        assert label in guide and label in page, label
    services.publish_vacancy(community_worker, v.pk)
    client.force_login(street_officer)
    guide = client.get(reverse("web:help_role", args=["street_officer"])).content.decode()
    page = client.get(reverse("web:vacancy", args=[v.pk])).content.decode()
    for label in ["同意发布", "不予发布", "提交审核意见"]:
        assert label in guide and label in page, label
    assert "岗位审核" in client.get(reverse("web:jobs")).content.decode()


def test_the_hub_figures_are_the_totals_of_the_lists_they_link_to(client, occupations, community_worker, make_person,
                                                                 today):
    import re

    from jiuye.jobs.services import seekers as seeker_services

    firm = make_employer(community_worker)
    for n in range(3):
        seeker_services.start_seeking(actor=community_worker, person=make_person(name=f"求职{n}"), started_on=D(2026, 11, 2))
    client.force_login(community_worker)
    hub = client.get(reverse("web:jobs")).content.decode()
    assert re.search(r'data-stat="seekers">3<', hub), "three seekers registered"
    listing = client.get(reverse("web:seekers"), {"status": "open"}).content.decode()
    assert 'data-total="3"' in listing
    assert firm is not None
