"""The payments API (/api/v1/policy-budgets, /payment-batches, /ledger-entries): the same queries and
services as the web."""
import pytest
from django.test import Client

from tests.conftest import XINCHENG
from tests.policies_helpers import D, approve, bank_account, hire, make_employer, shipped  # noqa: F401

AS_OF = D(2020, 11, 20)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def approved(shipped, district_officer, make_person):
    firm = make_employer(district_officer, 1, size="micro")
    bank_account(firm)
    out = []
    for _ in range(2):
        grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
        out.append(approve("xc2020-hiring-once", hire(district_officer, grad, firm, D(2020, 8, 3)), actor=district_officer,
                           as_of=AS_OF, on=AS_OF))
    return out


def test_budgets_batches_and_ledger_through_the_api(approved, district_officer, other_street_officer, community_worker):
    api = client_for(district_officer)
    r = api.post("/api/v1/policy-budgets", {"year": 2020, "region": XINCHENG, "policy_code": "xc2020-hiring-once",
                                            "amount": "2500"}, content_type="application/json")
    assert r.status_code == 201, r.content
    budget = r.json()
    assert (budget["committed"], budget["remaining"]) == ("2000.00", "500.00")
    r = api.patch(f"/api/v1/policy-budgets/{budget['id']}", {"amount": "1999"}, content_type="application/json")
    assert r.status_code == 422 and "低于本年度已核准的2000.00元" in str(r.json()["detail"])
    r = client_for(community_worker).post("/api/v1/policy-budgets", {"year": 2021, "region": XINCHENG, "amount": "1"},
                                          content_type="application/json")
    assert r.status_code == 403
    r = api.get("/api/v1/ledger-entries", {"kind": "commitment"})
    assert r.json()["count"] == 2 and r.json()["items"][0]["person_id_number"].count("*") == 8
    entry = api.get(f"/api/v1/ledger-entries/{r.json()['items'][0]['id']}").json()
    assert entry["facts"]["policy"]["code"] == "xc2020-hiring-once"
    r = api.post("/api/v1/payment-batches", {}, content_type="application/json")
    assert r.status_code == 201 and r.json()["items"] == 2
    batch_id = r.json()["batch"]["id"]
    assert client_for(other_street_officer).get(f"/api/v1/payment-batches/{batch_id}").status_code == 404
    first = api.post(f"/api/v1/payment-batches/{batch_id}/send")
    second = api.post(f"/api/v1/payment-batches/{batch_id}/send")
    assert first.status_code == 200 and first.content == second.content
    items = api.get(f"/api/v1/payment-batches/{batch_id}/items").json()["items"]
    assert len(items) == 2
    lines = first.content.decode("utf-8-sig").splitlines()[1:]
    body = "明细编号,账号,户名,金额,结果,银行流水号,说明\n" + "\n".join(
        f"{c[0]},{c[1]},{c[2]},{c[5]},成功,R{n}," for n, c in enumerate(line.split(",") for line in lines))
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = api.post(f"/api/v1/payment-batches/{batch_id}/reconcile", {"file": SimpleUploadedFile("r.csv", body.encode())})
    assert r.status_code == 200 and r.json()["applied"] and r.json()["batch"]["status"] == "reconciled"
    assert {x["outcome"] for x in r.json()["lines"]} == {"paid"}
    r = api.post(f"/api/v1/payment-batches/{batch_id}/reconcile", {"file": SimpleUploadedFile("r.csv", body.encode())})
    assert {x["outcome"] for x in r.json()["lines"]} == {"already"}
    assert api.get("/api/v1/ledger-entries", {"kind": "payment"}).json()["count"] == 2
