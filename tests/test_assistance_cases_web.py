"""The case workbench on the web and in the API: list, export, case page, services, reassignment,
overview, the home panel and the navigation; the web list and the API list agree (one read layer)."""
from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jiuye.accounts.models import AuditEntry, Role
from jiuye.assistance.models import CaseEventKind, CaseKind, CaseService, CloseKind, DeadlineKind
from jiuye.assistance.services import cases
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG, _user
from tests.test_web import client_for

D = datetime.date
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def town(make_person, district_officer, street_officer, community_worker, city_officer):
    """Cases in two streets: zero-employment households and hard-to-employ persons, some overdue, one in
    follow-up, one closed."""
    today = timezone.localdate()
    made = []
    for i, (region, days_ago) in enumerate([(COMMUNITY_A1, 90), (COMMUNITY_A1, 2), (COMMUNITY_A2, 40),
                                            (COMMUNITY_B1, 60), (COMMUNITY_B1, 1), (COMMUNITY_A1, 20)]):
        household = registry.create_household(actor=district_officer, number=f"H-{i:03d}", region=region)
        made.append(cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=region, household=household,
                                    opened_on=today - datetime.timedelta(days=days_ago)))
    for i, (name, region, days_ago) in enumerate([("张援助", COMMUNITY_A1, 10), ("李援助", COMMUNITY_B1, 100),
                                                  ("王援助", COMMUNITY_A2, 5)]):
        person = make_person(name=name, region=region)
        made.append(cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=region, person=person,
                                    opened_on=today - datetime.timedelta(days=days_ago)))
    cases.record_employment(made[3], on=today - datetime.timedelta(days=3))
    cases.close_case(made[5], kind=CloseKind.NO_LONGER_QUALIFIES, on=today - datetime.timedelta(days=1), note="户分立")
    clients = {u.username: client_for(u) for u in (district_officer, street_officer, community_worker, city_officer)}
    return {"cases": made, "clients": clients}


def web_rows(client, params) -> list[int]:
    response = client.get(reverse("web:cases"), params)
    assert response.status_code == 200
    return [row.pk for row in response.context["page"]["rows"]]


def api_rows(client, params) -> list[int]:
    response = client.get("/api/v1/cases", {**params, "limit": 50})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@PROPERTY
@given(data=st.data())
def test_web_list_and_api_list_agree(town, data):
    client = town["clients"][data.draw(st.sampled_from(["do_xc", "so_a", "cw_a1", "co_xa"]))]
    region = data.draw(st.sampled_from(["", COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG]))
    regions = {c for c, _l in client.get(reverse("web:cases")).context["form"].fields["region"].choices}
    assume(region in regions)
    params = {
        "region": region,
        "kind": data.draw(st.sampled_from(["", *CaseKind.values])),
        "status": data.draw(st.sampled_from(["active", "all", "open", "follow_up", "closed"])),
        "escalation": data.draw(st.sampled_from(["", "street", "district"])),
        "sort": data.draw(st.sampled_from(["", "urgency", "-urgency", "opened_on", "-opened_on", "region", "-status",
                                           "kind", "escalation", "bogus"])),
        "q": data.draw(st.sampled_from(["", "援助", "H-00", "张"])),
    }
    flags = {k: "on" for k in ("overdue", "mine") if data.draw(st.booleans())}
    web = web_rows(client, {**params, **flags})
    api = api_rows(client, {**params, **{k: "true" for k in flags}})
    assert web == api


