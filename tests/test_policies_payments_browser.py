"""The payments wing in a real browser at a phone width (360 px): no page is wider than the screen."""
from __future__ import annotations

import os

import pytest

from jiuye.policies.services import budgets, payments
from tests.conftest import XINCHENG
from tests.policies_helpers import D, approve, bank_account, hire, make_employer, shipped  # noqa: F401
from tests.test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from tests.test_browser_responsive import assert_pages_fit, login

pytestmark = [pytest.mark.browser]


def test_payment_pages_fit_a_phone(transactional_db, live_server, browser_page, shipped, district_officer,  # noqa: F811
                                   make_person):
    firm = make_employer(district_officer, 1, size="micro", name="新城区某某信息技术有限责任公司")
    bank_account(firm)
    for _ in range(3):
        grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
        approve("xc2020-hiring-once", hire(district_officer, grad, firm, D(2020, 8, 3)), actor=district_officer,
                as_of=D(2020, 11, 20), on=D(2020, 11, 20))
    budget = budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=10000)
    batch = payments.create_batch(district_officer).batch
    payments.send_batch(district_officer, batch)
    from jiuye.policies.models import LedgerEntry

    entry = LedgerEntry.objects.first()
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, base, "do_xc")
    paths = ["/policies/payments/", "/policies/payments/new/", f"/policies/payments/{batch.pk}/",
             f"/policies/payments/{batch.pk}/reconcile/", "/policies/ledger/", f"/policies/ledger/{entry.pk}/",
             "/policies/budgets/", f"/policies/budgets/{budget.pk}/", f"/policies/budgets/{budget.pk}/edit/",
             "/policies/budgets/new/"]
    assert_pages_fit(page, base, paths)
    shots = os.environ.get("JIUYE_SCREENSHOTS")
    if shots:
        for n, path in enumerate(paths):
            page.goto(f"{base}{path}")
            page.screenshot(path=os.path.join(shots, f"payments-{n}.png"), full_page=True)
