"""The screening part's API: catalogue, one policy, explanation (scoped, audited), runs and results, my policies."""
import datetime

from django.test import Client
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry import services as registry
from jiuye.registry.identity import mask_id_number
from tests.policies_helpers import D, shipped  # noqa: F401
from tests.test_policies_screening import hires  # noqa: F401


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_catalogue_and_one_policy(shipped, community_worker):
    c = client_for(community_worker)
    rows = {r["code"]: r for r in c.get("/api/v1/policies").json()}
    assert rows["xc2020-hiring-once"]["benefits"][0]["amount"] == "1000.00"
    assert rows["xc2020-internship-retention"]["benefits"][0]["amount_text"] == "未设置（不能发放）"
    assert {r["code"] for r in c.get("/api/v1/policies", {"pack": "ak2022"}).json()} and all(
        r["pack"] == "ak2022" for r in c.get("/api/v1/policies", {"pack": "ak2022"}).json())
    one = c.get("/api/v1/policies/xc2020-hiring-once").json()
    assert any("毕业年度高校毕业生" in x["label"] for x in one["conditions"]) and one["versions"][0]["current"]
    assert c.get("/api/v1/policies/xc2020-nope").status_code == 404


def test_explain_is_scoped_masked_and_audited(hires, street_officer, other_street_officer, city_officer):
    params = {"policy": "xc2020-hiring-once", "person": hires["a"].id_number, "employer": hires["firm_a"].credit_code,
              "as_of": "2020-12-31"}
    r = client_for(street_officer).get("/api/v1/policies/explain", params)
    data = r.json()
    assert r.status_code == 200 and data["entitlements"][0]["eligible"] and data["entitlements"][0]["amount"] == "1000.00"
    assert data["person"] == hires["a"].id_number
    assert AuditEntry.objects.filter(action="view", object_type="person", actor=street_officer).exists()
    assert client_for(other_street_officer).get("/api/v1/policies/explain", params).status_code == 404
    data = client_for(city_officer).get("/api/v1/policies/explain", params).json()
    assert data["person"] == mask_id_number(hires["a"].id_number)
    r = client_for(street_officer).get("/api/v1/policies/explain", {"policy": "xc2020-hiring-once", "as_of": "2020-12-31"})
    assert r.status_code == 422 and "公民身份号码" in str(r.json())


def test_runs_and_results_through_the_api(hires, district_officer, street_officer):
    c = client_for(district_officer)
    r = c.post("/api/v1/screening-runs", {"as_of": "2020-12-31"}, content_type="application/json")
    assert r.status_code == 201, r.content
    run = r.json()
    assert run["status"] == "done" and run["results_in_scope"] > 0
    assert c.get("/api/v1/screening-runs").json()["count"] == 1
    data = c.get(f"/api/v1/screening-runs/{run['id']}/results", {"policy": "xc2020-hiring-once"}).json()
    assert data["count"] == 2 and {i["id_number_masked"] for i in data["items"]} == {
        mask_id_number(hires["a"].id_number), mask_id_number(hires["b"].id_number)}
    assert hires["a"].id_number not in str(data)
    data = client_for(street_officer).get(f"/api/v1/screening-runs/{run['id']}/results").json()
    assert {i["person_id"] for i in data["items"]} == {hires["a"].pk}
    r = c.post("/api/v1/screening-runs", {"as_of": "2020-12-31", "policies": "xc2020-hiring-once, nope-1"}, content_type="application/json")
    assert r.status_code == 422 and "nope-1" in str(r.json())


def test_my_policies_for_a_resident(shipped, district_officer, make_person):
    person = make_person(birth="19990101", education="bachelor", school_type="university", graduation_date=D(2025, 7, 1))
    registry.register_employment(actor=district_officer, person=person,
                                 effective_date=timezone.localdate() - datetime.timedelta(days=5),
                                 employment_form="self_employed", social_insurance=True)
    user = User.objects.create_user("res_api", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=user, person=person)
    rows = client_for(user).get("/api/v1/my-policies").json()
    once = [r for r in rows if r["policy"] == "xc2020-startup-once"]
    assert once and once[0]["amount"] == "5000.00" and not once[0]["claimed"]
    assert client_for(user).get("/api/v1/policies").status_code == 403
