""""Recognised hard-to-employ on a date" (queries.recognitions): the Python face and the SQL face agree
on random act histories (proposals, decisions, rejections, exits, validity ends), random dates and
random ``known_on`` cutoffs."""
import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assistance.models import Recognition, RecognitionStatus
from jiuye.assistance.queries import recognitions as rq
from jiuye.registry.models import Person
from tests.conftest import COMMUNITY_A1

D = datetime.date
START = D(2024, 1, 1)
DAYS = st.integers(min_value=0, max_value=400)


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def moment(n: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(n), datetime.time(hour)))


closed_status = st.sampled_from([RecognitionStatus.REJECTED, RecognitionStatus.EXITED, RecognitionStatus.WITHDRAWN])
any_status = st.sampled_from(list(RecognitionStatus.values))

act_strategy = st.fixed_dictionaries({
    "applied": DAYS,
    "decided_after": st.integers(min_value=0, max_value=60),
    "decided_hour": st.integers(min_value=0, max_value=23),
    "validity": st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
    "exit_after": st.integers(min_value=1, max_value=300),
    "exit_recorded_after": st.integers(min_value=0, max_value=30),
    "exit_hour": st.integers(min_value=0, max_value=23),
})


def _act(person, status, a) -> Recognition:
    act = Recognition(person=person, region_id=COMMUNITY_A1, categories=["older_worker"], applied_on=day(a["applied"]),
                      status=status)
    if status in (RecognitionStatus.RECOGNISED, RecognitionStatus.EXITED, RecognitionStatus.REJECTED):
        decided = a["applied"] + a["decided_after"]
        act.decided_at = moment(decided, a["decided_hour"])
        if status != RecognitionStatus.REJECTED:
            act.valid_from = day(decided)
            if a["validity"] is not None:
                act.valid_until = day(decided + a["validity"])
        if status == RecognitionStatus.EXITED:
            exit_day = decided + a["exit_after"]
            act.exited_on = day(exit_day)
            act.exited_at = moment(exit_day + a["exit_recorded_after"], a["exit_hour"])
            act.exit_reason = "other"
    return act


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(st.tuples(st.lists(st.tuples(closed_status, act_strategy), max_size=3),
                                    st.one_of(st.none(), st.tuples(any_status, act_strategy))), min_size=1, max_size=4),
       probes=st.lists(st.tuples(DAYS, st.one_of(st.none(), DAYS)), min_size=1, max_size=6))
def test_python_face_and_sql_face_agree(make_person, histories, probes):
    with transaction.atomic():
        persons = []
        for closed, last in histories:
            person = make_person(birth="19800101")
            persons.append(person)
            acts = [_act(person, status, a) for status, a in closed]
            if last is not None:
                acts.append(_act(person, *last))
            Recognition.objects.bulk_create(acts)
        for on_n, known_n in probes:
            on, known_on = day(on_n), (day(known_n) if known_n is not None else None)
            sql = set(Person.objects.filter(pk__in=[p.pk for p in persons]).filter(rq.recognised_q(on, known_on))
                      .values_list("pk", flat=True))
            python = {p.pk for p in persons if rq.recognised_on(p.pk, on, known_on) is not None}
            assert sql == python, (on, known_on)
        transaction.set_rollback(True)


def test_known_on_ignores_a_later_decision_and_a_later_exit(make_person, regions):
    person = make_person(birth="19800101")
    act = Recognition.objects.create(
        person=person, region_id=COMMUNITY_A1, categories=["older_worker"], applied_on=D(2024, 1, 2),
        status=RecognitionStatus.EXITED, decided_at=moment(10, 9), valid_from=day(10), exited_on=day(100),
        exited_at=moment(120, 9), exit_reason="other")
    assert rq.recognised_on(person.pk, day(50)) == act
    assert rq.recognised_on(person.pk, day(50), known_on=day(9)) is None  # not decided yet then
    assert rq.recognised_on(person.pk, day(110)) is None  # exited on day 100
    assert rq.recognised_on(person.pk, day(110), known_on=day(119)) == act  # the exit was recorded on day 120
    assert Person.objects.filter(rq.recognised_q(day(110), known_on=day(119))).get() == person
    assert not Person.objects.filter(rq.recognised_q(day(110))).exists()
