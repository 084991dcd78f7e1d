"""The payments wing as people use it: payment batches (create, send = the bank file, the return file
and every line's outcome), the ledger with its facts, budgets with committed / paid / remaining."""
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.policies.models import Budget, LedgerEntry, PaymentBatch
from tests.conftest import XINCHENG
from tests.policies_helpers import D, approve, bank_account, hire, make_employer, shipped  # noqa: F401
from tests.test_web import client_for

AS_OF = D(2020, 11, 20)


@pytest.fixture
def approved(shipped, district_officer, make_person):
    firm = make_employer(district_officer, 1, size="micro", name="新城小微科技")
    bank_account(firm)
    claims = []
    for _ in range(2):
        grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
        claims.append(approve("xc2020-hiring-once", hire(district_officer, grad, firm, D(2020, 8, 3)),
                              actor=district_officer, as_of=AS_OF, on=AS_OF))
    return claims


def test_batch_pages_create_send_and_reconcile(approved, district_officer):
    c = client_for(district_officer)
    page = c.get(reverse("web:payment_batches"))
    assert page.status_code == 200 and "已核准待列入批次的申领 2 笔" in page.content.decode()
    response = c.post(reverse("web:payment_batch_new"), {"region": ""})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:payment_batch", args=[batch.pk])
    detail = c.get(reverse("web:payment_batch", args=[batch.pk])).content.decode()
    assert "待发送" in detail and "新城小微科技" in detail and "发送银行" in detail
    sent = c.post(reverse("web:payment_batch_send", args=[batch.pk]))
    assert sent.status_code == 200 and sent["Content-Type"].startswith("text/csv")
    again = c.get(reverse("web:payment_batch_send", args=[batch.pk]))
    assert again.content == sent.content
    lines = sent.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("明细编号,账号,户名")
    # the bank's return file: one line with a wrong amount → refused, naming the line
    rows = [line.split(",") for line in lines[1:]]
    bad = "明细编号,账号,户名,金额,结果,银行流水号,说明\n" + "\n".join(
        f"{r[0]},{r[1]},{r[2]},{'999.00' if n else r[5]},成功,BK{n}," for n, r in enumerate(rows))
    result = c.post(reverse("web:payment_batch_reconcile", args=[batch.pk]),
                    {"file": SimpleUploadedFile("return.csv", bad.encode("gbk"))}).content.decode()
    assert "整个文件未作任何处理" in result and "第3行：金额“999.00”与明细金额1000.00元不一致" in result
    good = "明细编号,账号,户名,金额,结果,银行流水号,说明\n" + "\n".join(
        f"{r[0]},{r[1]},{r[2]},{r[5]},{'成功' if n == 0 else '失败'},BK{n},{'' if n == 0 else '账户冻结'}"
        for n, r in enumerate(rows))
    result = c.post(reverse("web:payment_batch_reconcile", args=[batch.pk]),
                    {"file": SimpleUploadedFile("return.csv", good.encode())}).content.decode()
    assert "到账 1 笔，发放失败 1 笔" in result and "账户冻结" in result
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    payment = LedgerEntry.objects.get(kind="payment")
    html = c.get(reverse("web:ledger_entry", args=[payment.pk])).content.decode()
    assert "发放" in html and batch.number in html


def test_the_ledger_lists_every_entry_with_its_facts_and_exports(approved, district_officer):
    c = client_for(district_officer)
    page = c.get(reverse("web:ledger"))
    html = page.content.decode()
    assert page.context["page"]["total"] == 2 and "核准（承诺）" in html and "xc2020-hiring-once" in html
    assert "核准 2000.00 元" in html
    entry = LedgerEntry.objects.first()
    detail = c.get(reverse("web:ledger_entry", args=[entry.pk])).content.decode()
    assert "判定依据（条件与事实）" in detail and "符合" in detail and "新政发〔2020〕28号" in detail
    assert "1000.00 元" in detail and "判定日期" in detail and "as_of" not in detail
    export = c.get(reverse("web:ledger"), {"format": "xlsx", "sort": "amount"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "记账时间" and len(rows) == 3
    audit = AuditEntry.objects.filter(action="export", object_type="ledger_entry").latest("id")
    assert audit.changes["rows"] == 2


def test_budget_pages_show_committed_paid_remaining_and_edit(approved, district_officer, community_worker):
    c = client_for(district_officer)
    response = c.post(reverse("web:budget_new"), {"year": "2020", "region": XINCHENG, "policy_code": "xc2020-hiring-once",
                                                  "amount": "5000", "note": "年度预算"})
    budget = Budget.objects.get()
    assert response.status_code == 302
    page = c.get(reverse("web:budgets"))
    (row,) = page.context["page"]["rows"]
    assert (row.committed, row.paid, row.remaining) == (Decimal("2000.00"), Decimal("0.00"), Decimal("3000.00"))
    refused = c.post(reverse("web:budget_edit", args=[budget.pk]), {"amount": "1500", "note": ""}).content.decode()
    assert "低于本年度已核准的2000.00元" in refused
    assert client_for(community_worker).get(reverse("web:budget_new")).status_code == 403
    export = c.get(reverse("web:budgets"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][5] == 2000.0 and rows[1][7] == 3000.0


def test_a_batch_outside_the_scope_is_not_found(approved, district_officer, other_street_officer):
    c = client_for(district_officer)
    c.post(reverse("web:payment_batch_new"), {"region": ""})
    batch = PaymentBatch.objects.get()
    assert client_for(other_street_officer).get(reverse("web:payment_batch", args=[batch.pk])).status_code == 404
    assert client_for(other_street_officer).get(reverse("web:ledger")).context["page"]["total"] == 0