def test_the_list_counts_sorts_overdue_first_and_exports(town):
    client = town["clients"]["do_xc"]
    response = client.get(reverse("web:cases"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page["total"] == 8  # active: 9 minus the closed one; the follow-up case is active
    dues = [c.next_due_on for c in page["rows"]]
    assert dues == sorted(dues)
    content = response.content.decode()
    assert "共 8 条" in content and "逾期" in content and "就业援助" in content
    export = client.get(reverse("web:cases"), {"format": "xlsx", "overdue": "on"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "援助类型", "援助对象")
    overdue_count = client.get(reverse("web:cases"), {"overdue": "on"}).context["page"]["total"]
    assert len(rows) - 1 == overdue_count > 0
    assert AuditEntry.objects.filter(action="export", object_type="case").exists()


def test_a_community_worker_sees_only_their_community(town):
    client = town["clients"]["cw_a1"]
    ids = web_rows(client, {"status": "all"})
    assert ids and all(c.region_id == COMMUNITY_A1 for c in town["cases"] if c.pk in ids)
    b1 = next(c for c in town["cases"] if c.region_id == COMMUNITY_B1)
    assert client.get(reverse("web:case", args=[b1.pk])).status_code == 404
    api = client.get(f"/api/v1/cases/{b1.pk}")
    assert api.status_code == 404 and api.json()["detail"] == client.get("/api/v1/cases/99999999").json()["detail"]
    street = town["clients"]["so_a"]
    assert {c.region_id for c in town["cases"] if c.pk in web_rows(street, {"status": "all"})} == {COMMUNITY_A1,
                                                                                                  COMMUNITY_A2}


def test_case_page_service_form_meets_first_contact(town, community_worker):
    case = next(c for c in town["cases"] if c.region_id == COMMUNITY_A1 and c.kind == CaseKind.HARD_TO_EMPLOY)
    client = town["clients"]["cw_a1"]
    url = reverse("web:case", args=[case.pk])
    page = client.get(url + "?service=visit")
    content = page.content.decode()
    assert page.status_code == 200
    assert "不能手工结案" in content and "结案</button>" not in content
    assert "入户走访（首次联系）" in content and case.person.id_number not in content
    assert page.context["form"].initial["kind"] == "visit"
    bad = client.post(url, {"kind": "visit", "served_on": "", "outcome": ""})
    assert bad.status_code == 200 and bad.context["form"].errors
    ok = client.post(url, {"kind": "visit", "served_on": timezone.localdate().isoformat(), "outcome": "电话联系本人"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.deadlines.get(kind=DeadlineKind.FIRST_CONTACT).met_on == timezone.localdate()
    assert "电话联系本人" in client.get(url).content.decode()


def test_api_detail_service_reassign_and_overview(town, street_officer):
    case = next(c for c in town["cases"] if c.region_id == COMMUNITY_A1 and c.kind == CaseKind.ZERO_EMPLOYMENT)
    client = town["clients"]["so_a"]
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["case"]["kind"] == "zero_employment" and detail["deadlines"] and detail["next_steps"]
    bad = client.post(f"/api/v1/cases/{case.pk}/services", {"kind": "plan", "served_on": "2100-01-01", "outcome": "x"},
                      content_type="application/json")
    assert bad.status_code == 422 and "served_on" in bad.json()["detail"]
    ok = client.post(f"/api/v1/cases/{case.pk}/services",
                     {"kind": "plan", "served_on": timezone.localdate().isoformat(), "outcome": "制定计划"},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert CaseService.objects.filter(case=case).count() == 1
    other = _user("cw_a1_2", Role.COMMUNITY_WORKER, COMMUNITY_A1)
    moved = client.post(f"/api/v1/cases/{case.pk}/reassign", {"worker_id": other.pk}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["assigned_to"] == str(other)
    assert case.events.filter(kind=CaseEventKind.ASSIGNED).count() == 2
    worker = town["clients"]["cw_a1"]
    assert worker.post(f"/api/v1/cases/{case.pk}/reassign", {"worker_id": other.pk},
                       content_type="application/json").status_code == 403
    overview = town["clients"]["do_xc"].get("/api/v1/cases/overview").json()
    assert overview["level"] == "street" and overview["total"]["follow_up"] == 1
    assert overview["total"]["no_longer_qualifies"] == 1


def test_overview_page_drills_down_and_home_panel(town):
    client = town["clients"]["do_xc"]
    response = client.get(reverse("web:assistance_overview"))
    assert response.status_code == 200
    row = next(r for r in response.context["overview"].rows if r.code == STREET_A)
    drill = client.get(reverse("web:cases"), {"region": STREET_A, "overdue": "on"})
    assert drill.context["page"]["total"] == row.overdue
    closed = client.get(reverse("web:cases"), {"region": STREET_A, "status": "closed", "close_kind": "no_longer_qualifies",
                                               "closed_from": f"{timezone.localdate().year}-01-01",
                                               "closed_to": timezone.localdate().isoformat()})
    assert closed.context["page"]["total"] == row.no_longer_qualifies == 1
    home = client.get(reverse("web:assistance"))
    assert home.status_code == 200 and "辖区援助个案" in home.content.decode()
    worker_home = town["clients"]["cw_a1"].get(reverse("web:home")).content.decode()
    assert "我的援助个案：" in worker_home and "逾期" in worker_home
    assert "就业援助" in worker_home  # the navigation item
    assert town["clients"]["cw_a1"].get(reverse("web:assistance")).status_code == 200


def test_case_page_says_when_a_deadline_crosses_a_year_without_a_known_calendar(district_officer, community_worker):
    household = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
    case = cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household,
                           opened_on=D(2026, 12, 21))
    content = client_for(community_worker).get(reverse("web:case", args=[case.pk])).content.decode()
    assert "2027 年的法定节假日安排尚未载入" in content and "可能变动" in content


def test_reassign_on_the_web_by_the_street_not_by_the_worker(town):
    case = next(c for c in town["cases"] if c.region_id == COMMUNITY_A1 and c.kind == CaseKind.ZERO_EMPLOYMENT)
    other = _user("cw_a1_3", Role.COMMUNITY_WORKER, COMMUNITY_A1, display_name="新协理员")
    worker, street = town["clients"]["cw_a1"], town["clients"]["so_a"]
    assert worker.get(reverse("web:case", args=[case.pk])).context["reassign_form"] is None
    page = street.get(reverse("web:case", args=[case.pk]))
    assert "新协理员" in page.content.decode()
    worker.post(reverse("web:case_reassign", args=[case.pk]), {"worker_id": other.pk})
    case.refresh_from_db()
    assert case.assigned_to_id != other.pk
    response = street.post(reverse("web:case_reassign", args=[case.pk]), {"worker_id": other.pk, "note": "片区调整"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to_id == other.pk
    assert "改派给 新协理员：片区调整" in street.get(reverse("web:case", args=[case.pk])).content.decode()
