"""The simulation's metric functions on hand-computed examples."""
from __future__ import annotations

import math

import numpy as np
import pytest

from jiuye.jobs.simulation import coverage, gini, ndcg_at_k, occupation_similarity, recall_at_k


def test_recall_caps_the_denominator_at_k_and_skips_rows_without_relevant_items():
    hits = np.array([[1, 0, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0]], dtype=bool)
    n_relevant = np.array([4, 2, 5, 0])
    # row 1: 2 of min(4, 3) = 2/3; row 2: 0/2; row 3: 3/3; row 4 skipped
    assert recall_at_k(hits, n_relevant, k=3) == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert recall_at_k(hits, np.zeros(4, dtype=int), k=3) == 0.0


def test_ndcg_binary_gains():
    hits = np.array([[0, 1, 0], [1, 0, 0]], dtype=bool)
    n_relevant = np.array([1, 2])
    row1 = (1 / math.log2(3)) / 1.0                       # relevant at rank 2, ideal at rank 1
    row2 = 1.0 / (1.0 + 1 / math.log2(3))                 # one at rank 1 of two relevant
    assert ndcg_at_k(hits, n_relevant, k=3) == pytest.approx((row1 + row2) / 2)
    assert ndcg_at_k(np.ones((1, 3), dtype=bool), np.array([3]), k=3) == pytest.approx(1.0)


def test_gini_and_coverage():
    assert gini(np.array([5, 5, 5, 5])) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 8])) == pytest.approx(0.75)       # (n - 1) / n
    assert gini(np.array([1, 2, 3, 4])) == pytest.approx(0.25)       # 2*30/(4*10) - 5/4
    assert gini(np.array([])) == 0.0 and gini(np.zeros(3)) == 0.0
    assert coverage(np.array([0, 3, 0, 1])) == 0.5
    assert coverage(np.array([])) == 0.0


def test_occupation_similarity_follows_the_code_hierarchy():
    a = np.array([6180204, 6180204, 6180204, 6180204, 6180204, -1])
    b = np.array([6180204, 6180299, 6189901, 6990000, 4010101, 6180204])
    assert occupation_similarity(a, b).tolist() == [1.0, 0.7, 0.4, 0.1, 0.0, 0.0]
