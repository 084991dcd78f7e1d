"""Facts the policy rules need (issue 9, scope 2): the services' rules and messages, scope, audit, the
history of payment accounts, and the reads (lists, panels)."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope
from jiuye.policies.models import BenefitPeriod, EmployerInsuranceYear, PaymentAccount
from jiuye.policies.queries import facts as queries
from jiuye.policies.queries.facts import payment_account_for
from jiuye.policies.services import facts as services
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.policies_helpers import make_employer

D = datetime.date


@pytest.fixture
def person(make_person):
    return make_person(name="张三")


@pytest.fixture
def other_person(make_person):
    return make_person(name="李四", region=COMMUNITY_B1)


def messages(exc) -> dict:
    return exc.value.message_dict


def test_benefit_period_end_is_derived_from_the_months(person, street_officer):
    bp = services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2020, 3, 15), months_entitled=12)
    assert bp.ends_on == D(2021, 3, 14)
    zero = services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2021, 6, 1), months_entitled=0)
    assert zero.ends_on == D(2021, 6, 1)
    given = services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2022, 1, 1),
                                           months_entitled=3, ends_on=D(2022, 2, 15))
    assert given.ends_on == D(2022, 2, 15)
    entry = AuditEntry.objects.filter(object_type="benefit_period", object_id=str(bp.pk)).get()
    assert entry.action == "create" and entry.region_code == COMMUNITY_A1 and "失业保险金领取期" in entry.summary


def test_benefit_period_rules_name_the_field(person, street_officer):
    with pytest.raises(ValidationError) as exc:
        services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2020, 3, 15), months_entitled=25)
    assert "应领月数“25”应为0到24之间的整数" in messages(exc)["months_entitled"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2020, 3, 15), months_entitled=6,
                                       ends_on=D(2020, 3, 1), monthly_amount=Decimal("-1"))
    assert messages(exc)["ends_on"] == ["领取截止日期2020-03-01早于领取起始日期2020-03-15"]
    assert "不能为负数" in messages(exc)["monthly_amount"][0]
    assert not BenefitPeriod.objects.exists()


def test_another_streets_officer_may_not_write_and_does_not_see(person, street_officer, other_street_officer):
    with pytest.raises(OutOfScope):
        services.create_benefit_period(actor=other_street_officer, person=person, starts_on=D(2020, 1, 1), months_entitled=3)
    bp = services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2020, 1, 1), months_entitled=3)
    with pytest.raises(Http404):
        queries.get_fact("benefit_periods", other_street_officer, bp.pk)
    assert queries.count_benefit_periods(other_street_officer, queries.BenefitPeriodSearch()) == 0
    assert queries.count_benefit_periods(street_officer, queries.BenefitPeriodSearch()) == 1
    assert queries.facts_of_person(other_street_officer, person) == {}


def test_correction_keeps_the_old_values_in_the_audit(person, street_officer):
    bp = services.create_benefit_period(actor=street_officer, person=person, starts_on=D(2020, 3, 15), months_entitled=12)
    with pytest.raises(ValidationError) as exc:
        services.correct_fact("benefit_periods", actor=street_officer, fact=bp, months_entitled=6)
    assert messages(exc)["reason"] == ["请填写更正原因"]
    services.correct_fact("benefit_periods", actor=street_officer, fact=bp, months_entitled=6, reason="核定月数录错")
    bp.refresh_from_db()
    assert bp.months_entitled == 6 and bp.ends_on == D(2020, 9, 14)
    entry = AuditEntry.objects.get(object_type="benefit_period", object_id=str(bp.pk), action="correct")
    assert entry.changes["months_entitled"] == [12, 6] and entry.changes["correction_reason"] == "核定月数录错"
    assert entry.changes["ends_on"] == ["2021-03-14", "2020-09-14"]


def test_insurance_year_once_per_employer_and_year(district_officer):
    employer = make_employer(district_officer, 1)
    year = services.create_insurance_year(actor=district_officer, employer=employer, year=2020, insured_staff_year_end=12,
                                          premiums_employer=Decimal("3600"), premiums_staff=Decimal("1200"), layoffs=1)
    assert year.settles_on == D(2021, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.create_insurance_year(actor=district_officer, employer=employer, year=2020, insured_staff_year_end=1,
                                       premiums_employer=0, premiums_staff=0)
    assert messages(exc)["year"] == ["该单位2020年度的数据已录入；如有错误请更正原记录"]
    assert EmployerInsuranceYear.objects.count() == 1


def test_a_loan_has_exactly_one_borrower(person, district_officer):
    employer = make_employer(district_officer, 2)
    with pytest.raises(ValidationError) as exc:
        services.create_loan(actor=district_officer, borrower_person=person, borrower_employer=employer,
                             contract_number="C-1", lender="长安银行", amount=Decimal("100000"),
                             starts_on=D(2021, 1, 1), ends_on=D(2023, 12, 31))
    assert messages(exc)["borrower_person"] == ["一笔贷款须有且只有一个借款人（个人或单位）"]
    loan = services.create_loan(actor=district_officer, borrower_person=person, contract_number="C-1", lender="长安银行",
                                amount=Decimal("100000"), starts_on=D(2021, 1, 1), ends_on=D(2023, 12, 31))
    with pytest.raises(ValidationError) as exc:
        services.create_loan_repayment(actor=district_officer, loan=loan, due_on=D(2020, 12, 1), amount=Decimal("100"))
    assert messages(exc)["due_on"] == ["应还日期2020-12-01早于该贷款的放款日期2021-01-01"]
    services.create_loan_repayment(actor=district_officer, loan=loan, due_on=D(2021, 12, 31), amount=Decimal("50000"),
                                   paid_on=D(2022, 1, 10))
    services.create_loan_interest(actor=district_officer, loan=loan, starts_on=D(2021, 1, 1), ends_on=D(2021, 12, 31),
                                  interest=Decimal("3850"))
    services.create_loan_repayment(actor=district_officer, loan=loan, due_on=D(2022, 12, 31), amount=Decimal("50000"),
                                   paid_on=D(2022, 12, 20))  # on time
    late = queries.LoanRepaymentSearch(late=True)
    assert queries.count_loan_repayments(district_officer, queries.LoanRepaymentSearch()) == 2
    assert queries.count_loan_repayments(district_officer, late) == 1


def test_payment_accounts_keep_their_history(person, district_officer, street_officer):
    employer = make_employer(district_officer, 3, name="测试企业3")
    with pytest.raises(ValidationError) as exc:
        services.create_payment_account(actor=street_officer, person=person, kind="bank", bank="长安银行",
                                        account_number="6222000011112222", account_name="张三", valid_from=D(2020, 1, 1))
    assert messages(exc)["kind"] == ["个人的收款账户须为社会保障卡金融账户（社保卡）"]
    with pytest.raises(ValidationError) as exc:
        services.create_payment_account(actor=district_officer, employer=employer, kind="si_card", bank="长安银行",
                                        account_number="6222000011112222", account_name="测试企业3", valid_from=D(2020, 1, 1))
    assert messages(exc)["kind"] == ["单位的收款账户须为单位银行账户"]
    first = services.create_payment_account(actor=street_officer, person=person, bank="中国建设银行",
                                            account_number="6217000011112222", account_name="张三", valid_from=D(2019, 5, 1))
    assert first.kind == "si_card"
    second = services.create_payment_account(actor=street_officer, person=person, bank="长安银行",
                                             account_number="6222000033334444", account_name="张三", valid_from=D(2022, 3, 1))
    first.refresh_from_db()
    assert first.valid_until == D(2022, 2, 28) and PaymentAccount.objects.count() == 2
    assert payment_account_for(person=person, on=D(2021, 1, 1)) == first
    assert payment_account_for(person=person, on=D(2022, 3, 1)) == second
    with pytest.raises(ValidationError) as exc:
        services.create_payment_account(actor=street_officer, person=person, bank="长安银行", account_number="62220000555566",
                                        account_name="张三", valid_from=D(2021, 1, 1))
    assert messages(exc)["valid_from"] == ["启用日期2021-01-01须晚于当前账户的启用日期2022-03-01"]
    closed = AuditEntry.objects.get(object_type="payment_account", object_id=str(first.pk), action="update")
    assert closed.changes["valid_until"] == [None, "2022-02-28"]
    created = AuditEntry.objects.get(object_type="payment_account", object_id=str(second.pk))
    assert created.changes["account_number"] == "6222********4444"  # account numbers are not spread in full


def test_account_name_must_match_the_owner(person, street_officer):
    with pytest.raises(ValidationError) as exc:
        services.create_payment_account(actor=street_officer, person=person, bank="长安银行", account_number="62220000",
                                        account_name="王五", valid_from=D(2020, 1, 1))
    assert messages(exc)["account_name"] == ["户名“王五”与人员名称“张三”不符"]


def test_shop_internship_training_rules(person, district_officer):
    platform = make_employer(district_officer, 4, name="某电商平台")
    unit = make_employer(district_officer, 5, name="见习基地")
    with pytest.raises(ValidationError) as exc:
        services.create_online_shop(actor=district_officer, person=person, platform=platform, shop_name="张三小店",
                                    opened_on=D(2021, 5, 1), attested_on=D(2021, 4, 1))
    assert messages(exc)["attested_on"] == ["平台证明日期2021-04-01早于开办日期2021-05-01"]
    services.create_online_shop(actor=district_officer, person=person, platform=platform, shop_name="张三小店",
                                opened_on=D(2021, 5, 1), attested_on=D(2021, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.create_internship(actor=district_officer, person=person, unit=unit, starts_on=D(2021, 7, 1),
                                   ends_on=D(2021, 6, 30))
    assert messages(exc)["ends_on"] == ["见习期满日期2021-06-30早于见习起始日期2021-07-01"]
    services.create_internship(actor=district_officer, person=person, unit=unit, starts_on=D(2021, 7, 1),
                               ends_on=D(2022, 6, 30), hired_on=D(2022, 3, 1), contract_months=36)
    services.create_training(actor=district_officer, person=person, course="育婴员", provider="新城区职业培训学校",
                             starts_on=D(2022, 4, 1), ends_on=D(2022, 4, 30), completed=True)
    panel = queries.facts_of_person(district_officer, person)
    assert [len(panel[k]) for k in ("online_shops", "internships", "trainings")] == [1, 1, 1]
    services.create_internship(actor=district_officer, person=person, unit=unit, starts_on=D(2022, 7, 1),
                               ends_on=D(2023, 6, 30))  # not kept on
    assert queries.count_internships(district_officer, queries.InternshipSearch()) == 2
    assert queries.count_internships(district_officer, queries.InternshipSearch(retained=True)) == 1


def test_lists_filter_sort_and_text(make_person, street_officer, district_officer):
    a = make_person(name="赵一")
    b = make_person(name="钱二", region=COMMUNITY_B1)
    for p, start in ((a, D(2020, 1, 1)), (b, D(2021, 1, 1))):
        services.create_benefit_period(actor=district_officer, person=p, starts_on=start, months_entitled=6)
    s = queries.BenefitPeriodSearch
    assert [x.person.name for x in queries.search_benefit_periods(district_officer, s())[0]] == ["钱二", "赵一"]
    assert [x.person.name for x in queries.search_benefit_periods(district_officer, s(sort="starts_on"))[0]] == ["赵一", "钱二"]
    assert queries.count_benefit_periods(district_officer, s(region_code=COMMUNITY_B1)) == 1
    assert queries.count_benefit_periods(district_officer, s(text="赵")) == 1
    assert queries.count_benefit_periods(district_officer, s(text=b.id_number)) == 1
    assert queries.count_benefit_periods(district_officer, s(date_from=D(2020, 6, 1))) == 1
    assert queries.count_benefit_periods(street_officer, s()) == 1  # only 西一路街道's
