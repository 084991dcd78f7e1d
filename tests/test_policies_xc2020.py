"""The 新城区 2020 pack (新政发〔2020〕28号) against the seed's own wording (DOMAIN.md §5)."""
import datetime
from decimal import Decimal

from jiuye.policies import engine
from tests.policies_helpers import D, explain_one, hire, make_employer, policy, shipped  # noqa: F401


def test_graduate_hired_by_micro_enterprise_yields_1000_once_and_600_a_month(shipped, district_officer, make_person):
    grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
    firm = make_employer(district_officer, 1, size="micro")
    reg = hire(district_officer, grad, firm, D(2020, 8, 3))
    once = explain_one("xc2020-hiring-once", D(2020, 9, 1), person=grad, employer=firm)
    assert once.eligible, once.trace
    assert once.amount == Decimal("1000") and once.unit == "once" and once.beneficiary == "employer"
    assert once.employer_id == firm.pk and once.person_id == grad.pk and once.event_id == reg.pk
    si = explain_one("xc2020-si-employer", D(2020, 9, 1), person=grad, employer=firm)
    assert si.eligible and si.amount == Decimal("600") and si.unit == "month" and si.months == 12
    # and the set-based face finds the same two
    found = {(e.policy.code, e.amount, e.months) for e in engine.screen(D(2020, 9, 1))}
    assert ("xc2020-hiring-once", Decimal("1000"), None) in found
    assert ("xc2020-si-employer", Decimal("600"), 12) in found
