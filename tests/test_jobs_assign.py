"""Congestion control (jobs.matching.assign): exposure follows openings, never outside the candidates."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from jiuye.jobs.matching import assign


def congested_market(seed=0, n=600, m=40, per=15, popular=4):
    """Every seeker has the same ``popular`` vacancies as its best candidates, plus random others."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n), per)
    cols = np.concatenate([
        np.concatenate([np.arange(popular), rng.choice(np.arange(popular, m), per - popular, replace=False)])
        for _ in range(n)])
    values = np.where(cols < popular, 0.9, 0.5) + rng.uniform(0, 0.1, len(cols))
    scores = sparse.csr_matrix((values, (rows, cols)), shape=(n, m))
    capacity = rng.integers(1, 8, m)
    return scores, capacity


def exposure_gap(assignment, capacity):
    """L1 distance between exposure shares and capacity shares (0 = exactly proportional, 2 = disjoint)."""
    exposure = assign.exposure(assignment, len(capacity))
    return float(np.abs(exposure / exposure.sum() - capacity / capacity.sum()).sum())


def test_exposure_tracks_capacity_far_better_than_plain_top_k():
    scores, capacity = congested_market()
    plain = assign.plain_top_k(scores, 5)
    controlled = assign.congestion_assign(scores, capacity, 5, strength=1.0, capacity_power=1.0)
    assert exposure_gap(plain, capacity) > 1.2          # the 4 popular ones shown to everybody
    assert exposure_gap(controlled, capacity) < 0.3
    assert exposure_gap(controlled, capacity) < exposure_gap(plain, capacity) / 5
    # the popular vacancies are still shown, but to about their share
    exposure = assign.exposure(controlled, scores.shape[1])
    assert (exposure[:4] > 0).all()
    assert exposure[:4].sum() < 0.3 * assign.exposure(plain, scores.shape[1])[:4].sum()


def test_only_candidates_k_per_seeker_and_fewer_when_fewer_candidates():
    scores, capacity = congested_market(seed=1, n=200)
    scores = scores.tolil()
    scores[0, :] = 0
    scores[0, 7] = 0.3
    scores[0, 9] = 0.2
    scores = scores.tocsr()
    scores.eliminate_zeros()
    for result in (assign.plain_top_k(scores, 5), assign.congestion_assign(scores, capacity, 5, strength=1.0)):
        per_row = np.diff(result.indptr)
        assert per_row[0] == 2 and (per_row[1:] == 5).all()
        # every recommended pair is a candidate pair
        assert ((result != 0).multiply(scores != 0)).nnz == result.nnz
        order = assign.ranked(result, 5)
        assert order.shape == (200, 5) and list(order[0]) == [7, 9, -1, -1, -1]
        assert sorted(result[3].data.tolist()) == [1, 2, 3, 4, 5]


def test_plain_top_k_is_each_rows_best_scores():
    scores = sparse.csr_matrix(np.array([[0.1, 0.9, 0.5, 0.0, 0.7], [0.3, 0.0, 0.3, 0.8, 0.0]]))
    order = assign.ranked(assign.plain_top_k(scores, 2), 2)
    assert order.tolist() == [[1, 4], [3, 0]]   # tie 0.3/0.3 broken by column index


def test_strength_zero_is_plain_top_k_and_result_is_deterministic():
    scores, capacity = congested_market(seed=2, n=300)
    free = assign.congestion_assign(scores, capacity, 5, strength=0.0)
    assert (assign.ranked(free, 5) == assign.ranked(assign.plain_top_k(scores, 5), 5)).all()
    a = assign.congestion_assign(scores, capacity, 5, strength=1.0)
    b = assign.congestion_assign(scores.copy(), capacity.copy(), 5, strength=1.0)
    assert (a != b).nnz == 0


def test_a_stronger_control_spreads_exposure_more():
    scores, capacity = congested_market(seed=5)
    gaps = [exposure_gap(assign.congestion_assign(scores, capacity, 5, strength=s, capacity_power=1.0), capacity)
            for s in (0.0, 0.1, 1.0, np.inf)]
    assert gaps[0] >= gaps[1] > gaps[2] and gaps[3] < 0.3


def test_plan_marginals():
    scores, capacity = congested_market(seed=3, n=300)
    plan, info = assign.transport_plan(scores, capacity, 5, strength=np.inf, capacity_power=1.0)
    rows = np.add.reduceat(plan.astype(float), scores.indptr[:-1])
    assert np.allclose(rows, 5, rtol=1e-4)
    assert info["column_error"] < 0.01


def test_bad_inputs_are_refused():
    scores, capacity = congested_market(seed=4, n=20)
    with pytest.raises(ValueError, match="capacity"):
        assign.congestion_assign(scores, capacity[:-1], 5)
    with pytest.raises(ValueError, match="k must"):
        assign.congestion_assign(scores, capacity, 0)
    with pytest.raises(ValueError, match="temperature"):
        assign.congestion_assign(scores, capacity, 3, temperature=0)


def test_empty_rows_and_columns_without_openings():
    scores = sparse.csr_matrix(np.array([[0.9, 0.8, 0.0], [0.0, 0.0, 0.0], [0.9, 0.5, 0.4]]))
    capacity = np.array([1, 0, 2])
    result = assign.congestion_assign(scores, capacity, 1)
    order = assign.ranked(result, 1)
    assert order[1, 0] == -1
    assert set(order[[0, 2], 0]) <= {0, 1, 2}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 30), m=st.integers(1, 25), k=st.integers(1, 6),
       density=st.floats(0.05, 1.0))
def test_without_control_both_paths_agree_and_lists_stay_in_the_candidates(seed, n, m, k, density):
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((n, m)) < density, rng.uniform(0.01, 1.0, (n, m)).round(2), 0.0)
    scores = sparse.csr_matrix(dense)
    capacity = rng.integers(0, 5, m)
    plain = assign.ranked(assign.plain_top_k(scores, k), k)
    free = assign.ranked(assign.congestion_assign(scores, capacity, k, strength=0.0), k)
    assert (plain == free).all()
    controlled = assign.ranked(assign.congestion_assign(scores, capacity, k, strength=1.0), k)
    counts = (dense > 0).sum(axis=1)
    assert ((controlled >= 0).sum(axis=1) == np.minimum(counts, k)).all()
    rows, slots = np.nonzero(controlled >= 0)
    assert (dense[rows, controlled[rows, slots]] > 0).all()
    # no vacancy twice in a list
    for row in controlled:
        shown = row[row >= 0]
        assert len(set(shown.tolist())) == len(shown)
