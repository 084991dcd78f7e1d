"""API of labour sharing: offers, the 可对接 flag, a placement that must join two different firms."""
from __future__ import annotations

from django.test import Client

from tests import jobs_helpers
from tests.jobs_helpers import credit_code, make_employer

occupations = jobs_helpers.occupations  # the fixture

BASE = "/api/v1/jobs/sharing"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_sharing_api_round_trip(street_officer, district_officer, occupations):
    make_employer(district_officer, n=81, name="甲厂")
    make_employer(district_officer, n=82, name="乙厂")
    api = client_for(street_officer)
    body = {"kind": "offer", "credit_code": credit_code(81), "title": "装配工", "occupation_code": "6-18-02-04",
            "headcount": 4, "starts_on": "2027-01-01", "ends_on": "2027-03-31"}
    offer = api.post(f"{BASE}/offers", body, content_type="application/json")
    assert offer.status_code == 201, offer.content
    request = api.post(f"{BASE}/offers", {**body, "kind": "request", "credit_code": credit_code(82), "headcount": 2},
                       content_type="application/json")
    assert request.status_code == 201
    listing = api.get(f"{BASE}/offers", {"matchable": "true"}).json()
    assert listing["count"] == 2 and all(item["matchable"] for item in listing["items"])
    same = api.post(f"{BASE}/placements", {"from_credit_code": credit_code(81), "to_credit_code": credit_code(81),
                                           "headcount": 1, "starts_on": "2027-01-01", "ends_on": "2027-01-31"},
                    content_type="application/json")
    assert same.status_code == 422 and "同一家" in str(same.json()["detail"])
    ok = api.post(f"{BASE}/placements", {"offer_id": offer.json()["id"], "request_id": request.json()["id"],
                                         "headcount": 2, "starts_on": "2027-01-01", "ends_on": "2027-02-28"},
                  content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert api.get(f"{BASE}/offers/{request.json()['id']}").json()["status"] == "matched"
    assert len(api.get(f"{BASE}/placements").json()) == 1
