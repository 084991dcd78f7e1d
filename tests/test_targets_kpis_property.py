"""The set-based KPI queries equal a plain Python replay of each person's history with the registry's rule
(``registry.status.status_on``; ``assistance.queries.recognitions.recognised_on``), for random small
histories, periods and ``known_on`` cutoffs; and children add up to their parent (the property tests the
issue asks for). Also: the window form of the flows (the DuckDB path) equals the index-probe form, and the
registered unemployed equal the monitoring app's count."""
import datetime
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assistance.models import Recognition
from jiuye.assistance.queries.recognitions import recognised_on
from jiuye.monitoring.periods import MONTH, QUARTER, YEAR, Period, Span
from jiuye.monitoring.queries import unemployment as unemp
from jiuye.regions.models import Region
from jiuye.registry.models import Registration
from jiuye.registry.status import counting_registrations, effective_entries, status_on
from jiuye.targets.kpis import flows, stocks
from jiuye.targets.kpis.compute import compute
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B

XC = "610102000000"
COMMUNITIES = [COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1]
URBAN = {COMMUNITY_A1, COMMUNITY_A2}
NODES = [XC, STREET_A, STREET_B, COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1]
FIRST, LAST = datetime.date(2019, 1, 1), datetime.date(2021, 12, 31)
KINDS = st.sampled_from(["employment", "employment", "unemployment", "ending", "void"])
entry_strategy = st.tuples(
    st.integers(min_value=0, max_value=3),  # person
    KINDS,
    st.dates(min_value=FIRST, max_value=LAST),
    st.integers(min_value=0, max_value=30),  # target of a void/correction
    st.booleans(),  # correction?
    st.integers(min_value=0, max_value=2),  # 登记地
    st.integers(min_value=0, max_value=400),  # recorded this many days after the effective date
    st.sampled_from(["flexible", "flexible", "agriculture"]),
    st.sampled_from(["retirement", "death", "other"]),
)
recognition_strategy = st.tuples(st.integers(min_value=0, max_value=3), st.dates(min_value=FIRST, max_value=LAST),
                                 st.integers(min_value=1, max_value=500), st.booleans())
period_strategy = st.one_of(
    st.builds(lambda y, m: Period(datetime.date(y, m, 1), MONTH), st.integers(2019, 2021), st.integers(1, 12)),
    st.builds(lambda y, q: Period(datetime.date(y, 3 * q - 2, 1), QUARTER), st.integers(2019, 2021), st.integers(1, 4)),
    st.builds(lambda y: Period(datetime.date(y, 1, 1), YEAR), st.integers(2019, 2021)),
    st.builds(lambda y, m: Span(datetime.date(y, 1, 1), Period(datetime.date(y, m, 1), MONTH).end),
              st.integers(2019, 2021), st.integers(2, 12)),
)


@pytest.fixture
def urban(regions):
    Region.objects.filter(code__in=[COMMUNITY_A1, COMMUNITY_A2]).update(urban_rural="111")
    Region.objects.filter(code=COMMUNITY_B1).update(urban_rural="220")


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _build(persons, entries, recognitions):
    created: list[Registration] = []
    for idx, kind, date, target, is_correction, where, delay, form, ending in entries:
        person = persons[idx]
        corrects = None
        mine = [e for e in created if e.person_id == person.pk and not e.corrections.exists()]
        if kind == "void" or is_correction:
            if not mine:
                continue
            corrects = mine[target % len(mine)]
        recorded = date + datetime.timedelta(days=delay)
        if corrects is not None:
            recorded = max(recorded, corrects.recorded_at.date())
        created.append(Registration.objects.create(
            person=person, kind=kind, corrects=corrects, reason="更正" if corrects else "",
            effective_date=corrects.effective_date if kind == "void" else date, recorded_at=_at(recorded),
            registered_in_id=COMMUNITIES[where], employment_form=form if kind == "employment" else "",
            unemployment_reason="other" if kind == "unemployment" else "",
            ending_reason=ending if kind == "ending" else ""))
    for idx, since, days, exited in recognitions:
        person = persons[idx]
        Recognition.objects.create(
            person=person, region_id=person.region_id, categories=["x"], applied_on=since,
            status="exited" if exited else "recognised", decided_at=_at(since),
            valid_from=since, valid_until=since + datetime.timedelta(days=days),
            exited_on=since + datetime.timedelta(days=days // 2) if exited else None,
            exited_at=_at(since + datetime.timedelta(days=days)) if exited else None)
    return created


def _replay(persons, period, known_on):
    """{flag: Counter(community)} and the unemployed at the end, one person at a time."""
    out = {f: Counter() for f in flows.FLAGS}
    unemployed = Counter()
    one_day = datetime.timedelta(days=1)
    for person in persons:
        entries = list(Registration.objects.filter(person=person))
        first = {}
        for e in effective_entries(entries, known_on):
            if not (period.start <= e.effective_date <= period.end):
                continue
            before = status_on(entries, e.effective_date - one_day, known_on).status
            off_farm = e.kind == "employment" and e.employment_form != "agriculture"
            urban = e.registered_in_id in URBAN
            flags = []
            if off_farm and before != "employed" and urban:
                flags.append(flows.GROSS)
            if e.kind == "ending" and e.ending_reason in ("retirement", "death") and before == "employed" and urban:
                flags.append(flows.ATTRITION)
            if off_farm and before == "unemployed":
                flags.append(flows.REEMPLOYED)
            if off_farm and recognised_on(person.pk, e.effective_date - one_day, known_on) is not None:
                flags.append(flows.HTE)
            if off_farm and person.hukou_type == "rural":
                flags.append(flows.RURAL)
                out[flows.RURAL_TIMES][e.registered_in_id] += 1
            for f in flags:
                first.setdefault(f, e.registered_in_id)
        for f, code in first.items():
            out[f][code] += 1
        st_end = status_on(entries, period.end, known_on)
        if st_end.status == "unemployed":
            reg = next(e for e in entries if e.pk == st_end.registration_id)
            if reg.registered_in_id in URBAN:
                unemployed[reg.registered_in_id] += 1
    return out, unemployed


def _sum(counter, node):
    prefix = node.rstrip("0") if node != XC else "610102"
    prefix = {XC: "610102", STREET_A: "610102001", STREET_B: "610102002"}.get(node, node)
    return sum(n for code, n in counter.items() if code.startswith(prefix))


@pytest.mark.django_db
@settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_strategy, max_size=16), recognitions=st.lists(recognition_strategy, max_size=3, unique_by=lambda r: r[0]),
       period=period_strategy, known=st.one_of(st.none(), st.dates(min_value=FIRST, max_value=LAST)))
