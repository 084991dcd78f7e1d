"""The 补贴依据数据 wing: overview counts, list pages (count, sort, filter, Excel export, masking), the
create and correction forms with the services' messages, scope, and the person/employer panels."""
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.policies.models import BenefitPeriod
from jiuye.policies.services import facts as services
from tests.conftest import COMMUNITY_B1
from tests.policies_helpers import make_employer

D = datetime.date


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(make_person, district_officer):
    a, b = make_person(name="赵一"), make_person(name="钱二", region=COMMUNITY_B1)
    services.create_benefit_period(actor=district_officer, person=a, starts_on=D(2020, 1, 1), months_entitled=6)
    services.create_benefit_period(actor=district_officer, person=b, starts_on=D(2021, 1, 1), months_entitled=12)
    return a, b


def test_home_counts_and_links(people, street_officer):
    page = client_for(street_officer).get("/policies/facts/").content.decode()
    assert "补贴依据数据" in page and 'data-testid="policies-subnav"' in page
    assert 'data-kind="benefit_periods"' in page and "/policies/facts/benefit-periods/" in page
    assert '<td class="num" data-testid="fact-count">1</td>' in page  # only 西一路街道's person
    assert "批量导入" in page


def test_list_count_sort_filter_and_export(people, district_officer):
    a, b = people
    c = client_for(district_officer)
    page = c.get("/policies/facts/benefit-periods/").content.decode()
    assert 'data-total="2"' in page and page.index("钱二") < page.index("赵一")  # newest first
    assert a.id_number not in page and a.id_number[:6] in page  # masked in the list
    page = c.get("/policies/facts/benefit-periods/?sort=starts_on").content.decode()
    assert page.index("赵一") < page.index("钱二")
    page = c.get(f"/policies/facts/benefit-periods/?region={COMMUNITY_B1}").content.decode()
    assert 'data-total="1"' in page and "赵一" not in page
    page = c.get("/policies/facts/benefit-periods/?months=6").content.decode()
    assert 'data-total="1"' in page and "钱二" not in page
    response = c.get("/policies/facts/benefit-periods/?sort=starts_on&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "公民身份号码", "所在社区") and [r[0] for r in rows[1:]] == ["赵一", "钱二"]
    assert "*" in rows[1][1]
    entry = AuditEntry.objects.filter(action="export", object_type="benefit_period").get()
    assert entry.changes["rows"] == 2
    response = c.get("/policies/facts/benefit-periods/?format=xlsx&full_id=1")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert a.id_number in {r[1] for r in rows}


def test_every_kind_list_renders(people, district_officer):
    c = client_for(district_officer)
    for slug in ("benefit-periods", "insurance-years", "loans", "loan-repayments", "loan-interest", "online-shops",
                 "internships", "trainings", "payment-accounts"):
        response = c.get(f"/policies/facts/{slug}/")
        assert response.status_code == 200, slug
        assert c.get(f"/policies/facts/{slug}/new/").status_code == 200, slug
    assert c.get("/policies/facts/nothing/").status_code == 404


def test_create_form_shows_the_services_messages(make_person, street_officer):
    person = make_person(name="孙三")
    c = client_for(street_officer)
    response = c.post("/policies/facts/benefit-periods/new/", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                                               "months_entitled": "6", "ends_on": "2020-01-01"})
    assert response.status_code == 200 and "领取截止日期2020-01-01早于领取起始日期2020-03-15" in response.content.decode()
    response = c.post("/policies/facts/benefit-periods/new/", {"id_number": person.id_number, "starts_on": "2020-03-15",
                                                               "months_entitled": "0"})
    assert response.status_code == 302
    assert BenefitPeriod.objects.get(person=person).ends_on == D(2020, 3, 15)


def test_correction_and_scope(people, street_officer, other_street_officer):
    a, _b = people
    fact = BenefitPeriod.objects.get(person=a)
    assert client_for(other_street_officer).get(f"/policies/facts/benefit-periods/{fact.pk}/correct/").status_code == 404
    c = client_for(street_officer)
    response = c.post(f"/policies/facts/benefit-periods/{fact.pk}/correct/",
                      {"starts_on": "2020-01-01", "months_entitled": "3", "reason": ""})
    assert "这个字段是必填项" in response.content.decode()
    response = c.post(f"/policies/facts/benefit-periods/{fact.pk}/correct/",
                      {"starts_on": "2020-01-01", "months_entitled": "3", "reason": "月数录错"})
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.months_entitled == 3 and fact.ends_on == D(2020, 3, 31)


