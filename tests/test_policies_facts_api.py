"""API of the policy facts: /api/v1/policy-facts/<kind> list and create, the services' messages,
scope (another street's record is 404 / not found), masking."""
import datetime

import pytest
from django.test import Client

from jiuye.policies.models import PaymentAccount
from jiuye.policies.services import facts as services
from tests.conftest import COMMUNITY_B1
from tests.policies_helpers import make_employer

D = datetime.date
BASE = "/api/v1/policy-facts"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def person(make_person):
    return make_person(name="张三")


def test_create_and_list_benefit_periods(person, street_officer, other_street_officer):
    api = client_for(street_officer)
    r = api.post(f"{BASE}/benefit-periods", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                            "months_entitled": 12}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["values"]["ends_on"] == "2021-03-14" and body["id_number_masked"].startswith("610102")
    assert "*" in body["id_number_masked"]
    r = api.post(f"{BASE}/benefit-periods", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                            "months_entitled": 6, "ends_on": "2020-01-01"}, content_type="application/json")
    assert r.status_code == 422 and "领取截止日期2020-01-01早于领取起始日期2020-03-15" in str(r.json()["detail"])
    r = api.post(f"{BASE}/benefit-periods", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                            "months_entitled": 25}, content_type="application/json")
    assert r.status_code == 422
    page = api.get(f"{BASE}/benefit-periods?sort=-starts_on").json()
    assert page["count"] == 1 and page["items"][0]["person_name"] == "张三"

    other = client_for(other_street_officer)
    assert other.get(f"{BASE}/benefit-periods").json()["count"] == 0
    assert other.get(f"{BASE}/benefit-periods/{body['id']}").status_code == 404
    r = other.post(f"{BASE}/benefit-periods", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                              "months_entitled": 12}, content_type="application/json")
    assert r.status_code == 422 and "人员不存在或不在您的管辖范围内" in str(r.json()["detail"])


def test_loans_and_repayments(person, district_officer):
    api = client_for(district_officer)
    r = api.post(f"{BASE}/loans", {"id_number": person.id_number, "contract_number": "DB-1", "lender": "长安银行",
                                   "amount": "200000", "starts_on": "2021-03-01", "ends_on": "2024-02-29"},
                 content_type="application/json")
    assert r.status_code == 201, r.content
    loan_id = r.json()["id"]
    r = api.post(f"{BASE}/loan-repayments", {"loan_id": loan_id, "due_on": "2022-03-01", "amount": "100000",
                                             "paid_on": "2022-03-25"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["person_name"] == "张三"
    r = api.post(f"{BASE}/loans", {"contract_number": "DB-2", "lender": "长安银行", "amount": "1",
                                   "starts_on": "2021-03-01", "ends_on": "2024-02-29"}, content_type="application/json")
    assert r.status_code == 422 and "有且只有一个借款人" in str(r.json()["detail"])


def test_payment_accounts_masked_for_roles_without_full_numbers(person, street_officer, city_officer, district_officer):
    employer = make_employer(district_officer, 1, name="测试企业1")
    api = client_for(street_officer)
    r = api.post(f"{BASE}/payment-accounts", {"id_number": person.id_number, "bank": "长安银行",
                                              "account_number": "6222000033334444", "account_name": "张三",
                                              "valid_from": "2021-01-01"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["values"]["kind"] == "si_card"
    assert r.json()["values"]["account_number"] == "6222000033334444"  # a street officer may see full numbers
    r = client_for(district_officer).post(f"{BASE}/payment-accounts", {
        "credit_code": employer.credit_code, "kind": "si_card", "bank": "长安银行", "account_number": "61000000111122223333",
        "account_name": "测试企业1", "valid_from": "2021-01-01"}, content_type="application/json")
    assert r.status_code == 422 and "单位的收款账户须为单位银行账户" in str(r.json()["detail"])
    listed = client_for(city_officer).get(f"{BASE}/payment-accounts").json()
    assert listed["count"] == 1 and listed["items"][0]["values"]["account_number"] == "6222********4444"
    assert client_for(city_officer).post(f"{BASE}/payment-accounts", {
        "id_number": person.id_number, "bank": "长安银行", "account_number": "6222000033335555", "account_name": "张三",
        "valid_from": "2022-01-01"}, content_type="application/json").status_code == 403
    assert PaymentAccount.objects.count() == 1


def test_platform_elsewhere_and_other_kinds(person, district_officer, street_officer):
    platform = make_employer(district_officer, 2, name="电商平台", region=COMMUNITY_B1)
    unit = make_employer(district_officer, 3, name="见习基地")
    api = client_for(street_officer)
    r = api.post(f"{BASE}/online-shops", {"id_number": person.id_number, "platform_credit_code": platform.credit_code,
                                          "shop_name": "张三小店", "opened_on": "2021-05-01", "attested_on": "2021-06-01"},
                 content_type="application/json")
    assert r.status_code == 201 and r.json()["values"]["platform_name"] == "电商平台"
    r = api.post(f"{BASE}/internships", {"id_number": person.id_number, "unit_credit_code": unit.credit_code,
                                         "starts_on": "2021-07-01", "ends_on": "2022-06-30", "hired_on": "2022-03-01",
                                         "contract_months": 36}, content_type="application/json")
    assert r.status_code == 201
    r = api.post(f"{BASE}/trainings", {"id_number": person.id_number, "course": "育婴员", "provider": "培训学校",
                                       "starts_on": "2022-04-01", "ends_on": "2022-04-30", "completed": True},
                 content_type="application/json")
    assert r.status_code == 201
    employer = make_employer(district_officer, 4, name="测试企业4")
    r = api.post(f"{BASE}/insurance-years", {"credit_code": employer.credit_code, "year": 2020, "insured_staff_year_end": 5,
                                             "premiums_employer": "1500", "premiums_staff": "500"},
                 content_type="application/json")
    assert r.status_code == 201 and r.json()["employer_name"] == "测试企业4"
    assert api.get(f"{BASE}/insurance-years?q={employer.credit_code}").json()["count"] == 1
    assert services.KINDS["insurance_years"].model.objects.get().source == "api"
