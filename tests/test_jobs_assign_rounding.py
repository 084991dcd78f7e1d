"""Capacity-aware rounding (jobs.matching.assign.capped_rounding): caps, k per seeker, candidates only."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from jiuye.jobs.matching import assign
from tests.test_jobs_assign import congested_market, exposure_gap


def random_scores(seed, n, m, density):
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((n, m)) < density, rng.uniform(0.01, 1.0, (n, m)).round(2), 0.0)
    return dense, sparse.csr_matrix(dense)


def test_caps_are_respected_when_every_seeker_can_go_anywhere():
    # 100 seekers x 20 vacancies, everybody prefers vacancies 0-2; caps of 17 (the greedy rounding cannot get
    # stuck when (m - k + 1) * cap >= n * k: a seeker with a free slot always has an open candidate)
    rng = np.random.default_rng(0)
    n, m, k = 100, 20, 3
    dense = rng.uniform(0.1, 0.5, (n, m))
    dense[:, :3] += 0.4
    scores = sparse.csr_matrix(dense)
    caps = np.full(m, 17)
    result = assign.capped_rounding(scores.data, scores, caps, k)
    assert (np.diff(result.indptr) == k).all()
    exposure = assign.exposure(result, m)
    assert (exposure <= caps).all() and (exposure[:3] == 17).all()
    assert (assign.exposure(assign.plain_top_k(scores, k), m)[:3] == n).all()


def test_a_seeker_whose_candidates_are_all_full_still_gets_its_list():
    # seeker 2's only candidates are vacancies 0 and 1, capped at 1 and taken by seekers 0 and 1 (higher plan)
    dense = np.array([[0.9, 0.0, 0.5], [0.0, 0.9, 0.5], [0.2, 0.2, 0.0]])
    scores = sparse.csr_matrix(dense)
    result = assign.capped_rounding(scores.data, scores, [1, 1, 5], 1)
    assert assign.ranked(result, 1)[:, 0].tolist() == [0, 1, 0]   # filled beyond the cap: best remaining


def test_display_order_is_by_plan_then_score():
    scores = sparse.csr_matrix(np.array([[0.9, 0.8, 0.7, 0.6]]))
    plan = np.array([0.1, 0.5, 0.5, 0.9], dtype=np.float32)
    result = assign.capped_rounding(plan, scores, np.inf, 3)
    assert assign.ranked(result, 3).tolist() == [[3, 1, 2]]


def test_rounding_respects_targets_far_better_than_row_by_row():
    scores, capacity = congested_market()
    row_by_row = assign.congestion_assign(scores, capacity, 5, slack=None, capacity_power=1.0)
    capped = assign.congestion_assign(scores, capacity, 5, capacity_power=1.0)
    assert exposure_gap(capped, capacity) < 0.15
    assert exposure_gap(capped, capacity) < exposure_gap(row_by_row, capacity) / 4
    a = assign.congestion_assign(scores.copy(), capacity.copy(), 5, capacity_power=1.0)
    assert (a != capped).nnz == 0                            # deterministic
    with pytest.raises(ValueError, match="slack"):
        assign.congestion_assign(scores, capacity, 5, slack=0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 30), m=st.integers(1, 25), k=st.integers(1, 6),
       density=st.floats(0.05, 1.0), cap=st.integers(0, 6))
def test_capped_rounding_k_per_seeker_candidates_only_and_caps_where_feasible(seed, n, m, k, density, cap):
    dense, scores = random_scores(seed, n, m, density)
    # without caps it is each row's top k by the plan (here the scores): plain top-k
    free = assign.capped_rounding(scores.data, scores, np.inf, k)
    assert (assign.ranked(free, k) == assign.ranked(assign.plain_top_k(scores, k), k)).all()
    plan = np.random.default_rng(seed + 1).random(scores.nnz).astype(np.float32)
    result = assign.capped_rounding(plan, scores, cap, k)
    order = assign.ranked(result, k)
    counts = (dense > 0).sum(axis=1)
    assert ((order >= 0).sum(axis=1) == np.minimum(counts, k)).all()
    rows, slots = np.nonzero(order >= 0)
    assert (dense[rows, order[rows, slots]] > 0).all()
    for row in order:
        shown = row[row >= 0]
        assert len(set(shown.tolist())) == len(shown)
    # a vacancy over its cap means some seeker's every other candidate reached its cap
    exposure = assign.exposure(result, m)
    if (exposure > cap).any():
        stuck = [i for i in range(n) if all(exposure[j] >= cap for j in np.flatnonzero(dense[i] > 0)
                                            if j not in set(order[i].tolist()))]
        assert stuck
    again = assign.capped_rounding(plan.copy(), scores.copy(), cap, k)
    assert (again != result).nnz == 0


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 40), m=st.integers(1, 15), k=st.integers(1, 5))
def test_caps_hold_whenever_the_greedy_cannot_be_stuck(seed, n, m, k):
    if m < k:
        k = m
    rng = np.random.default_rng(seed)
    scores = sparse.csr_matrix(rng.uniform(0.01, 1.0, (n, m)))
    cap = -(-n * k // (m - k + 1))
    plan = rng.random(scores.nnz)
    result = assign.capped_rounding(plan, scores, cap, k)
    assert (np.diff(result.indptr) == k).all()
    assert (assign.exposure(result, m) <= cap).all()


def test_capacity_power_flattens_the_column_targets():
    scores, capacity = congested_market(seed=6, n=200)
    capacity[5] = 0
    _plan, proportional = assign.transport_plan(scores, capacity, 5, strength=1.0, capacity_power=1.0)
    _plan, flat = assign.transport_plan(scores, capacity, 5, strength=1.0, capacity_power=0.0)
    served = capacity > 0
    assert np.allclose(flat["column_target"][served], 200 * 5 / served.sum())
    assert flat["column_target"][5] == 0
    assert np.allclose(proportional["column_target"], capacity * 1000 / capacity.sum())
    even = assign.congestion_assign(scores, capacity, 5, strength=1.0, capacity_power=0.0)
    exposure = assign.exposure(even, len(capacity))[served]
    assert np.abs(exposure - 1000 / served.sum()).max() < 5     # the same for all, the popular included
