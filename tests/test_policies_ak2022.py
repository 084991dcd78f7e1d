"""The 安康市 2022 pack (安政办发〔2022〕11号 items 13 and 15): the seed names the subsidies and gives no amounts.
They screen and explain with the amount not set and cannot be paid; a deployment file sets them → payable."""
import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from jiuye import parameters
from jiuye.policies import engine
from jiuye.policies.services import ledger
from jiuye.registry import services as registry
from jiuye.registry.models import Person, Registration
from tests.conftest import make_id
from tests.policies_helpers import D, explain_one, shipped  # noqa: F401
from tests.test_policies_xc2020 import commit

ANKANG = "610902000000"  # 汉滨区 (the test tree has no communities there: the rows are written directly)
AS_OF = D(2022, 9, 1)


def ankang_person(birth="19900101", seq="101", **fields):
    id_number = make_id("610902", birth, seq)
    return Person.objects.create(name="安康居民", region_id=ANKANG, hukou_type=fields.pop("hukou_type", "rural"),
                                 **registry.derived_person_values(id_number, None, ANKANG), **fields)


def employed(person, on, form="unit"):
    return Registration.objects.create(person=person, kind="employment", effective_date=on, employment_form=form,
                                       registered_in_id=person.region_id)


def set_for_ankang(tmp_path, values):
    lines = ['jurisdiction: "6109"', "name: 安康市", "parameters:"]
    for key, value in values.items():
        lines += [f"  {key}:", "    - since: 2022-04-21", f"      value: {value}",
                  "      basis: {document: 安康市就业补助资金实施细则（测试）, article: 三}"]
    (tmp_path / "6109.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path))


def fresh():
    parameters.clear_cache()
    engine.clear_tables()


def test_transport_subsidy_screens_with_the_amount_not_set(shipped):
    """13: 脱贫人口、防止返贫监测对象跨省就业的，给予一次性交通补贴 — the seed gives no amount."""
    lifted = ankang_person(poverty_status="lifted")
    employed(lifted, D(2022, 5, 10))
    plain = ankang_person(birth="19910101", seq="103", poverty_status="none")
    employed(plain, D(2022, 5, 10))
    got = [e for e in engine.screen(AS_OF, codes=["ak2022-transport-once"])]
    assert [(e.person_id, e.amount) for e in got] == [(lifted.pk, None)]
    ent = got[0]
    assert ent.eligible and ent.blocked and "未设置" in ent.blocked
    explained = explain_one("ak2022-transport-once", AS_OF, person=lifted)
    assert explained.eligible and explained.amount is None and explained.trace["benefit"]["parameters"][0]["value"] is None
    with pytest.raises(ledger.LedgerRefused) as exc:
        commit(explained)
    assert exc.value.code == "not_set"


def test_a_deployment_file_sets_the_amounts_and_they_become_payable(shipped, tmp_path):
    lifted = ankang_person(poverty_status="lifted")
    employed(lifted, D(2022, 5, 10))
    founder = ankang_person(birth="19920202", seq="105", hukou_type="rural")  # 返乡入乡创业的农民工
    employed(founder, D(2022, 6, 1), form="self_employed")
    with set_for_ankang(tmp_path, {"policies.transport_once.amount": 600, "policies.startup_once.amount": 8000}):
        fresh()
        try:
            got = {(e.policy.code, e.person_id): (e.amount, e.blocked) for e in engine.screen(AS_OF)
                   if e.policy.version.pack.code == "ak2022"}
            assert got[("ak2022-transport-once", lifted.pk)] == (Decimal("600.00"), "")
            assert got[("ak2022-startup-once", founder.pk)] == (Decimal("8000.00"), "")
            ent = explain_one("ak2022-transport-once", AS_OF, person=lifted)
            assert "安康市就业补助资金实施细则（测试）" in ent.trace["benefit"]["parameters"][0]["cite"]
            commit(ent)  # payable now
        finally:
            fresh()


def test_xincheng_amounts_do_not_leak_into_ankang(shipped):
    """新城区 sets the startup subsidy (5000) for 610102 only: an 安康 founder's amount stays not set."""
    founder = ankang_person(hukou_type="rural")
    employed(founder, D(2022, 6, 1), form="self_employed")
    ent = explain_one("ak2022-startup-once", AS_OF, person=founder)
    assert ent.eligible and ent.amount is None and ent.blocked
    # and a 安康 resident is not screened by the 新城区 pack
    assert not [e for e in engine.screen(AS_OF) if e.person_id == founder.pk and e.policy.code.startswith("xc2020")]


def test_job_search_subsidy_for_poor_graduates_and_the_effective_date(shipped):
    """13: 求职补贴 for 脱贫人口、防止返贫监测对象 graduates; the pack takes effect on 2022-04-21."""
    grad = ankang_person(birth="20000101", seq="107", poverty_status="monitored", education="college",
                         school_type="university", graduation_date=D(2022, 6, 30))
    early = ankang_person(birth="20000303", seq="109", poverty_status="monitored", education="college",
                          school_type="university", graduation_date=D(2022, 1, 15))
    got = [(e.person_id, e.amount) for e in engine.screen(AS_OF, codes=["ak2022-job-search"])]
    assert got == [(grad.pk, None)]
    assert not explain_one("ak2022-job-search", AS_OF, person=early).eligible


def test_xincheng_residents_are_outside_the_ankang_pack(shipped, district_officer, make_person):
    lifted = make_person(birth="19900101", poverty_status="lifted")
    registry.register_employment(actor=district_officer, person=lifted, effective_date=D(2022, 5, 10),
                                 employment_form="flexible")
    ent = explain_one("ak2022-transport-once", AS_OF, person=lifted)
    assert not ent.eligible
    assert not engine.screen(AS_OF, codes=["ak2022-transport-once"])
    assert datetime.date(2022, 4, 21) == engine.current_policy("ak2022-transport-once").period_from
