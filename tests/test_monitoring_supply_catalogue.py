"""The shortage-occupation catalogue (紧缺职业目录): compute a draft, publish it frozen, replace it, who reads it."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.models import CatalogueStatus, ShortageEntry
from jiuye.monitoring.queries import supply as q
from jiuye.monitoring.services import catalogue as cs
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_B, XINCHENG
from tests.jobs_helpers import make_employer, occupations  # noqa: F401
from tests.supply_helpers import D, published, seeker

WELDER, COOK, CLEANER = "6-18-02-04", "4-03-02-01", "4-09-08-01"


def test_ranking_by_persistence_then_ratio_with_thresholds():
    limits = {"min_ratio": "1.5", "min_months": 6, "min_openings": 30, "max_entries": 2}
    months = {
        "A": {"openings": [10] * 12, "seekers": [5] * 12},            # 12 months short, ratio 2
        "B": {"openings": [10] * 12, "seekers": [0] * 12},            # 12 months, no seekers at all: first
        "C": {"openings": [10] * 6 + [0] * 6, "seekers": [1] * 12},   # 6 months short
        "D": {"openings": [2] * 12, "seekers": [0] * 12},             # 24 openings: under the minimum
        "E": {"openings": [10] * 12, "seekers": [8] * 12},            # ratio 1.25: never short
    }
    ranked = cs.rank_occupations(months, limits)
    assert [e["code"] for e in ranked] == ["B", "A"]
    assert ranked[0]["ratio"] is None and ranked[1]["months_short"] == 12
    assert [e["code"] for e in cs.rank_occupations(months, {**limits, "max_entries": 9})] == ["B", "A", "C"]


@pytest.fixture
def year_2025(district_officer, occupations, make_person):  # noqa: F811
    employer = make_employer(district_officer, 1, region=COMMUNITY_A1)
    other = make_employer(district_officer, 2, region=COMMUNITY_B1)
    for month in range(1, 13):
        published(employer, D(2025, month, 10), openings=8, occupation_code=WELDER)  # welders short all year
        published(other, D(2025, month, 10), openings=3, occupation_code=COOK)
    cook_seekers = [make_person(region=COMMUNITY_B1) for _ in range(12)]
    for i, person in enumerate(cook_seekers):  # 3 in each of Jan, Apr, Jul, Oct: ratio 1 there, short otherwise
        seeker(person, D(2025, 1 + (i // 3) * 3, 2), occupations=[COOK])
    seeker(make_person(), D(2025, 5, 5), occupations=[WELDER])
    return employer


def test_compute_publish_freeze_and_replace(district_officer, year_2025, make_person):
    draft = cs.compute_draft(district_officer, year=2025)
    assert draft.status == CatalogueStatus.DRAFT and draft.region_id == XINCHENG
    entries = list(draft.entries.all())
    assert [(e.rank, e.occupation_code, e.openings, e.seekers, e.months_short) for e in entries] == [
        (1, WELDER, 96, 1, 12), (2, COOK, 36, 12, 8)]
    assert entries[0].occupation_name == "焊工" and entries[0].ratio == 96
    assert draft.parameters["min_ratio"]["value"] == "1.5" and "市政发〔2021〕24号" in draft.parameters["min_ratio"]["basis"]
    again = cs.compute_draft(district_officer, year=2025)  # a new draft replaces the old draft
    assert again.pk != draft.pk and not type(draft).objects.filter(pk=draft.pk).exists()
    first = cs.publish(district_officer, again.pk)
    assert first.status == CatalogueStatus.PUBLISHED and first.published_by == district_officer
    with pytest.raises(ValidationError) as exc:
        cs.publish(district_officer, first.pk)
    assert "只有草稿可以发布" in str(exc.value)
    # more seekers later do not change the published rows
    seeker(make_person(), D(2025, 6, 1), occupations=[WELDER])
    second = cs.publish(district_officer, cs.compute_draft(district_officer, year=2025).pk)
    first.refresh_from_db()
    assert first.status == CatalogueStatus.REPLACED and first.replaced_by_id == second.pk
    assert list(ShortageEntry.objects.filter(catalogue=first).values_list("seekers", flat=True)) == [1, 12]
    assert second.entries.get(occupation_code=WELDER).seekers == 2


def test_only_managers_in_scope_compute_and_reasons_name_the_value(street_officer, district_officer, year_2025):
    with pytest.raises(OutOfScope):
        cs.compute_draft(street_officer, year=2025)
    with pytest.raises(ValidationError) as exc:
        cs.compute_draft(district_officer, year=1999, region_code="999999")
    assert set(exc.value.message_dict) == {"year", "region"} and "1999" in exc.value.message_dict["year"][0]


def test_who_reads_catalogues(district_officer, street_officer, year_2025, make_person):
    draft = cs.compute_draft(district_officer, year=2025)
    assert q.catalogue_list(street_officer).count() == 0  # a draft is for managers only
    with pytest.raises(NotFound):
        q.get_catalogue(street_officer, draft.pk)
    cs.publish(district_officer, draft.pk)
    assert q.get_catalogue(street_officer, draft.pk).pk == draft.pk  # the district's catalogue, read below it
    street_b = cs.publish(district_officer, cs.compute_draft(district_officer, year=2025, region_code=STREET_B).pk)
    assert [c.pk for c in q.catalogue_list(street_officer)] == [draft.pk]  # not the other street's
    with pytest.raises(NotFound):
        q.get_catalogue(street_officer, street_b.pk)
