"""Zero-employment households driven to zero (零就业家庭动态清零), end to end on hand-built households:
it becomes zero-employment (spell and case in the same transaction), a member is employed (resolved,
follow-up), relapse reopens the case, a member dies and the last unemployed member retires (no longer
qualifies), the household splits (no longer qualifies; the new household has its own case), a member
is marked unable to work with evidence (counted apart), and the reconcile finds nothing to repair."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jiuye.assistance.models import (
    CapacityKind,
    Case,
    CaseStatus,
    CloseKind,
    SpellCause,
    SpellEnd,
    ZeroEmploymentSpell,
)
from jiuye.assistance.services import zero
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, EndingReason, Household, Relation, UnemploymentReason
from tests.conftest import COMMUNITY_A1

SEP = datetime.date(2026, 9, 14)


def unemployed(actor, person, on=SEP):
    return registry.register_unemployment(actor=actor, person=person, effective_date=on,
                                          unemployment_reason=UnemploymentReason.DISMISSED)


def evidence(name="诊断证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def spells_of(household):
    return list(ZeroEmploymentSpell.objects.filter(household=household).order_by("pk"))


def zero_case(household):
    return Case.objects.get(household=household)


@pytest.fixture
def household(district_officer, community_worker):
    return registry.create_household(actor=district_officer, region=COMMUNITY_A1)


def test_the_whole_lifecycle(district_officer, community_worker, make_person, household, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = district_officer
    a = make_person(birth="19900307")  # head, of working age
    b = make_person(birth="19660915")  # retires in 2027 (60 years and some months, the 2024 rule)
    assert b.retirement_date > timezone.localdate()
    registry.add_household_member(actor=actor, household=household, person=a, relation=Relation.HEAD)
    registry.add_household_member(actor=actor, household=household, person=b, relation=Relation.SPOUSE)
    assert not Household.objects.get(pk=household.pk).is_zero_employment  # nobody registered yet

    # 1. A's unemployment registration makes the household zero-employment: spell and case exist in
    #    the registration's own transaction.
    with transaction.atomic():
        unemployed(actor, a)
        [spell] = spells_of(household)
        case = zero_case(household)
        assert spell.ended_on is None and spell.case_id == case.pk and case.status == CaseStatus.OPEN
        assert case.assigned_to == community_worker
    unemployed(actor, b)
    assert len(spells_of(household)) == 1  # still the same spell

    # 2. A is employed: resolved, the case goes to follow-up.
    job = registry.register_employment(actor=actor, person=a, effective_date=datetime.date(2026, 10, 12),
                                       employment_form=EmploymentForm.FLEXIBLE)
    [spell] = spells_of(household)
    case.refresh_from_db()
    assert (spell.end_kind, spell.end_cause) == (SpellEnd.RESOLVED, SpellCause.EMPLOYED)
    assert case.status == CaseStatus.FOLLOW_UP and case.resolved_by_id == job.pk

    # 3. A loses the job within the follow-up period: relapse reopens the same case, a new spell opens.
    unemployed(actor, a, datetime.date(2026, 10, 26))
    spells = spells_of(household)
    case.refresh_from_db()
    assert len(spells) == 2 and spells[1].ended_on is None and spells[1].case_id == case.pk
    assert case.status == CaseStatus.OPEN and case.reopen_count == 1

    # 4. A dies (ending registration, reason death): B is still registered unemployed, still zero.
    registry.end_status(actor=actor, person=a, effective_date=datetime.date(2026, 11, 2), ending_reason=EndingReason.DEATH)
    assert Household.objects.get(pk=household.pk).is_zero_employment

    # 5. B, the last unemployed member, reaches retirement age: the daily refresh flips the flag and
    #    the case closes as "no longer qualifies".
    later = b.retirement_date + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    registry.refresh_zero_employment(via="refresh")
    spell = spells_of(household)[-1]
    case.refresh_from_db()
    assert (spell.end_kind, spell.end_cause, spell.ended_on) == (SpellEnd.NO_LONGER_QUALIFIES, SpellCause.RETIRED, later)
    assert case.status == CaseStatus.CLOSED and case.close_kind == CloseKind.NO_LONGER_QUALIFIES
    assert "退休" in case.close_note


def test_a_split_ends_the_spell_as_no_longer_qualifies_and_the_new_household_gets_its_case(
        district_officer, make_person, household):
    actor = district_officer
    d, e = make_person(), make_person()
    registry.add_household_member(actor=actor, household=household, person=d, relation=Relation.HEAD)
    registry.add_household_member(actor=actor, household=household, person=e, relation=Relation.CHILD)
    unemployed(actor, d)
    old_case = zero_case(household)
    new_household = registry.create_household(actor=actor, region=COMMUNITY_A1)
    registry.add_household_member(actor=actor, household=new_household, person=d, relation=Relation.HEAD, move=True)
    [spell] = spells_of(household)
    old_case.refresh_from_db()
    assert (spell.end_kind, spell.end_cause) == (SpellEnd.NO_LONGER_QUALIFIES, SpellCause.SPLIT)
    assert new_household.number in spell.end_note
    assert old_case.close_kind == CloseKind.NO_LONGER_QUALIFIES
    assert zero_case(new_household).status == CaseStatus.OPEN and spells_of(new_household)[0].ended_on is None


def test_an_employed_person_joining_takes_the_household_off_without_resolving_it(district_officer, make_person, household):
    actor = district_officer
    f, g = make_person(), make_person()
    registry.add_household_member(actor=actor, household=household, person=f, relation=Relation.HEAD)
    unemployed(actor, f)
    registry.register_employment(actor=actor, person=g, effective_date=SEP, employment_form=EmploymentForm.FLEXIBLE)
    registry.add_household_member(actor=actor, household=household, person=g, relation=Relation.SPOUSE)
    [spell] = spells_of(household)
    assert (spell.end_kind, spell.end_cause) == (SpellEnd.NO_LONGER_QUALIFIES, SpellCause.MEMBER_JOINED)
    assert zero_case(household).close_kind == CloseKind.NO_LONGER_QUALIFIES  # counted apart from a real employment


def test_marking_unable_needs_reason_and_evidence_and_is_counted_apart(district_officer, make_person, household,
                                                                       settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = district_officer
    h = make_person()
    registry.add_household_member(actor=actor, household=household, person=h, relation=Relation.HEAD)
    unemployed(actor, h)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        zero.mark_capacity(actor, h, CapacityKind.UNABLE, "", [])
    assert set(err.value.message_dict) == {"reason", "evidence"}
    # The person's record cannot do it silently either.
    with pytest.raises(ValidationError) as err:
        registry.update_person(actor=actor, person=h, able_to_work=False)
    assert "劳动能力/就业意愿标记" in err.value.message_dict["able_to_work"][0]
    h.refresh_from_db()
    assert h.able_to_work and Household.objects.get(pk=household.pk).is_zero_employment

    mark = zero.mark_capacity(actor, h, CapacityKind.UNABLE, "重度残疾，医院诊断", [evidence()])
    assert mark.cleared_zero_household
    [spell] = spells_of(household)
    assert (spell.end_kind, spell.end_cause) == (SpellEnd.NO_LONGER_QUALIFIES, SpellCause.UNABLE)
    assert [a.original_name for a in zero.evidence_of(mark)] == ["诊断证明.pdf"]

    # Lifting the mark sets the flag back: the household is zero-employment again, the case reopens... as a new case
    zero.lift_mark(actor, mark, "康复，可以工作")
    h.refresh_from_db()
    assert h.able_to_work and Household.objects.get(pk=household.pk).is_zero_employment
    assert spells_of(household)[-1].ended_on is None
    assert Case.objects.filter(household=household, status=CaseStatus.OPEN).count() == 1


def test_reconcile_finds_and_repairs_every_disagreement(district_officer, make_person, household):
    actor = district_officer
    k = make_person()
    registry.add_household_member(actor=actor, household=household, person=k, relation=Relation.HEAD)
    unemployed(actor, k)
    assert zero.reconcile_zero_employment(fix=False)["disagreements"] == 0
    # The flag is cleared behind the registry's back (no event): the reconcile sees it and repairs it.
    Household.objects.filter(pk=household.pk).update(is_zero_employment=False)
    report = zero.reconcile_zero_employment(fix=False)
    assert report["flag_missing"] == 1 and report["disagreements"] >= 1
    report = zero.reconcile_zero_employment(fix=True)
    assert report["fixed"] and Household.objects.get(pk=household.pk).is_zero_employment
    assert zero.reconcile_zero_employment(fix=False)["disagreements"] == 0
    assert ZeroEmploymentSpell.objects.filter(household=household, ended_on__isnull=True).count() == 1


def test_the_registry_says_what_flipped_the_flag(district_officer, make_person, household):
    """Every path the issue names flips the flag inside its own transaction and says why: a registration,
    a correction or void, a member joining or leaving, the household's record, a person's record."""
    from jiuye.registry import events

    seen = []

    def listen(sender, ids, fields=(), cause="", **kwargs):
        if "is_zero_employment" in fields:
            seen.append((cause, Household.objects.get(pk=ids[0]).is_zero_employment))

    events.households_changed.connect(listen, dispatch_uid="test_zero_cause")
    try:
        actor = district_officer
        p, q = make_person(), make_person()
        registry.add_household_member(actor=actor, household=household, person=p, relation=Relation.HEAD)
        entry = unemployed(actor, p)  # registration: zero
        registry.void_registration(actor=actor, registration=entry, reason="误登记")  # void: off
        unemployed(actor, p)  # zero again
        registry.update_household(actor=actor, household=household, has_business_income=True)  # off
        registry.update_household(actor=actor, household=household, has_business_income=False)  # zero
        registry.remove_household_member(actor=actor, household=household, person=p)  # leaving: off
        registry.add_household_member(actor=actor, household=household, person=p, relation=Relation.HEAD)  # joining
        registry.register_employment(actor=actor, person=q, effective_date=SEP, employment_form=EmploymentForm.FLEXIBLE)
        registry.add_household_member(actor=actor, household=household, person=q, relation=Relation.SPOUSE)  # off
    finally:
        events.households_changed.disconnect(dispatch_uid="test_zero_cause")
    assert seen == [("registration", True), ("registration", False), ("registration", True), ("household", False),
                    ("household", True), ("membership", False), ("membership", True), ("membership", False)]


def test_a_stale_copy_of_the_person_does_not_undo_the_status(district_officer, make_person, household, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = district_officer
    p = make_person()  # this copy still says "not registered"
    registry.add_household_member(actor=actor, household=household, person=p, relation=Relation.HEAD)
    unemployed(actor, p)
    registry.update_person(actor=actor, person=p, phone="13800138000")
    from jiuye.registry.models import Person

    assert Person.objects.get(pk=p.pk).employment_status == "unemployed"
    zero.mark_capacity(actor, p, CapacityKind.UNWILLING, "本人声明", [evidence()])
    assert Person.objects.get(pk=p.pk).employment_status == "unemployed"