def test_set_based_values_equal_a_python_replay(make_person, urban, entries, recognitions, period, known):
    with transaction.atomic():
        persons = [make_person(birth="19800101", seq=f"{i + 11:03d}", region=COMMUNITIES[i % 3],
                               hukou_type="rural" if i % 2 else "urban") for i in range(4)]
        _build(persons, entries, recognitions)
        for known_on in (None, known):
            want, unemployed = _replay(persons, period, known_on)
            got = compute(NODES, period, known_on=known_on, codes=[
                "new_urban_jobs", "reemployed_unemployed", "hte_employed", "rural_transfer_persons",
                "rural_transfer_person_times", "registered_urban_unemployed"])
            for node in NODES:
                v = got[(node, "new_urban_jobs")]
                assert v.components == {"gross": _sum(want[flows.GROSS], node),
                                        "attrition": _sum(want[flows.ATTRITION], node)}, (node, known_on)
                assert v.value == v.components["gross"] - v.components["attrition"]
                assert got[(node, "reemployed_unemployed")].value == _sum(want[flows.REEMPLOYED], node)
                assert got[(node, "hte_employed")].value == _sum(want[flows.HTE], node)
                assert got[(node, "rural_transfer_persons")].value == _sum(want[flows.RURAL], node)
                assert got[(node, "rural_transfer_person_times")].components["registrations"] == \
                    _sum(want[flows.RURAL_TIMES], node)
                assert got[(node, "registered_urban_unemployed")].value == _sum(unemployed, node)
            # children add up to the parent
            for kpi in ("new_urban_jobs", "reemployed_unemployed", "hte_employed", "rural_transfer_persons",
                        "registered_urban_unemployed"):
                assert got[(XC, kpi)].value == got[(STREET_A, kpi)].value + got[(STREET_B, kpi)].value
                assert got[(STREET_A, kpi)].value == got[(COMMUNITY_A1, kpi)].value + got[(COMMUNITY_A2, kpi)].value
            # the window form (DuckDB's) equals the index-probe form
            counting = counting_registrations(known_on).values(
                "id", "person_id", "kind", "ending_reason", "employment_form", "registered_in_id", "effective_date",
                "recorded_at")
            csql, cparams = counting.query.sql_with_params()
            sql, params = flows.flows_sql(period.start, period.end, known_on, counting_sql=(csql, list(cparams)))
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                windowed = {(f, c): int(n) for f, c, n in cursor.fetchall()}
            assert windowed == {(f, c): n for f, counts in flows.flow_counts(period.start, period.end, known_on).items()
                                for c, n in counts.items()}
            # the monitoring app's registered unemployed (spells) equal the probes
            mon = unemp.unemployed_counts([period.end], prefix="610102", width=12, known_on=known_on)
            assert {c: n for (c, _d), n in mon.items()} == stocks.unemployed_by_community(period.end, known_on)
        transaction.set_rollback(True)
