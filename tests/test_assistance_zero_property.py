"""Two paths must agree: whatever happens to a small town's households (registrations, members moving
between households, capacity marks and their withdrawal, business income), the spells and cases kept
by the receivers in each change's transaction are exactly what the reconcile computes from scratch:
every zero-employment household has one open spell and one open case, no other household has either,
and every ended spell is counted as resolved or no longer qualifies, never both."""
from __future__ import annotations


import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assistance.models import CapacityKind, CapacityMark, Case, CaseStatus, SpellEnd, ZeroEmploymentSpell
from jiuye.assistance.services import zero
from jiuye.registry import services as registry
from jiuye.registry.groups import is_zero_employment_household
from jiuye.registry.models import EmploymentForm, EndingReason, Household, Person, Relation, UnemploymentReason

from .conftest import COMMUNITY_A1

OPS = st.lists(st.tuples(st.sampled_from(["unemployed", "employed", "ended", "move", "leave", "mark", "lift", "income"]),
                         st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=12)


@pytest.fixture
def town(district_officer, community_worker, make_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    persons = [make_person(birth=f"19{80 + i}0101", region=COMMUNITY_A1) for i in range(4)]
    households = [registry.create_household(actor=district_officer, region=COMMUNITY_A1) for _ in range(3)]
    for i, person in enumerate(persons):
        registry.add_household_member(actor=district_officer, household=households[i % 2], person=person,
                                      relation=Relation.HEAD if i < 2 else Relation.CHILD)
    return district_officer, persons, households


def _apply(actor, persons, households, op, who, where):
    person = Person.objects.get(pk=persons[who].pk)
    today = timezone.localdate()
    if op == "unemployed":
        registry.register_unemployment(actor=actor, person=person, effective_date=today,
                                       unemployment_reason=UnemploymentReason.DISMISSED, confirm=True)
    elif op == "employed":
        registry.register_employment(actor=actor, person=person, effective_date=today, employment_form=EmploymentForm.FLEXIBLE)
    elif op == "ended":
        registry.end_status(actor=actor, person=person, effective_date=today, ending_reason=EndingReason.NOT_SEEKING)
    elif op == "move":
        registry.add_household_member(actor=actor, household=households[where], person=person, relation=Relation.OTHER,
                                      move=True)
    elif op == "leave":
        membership = person.household_memberships.filter(left_on__isnull=True).first()
        if membership:
            registry.remove_household_member(actor=actor, household=membership.household, person=person)
    elif op == "mark":
        zero.mark_capacity(actor, person, [CapacityKind.UNABLE, CapacityKind.UNWILLING][where % 2], "证明",
                           [SimpleUploadedFile("证明.pdf", b"%PDF-1.4")])
    elif op == "lift":
        mark = CapacityMark.objects.filter(person=person, lifted_on__isnull=True).first()
        if mark:
            zero.lift_mark(actor, mark, "恢复")
    elif op == "income":
        household = Household.objects.get(pk=households[where].pk)
        registry.update_household(actor=actor, household=household, has_business_income=not household.has_business_income)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_receivers_and_reconcile_agree(town, ops):
    actor, persons, households = town
    try:
        with transaction.atomic():
            for op, who, where in ops:
                try:
                    with transaction.atomic():
                        _apply(actor, persons, households, op, who, where)
                except ValidationError:
                    pass  # a refused change (a second unemployment registration ...) changes nothing
            assert zero.reconcile_zero_employment(fix=False)["disagreements"] == 0
            for household in Household.objects.filter(pk__in=[h.pk for h in households]):
                assert household.is_zero_employment == is_zero_employment_household(household)
                open_spells = ZeroEmploymentSpell.objects.filter(household=household, ended_on__isnull=True).count()
                open_cases = Case.objects.filter(household=household, status=CaseStatus.OPEN).count()
                assert open_spells == open_cases == int(household.is_zero_employment)
            for spell in ZeroEmploymentSpell.objects.filter(ended_on__isnull=False):
                assert spell.end_kind in (SpellEnd.RESOLVED, SpellEnd.NO_LONGER_QUALIFIES) and spell.end_cause
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass
