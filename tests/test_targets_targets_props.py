"""Properties: the elapsed share is bounded and never falls as the period advances; a split adds up; a
breakdown is accepted exactly when the children's values add up to the parent's."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jiuye.monitoring.periods import MONTH, Period
from jiuye.targets import demo, progress
from jiuye.targets.models import Target


@given(start=st.integers(2018, 2026), length=st.integers(0, 5), year=st.integers(2016, 2032), month=st.integers(1, 11),
       scope=st.sampled_from(["annual", "cumulative", "level"]))
def test_elapsed_share_bounded_and_monotone(start, length, year, month, scope):
    t = Target(kpi="new_urban_jobs", start_year=start, end_year=start + length, scope=scope, value=Decimal(1))
    a = progress.elapsed_share(t, Period(datetime.date(year, month, 1), MONTH))
    b = progress.elapsed_share(t, Period(datetime.date(year, month + 1, 1), MONTH))
    assert 0 <= a <= 1 and 0 <= b <= 1
    assert b >= a


@given(total=st.integers(0, 10_000_000), weights=st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3),
                                                                 st.integers(0, 100_000), min_size=1, max_size=12))
def test_split_adds_up(total, weights):
    parts = demo.split(total, weights)
    assert set(parts) == set(weights) and sum(parts.values()) == total and all(v >= 0 for v in parts.values())


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(values=st.one_of(st.lists(st.integers(0, 5000), min_size=2, max_size=2),
                        st.integers(0, 5000).map(lambda a: [a, 5000 - a])))
@example(values=[3000, 2000])
def test_breakdown_accepted_iff_sum_matches(values):
    from django.core.exceptions import ValidationError

    from jiuye.accounts.models import Role, User
    from jiuye.regions import services as region_services
    from jiuye.regions.models import Region
    from jiuye.targets import services
    from tests.conftest import TEST_TREE, XINCHENG

    if not Region.objects.filter(code=XINCHENG).exists():
        region_services.SEED_DISTRICT_FILES, saved = [TEST_TREE], region_services.SEED_DISTRICT_FILES
        try:
            region_services.load_seed_regions()
        finally:
            region_services.SEED_DISTRICT_FILES = saved
    officer = User.objects.filter(username="prop_do").first() or User.objects.create(
        username="prop_do", role=Role.DISTRICT_OFFICER, region_id=XINCHENG)
    Target.objects.filter(region__code__startswith="610102", kpi="new_urban_jobs").update(is_current=False)
    parent = services.create_target(officer, {"kpi": "new_urban_jobs", "region": XINCHENG, "plan": "p",
                                              "start_year": 2024, "end_year": 2024, "scope": "annual", "value": "5000"})
    kids = list(Region.objects.filter(parent_id=XINCHENG).order_by("code").values_list("code", flat=True))
    split = {k: 0 for k in kids}
    split[kids[0]], split[kids[1]] = values
    try:
        services.breakdown(officer, parent, split)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (sum(values) == 5000)
