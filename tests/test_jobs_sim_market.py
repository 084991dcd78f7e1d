"""A small simulated market end to end: reproducible, observed arrays honest, results in the expected direction."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from jiuye.jobs import simulation
from jiuye.jobs.matching.arrays import SeekerArrays, VacancyArrays


@pytest.fixture(scope="module")
def result():
    return simulation.simulate(1500, 150, 3, seed=7)


def test_market_is_reproducible_and_observed_arrays_follow_the_contract():
    a = simulation.generate_market(300, 40, 3, seed=3)
    b = simulation.generate_market(300, 40, 3, seed=3)
    c = simulation.generate_market(300, 40, 3, seed=4)
    assert isinstance(a.seekers, SeekerArrays) and isinstance(a.vacancies, VacancyArrays)
    assert (a.truth.s_occ == b.truth.s_occ).all() and a.titles == b.titles
    assert (a.seekers.text != b.seekers.text).nnz == 0
    assert not (a.truth.s_occ == c.truth.s_occ).all()
    # observed profiles are incomplete: some seekers state no occupation, some no wage
    assert (a.seekers.occupations[:, 0] == -1).any() and (a.seekers.wage_min == 0).any()
    # titles are Chinese occupation names or aliases; places are the demo city's communities
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in a.titles)
    assert (a.seekers.region // 1_000_000 == 610102).all() and (a.vacancies.region // 1_000_000 == 610102).all()
    # no protected attribute is carried
    for name in ("sex", "ethnicity", "hukou", "household_registration", "age"):
        assert not hasattr(a.seekers, name)


def test_simulation_is_reproducible(result):
    again = simulation.simulate(1500, 150, 3, seed=7)
    for policy in simulation.POLICIES:
        mine = {k: v for k, v in result["policies"][policy].items() if k != "seconds"}
        theirs = {k: v for k, v in again["policies"][policy].items() if k != "seconds"}
        assert mine == theirs


def test_direction_of_the_results(result):
    policies = result["policies"]
    congestion, top_k, keyword = policies["congestion"], policies["top_k"], policies["keyword"]
    assert set(policies) == {"congestion", "top_k", "keyword"}
    for metrics in policies.values():
        assert len(metrics["hires_per_month"]) == 3
        assert 0 <= metrics["recall_at_10"] <= 1 and 0 <= metrics["ndcg_at_10"] <= 1
        assert 0 <= metrics["gini"] < 1 and 0 < metrics["coverage"] <= 1
    # the recommender beats the job-board search on hires and recall
    assert congestion["hires"] > keyword["hires"] and top_k["hires"] > keyword["hires"]
    assert top_k["recall_at_10"] > keyword["recall_at_10"]
    # congestion control spreads exposure in proportion to openings
    assert congestion["gini_per_opening"] < top_k["gini_per_opening"]
    # hires can never exceed openings
    assert congestion["hires"] + congestion["unfilled_openings"] == result["openings"]


def test_same_pair_same_month_same_coin():
    si, vi = np.array([1, 2, 3]), np.array([5, 5, 9])
    first = simulation._coin(si, vi, 2, 0)
    assert (first == simulation._coin(si, vi, 2, 0)).all()
    assert not (first == simulation._coin(si, vi, 3, 0)).all()
    assert ((first >= 0) & (first < 1)).all()


def test_command_table_and_json():
    out = io.StringIO()
    call_command("simulate_market", "--seekers", "300", "--vacancies", "40", "--months", "2", "--seed", "1",
                 stdout=out)
    text = out.getvalue()
    assert "推荐（拥挤控制）" in text and "关键词搜索" in text and "录用人数" in text and "基尼系数" in text
    out = io.StringIO()
    call_command("simulate_market", "--seekers", "300", "--vacancies", "40", "--months", "2", "--seed", "1",
                 "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["seekers"] == 300 and set(data["policies"]) == {"congestion", "top_k", "keyword"}
    assert "recall_at_10" in data["policies"]["keyword"]


def test_command_refuses_bad_sizes_in_chinese():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--seekers 应为正整数"):
        call_command("simulate_market", "--seekers", "0")
