"""Job-seeker registration (求职登记), its closing by the registry's events, the supply figures, profiles."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.jobs.models import SeekerProfile, SeekerRegistration
from jiuye.jobs.queries import seekers as q
from jiuye.jobs.services import seekers
from jiuye.registry import services as registry
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1
from tests.jobs_helpers import make_employer, occupations  # noqa: F401

D = datetime.date


def test_one_open_registration_history_kept(community_worker, make_person):
    p = make_person()
    reg = seekers.start_seeking(actor=community_worker, person=p, started_on=D(2026, 1, 5))
    with pytest.raises(ValidationError, match="尚未结束"):
        seekers.start_seeking(actor=community_worker, person=p)
    seekers.stop_seeking(actor=community_worker, person=p, ended_on=D(2026, 3, 1), reason="withdrew")
    with pytest.raises(ValidationError) as e:
        seekers.start_seeking(actor=community_worker, person=p, started_on=D(2026, 2, 1))
    assert "早于上一次求职登记的结束日期" in str(e.value)
    seekers.start_seeking(actor=community_worker, person=p, started_on=D(2026, 4, 1))
    assert SeekerRegistration.objects.filter(person=p).count() == 2
    reg.refresh_from_db()
    assert reg.end_reason == "withdrew"
    assert AuditEntry.objects.filter(object_type="person", object_id=p.pk, summary__contains="求职登记").count() == 3


def test_stop_reports_every_error_at_once(community_worker, make_person):
    p = make_person()
    seekers.start_seeking(actor=community_worker, person=p, started_on=D(2026, 5, 1))
    with pytest.raises(ValidationError) as e:
        seekers.stop_seeking(actor=community_worker, person=p, ended_on=D(2026, 4, 1), reason="bogus")
    assert set(e.value.message_dict) == {"reason", "ended_on"}


def test_out_of_region_is_not_found_and_a_resident_registers_themselves(other_street_officer, make_person):
    p = make_person(region=COMMUNITY_A1)
    with pytest.raises(NotFound):
        seekers.start_seeking(actor=other_street_officer, person=p)
    me = User.objects.create_user("res_s", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=me, person=p)
    assert seekers.start_seeking(actor=me, person=p).operator == me
    other = make_person(name="别人")
    with pytest.raises(NotFound):
        seekers.start_seeking(actor=me, person=other)


def test_an_employment_registration_closes_the_seeking_as_hired_set_based(community_worker, district_officer,
                                                                          make_person):
    firm = make_employer(district_officer)
    a, b = make_person(name="甲"), make_person(name="乙")
    for p in (a, b):
        seekers.start_seeking(actor=community_worker, person=p, started_on=D(2026, 6, 1))
    registry.register_employment(actor=community_worker, person=a, effective_date=D(2026, 7, 1), employment_form="unit",
                                 employer=firm)
    ra, rb = (SeekerRegistration.objects.get(person=p) for p in (a, b))
    assert (ra.ended_on, ra.end_reason) == (D(2026, 7, 1), "hired") and rb.ended_on is None
    registry.end_status(actor=community_worker, person=b, effective_date=D(2026, 7, 2), ending_reason="moved_away")
    rb.refresh_from_db()
    assert (rb.ended_on, rb.end_reason) == (D(2026, 7, 2), "moved")


def test_supply_figures_count_registrations_open_on_a_date_by_registration_place(community_worker, street_officer,
                                                                                make_person):
    a1 = make_person(region=COMMUNITY_A1)
    a2 = make_person(region=COMMUNITY_A2)
    a1b = make_person(region=COMMUNITY_A1)
    seekers.start_seeking(actor=street_officer, person=a1, started_on=D(2026, 1, 1))
    seekers.start_seeking(actor=street_officer, person=a2, started_on=D(2026, 2, 1))
    seekers.start_seeking(actor=street_officer, person=a1b, started_on=D(2026, 1, 1))
    seekers.stop_seeking(actor=street_officer, person=a1b, ended_on=D(2026, 3, 1))
    assert q.open_seekers_on(D(2026, 1, 15)).count() == 2
    assert q.open_seekers_on(D(2026, 2, 28), COMMUNITY_A1).count() == 2
    assert q.open_seekers_on(D(2026, 3, 1), COMMUNITY_A1).count() == 1  # the end day no longer counts
    assert q.open_seeker_counts(D(2026, 2, 15)) == {COMMUNITY_A1: 2, COMMUNITY_A2: 1}
    assert q.open_seeker_counts(D(2026, 2, 15), level="street") == {COMMUNITY_A1[:9] + "000": 3}
    assert q.open_seekers_on(D(2026, 2, 15), COMMUNITY_B1).count() == 0


def test_profile_validates_every_field_at_once_and_is_audited(occupations, community_worker, make_person):  # noqa: F811
    p = make_person()
    with pytest.raises(ValidationError) as e:
        seekers.save_profile(actor=community_worker, person=p, occupations=["6-18-02-04", "9-99"], regions=["999"],
                             wage_min=8000, wage_max=5000, work_types=["full_time", "forever"], experience_years=-1)
    errors = e.value.message_dict
    assert set(errors) == {"occupations", "regions", "wage_max", "work_types", "experience_years"}
    assert "9-99" in errors["occupations"][0] and "forever" in errors["work_types"][0]
    prof = seekers.save_profile(actor=community_worker, person=p, occupations="6-18-02-04", regions=[COMMUNITY_A1],
                                wage_min=5000, wage_max=8000, work_types=["full_time"], skills="焊接、氩弧焊",
                                resume="十年电焊经验")
    assert prof.skills == ["焊接", "氩弧焊"] and prof.occupations == ["6-18-02-04"]
    entry = AuditEntry.objects.filter(object_type="person", object_id=p.pk, summary="求职意向与简历").get()
    assert "十年" not in str(entry.changes) and "resume" in entry.changes["fields"]
    seekers.save_profile(actor=community_worker, person=p, hours="白班")
    assert SeekerProfile.objects.get(person=p).wage_min == 5000


def test_seeker_list_filters_by_occupation_group_on_both_databases(occupations, community_worker, make_person):  # noqa: F811
    p, o = make_person(name="焊工"), make_person(name="厨师")
    for x in (p, o):
        seekers.start_seeking(actor=community_worker, person=x, started_on=timezone.localdate())
    seekers.save_profile(actor=community_worker, person=p, occupations=["6-18-02-04"])
    rows, _ = q.search_seekers(community_worker, q.SeekerSearch(occupation="6-18"))
    assert [r.person.name for r in rows] == ["焊工"]
    assert q.count_seekers(community_worker, q.SeekerSearch()) == 2


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SPELL = st.tuples(st.integers(min_value=0, max_value=60), st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
                  st.sampled_from([COMMUNITY_A1, COMMUNITY_A2]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spells=st.lists(SPELL, min_size=1, max_size=6), probe=st.integers(min_value=-5, max_value=95))
def test_supply_counts_agree_with_the_definition(community_worker, make_person, spells, probe):
    """The SQL figures (queryset and GROUP BY) and the written definition, read in Python, agree."""
    SeekerRegistration.objects.all().delete()
    base = D(2026, 1, 1)
    people = {}
    for i, (start, length, community) in enumerate(spells):
        person = people.get(community) if i % 2 else None
        person = person or make_person(region=community)
        people[community] = person
        started = base + datetime.timedelta(days=start)
        ended = started + datetime.timedelta(days=length) if length is not None else None
        if SeekerRegistration.objects.filter(person=person, ended_on__isnull=True).exists() or \
                SeekerRegistration.objects.filter(person=person, ended_on__gt=started).exists() or \
                SeekerRegistration.objects.filter(person=person, started_on__gte=started).exists():
            person = make_person(region=community)
        SeekerRegistration.objects.create(person=person, started_on=started, ended_on=ended,
                                          end_reason="withdrew" if ended else "", registered_in_id=community)
    on = base + datetime.timedelta(days=probe)
    rows = list(SeekerRegistration.objects.values_list("started_on", "ended_on", "registered_in_id"))
    expected: dict[str, int] = {}
    for started, ended, community in rows:
        if started <= on and (ended is None or ended > on):
            expected[community] = expected.get(community, 0) + 1
    assert q.open_seeker_counts(on) == expected
    assert q.open_seekers_on(on).count() == sum(expected.values())
    assert q.open_seekers_on(on, COMMUNITY_A2).count() == expected.get(COMMUNITY_A2, 0)
