"""Status on any date is derived from the append-only history; the Python replay, the SQL
annotation and the stored projection must agree."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.registry import services
from jiuye.registry.models import EmploymentStatus, Person, Registration
from jiuye.registry.status import annotate_status, annotate_status_on, status_on

TODAY = timezone.localdate()


def test_status_on_past_dates_follows_history(make_person, district_officer):
    p = make_person()
    services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2018, 3, 1),
                                   unemployment_reason="graduate")
    services.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2019, 6, 1),
                                 employment_form="flexible")
    services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2022, 1, 10),
                                   unemployment_reason="dismissed")
    entries = list(p.registrations.all())
    assert status_on(entries, datetime.date(2018, 2, 28)).status == EmploymentStatus.NONE
    assert status_on(entries, datetime.date(2018, 3, 1)).status == EmploymentStatus.UNEMPLOYED
    assert status_on(entries, datetime.date(2020, 1, 1)).status == EmploymentStatus.EMPLOYED
    st_2023 = status_on(entries, datetime.date(2023, 1, 1))
    assert st_2023.status == EmploymentStatus.UNEMPLOYED and st_2023.since == datetime.date(2022, 1, 10)
    p.refresh_from_db()
    assert p.employment_status == EmploymentStatus.UNEMPLOYED
    assert p.status_since == datetime.date(2022, 1, 10)


def test_correction_replaces_entry_but_keeps_it(make_person, district_officer):
    p = make_person()
    wrong = services.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2021, 5, 1),
                                         employment_form="flexible")
    fixed = services.correct_registration(actor=district_officer, registration=wrong, reason="日期录错",
                                          effective_date=datetime.date(2021, 7, 1))
    entries = list(p.registrations.all())
    assert len(entries) == 2  # nothing deleted
    assert status_on(entries, datetime.date(2021, 6, 1)).status == EmploymentStatus.NONE
    assert status_on(entries, datetime.date(2021, 7, 1)).registration_id == fixed.pk
    assert fixed.operator == district_officer and fixed.reason == "日期录错"
    with pytest.raises(ValidationError):
        services.correct_registration(actor=district_officer, registration=wrong, reason="再改", effective_date=TODAY)


def test_void_removes_entry_from_status(make_person, district_officer):
    p = make_person()
    entry = services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2024, 1, 2),
                                           unemployment_reason="resigned")
    services.void_registration(actor=district_officer, registration=entry, reason="重复登记")
    p.refresh_from_db()
    assert p.employment_status == EmploymentStatus.NONE
    with pytest.raises(ValidationError, match="已被更正或作废"):
        services.void_registration(actor=district_officer, registration=entry, reason="再次作废")
    voiding = entry.corrections.get()
    with pytest.raises(ValidationError, match="作废记录本身"):
        services.void_registration(actor=district_officer, registration=voiding, reason="撤销作废")
    other = services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2024, 3, 1),
                                           unemployment_reason="resigned")
    with pytest.raises(ValidationError, match="原因"):
        services.void_registration(actor=district_officer, registration=other, reason=" ")


def test_registration_rules(make_person, district_officer):
    p = make_person(birth="20000101")
    with pytest.raises(ValidationError, match="未满16周岁"):
        services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2015, 1, 1),
                                       unemployment_reason="other")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.register_unemployment(actor=district_officer, person=p, effective_date=TODAY + datetime.timedelta(days=1),
                                       unemployment_reason="other")
    with pytest.raises(ValidationError, match="须填写就业单位"):
        services.register_employment(actor=district_officer, person=p, effective_date=TODAY, employment_form="unit")
    services.end_status(actor=district_officer, person=p, effective_date=datetime.date(2023, 1, 1), ending_reason="death")
    with pytest.raises(ValidationError, match="死亡"):
        services.register_employment(actor=district_officer, person=p, effective_date=TODAY, employment_form="flexible")


KINDS = st.sampled_from(["employment", "unemployment", "ending", "void"])
ENDINGS = st.sampled_from(["new_job", "retirement", "death", "school", "military", "moved_away", "other"])
entry_strategy = st.tuples(
    st.integers(min_value=0, max_value=2),  # person index
    KINDS,
    st.dates(min_value=datetime.date(2012, 1, 1), max_value=TODAY),
    ENDINGS,
    st.integers(min_value=0, max_value=30),  # which earlier entry a void/correction targets
    st.booleans(),  # correction?
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_strategy, max_size=12), probe_dates=st.lists(
    st.dates(min_value=datetime.date(2011, 6, 1), max_value=TODAY), min_size=1, max_size=4))
def test_python_replay_and_sql_annotation_agree(make_person, entries, probe_dates):
    with transaction.atomic():
        persons = [make_person(birth="19800101", seq=f"{i + 11:03d}") for i in range(3)]
        created: list[Registration] = []
        for idx, kind, date, ending, target, is_correction in entries:
            person = persons[idx]
            corrects = None
            mine = [e for e in created if e.person_id == person.pk and not e.corrections.exists()]
            if kind == "void" or is_correction:
                if not mine:
                    continue
                corrects = mine[target % len(mine)]
            if kind == "void":
                entry = Registration.objects.create(person=person, kind="void", effective_date=corrects.effective_date,
                                                    corrects=corrects, reason="作废")
            else:
                entry = Registration.objects.create(
                    person=person, kind=kind, effective_date=date, corrects=corrects, reason="更正" if corrects else "",
                    employment_form="flexible" if kind == "employment" else "",
                    unemployment_reason="other" if kind == "unemployment" else "",
                    ending_reason=ending if kind == "ending" else "",
                )
            created.append(entry)
        services.refresh_status([p.pk for p in persons])
        for on in probe_dates + [TODAY]:
            sql = dict(annotate_status_on(Person.objects.filter(pk__in=[p.pk for p in persons]), on)
                       .values_list("pk", "status_on_date"))
            for p in persons:
                assert sql[p.pk] == status_on(list(p.registrations.all()), on).status, on
        for p in Person.objects.filter(pk__in=[p.pk for p in persons]):
            replay = status_on(list(p.registrations.all()), TODAY)
            assert (p.employment_status, p.status_since, p.current_employer_id) == (
                replay.status, replay.since, replay.employer_id)
        transaction.set_rollback(True)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_known_on_ignores_later_entries_corrections_and_voids(make_person):
    """A report kept on a date is reproduced later: entries recorded after ``known_on`` do not count,
    and an entry corrected or voided after it counts again."""
    p = make_person(birth="19800101")
    unemployed = Registration.objects.create(person=p, kind="unemployment", effective_date=datetime.date(2020, 1, 1),
                                             unemployment_reason="other", recorded_at=_at(datetime.date(2020, 1, 2)))
    Registration.objects.create(person=p, kind="void", effective_date=unemployed.effective_date, corrects=unemployed,
                                reason="重复登记", recorded_at=_at(datetime.date(2021, 3, 1)))
    # Recorded in 2022, effective back in 2020 (a late registration).
    Registration.objects.create(person=p, kind="employment", effective_date=datetime.date(2020, 3, 1),
                                employment_form="flexible", recorded_at=_at(datetime.date(2022, 5, 1)))
    on = datetime.date(2020, 6, 30)
    entries = list(p.registrations.all())
    expected = {
        datetime.date(2019, 12, 31): EmploymentStatus.NONE,  # nothing recorded yet
        datetime.date(2020, 1, 2): EmploymentStatus.UNEMPLOYED,  # known by the end of the recording day
        datetime.date(2021, 2, 28): EmploymentStatus.UNEMPLOYED,  # the void is not known yet
        datetime.date(2021, 3, 1): EmploymentStatus.NONE,  # voided
        None: EmploymentStatus.EMPLOYED,  # as recorded now
    }
    for known_on, status in expected.items():
        assert status_on(entries, on, known_on).status == status, known_on
        row = annotate_status(Person.objects.filter(pk=p.pk), on, known_on).get()
        assert row.status_on_date == status, known_on
    # A datetime cutoff is inclusive.
    assert status_on(entries, on, _at(datetime.date(2020, 1, 2))).status == EmploymentStatus.UNEMPLOYED
    assert annotate_status_on(Person.objects.filter(pk=p.pk), on, known_on=_at(datetime.date(2020, 1, 2))).get(
    ).status_on_date == EmploymentStatus.UNEMPLOYED


RECORDED = st.dates(min_value=datetime.date(2012, 1, 1), max_value=TODAY)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(entry_strategy, RECORDED, st.integers(min_value=0, max_value=23)), max_size=12),
       probe_dates=st.lists(st.dates(min_value=datetime.date(2011, 6, 1), max_value=TODAY), min_size=1, max_size=3),
       known_dates=st.lists(st.one_of(st.none(), RECORDED), min_size=1, max_size=3))
def test_status_table_and_replay_agree_with_known_on(make_person, entries, probe_dates, known_dates):
    """Every column of the status table equals the Python replay, for random dates and cutoffs."""
    with transaction.atomic():
        persons = [make_person(birth="19800101", seq=f"{i + 11:03d}") for i in range(3)]
        created: list[Registration] = []
        for (idx, kind, date, ending, target, is_correction), recorded, hour in entries:
            person = persons[idx]
            corrects = None
            mine = [e for e in created if e.person_id == person.pk and not e.corrections.exists()]
            if kind == "void" or is_correction:
                if not mine:
                    continue
                corrects = mine[target % len(mine)]
                recorded = max(recorded, corrects.recorded_at.date())  # a correction follows what it corrects
            values = dict(
                person=person, kind=kind, corrects=corrects, reason="更正" if corrects else "", recorded_at=_at(recorded, hour),
                effective_date=corrects.effective_date if kind == "void" else date,
                employment_form="flexible" if kind == "employment" else "",
                unemployment_reason="other" if kind == "unemployment" else "",
                ending_reason=ending if kind == "ending" else "",
            )
            created.append(Registration.objects.create(**values))
        ids = [p.pk for p in persons]
        for on in probe_dates + [TODAY]:
            for known_on in known_dates:
                rows = {r.pk: r for r in annotate_status(Person.objects.filter(pk__in=ids), on, known_on)}
                for p in persons:
                    replay = status_on(list(p.registrations.all()), on, known_on)
                    row = rows[p.pk]
                    assert (row.status_on_date, row.status_since_on_date, row.employer_on_date, row.form_on_date,
                            row.registration_on_date) == (replay.status, replay.since, replay.employer_id,
                                                          replay.employment_form, replay.registration_id), (on, known_on)
        transaction.set_rollback(True)
