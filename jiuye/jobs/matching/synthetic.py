"""Synthetic seeker and vacancy arrays (the benchmark and unit tests; no database).

A plausible city: a few districts of streets of communities, occupations drawn from a few hundred
codes with a skewed popularity, skills and words from small vocabularies.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from jiuye.jobs.matching.arrays import SeekerArrays, VacancyArrays


def _regions(rng, size, districts=6, streets=8, communities=12):
    d = rng.integers(1, districts + 1, size)
    s = rng.integers(1, streets + 1, size)
    c = rng.integers(1, communities + 1, size)
    return 610100000000 + d * 1_000_000 + s * 1_000 + c


def _occupations(rng, size, pool):
    weights = 1.0 / np.arange(1, len(pool) + 1)
    return pool[rng.choice(len(pool), size, p=weights / weights.sum())]


def _binary(rng, rows, cols, per_row):
    if cols == 0:
        return sparse.csr_matrix((rows, cols), dtype=np.float32)
    counts = rng.integers(0, per_row + 1, rows)
    r = np.repeat(np.arange(rows), counts)
    c = rng.integers(0, cols, counts.sum())
    m = sparse.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(rows, cols))
    m.data[:] = 1.0
    return m


def _normalise(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32)


def synthetic(n: int, m: int, *, seed: int = 0, skills: int = 300, words: int = 3000, occupations: int = 400,
              k: int = 3) -> tuple[SeekerArrays, VacancyArrays]:
    rng = np.random.default_rng(seed)
    majors = rng.integers(1, 7, occupations)
    pool = np.unique(majors * 1_000_000 + rng.integers(1, 30, occupations) * 10_000
                     + rng.integers(1, 10, occupations) * 100 + rng.integers(1, 6, occupations))
    occ = np.stack([_occupations(rng, n, pool) for _ in range(k)], axis=1).astype(np.int32)
    occ[rng.random((n, k)) < np.array([0.1, 0.5, 0.8])[:k]] = -1
    has_coords = rng.random(n) < 0.5
    s_region = _regions(rng, n)
    pref = np.full((n, 2), -1, dtype=np.int64)
    pick = rng.random(n) < 0.4
    pref[pick, 0] = s_region[pick] // 1_000_000 * 1_000_000
    seekers = SeekerArrays(
        person_id=np.arange(1, n + 1, dtype=np.int64), region=s_region, pref_regions=pref, occupations=occ,
        education=rng.integers(0, 8, n).astype(np.int8), experience=rng.integers(0, 20, n).astype(np.int16),
        wage_min=np.where(rng.random(n) < 0.7, rng.integers(20, 90, n) * 100, 0).astype(np.int32),
        work_types=np.where(rng.random(n) < 0.5, 0, rng.choice([1, 2, 4, 3], n)).astype(np.uint8),
        lat=np.where(has_coords, 34.2 + rng.normal(0, 0.08, n), np.nan).astype(np.float32),
        lon=np.where(has_coords, 108.9 + rng.normal(0, 0.08, n), np.nan).astype(np.float32),
        max_commute_km=np.where(rng.random(n) < 0.5, rng.integers(3, 30, n), np.nan).astype(np.float32),
        skills=_binary(rng, n, skills, 4), text=_normalise(_binary(rng, n, words, 12)),
        priority=rng.random(n) < 0.05)
    has_coords = rng.random(m) < 0.6
    welfare = rng.random(m) < 0.02
    wmin = np.where(rng.random(m) < 0.8, rng.integers(20, 80, m) * 100, 0)
    vacancies = VacancyArrays(
        vacancy_id=np.arange(1, m + 1, dtype=np.int64), employer_id=rng.integers(1, max(2, m // 5), m).astype(np.int64),
        region=_regions(rng, m), lat=np.where(has_coords, 34.2 + rng.normal(0, 0.08, m), np.nan).astype(np.float32),
        lon=np.where(has_coords, 108.9 + rng.normal(0, 0.08, m), np.nan).astype(np.float32),
        occupation=np.where(rng.random(m) < 0.9, _occupations(rng, m, pool), -1).astype(np.int32),
        education_min=rng.integers(0, 6, m).astype(np.int8), experience_min=rng.integers(0, 6, m).astype(np.int16),
        wage_min=wmin.astype(np.int32), wage_max=np.where(wmin > 0, wmin + rng.integers(0, 40, m) * 100, 0).astype(np.int32),
        work_type=np.where(welfare, 16, rng.choice([1, 2, 4, 8], m, p=[0.7, 0.15, 0.1, 0.05])).astype(np.uint8),
        openings=rng.integers(0, 10, m).astype(np.int32), skills=_binary(rng, m, skills, 3),
        text=_normalise(_binary(rng, m, words, 20)), welfare_post=welfare)
    return seekers, vacancies
