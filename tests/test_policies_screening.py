"""Screening (政策找人): stored runs, scope, the claimed flag, the catalogue's amounts."""
from decimal import Decimal

import pytest

from jiuye.accounts.models import AuditEntry
from jiuye.policies.models import Claim, ClaimStatus, RunStatus, ScreeningResult
from jiuye.policies.queries import catalogue
from jiuye.policies.queries import screening as queries
from jiuye.policies.services import screening
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.policies_helpers import D, hire, make_employer, policy, shipped  # noqa: F401


@pytest.fixture
def hires(shipped, district_officer, make_person):
    """Two graduates hired in 2020 by micro enterprises: one in street A, one in street B."""
    a = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1),
                    region=COMMUNITY_A1, name="张毕业")
    b = make_person(birth="19980606", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1),
                    region=COMMUNITY_B1, name="李毕业")
    firm_a = make_employer(district_officer, 1, size="micro", region=COMMUNITY_A1, name="甲企业")
    firm_b = make_employer(district_officer, 2, size="micro", region=COMMUNITY_B1, name="乙企业")
    reg_a = hire(district_officer, a, firm_a, D(2020, 8, 3))
    reg_b = hire(district_officer, b, firm_b, D(2020, 8, 4))
    return {"a": a, "b": b, "firm_a": firm_a, "firm_b": firm_b, "reg_a": reg_a, "reg_b": reg_b}


def test_a_run_is_stored_with_its_results_and_audited(hires, district_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    assert run.status == RunStatus.DONE, run.error
    rows = {(r.policy_code, r.person_id, r.amount, r.months) for r in run.results.all()}
    assert ("xc2020-hiring-once", hires["a"].pk, Decimal("1000.00"), None) in rows
    assert ("xc2020-si-employer", hires["b"].pk, Decimal("600.00"), 12) in rows
    assert run.result_count == run.results.count()
    assert "已完成" in run.progress
    assert AuditEntry.objects.filter(object_type="screening_run", object_id=str(run.pk)).exists()


def test_a_street_officers_run_has_only_their_street(hires, street_officer):
    run = screening.run_screening(street_officer, D(2020, 12, 31))
    regions = set(run.results.values_list("region_id", flat=True))
    assert regions and all(r.startswith("610102001") for r in regions)
    assert not run.results.filter(person=hires["b"]).exists()


def test_another_street_sees_nothing_of_that_run(hires, street_officer, other_street_officer):
    run = screening.run_screening(street_officer, D(2020, 12, 31))
    from jiuye.registry.queries import NotFound

    with pytest.raises(NotFound):
        queries.get_run(other_street_officer, run.pk)


def test_a_district_run_shows_a_street_officer_their_street_only(hires, district_officer, street_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    seen = queries.get_run(street_officer, run.pk)
    rows, _ = queries.search_results(street_officer, seen, queries.ResultSearch(limit=200))
    assert rows and {r.person_id for r in rows} == {hires["a"].pk}


def test_a_live_claim_marks_the_result_claimed(hires, district_officer):
    p = policy("xc2020-hiring-once")
    Claim.objects.create(number="T-1", policy=p, policy_code=p.code, kind=p.kind, beneficiary="employer",
                         person=hires["a"], employer=hires["firm_a"], beneficiary_key=f"E{hires['firm_a'].pk}",
                         region_id=COMMUNITY_A1, event_type="employment", event_id=hires["reg_a"].pk,
                         event_date=D(2020, 8, 3), unit="once", amount=Decimal("1000"), channel="worker",
                         status=ClaimStatus.SUBMITTED)
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    once = {r.person_id: r.claimed for r in run.results.filter(policy_code="xc2020-hiring-once")}
    assert once == {hires["a"].pk: True, hires["b"].pk: False}
    # the monthly subsidy of the same hire is another kind: not claimed
    assert not run.results.filter(policy_code="xc2020-si-employer", claimed=True).exists()
    outreach = queries.outreach(district_officer, run, policy="xc2020-hiring-once")
    people = [r.person_id for g in outreach for r in g["rows"]]
    assert people == [hires["b"].pk]


def test_a_withdrawn_claim_does_not_count(hires, district_officer):
    p = policy("xc2020-hiring-once")
    Claim.objects.create(number="T-2", policy=p, policy_code=p.code, kind=p.kind, beneficiary="employer",
                         person=hires["a"], employer=hires["firm_a"], beneficiary_key=f"E{hires['firm_a'].pk}",
                         region_id=COMMUNITY_A1, event_type="employment", event_id=hires["reg_a"].pk,
                         event_date=D(2020, 8, 3), unit="once", channel="worker", status=ClaimStatus.WITHDRAWN)
    run = screening.run_screening(district_officer, D(2020, 12, 31), codes=["xc2020-hiring-once"])
    assert not ScreeningResult.objects.filter(run=run, claimed=True).exists()
    assert set(run.results.values_list("policy_code", flat=True)) == {"xc2020-hiring-once"}


def test_an_unknown_policy_is_refused_with_its_name(shipped, district_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        screening.run_screening(district_officer, D(2020, 12, 31), codes=["xc2020-nope"])
    assert "xc2020-nope" in str(exc.value)


def test_an_auditor_may_not_start_a_run(shipped, auditor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        screening.run_screening(auditor, D(2020, 12, 31))


def test_the_catalogue_shows_1000_yuan_and_not_set(shipped):
    rows = {r["code"]: r for r in catalogue.catalogue()}
    once = rows["xc2020-hiring-once"]["benefits"][0]
    assert once["amount_text"] == "1000元" and once["params"][0]["cite"]
    retention = rows["xc2020-internship-retention"]["benefits"][0]
    assert retention["amount_text"] == catalogue.NOT_SET and not retention["is_set"]
