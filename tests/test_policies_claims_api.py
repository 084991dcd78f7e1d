"""Claims through the API: submit with files, list with count, detail with its trace, review, publicity,
approval; residents see only their own; out of scope is 404."""
import pytest
from django.test import Client

from jiuye.accounts.models import Role, User
from jiuye.policies.models import Claim, ClaimStatus
from jiuye.policies.services import claims as services
from jiuye.registry import services as registry
from tests.policies_helpers import D, evidence_for, graduate_hire, media, pdf, shipped  # noqa: F401


@pytest.fixture
def clock(monkeypatch):
    state = {"today": D(2020, 9, 1)}
    monkeypatch.setattr(services, "current_date", lambda: state["today"])
    return state


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_submit_review_publish_approve_through_the_api(shipped, media, clock, community_worker, street_officer,
                                                       district_officer, make_person):
    _g, firm, reg = graduate_hire(district_officer, make_person)
    worker = client_for(community_worker)
    r = worker.post("/api/v1/policies/claims", {
        "policy": "xc2020-hiring-once", "event_type": "employment", "event_id": reg.pk,
        "file_1": pdf("合同.pdf"), "kind_1": "劳动合同", "file_2": pdf("社保.pdf"), "kind_2": "社会保险缴费记录"})
    assert r.status_code in (400, 422) and "缺少材料“毕业证书”" in str(r.json())
    r = worker.post("/api/v1/policies/claims", {
        "policy": "xc2020-hiring-once", "event_type": "employment", "event_id": reg.pk, "paper_checked": "毕业证书",
        "file_1": pdf("合同.pdf"), "kind_1": "劳动合同", "file_2": pdf("社保.pdf"), "kind_2": "社会保险缴费记录"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["total"] == "1000.00" and body["channel"] == "api"
    assert body["submission_trace"]["eligible"] is True and body["beneficiary_name"] == firm.name
    claim_id = body["id"]

    reviewer = client_for(street_officer)
    listing = reviewer.get("/api/v1/policies/claims", {"queue": "true"}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == claim_id
    assert "*" in listing["items"][0]["id_number_masked"]
    r = reviewer.post(f"/api/v1/policies/claims/{claim_id}/review", {"decision": "pass"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status_label"] == "审核通过待公示"
    assert r.json()["decision_trace"]["policy"]["code"] == "xc2020-hiring-once"

    clock["today"] = D(2020, 9, 29)
    officer = client_for(district_officer)
    r = officer.post("/api/v1/policies/publicity", {"title": "公示", "claim_ids": str(claim_id)}, content_type="application/json")
    assert r.status_code == 201 and r.json()["ends_on"] == "2020-10-12"
    pub_id = r.json()["id"]
    r = officer.post(f"/api/v1/policies/publicity/{pub_id}/approve", {}, content_type="application/json")
    assert r.status_code in (400, 422) and "期满后方可核准" in str(r.json())
    clock["today"] = D(2020, 10, 13)
    r = officer.post(f"/api/v1/policies/publicity/{pub_id}/approve", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["approved"] == [claim_id]
    assert officer.get(f"/api/v1/policies/claims/{claim_id}").json()["status"] == "approved"


def test_scope_and_own_claims_in_the_api(shipped, media, clock, community_worker, other_street_officer, district_officer,
                                         make_person):
    me = make_person(birth="19970506", education="bachelor", school_type="university", graduation_date=D(2019, 7, 1))
    reg = registry.register_employment(actor=district_officer, person=me, effective_date=D(2020, 3, 2),
                                       employment_form="flexible", social_insurance=True)
    _g, _f, reg2 = graduate_hire(district_officer, make_person)
    other = services.submit_claim(community_worker, policy_code="xc2020-hiring-once", event_type="employment",
                                  event_id=reg2.pk, evidence_files=evidence_for("xc2020-hiring-once"), on=D(2020, 9, 1))
    resident = User.objects.create_user("res_api", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=resident, person=me)
    api = client_for(resident)
    r = api.post("/api/v1/policies/claims", {"policy": "xc2020-si-flexible", "event_type": "employment", "event_id": reg.pk,
                                             "file_1": pdf(), "kind_1": "社会保险缴费记录"})
    assert r.status_code == 201, r.content
    mine = r.json()["id"]
    listing = api.get("/api/v1/policies/claims").json()
    assert [i["id"] for i in listing["items"]] == [mine] and listing["count"] == 1
    assert api.get(f"/api/v1/policies/claims/{other.pk}").status_code == 404
    # a resident may not tick a paper original, nor review
    assert api.post(f"/api/v1/policies/claims/{mine}/review", {"decision": "pass"},
                    content_type="application/json").status_code == 403
    assert client_for(other_street_officer).get(f"/api/v1/policies/claims/{other.pk}").status_code == 404
    r = api.post(f"/api/v1/policies/claims/{mine}/withdraw", {"note": ""}, content_type="application/json")
    assert r.status_code == 200 and Claim.objects.get(pk=mine).status == ClaimStatus.WITHDRAWN
