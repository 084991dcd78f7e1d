"""Payments part: budgets, the slots that make double payment impossible, payment batches and the bank's
return file (scope item 6 of issue 9)."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from jiuye import parameters
from jiuye.accounts.models import AuditEntry
from jiuye.policies import engine
from jiuye.policies.models import (
    BatchStatus,
    BudgetOverride,
    ClaimStatus,
    EntryKind,
    GuaranteeLoan,
    ItemStatus,
    LedgerEntry,
    LedgerSlot,
    LoanInterestPeriod,
    PaymentItem,
)
from jiuye.policies.services import budgets, payments
from jiuye.policies.services.ledger import LedgerRefused
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, XINCHENG
from tests.policies_helpers import D, approve, bank_account, hire, make_employer, shipped, si_card  # noqa: F401

AS_OF = D(2020, 11, 20)


@pytest.fixture
def graduate(make_person):
    def factory(**kw):
        return make_person(birth="19980506", education="bachelor", school_type="university",
                           graduation_date=D(2020, 7, 1), **kw)
    return factory


@pytest.fixture
def firm(district_officer):
    return make_employer(district_officer, 1, size="micro")


def hired(district_officer, graduate, firm, n=1, on=D(2020, 8, 3)):
    regs = []
    for _ in range(n):
        regs.append(hire(district_officer, graduate(), firm, on))
    return regs


# ---------------------------------------------------------------------------------------------
# Budgets


def test_approval_beyond_the_budget_is_refused_with_the_amount_over(shipped, district_officer, graduate, firm):
    budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, policy_code="xc2020-hiring-once",
                          amount=Decimal("1500"))
    first, second = hired(district_officer, graduate, firm, 2)
    approve("xc2020-hiring-once", first, actor=district_officer, as_of=AS_OF, on=AS_OF)
    with pytest.raises(LedgerRefused) as exc:
        approve("xc2020-hiring-once", second, actor=district_officer, as_of=AS_OF, on=AS_OF)
    assert exc.value.code == "budget"
    assert "超出2020年度预算" in exc.value.messages[0] and "500.00元" in exc.value.messages[0]
    assert LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT).count() == 1  # nothing half-written


def test_an_override_by_a_district_officer_with_a_reason_passes_and_is_recorded(shipped, district_officer, graduate, firm):
    budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=Decimal("1000"))
    first, second = hired(district_officer, graduate, firm, 2)
    approve("xc2020-hiring-once", first, actor=district_officer, as_of=AS_OF, on=AS_OF)
    claim = approve("xc2020-hiring-once", second, actor=district_officer, as_of=AS_OF, on=AS_OF,
                    override_reason="年底追加资金已批复", override_by=district_officer)
    assert claim.status == "approved"
    override = BudgetOverride.objects.get(claim=claim)
    assert override.amount == Decimal("1000.00") and override.reason == "年底追加资金已批复"
    assert override.officer == district_officer


def test_a_community_worker_cannot_override_the_budget(shipped, district_officer, community_worker, graduate, firm):
    budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=Decimal("0"))
    (reg,) = hired(district_officer, graduate, firm, 1)
    with pytest.raises(PermissionDenied):
        approve("xc2020-hiring-once", reg, actor=district_officer, as_of=AS_OF, on=AS_OF,
                override_reason="我想批", override_by=community_worker)
    assert not LedgerEntry.objects.exists() and not BudgetOverride.objects.exists()


def test_budgets_are_managed_by_district_officers_within_scope_and_never_below_committed(
        shipped, district_officer, community_worker, street_officer, graduate, firm):
    with pytest.raises(PermissionDenied):
        budgets.create_budget(actor=community_worker, year=2020, region=COMMUNITY_A1, amount=100)
    with pytest.raises(ValidationError) as exc:
        budgets.create_budget(actor=district_officer, year=1990, region="999999", policy_code="nope", amount="-1")
    assert set(exc.value.message_dict) == {"year", "region", "policy_code", "amount"}
    budget = budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=5000)
    (reg,) = hired(district_officer, graduate, firm, 1)
    approve("xc2020-hiring-once", reg, actor=district_officer, as_of=AS_OF, on=AS_OF)
    with pytest.raises(ValidationError) as exc:
        budgets.update_budget(actor=district_officer, budget=budget, amount=999)
    assert "低于本年度已核准的1000.00元" in exc.value.messages[0]
    budgets.update_budget(actor=district_officer, budget=budget, amount=1000)
    assert AuditEntry.objects.filter(object_type="policy_budget").count() == 2
    with pytest.raises(ValidationError):  # the same year/region/policy twice
        budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=1)


# ---------------------------------------------------------------------------------------------
# Slots: no double payment


def test_an_employers_second_graduate_passes_and_the_same_graduate_twice_is_refused(shipped, district_officer, graduate, firm):
    a = graduate()
    b = graduate()
    first = hire(district_officer, a, firm, D(2020, 8, 3))
    hire(district_officer, b, firm, D(2020, 8, 3))
    approve("xc2020-hiring-once", first, actor=district_officer, as_of=AS_OF)
    approve("xc2020-hiring-once", ("employment", b.registrations.latest("pk").pk), actor=district_officer, as_of=AS_OF)
    # the same graduate hired again by the same employer: a new event, the same (employer, graduate)
    again = hire(district_officer, a, firm, D(2020, 10, 8))
    with pytest.raises(LedgerRefused) as exc:
        approve("xc2020-hiring-once", again, actor=district_officer, as_of=AS_OF)
    assert exc.value.code == "duplicate" and "不得重复发放" in exc.value.messages[0]
    assert LedgerSlot.objects.filter(kind="hiring_once").count() == 2


def test_employer_and_flexible_social_insurance_subsidies_exclude_each_other_for_a_month(
        shipped, district_officer, graduate, firm):
    grad = graduate()
    job = hire(district_officer, grad, firm, D(2020, 8, 3))
    flexible = hire(district_officer, grad, None, D(2020, 10, 9), form="flexible", contract=None)
    approve("xc2020-si-employer", job, actor=district_officer, as_of=AS_OF)
    assert LedgerSlot.objects.filter(kind="social_insurance").count() == 12
    with pytest.raises(LedgerRefused) as exc:
        approve("xc2020-si-flexible", flexible, actor=district_officer, as_of=AS_OF)
    assert exc.value.code == "duplicate"
    assert "同一人员同一月份已享受同类补贴" in exc.value.messages[0] and "2020-10" in exc.value.messages[0]
    assert LedgerSlot.objects.filter(kind="social_insurance").count() == 12


def test_a_fourth_loan_interest_subsidy_is_refused(tmp_path, shipped, district_officer, make_person):
    (tmp_path / "610102.yaml").write_text(
        'jurisdiction: "610102"\nname: 新城区\nparameters:\n'
        "  policies.loan_interest.amount:\n    - since: open\n      value: 800\n"
        "      basis: {document: 测试文件, article: 一}\n", encoding="utf-8")
    borrower = make_person(birth="19850101")
    loan = GuaranteeLoan.objects.create(borrower_person=borrower, contract_number="DB2020-1", lender="西安银行",
                                        amount=Decimal("100000"), starts_on=D(2020, 1, 1), ends_on=D(2021, 12, 31),
                                        jobs_created=3)
    periods = [LoanInterestPeriod.objects.create(loan=loan, starts_on=D(2020, m, 1), ends_on=D(2020, m + 2, 28),
                                                 interest=Decimal("500")) for m in (1, 4, 7, 9)]
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        parameters.clear_cache()
        engine.clear_tables()
        try:
            claims = []
            for p in periods[:3]:
                claims.append(approve("xc2020-loan-interest", p, actor=district_officer, as_of=D(2020, 11, 30)))
                assert claims[-1].total == Decimal("800.00")
            ent = engine.reevaluate("xc2020-loan-interest", "loan_interest", periods[3].pk, D(2020, 11, 30))
            assert not ent.eligible
            with pytest.raises(LedgerRefused) as exc:
                approve("xc2020-loan-interest", periods[3], actor=district_officer, as_of=D(2020, 11, 30))
            assert exc.value.code == "limit" and "累计不超过3次" in exc.value.messages[0]
            # a released approval (the 2nd) frees its place: the 4th period now passes, taking it
            from jiuye.policies.services import ledger

            ledger.release(claims[1], actor=district_officer, reason="贷款提前结清，贴息撤销")
            claims[1].status = "rejected"
            claims[1].save()
            fourth = approve("xc2020-loan-interest", periods[3], actor=district_officer, as_of=D(2020, 11, 30))
            assert LedgerSlot.objects.get(claim=fourth).period_key == "n2"
        finally:
            parameters.clear_cache()
            engine.clear_tables()
    assert LedgerEntry.objects.filter(policy_code="xc2020-loan-interest", kind="commitment").count() == 4


# ---------------------------------------------------------------------------------------------
# Batches and the bank's return file


def return_file(items, results=None, *, encoding="utf-8", amounts=None) -> bytes:
    lines = ["明细编号,账号,户名,金额,结果,银行流水号,说明"]
    for n, item in enumerate(items):
        result = (results or {}).get(item.pk, "成功")
        amount = (amounts or {}).get(item.pk, f"{item.amount:.2f}")
        message = "" if result == "成功" else "账户已销户"
        lines.append(f"{item.pk},{item.account_number},{item.account_name},{amount},{result},BK{item.pk:08d},{message}")
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def approved(shipped, district_officer, graduate, firm):
    """Three approved claims: two employer claims (hiring once) and one person without an account."""
    bank_account(firm)
    regs = hired(district_officer, graduate, firm, 2)
    claims = [approve("xc2020-hiring-once", r, actor=district_officer, as_of=AS_OF) for r in regs]
    return claims


def test_a_batch_is_created_sent_twice_and_reconciled_without_paying_twice(approved, district_officer, graduate, firm):
    other = make_employer(district_officer, 2, size="small", name="无账户企业")
    reg = hire(district_officer, graduate(), other, D(2020, 8, 3))
    approve("xc2020-hiring-once", reg, actor=district_officer, as_of=AS_OF)
    result = payments.create_batch(district_officer)
    assert result.items == 2 and result.total == Decimal("2000.00")
    assert result.skipped and "无账户企业" in result.skipped[0] and "无社保卡/银行账户" in result.skipped[0]
    batch = result.batch
    item = batch.items.first()
    assert item.account_kind == "bank" and item.account_name == firm.name  # the account snapshot
    first, name = payments.send_batch(district_officer, batch)
    again, _ = payments.send_batch(district_officer, batch)
    assert first == again and name.endswith(".csv")
    assert first.decode("utf-8-sig").splitlines()[0].startswith("明细编号,账号,户名")
    assert batch.status == BatchStatus.SENT and PaymentItem.objects.count() == 2
    assert payments.create_batch(district_officer).batch is None  # nothing left to batch but the one without account
    items = list(batch.items.all())
    done = payments.reconcile(district_officer, batch, return_file(items))
    assert done.applied and done.count("paid") == 2
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    assert all(c.status == ClaimStatus.PAID for c in [type(approved[0]).objects.get(pk=c.pk) for c in approved])
    # the same return file again (GBK this time) pays nothing twice
    done = payments.reconcile(district_officer, batch, return_file(items, encoding="gbk"))
    assert done.applied and done.count("already") == 2 and done.count("paid") == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 2


def test_a_mismatched_amount_is_refused_naming_the_line_and_nothing_is_applied(approved, district_officer):
    batch = payments.create_batch(district_officer).batch
    payments.send_batch(district_officer, batch)
    items = list(batch.items.order_by("pk"))
    done = payments.reconcile(district_officer, batch, return_file(items, amounts={items[1].pk: "100.00"}))
    assert not done.applied
    assert done.errors == ["第3行：金额“100.00”与明细金额1000.00元不一致"]
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    assert not PaymentItem.objects.filter(status=ItemStatus.PAID).exists()
    # a line for an unknown item, and a wrong account
    bad = return_file(items).decode() + "999999,123,某人,1.00,成功,X,\n"
    done = payments.reconcile(district_officer, batch, bad.encode())
    assert not done.applied and "第4行：明细编号“999999”不是本批次" in done.errors[0]


def test_a_failed_item_can_go_into_a_new_batch(approved, district_officer):
    batch = payments.create_batch(district_officer).batch
    payments.send_batch(district_officer, batch)
    items = list(batch.items.order_by("pk"))
    done = payments.reconcile(district_officer, batch, return_file(items, {items[0].pk: "失败"}))
    assert done.applied and done.count("paid") == 1 and done.count("failed") == 1
    failed = PaymentItem.objects.get(pk=items[0].pk)
    assert failed.status == ItemStatus.FAILED and failed.failure_reason == "账户已销户"
    assert failed.claim.status == ClaimStatus.APPROVED
    again = payments.create_batch(district_officer)
    assert again.items == 1 and again.batch.items.get().claim_id == failed.claim_id
    payments.send_batch(district_officer, again.batch)
    done = payments.reconcile(district_officer, again.batch, return_file(list(again.batch.items.all())))
    assert done.applied and done.count("paid") == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, claim_id=failed.claim_id).count() == 1


def test_a_person_is_paid_to_the_social_security_card_only(shipped, district_officer, graduate, firm):
    grad = graduate()
    hire(district_officer, grad, firm, D(2020, 8, 3))
    flexible = hire(district_officer, grad, None, D(2020, 10, 9), form="flexible", contract=None)
    claim = approve("xc2020-si-flexible", flexible, actor=district_officer, as_of=AS_OF)
    assert payments.create_batch(district_officer).batch is None  # no 社保卡 yet
    si_card(grad)
    batch = payments.create_batch(district_officer).batch
    item = batch.items.get()
    assert item.claim_id == claim.pk and item.account_kind == "si_card"


def test_batches_are_scoped_and_need_the_approver_role(approved, district_officer, community_worker, other_street_officer):
    with pytest.raises(PermissionDenied):
        payments.create_batch(community_worker)
    batch = payments.create_batch(district_officer).batch
    with pytest.raises(PermissionDenied):
        payments.send_batch(other_street_officer, batch)
    with pytest.raises(ValidationError):
        payments.create_batch(district_officer, region=COMMUNITY_B1 + "9")


def test_the_return_file_layout_is_configurable(tmp_path, approved, district_officer):
    layout = tmp_path / "bank.yaml"
    layout.write_text("delimiter: '|'\nencoding: gbk\nheader: false\n"
                      "columns: {item: 1, account: 2, amount: 3, result: 4, reference: 5, message: 6}\n"
                      "paid_values: ['0000']\n", encoding="utf-8")
    batch = payments.create_batch(district_officer).batch
    payments.send_batch(district_officer, batch)
    items = list(batch.items.order_by("pk"))
    text = "\n".join(f"{i.pk}|{i.account_number}|{i.amount}|{'0000' if n == 0 else '9001'}|R{n}|户名不符"
                     for n, i in enumerate(items))
    with override_settings(JIUYE_BANK_RETURN_LAYOUT=str(layout)):
        done = payments.reconcile(district_officer, batch, text.encode("gbk"))
    assert done.applied and done.count("paid") == 1 and done.count("failed") == 1
    assert PaymentItem.objects.get(pk=items[1].pk).failure_reason == "户名不符"


def test_release_frees_the_budget_and_the_slots_and_figures_show_paid(shipped, district_officer, graduate, firm):
    from jiuye.policies.queries import ledger as ledger_queries
    from jiuye.policies.services import ledger

    budget = budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=Decimal("3000"))
    bank_account(firm)
    first, second = hired(district_officer, graduate, firm, 2)
    a = approve("xc2020-hiring-once", first, actor=district_officer, as_of=AS_OF, on=AS_OF)
    b = approve("xc2020-hiring-once", second, actor=district_officer, as_of=AS_OF, on=AS_OF)
    (row,) = ledger_queries.budget_figures([budget])
    assert (row.committed, row.remaining) == (Decimal("2000.00"), Decimal("1000.00"))
    assert ledger.committed_many([budget]) == {budget.pk: ledger.committed(budget)} == {budget.pk: Decimal("2000.00")}
    ledger.release(a, actor=district_officer, reason="公示异议成立")
    assert not LedgerSlot.objects.filter(claim=a).exists()
    a.status = "rejected"
    a.save()
    batch = payments.create_batch(district_officer).batch
    assert [i.claim_id for i in batch.items.all()] == [b.pk]
    payments.send_batch(district_officer, batch)
    payments.reconcile(district_officer, batch, return_file(list(batch.items.all())))
    (row,) = ledger_queries.budget_figures([budget])
    assert (row.committed, row.paid, row.remaining) == (Decimal("1000.00"), Decimal("1000.00"), Decimal("2000.00"))
    # the released entitlement can be approved again under a new claim
    again = approve("xc2020-hiring-once", first, actor=district_officer, as_of=AS_OF, on=AS_OF)
    assert again.status == "approved"


def test_a_broken_return_file_is_refused_with_a_chinese_reason(approved, district_officer):
    batch = payments.create_batch(district_officer).batch
    with pytest.raises(ValidationError) as exc:
        payments.reconcile(district_officer, batch, b"x")
    assert "尚未发送银行" in exc.value.messages[0]
    payments.send_batch(district_officer, batch)
    for data, text in [(b"\xff\xfe\x00\x00garbage", "编码"), ("明细编号,账号\n1,2\n".encode(), "缺少“金额”列")]:
        with pytest.raises(ValidationError) as exc:
            payments.reconcile(district_officer, batch, data)
        assert text in exc.value.messages[0], exc.value.messages
    item = batch.items.first()
    done = payments.reconcile(district_officer, batch, (
        "明细编号,账号,户名,金额,结果,银行流水号,说明\n"
        f"{item.pk},{item.account_number},x,sNaN,成功,R,\n").encode())
    assert not done.applied and "金额“sNaN”不是有效金额" in done.errors[0]
    done = payments.reconcile(district_officer, batch, f"明细编号,账号,金额,结果\n{item.pk},2\x00,3,成功\n".encode())
    assert not done.applied and "与明细的收款账号不一致" in done.errors[0]
