"""The demo city's copies of rules are held to the rules (hypothesis)."""
from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.registry.demo import city
from jiuye.registry.models import Registration
from jiuye.registry.status import status_on

R = city.R
BASE = datetime.date(2015, 1, 1)
T0 = datetime.datetime(2015, 1, 1, 8, tzinfo=datetime.timezone.utc)

entry_spec = st.tuples(
    st.sampled_from(["employment", "unemployment", "ending", "void", "correction"]),
    st.integers(min_value=0, max_value=3000),  # effective date offset
    st.integers(min_value=0, max_value=3),  # recorded-at offset (ties on purpose)
    st.sampled_from([None, 1, 2]),  # employer
    st.sampled_from(["unit", "flexible", ""]),
    st.sampled_from(["retirement", "death", "school", "military", "moved_away", "new_job", "job_ended", "other"]),
    st.integers(min_value=0, max_value=20),  # which earlier entry a void/correction names
)


def build(specs) -> list[tuple]:
    rows: list[tuple] = []
    for n, (kind, day, minute, employer, form, ending, target) in enumerate(specs, start=1):
        corrects = None
        if kind in ("void", "correction"):
            if not rows:
                continue
            corrects = rows[target % len(rows)][R["id"]]
            kind = "void" if kind == "void" else ("employment" if day % 2 else "unemployment")
        row = [None] * len(city.REGISTRATION_FIELDS)
        row[R["id"]] = n
        row[R["person_id"]] = 1
        row[R["kind"]] = kind
        row[R["effective_date"]] = BASE + datetime.timedelta(days=day)
        row[R["employer_id"]] = employer if kind == "employment" else None
        row[R["employment_form"]] = form if kind == "employment" else ""
        row[R["ending_reason"]] = ending if kind == "ending" else ""
        row[R["corrects_id"]] = corrects
        row[R["recorded_at"]] = T0 + datetime.timedelta(minutes=minute)
        rows.append(tuple(row))
    return rows


def as_models(rows: list[tuple]) -> list[Registration]:
    return [Registration(pk=r[R["id"]], person_id=1, kind=r[R["kind"]], effective_date=r[R["effective_date"]],
                         employer_id=r[R["employer_id"]], employment_form=r[R["employment_form"]],
                         ending_reason=r[R["ending_reason"]], corrects_id=r[R["corrects_id"]],
                         recorded_at=r[R["recorded_at"]]) for r in rows]


@settings(max_examples=400, deadline=None)
@given(specs=st.lists(entry_spec, max_size=8), on_offset=st.integers(min_value=-10, max_value=3100))
def test_demo_projection_is_status_on(specs, on_offset):
    rows = build(specs)
    on = BASE + datetime.timedelta(days=on_offset)
    rule = status_on(as_models(rows), on)
    assert city.project(rows, on) == (rule.status, rule.since, rule.employer_id, rule.employment_form)


def test_demo_uses_the_rules_own_tables():
    from jiuye.registry import status
    from jiuye.registry.models import HIGHER_EDUCATION

    assert city.ENDING_STATUS == {str(k): str(v) for k, v in status.ENDING_STATUS.items()}
    assert city.HIGHER == {str(e) for e in HIGHER_EDUCATION}