def test_payment_account_numbers_masked_for_city_officer(make_person, street_officer, city_officer):
    person = make_person(name="周四")
    services.create_payment_account(actor=street_officer, person=person, bank="长安银行", account_number="6222000033334444",
                                    account_name="周四", valid_from=D(2021, 1, 1))
    assert "6222000033334444" in client_for(street_officer).get("/policies/facts/payment-accounts/").content.decode()
    page = client_for(city_officer).get("/policies/facts/payment-accounts/").content.decode()
    assert "6222********4444" in page and "6222000033334444" not in page


def test_person_and_employer_panels(make_person, district_officer, other_street_officer):
    person = make_person(name="吴五")
    services.create_training(actor=district_officer, person=person, course="育婴员", provider="新城区职业培训学校",
                             starts_on=D(2022, 4, 1), ends_on=D(2022, 4, 30), completed=True)
    page = client_for(district_officer).get(f"/persons/{person.pk}/").content.decode()
    assert 'data-testid="policy-facts-panel"' in page and "育婴员（新城区职业培训学校），已结业" in page
    employer = make_employer(district_officer, 1)
    services.create_insurance_year(actor=district_officer, employer=employer, year=2020, insured_staff_year_end=12,
                                   premiums_employer=Decimal("3600"), premiums_staff=Decimal("1200"))
    page = client_for(district_officer).get(f"/employers/{employer.pk}/").content.decode()
    assert "2020年度：年末参保12人" in page


def test_audit_log_names_the_facts(make_person, street_officer, district_officer):
    person = make_person(name="郑六")
    for number, start in (("6217000011112222", D(2019, 5, 1)), ("6222000033334444", D(2022, 3, 1))):
        services.create_payment_account(actor=street_officer, person=person, bank="长安银行", account_number=number,
                                        account_name="郑六", valid_from=start)
    page = client_for(district_officer).get("/audit/").content.decode()
    assert "收款账户" in page and "启用新收款账户，原账户停用" in page
    assert "6222000033334444" not in page


def test_create_forms_of_loans_accounts_and_internships(make_person, district_officer, street_officer):
    person = make_person(name="王七")
    unit = make_employer(district_officer, 7, name="见习基地", region=COMMUNITY_B1)  # a unit elsewhere is fine
    c = client_for(street_officer)
    response = c.post("/policies/facts/loans/new/", {"contract_number": "DB-1", "lender": "长安银行", "amount": "200000",
                                                     "starts_on": "2021-03-01", "ends_on": "2024-02-29",
                                                     "jobs_created": "2", "status": "active"})
    assert "请填写公民身份号码或统一社会信用代码（二者选一）" in response.content.decode()
    response = c.post("/policies/facts/loans/new/", {"id_number": person.id_number, "contract_number": "DB-1",
                                                     "lender": "长安银行", "amount": "200000", "starts_on": "2021-03-01",
                                                     "ends_on": "2024-02-29", "jobs_created": "2", "status": "active"})
    assert response.status_code == 302
    response = c.post("/policies/facts/loan-repayments/new/", {"loan_contract": "DB-1", "due_on": "2022-03-01",
                                                               "amount": "100000", "paid_on": "2022-03-02"})
    assert response.status_code == 302
    response = c.post("/policies/facts/loan-repayments/new/", {"loan_contract": "DB-404", "due_on": "2022-03-01",
                                                               "amount": "100000"})
    assert "没有该借款合同的创业担保贷款" in response.content.decode()
    response = c.post("/policies/facts/payment-accounts/new/", {"id_number": person.id_number, "bank": "长安银行",
                                                                "account_number": "6222 0000 3333 4444",
                                                                "account_name": "王七", "valid_from": "2021-01-01"})
    assert response.status_code == 302
    page = c.get("/policies/facts/payment-accounts/").content.decode()
    assert "社会保障卡金融账户" in page and "6222000033334444" in page
    response = c.post("/policies/facts/internships/new/", {"id_number": person.id_number, "unit_code": unit.credit_code,
                                                           "starts_on": "2021-07-01", "ends_on": "2022-06-30"})
    assert response.status_code == 302
    page = c.get(f"/persons/{person.pk}/").content.decode()
    assert "长安银行 DB-1" in page and "见习基地" in page
