"""The recommendation batch on arrays: candidates without the full matrix, then the assignment.

``recommend(seekers, vacancies, top, per_seeker, weights, congestion=True)`` returns a CSR [n, m] with
each seeker's ``top`` recommended vacancies (values: ranking weights, higher first) and the run's
statistics. Candidates come from ``score.candidates`` (blocking by occupation group and region, the
district fallback for seekers without an occupation); the assignment is ``assign.congestion_assign``
(part "sim") when available and asked for, else ``plain_top_k`` (everybody's own top ``k``).
"""
from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from jiuye.jobs.matching import score
from jiuye.jobs.matching.arrays import SeekerArrays, VacancyArrays


def plain_top_k(scores: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Each row's ``k`` largest entries (ties: smaller column first)."""
    scores = scores.tocsr()
    n = scores.shape[0]
    rows = np.repeat(np.arange(n), np.diff(scores.indptr))
    order = np.lexsort((scores.indices, -scores.data, rows))
    r, c, v = rows[order], scores.indices[order], scores.data[order]
    first = np.searchsorted(r, r, "left")
    keep = (np.arange(len(r)) - first) < k
    return sparse.csr_matrix((v[keep], (r[keep], c[keep])), shape=scores.shape, dtype=np.float32)


def assign(scores: sparse.csr_matrix, capacity: np.ndarray, k: int, *, congestion: bool = True,
           scale: float = 1.0) -> tuple[sparse.csr_matrix, str]:
    """The one place the batch chooses its assignment: (result, method name). ``scores`` are points;
    congestion control takes them scaled to [0, 1] (divided by ``scale``, the largest total without the
    welfare-post priority; a priority pair may exceed 1, which keeps it first)."""
    if congestion:
        from jiuye.jobs.matching import assign as assign_module

        fn = getattr(assign_module, "congestion_assign", None)
        if fn is not None:
            scaled = scores.copy()
            scaled.data = np.maximum(scaled.data / np.float32(scale), 1e-6).astype(np.float32)
            return fn(scaled, capacity, k), "congestion"
    return plain_top_k(scores, k), "top_k"


def gini(values: np.ndarray) -> float:
    v = np.sort(np.asarray(values, dtype=np.float64))
    if len(v) == 0 or v.sum() == 0:
        return 0.0
    n = len(v)
    return float((2 * np.arange(1, n + 1) - n - 1).dot(v) / (n * v.sum()))


def stats(result: sparse.csr_matrix, vacancies: VacancyArrays) -> dict:
    n, m = result.shape
    per_seeker = np.diff(result.indptr)
    shown = np.bincount(result.indices, minlength=m).astype(np.float64)
    open_rows = vacancies.openings > 0
    per_opening = shown[open_rows] / np.maximum(vacancies.openings[open_rows], 1)
    return {
        "seekers": int(n), "vacancies": int(open_rows.sum()),
        "coverage": round(float((per_seeker > 0).mean()) if n else 0.0, 4),
        "vacancies_shown": round(float((shown[open_rows] > 0).mean()) if open_rows.any() else 0.0, 4),
        "gini": round(gini(shown[open_rows]), 4), "gini_per_opening": round(gini(per_opening), 4),
        "recommendations": int(result.nnz),
        "max_shown": int(shown.max()) if m else 0,
    }


def recommend(seekers: SeekerArrays, vacancies: VacancyArrays, *, top: int = 20, per_seeker: int = 100, weights=None,
              congestion: bool = True, progress=None) -> tuple[sparse.csr_matrix, dict, sparse.csr_matrix]:
    """(result [n, m], stats with timings, the candidates' scores [n, m]). ``progress(fraction)`` goes
    from 0 to 1 over the candidates."""
    t0 = time.perf_counter()
    cand = score.candidates(seekers, vacancies, per_seeker, weights,
                            progress=(lambda done, n: progress(done / max(n, 1))) if progress else None)
    t1 = time.perf_counter()
    result, method = assign(cand, vacancies.openings.astype(np.float64), top, congestion=congestion,
                            scale=score.max_total(weights))
    result = result.tocsr()
    t2 = time.perf_counter()
    out = stats(result, vacancies)
    out.update({"method": method, "candidates": int(cand.nnz),
                "seconds": {"candidates": round(t1 - t0, 2), "assign": round(t2 - t1, 2)}})
    return result, out, cand


def ranked(result: sparse.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """One seeker's recommended columns and values, best first."""
    cols = result.indices[result.indptr[row]:result.indptr[row + 1]]
    vals = result.data[result.indptr[row]:result.indptr[row + 1]]
    order = np.lexsort((cols, -vals))
    return cols[order], vals[order]


def flat(result: sparse.csr_matrix, scores: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every recommendation as (row, column, rank from 1, match score), vectorised: rows in order, each
    row's entries by the assignment's value (best first), the score looked up in the candidates."""
    result = result.tocsr()
    rows = np.repeat(np.arange(result.shape[0]), np.diff(result.indptr))
    order = np.lexsort((result.indices, -result.data, rows))
    r, c = rows[order], result.indices[order].astype(np.int64)
    rank = np.arange(len(r)) - np.searchsorted(r, r, "left") + 1
    s = scores.tocsr()
    s.sort_indices()
    key_s = np.repeat(np.arange(s.shape[0], dtype=np.int64), np.diff(s.indptr)) * s.shape[1] + s.indices
    pos = np.searchsorted(key_s, r.astype(np.int64) * s.shape[1] + c)
    pos = np.minimum(pos, max(len(key_s) - 1, 0))
    found = (key_s[pos] == r.astype(np.int64) * s.shape[1] + c) if len(key_s) else np.zeros(len(r), bool)
    score = np.where(found, s.data[pos] if len(key_s) else 0.0, 0.0).astype(np.float32)
    return r, c, rank, score
