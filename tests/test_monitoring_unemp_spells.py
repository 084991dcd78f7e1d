"""The registered urban unemployed at a day from spells (one query) equals the registry's status table
(``annotate_status_on``) for random histories, days and ``known_on`` cutoffs, attributed by the 登记地 of the
unemployment registration in force, urban communities only."""
import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.monitoring.queries import unemployment as q
from jiuye.regions.models import Region
from jiuye.registry import services
from jiuye.registry.models import Person, Registration
from jiuye.registry.status import annotate_status
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1

TODAY = timezone.localdate()
COMMUNITIES = [COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1]
KINDS = st.sampled_from(["employment", "unemployment", "unemployment", "ending", "void"])
entry_strategy = st.tuples(
    st.integers(min_value=0, max_value=3),  # person
    KINDS,
    st.dates(min_value=datetime.date(2015, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=30),  # target of a void/correction
    st.booleans(),  # correction?
    st.integers(min_value=0, max_value=2),  # 登记地
    st.dates(min_value=datetime.date(2015, 1, 1), max_value=TODAY),  # recorded on
)


@pytest.fixture
def urban(regions):
    Region.objects.filter(code__in=[COMMUNITY_A1, COMMUNITY_A2]).update(urban_rural="111")
    Region.objects.filter(code=COMMUNITY_B1).update(urban_rural="220")


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _expected(ids, on, known_on=None, width=12):
    rows = (annotate_status(Person.objects.filter(pk__in=ids), on, known_on)
            .filter(status_on_date="unemployed").values_list("registration_on_date", flat=True))
    regs = Registration.objects.filter(pk__in=list(rows), registered_in__urban_rural__startswith="1")
    return Counter((r[:width].ljust(12, "0"), on) for r in regs.values_list("registered_in_id", flat=True))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_strategy, max_size=14),
       days=st.lists(st.dates(min_value=datetime.date(2014, 6, 1), max_value=TODAY), min_size=1, max_size=4),
       known=st.one_of(st.none(), st.dates(min_value=datetime.date(2015, 1, 1), max_value=TODAY)))
def test_spells_equal_the_status_table(make_person, urban, entries, days, known):
    with transaction.atomic():
        persons = [make_person(birth="19800101", seq=f"{i + 11:03d}") for i in range(4)]
        created: list[Registration] = []
        for idx, kind, date, target, is_correction, where, recorded in entries:
            person = persons[idx]
            corrects = None
            mine = [e for e in created if e.person_id == person.pk and not e.corrections.exists()]
            if kind == "void" or is_correction:
                if not mine:
                    continue
                corrects = mine[target % len(mine)]
                recorded = max(recorded, corrects.recorded_at.date())
            created.append(Registration.objects.create(
                person=person, kind=kind, corrects=corrects, reason="更正" if corrects else "",
                effective_date=corrects.effective_date if kind == "void" else date, recorded_at=_at(recorded),
                registered_in_id=COMMUNITIES[where], employment_form="flexible" if kind == "employment" else "",
                unemployment_reason="other" if kind == "unemployment" else "",
                ending_reason="other" if kind == "ending" else ""))
        ids = [p.pk for p in persons]
        ends = sorted({q.month_end(d) for d in days} | {q.month_end(q.add_months(d.replace(day=1), 1)) for d in days
                                                         if q.add_months(d.replace(day=1), 1) <= TODAY})
        for known_on in (None, known):
            for width in (12, 6):  # month ends: the running-sum path
                got = q.unemployed_counts(ends, prefix="610102", width=width, known_on=known_on)
                want = Counter()
                for on in ends:
                    want.update(_expected(ids, on, known_on, width))
                assert got == dict(want), ("month ends", width, known_on)
            for width in (12, 9, 6):
                got = q.unemployed_counts(days, prefix="610102", width=width, known_on=known_on)
                want = Counter()
                for on in set(days):
                    want.update(_expected(ids, on, known_on, width))
                assert got == dict(want), (width, known_on)
        transaction.set_rollback(True)


def test_rural_communities_do_not_count_and_attribution_is_by_registration(make_person, urban, district_officer):
    a, b = make_person(region=COMMUNITY_A1), make_person(region=COMMUNITY_B1)
    services.register_unemployment(actor=district_officer, person=a, effective_date=datetime.date(2024, 3, 5),
                                   unemployment_reason="dismissed")
    services.register_unemployment(actor=district_officer, person=b, effective_date=datetime.date(2024, 3, 5),
                                   unemployment_reason="dismissed")
    end = datetime.date(2024, 3, 31)
    counts = q.unemployed_counts([end, datetime.date(2024, 2, 29)], prefix="610102", width=12)
    assert counts == {(COMMUNITY_A1, end): 1}  # B1 is rural; nobody before the registration
    Person.objects.filter(pk=a.pk).update(region_id=COMMUNITY_A2)  # moved since: still counted where registered
    assert q.unemployed_counts([end], prefix="610102", width=12) == {(COMMUNITY_A1, end): 1}
