"""Congestion control: which ``k`` vacancies each seeker is shown (issue 10, item 5's assignment step).

    congestion_assign(scores, capacity, k, *, strength=0.03, temperature=0.02, iterations=50, tol=1e-3,
                      slack=1.0, rounds=50, capacity_power=0.5) -> scipy.sparse.csr_matrix
    capped_rounding(plan, scores, caps, k, *, rounds=50) -> scipy.sparse.csr_matrix
    plain_top_k(scores, k) -> scipy.sparse.csr_matrix
    ranked(assignment, k) -> np.ndarray int64[n, k]

``scores``: [n_seekers, m_vacancies] sparse candidate scores (``score.candidates``: the support is the
candidate set, a stored value is the match score, higher is better) SCALED TO [0, 1]: divide
``score.candidates``' points by ``score.max_total(weights)`` first (``temperature`` is in those units;
``jobs.simulation.engine_candidates`` does it); ``capacity``:
open positions per vacancy (int or float array of length m).

Output (both functions): a CSR [n, m] holding, for every seeker row, ``min(k, candidates of the row)``
entries, all inside the row's candidate set. The stored value is the RANK WEIGHT ``k - rank`` (the first
recommendation holds ``k``, the last ``k - r + 1``), so "sort the row's entries by value, descending" is
the display order; ``ranked`` does exactly that and returns the column indices best first, -1 padded.

Plain top-k shows every seeker its best-scoring ``k``; when everybody ranks the same few vacancies
first, those few are shown to everybody and the rest to nobody (congestion). ``congestion_assign``
instead solves an entropic optimal transport over the sparse candidate set:

    maximise  sum P_ij s_ij + eps H(P)   over P >= 0 supported on the candidates,
    rows:     sum_j P_ij = r_i = min(k, candidates of i)            (each seeker's k slots, hard)
    columns:  sum_i P_ij ~ c_j = a_j * sum(r) / sum(a),  a_j = capacity_j ** capacity_power
              (exposure in proportion to openings at power 1; the default 0.5: to their square root)

with the column constraint relaxed by a KL penalty rho * KL(column sums | c) (unbalanced OT): ``strength``
is rho, in score units, and the Sinkhorn column update is raised to the power rho / (rho + eps).
``strength`` 0 leaves columns free (the plan is each row's softmax of its scores: the same order as
plain top-k); ``inf`` imposes the column marginals exactly (balanced OT). The relaxed update converges
at a geometric rate rho / (rho + eps), so with a large ``strength`` the ``iterations`` cap usually ends
it (rows are exact after every iteration; only the columns are then short of the relaxed optimum). ``temperature`` eps is in score units: candidates whose scores
differ by much more than eps are hardly exchanged to relieve a congested vacancy; by much less, freely.
Rounding: with ``slack`` None each seeker is shown its top ``k`` by the plan, ties broken by the score,
then by column index; that leaves popular vacancies over-exposed (the plan's mass on them is spread over
many rows, each of which still ranks them first). With a ``slack`` the plan is rounded by
``capped_rounding``: vacancy ``j`` is shown to at most ``ceil(c_j * slack)`` seekers where the candidates
allow it (rows propose their best open candidates by plan, vacancies accept the highest plan values, for
good; then every seeker's remaining slots are filled ignoring the caps). ``capacity_power`` a: column
targets in proportion to ``capacity ** a`` instead of capacity (0: the same exposure for every vacancy
with an opening). ``strength`` 0 is plain top-k whatever the slack (no control, no caps).

Numerics: the plan is kept explicitly (float32, one value per candidate) and stabilised by starting
from exp((s_ij - max_i s) / eps) (each row's best candidate at 1) and by alternating row and column
scalings, after each of which every entry is bounded by its row's or column's marginal, so nothing
overflows; entries that underflow to 0 are candidates the plan would never choose (they still rank,
behind the others, by score). Everything is vectorised over the sparse data: row sums with
``np.add.reduceat`` over the CSR rows, column sums with ``np.bincount`` in chunks. Memory beyond the
input: the plan (4 bytes per candidate) plus one temporary of the same size and a float64 chunk;
1,000,000 seekers x 100 candidates (1e8 candidates) needs about 1.5 GB besides the input.
Deterministic: no randomness, fixed reduction order.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

_CHUNK = 8_000_000       # candidates per bincount chunk (float64 temporary of 64 MB)
_ROW_CHUNK = 200_000     # seekers per top-k selection chunk
_MAX_STEP = 50.0         # largest change of a log-scaling in one step (a column with no mass left)

STRENGTH = 0.03         # tuned on the simulated market (docs/jobs/simulation.md): small recall loss
TEMPERATURE = 0.02
ITERATIONS = 50
TOL = 1e-3
SLACK = 1.0             # capacity-aware rounding: a vacancy's cap is ceil(target * SLACK); None = row-by-row
CAPACITY_POWER = 0.5    # column targets in proportion to openings ** CAPACITY_POWER (docs/jobs/simulation.md)
ROUNDS = 50             # at most this many proposal rounds of the capacity-aware rounding before the free fill


def _canonical(scores) -> sparse.csr_matrix:
    scores = sparse.csr_matrix(scores)
    if not scores.has_canonical_format:
        scores = scores.copy()
        scores.sum_duplicates()   # also sorts the indices
    return scores


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per CSR row (0 for empty rows)."""
    n = len(indptr) - 1
    out = np.zeros(n, dtype=np.float64)
    counts = np.diff(indptr)
    nonempty = counts > 0
    if values.size:
        out[nonempty] = np.add.reduceat(values, indptr[:-1][nonempty], dtype=np.float64)
    return out


def _row_max(values: np.ndarray, indptr: np.ndarray, empty=0.0) -> np.ndarray:
    n = len(indptr) - 1
    out = np.full(n, empty, dtype=values.dtype if values.size else np.float64)
    counts = np.diff(indptr)
    nonempty = counts > 0
    if values.size:
        out[nonempty] = np.maximum.reduceat(values, indptr[:-1][nonempty])
    return out


def _column_sums(values: np.ndarray, columns: np.ndarray, m: int) -> np.ndarray:
    out = np.zeros(m, dtype=np.float64)
    for start in range(0, len(values), _CHUNK):
        out += np.bincount(columns[start:start + _CHUNK], weights=values[start:start + _CHUNK], minlength=m)
    return out


def _select(weights: np.ndarray, scores: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Each row's top ``k`` entries by ``weights`` (ties: score, then column index) as a rank-weight CSR."""
    n, m = scores.shape
    indptr, indices = scores.indptr, scores.indices
    counts = np.diff(indptr)
    keep = np.minimum(counts, k)
    out_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(keep, out=out_indptr[1:])
    out_indices = np.empty(int(out_indptr[-1]), dtype=np.int32)
    out_data = np.empty(int(out_indptr[-1]), dtype=np.float32)
    width = int(counts.max()) if n else 0
    for r0 in range(0, n, _ROW_CHUNK):
        r1 = min(n, r0 + _ROW_CHUNK)
        lo, hi = int(indptr[r0]), int(indptr[r1])
        c = counts[r0:r1]
        rows_local = np.repeat(np.arange(r1 - r0), c)
        pos = np.arange(hi - lo) - np.repeat(indptr[r0:r1] - lo, c)
        shape = (r1 - r0, max(width, 1))
        w2 = np.full(shape, -np.inf, dtype=np.float64)
        s2 = np.full(shape, -np.inf, dtype=np.float64)
        j2 = np.full(shape, np.iinfo(np.int32).max, dtype=np.int64)
        w2[rows_local, pos] = weights[lo:hi]
        s2[rows_local, pos] = scores.data[lo:hi]
        j2[rows_local, pos] = indices[lo:hi]
        # lexsort: last key is primary -> weight desc, then score desc, then column asc
        order = np.lexsort((j2, -s2, -w2), axis=1)[:, :k]
        chosen = np.take_along_axis(j2, order, axis=1)
        kk = keep[r0:r1]
        mask = np.arange(order.shape[1])[None, :] < kk[:, None]
        a, b = int(out_indptr[r0]), int(out_indptr[r1])
        out_indices[a:b] = chosen[mask]
        out_data[a:b] = (k - np.broadcast_to(np.arange(order.shape[1]), order.shape))[mask]
    result = sparse.csr_matrix((out_data, out_indices, out_indptr), shape=(n, m))
    result.sort_indices()
    return result


def plain_top_k(scores, k: int) -> sparse.csr_matrix:
    """Each seeker's ``k`` best-scoring candidates (ties by column index), values = rank weights."""
    scores = _canonical(scores)
    return _select(scores.data.astype(np.float64), scores, k)


def transport_plan(scores, capacity, k: int, *, strength: float = STRENGTH, temperature: float = TEMPERATURE,
                   iterations: int = ITERATIONS, tol: float = TOL,
                   capacity_power: float = CAPACITY_POWER) -> tuple[np.ndarray, dict]:
    """The plan's value per stored candidate of ``scores`` (canonical CSR order) and convergence facts."""
    scores = _canonical(scores)
    n, m = scores.shape
    capacity = np.asarray(capacity, dtype=np.float64).reshape(-1)
    if capacity.shape[0] != m:
        raise ValueError(f"capacity has {capacity.shape[0]} entries for {m} vacancies")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    if not strength >= 0.0:
        raise ValueError(f"strength must be 0 or more, not {strength}")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, not {temperature}")
    indptr, columns = scores.indptr, scores.indices
    counts = np.diff(indptr)
    row_target = np.minimum(counts, k).astype(np.float64)
    capacity = np.clip(capacity, 0.0, None)
    if capacity_power != 1.0:   # exposure in proportion to openings ** power (0: the same for every vacancy)
        capacity = np.where(capacity > 0, capacity ** capacity_power, 0.0)
    # only vacancies that are somebody's candidate can be shown: the exposure is shared among them
    reachable = np.bincount(columns, minlength=m) > 0
    capacity = np.where(reachable, capacity, 0.0)
    total_capacity = capacity.sum()
    col_target = capacity * (row_target.sum() / total_capacity) if total_capacity > 0 else np.zeros(m)
    with np.errstate(divide="ignore"):
        log_col_target = np.log(col_target)          # -inf: no openings, never shown by the plan

    log_kernel = scores.data.astype(np.float32)
    log_kernel *= np.float32(1.0 / temperature)      # log K_ij = s_ij / eps
    chunks = _row_chunks(indptr)
    tau = 1.0 if np.isinf(strength) else strength / (strength + temperature)
    g = np.zeros(m, dtype=np.float64)                # column potentials (log scalings)
    info = {"iterations": 0, "max_log_change": 0.0, "column_error": 0.0}
    plan = np.empty(len(log_kernel), dtype=np.float32)
    for it in range(max(iterations, 1)):
        # rows exactly (log-domain, stabilised by each row's max), columns accumulated on the way
        col_sums = np.zeros(m, dtype=np.float64)
        for r0, r1 in chunks:
            lo, hi = int(indptr[r0]), int(indptr[r1])
            if hi == lo:
                continue
            c = counts[r0:r1]
            cols = columns[lo:hi]
            logits = log_kernel[lo:hi] + g[cols]
            row_max = _row_max(logits, indptr[r0:r1 + 1] - lo, empty=-np.inf)
            row_max = np.where(np.isfinite(row_max), row_max, 0.0)
            values = np.exp(logits - np.repeat(row_max, c))
            sums = _row_sums(values, indptr[r0:r1 + 1] - lo)
            factor = np.divide(row_target[r0:r1], sums, out=np.zeros(r1 - r0), where=sums > 0)
            values *= np.repeat(factor, c)
            plan[lo:hi] = values
            col_sums += np.bincount(cols, weights=values, minlength=m)
        info["iterations"] = it + 1
        if strength == 0.0:
            break
        # columns: exposure in proportion to openings, KL-relaxed: exponent rho / (rho + eps)
        served = col_sums > 0
        step = np.zeros(m)
        step[served] = log_col_target[served] - np.log(col_sums[served])
        step = np.clip(np.where(np.isfinite(step), step, -_MAX_STEP), -_MAX_STEP, _MAX_STEP)
        g_new = np.where(served, tau * (step + g), g)
        # convergence: the column step's largest change of a scaling (the rows move by at most that much)
        moved = float(np.max(np.abs(g_new - g))) if m else 0.0
        g = g_new
        info["max_log_change"] = moved
        if moved < tol:
            break
    info["column_target"] = col_target
    col_sums = _column_sums(plan, columns, m)
    served = col_target > 0
    info["column_error"] = (float(np.abs(col_sums[served] - col_target[served]).sum() / col_target[served].sum())
                            if served.any() else 0.0)
    return plan, info


def _row_chunks(indptr: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of about ``_CHUNK`` candidates each."""
    n = len(indptr) - 1
    bounds = [0]
    while bounds[-1] < n:
        start = bounds[-1]
        stop = int(np.searchsorted(indptr, indptr[start] + _CHUNK, side="right")) - 1
        bounds.append(min(n, max(stop, start + 1)))
    return list(zip(bounds[:-1], bounds[1:]))


def congestion_assign(scores, capacity, k: int, *, strength: float = STRENGTH, temperature: float = TEMPERATURE,
                      iterations: int = ITERATIONS, tol: float = TOL, slack: float | None = SLACK,
                      rounds: int = ROUNDS, capacity_power: float = CAPACITY_POWER) -> sparse.csr_matrix:
    """Each seeker's ``k`` vacancies by the entropic transport plan (see the module docstring).

    ``slack``: the plan is rounded with each vacancy's exposure capped at ``ceil(target * slack)``
    (``capped_rounding``); ``None`` rounds row by row (each seeker's top ``k`` by the plan). With
    ``strength`` 0 there is no control and the result is plain top-k either way."""
    scores = _canonical(scores)
    plan, info = transport_plan(scores, capacity, k, strength=strength, temperature=temperature,
                                iterations=iterations, tol=tol, capacity_power=capacity_power)
    if slack is None or strength == 0.0:
        return _select(plan.astype(np.float64), scores, k)
    if not slack > 0:
        raise ValueError(f"slack must be positive, not {slack}")
    caps = np.ceil(info["column_target"] * slack - 1e-9)
    return capped_rounding(plan, scores, caps, k, rounds=rounds)


def _row_order(weights: np.ndarray, scores: sparse.csr_matrix) -> np.ndarray:
    """Permutation of the CSR entries: within each row, by ``weights`` desc, then score desc, then column asc.

    Rows keep their CSR span, so position ``p`` of the result belongs to the same row as entry ``p``."""
    indptr, indices = scores.indptr, scores.indices
    counts = np.diff(indptr)
    index_type = np.int32 if scores.nnz < 2**31 else np.int64
    perm = np.empty(scores.nnz, dtype=index_type)
    for r0, r1 in _row_chunks(indptr):
        lo, hi = int(indptr[r0]), int(indptr[r1])
        if hi == lo:
            continue
        c = counts[r0:r1]
        width = int(c.max())
        rows_local = np.repeat(np.arange(r1 - r0), c)
        pos = np.arange(hi - lo) - np.repeat(indptr[r0:r1] - lo, c)
        shape = (r1 - r0, width)
        w2 = np.full(shape, -np.inf, dtype=np.float64)
        s2 = np.full(shape, -np.inf, dtype=np.float64)
        j2 = np.full(shape, np.iinfo(np.int32).max, dtype=np.int64)
        w2[rows_local, pos] = weights[lo:hi]
        s2[rows_local, pos] = scores.data[lo:hi]
        j2[rows_local, pos] = indices[lo:hi]
        order = np.lexsort((j2, -s2, -w2), axis=1)
        del w2, s2, j2
        valid = np.arange(width)[None, :] < c[:, None]      # padding sorts last in every row
        perm[lo:hi] = (order + (indptr[r0:r1] - lo)[:, None])[valid] + lo
    return perm


def _first_in_rows(chosen: np.ndarray, cols: np.ndarray, open_col: np.ndarray | None, indptr: np.ndarray,
                   wanted: np.ndarray) -> np.ndarray:
    """Positions (in row order) of each row's first ``wanted[row]`` entries not yet ``chosen`` whose column is
    open (``open_col`` None: any column), chunked over rows; chunks without a wanting row are skipped."""
    counts = np.diff(indptr)
    found = []
    for r0, r1 in _row_chunks(indptr):
        lo, hi = int(indptr[r0]), int(indptr[r1])
        if hi == lo or not wanted[r0:r1].any():
            continue
        e = ~chosen[lo:hi]
        if open_col is not None:
            e &= open_col[cols[lo:hi]]
        c = counts[r0:r1]
        before = np.cumsum(e, dtype=np.int64) - e               # eligible entries before, in the chunk
        starts = indptr[r0:r1] - lo
        base = np.zeros(r1 - r0, dtype=np.int64)
        nonempty = c > 0
        base[nonempty] = before[starts[nonempty]]
        take = e & (before - np.repeat(base, c) < np.repeat(wanted[r0:r1], c))
        found.append(np.flatnonzero(take) + lo)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def capped_rounding(plan: np.ndarray, scores, caps, k: int, *, rounds: int = ROUNDS) -> sparse.csr_matrix:
    """Round a plan to ``k`` vacancies per seeker, showing vacancy ``j`` to at most ``caps[j]`` seekers where
    the candidates allow it.

    ``plan``: a value per stored candidate of ``scores`` (canonical CSR order); ``caps``: float or int per
    vacancy (``inf``: no cap). Rows propose, columns accept: in each of at most ``rounds`` rounds every seeker
    with free slots proposes its best remaining candidates (by plan, then score, then column) that are not
    full, as many as it has free slots; a vacancy accepts its proposals best plan value first (then score,
    then seeker) up to its remaining cap, for good, and a full vacancy drops out. Then every seeker's
    remaining slots are filled with its best remaining candidates ignoring the caps, so every seeker gets
    ``min(k, candidates)``. Display order within a list: plan, then score, then column. Vectorised: one
    within-row sort, then per round a chunked scan over the candidates and one sort of the proposals.
    Deterministic. With every cap infinite it is each row's top ``k`` by the plan."""
    scores = _canonical(scores)
    n, m = scores.shape
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    plan = np.asarray(plan).reshape(-1)
    if plan.shape[0] != scores.nnz:
        raise ValueError(f"plan has {plan.shape[0]} values for {scores.nnz} candidates")
    caps = np.broadcast_to(np.asarray(caps, dtype=np.float64), (m,))
    indptr = scores.indptr
    counts = np.diff(indptr)
    perm = _row_order(plan.astype(np.float64), scores)
    cols = scores.indices[perm]
    cap_left = np.clip(caps, 0, None).copy()
    slots = np.minimum(counts, k).astype(np.int64)
    chosen = np.zeros(scores.nnz, dtype=bool)               # in row order (positions of ``perm``)
    open_col = cap_left >= 1
    for _ in range(max(rounds, 0)):
        proposals = _first_in_rows(chosen, cols, open_col, indptr, slots)
        if proposals.size == 0:
            break
        p_cols = cols[proposals]
        p_rows = np.searchsorted(indptr, proposals, side="right") - 1
        entries = perm[proposals]
        # columns prefer the highest plan value, then score, then the lower seeker index
        order = np.lexsort((p_rows, -scores.data[entries].astype(np.float64),
                            -plan[entries].astype(np.float64), p_cols))
        sorted_cols = p_cols[order]
        group_start = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
        group_size = np.diff(np.r_[group_start, len(order)])
        rank = np.arange(len(order)) - np.repeat(group_start, group_size)
        accept = order[rank < cap_left[sorted_cols]]
        if accept.size == 0:
            break
        chosen[proposals[accept]] = True
        np.subtract.at(slots, p_rows[accept], 1)
        cap_left -= np.bincount(p_cols[accept], minlength=m)
        open_col = cap_left >= 1
        if accept.size == proposals.size:
            break   # nobody was turned away: every seeker holds its best open candidates
    # fill the remaining slots with each seeker's best remaining candidates, caps ignored
    if slots.any():
        chosen[_first_in_rows(chosen, cols, None, indptr, slots)] = True
    keep = np.add.reduceat(chosen, indptr[:-1][counts > 0], dtype=np.int64) if scores.nnz else np.zeros(0)
    out_indptr = np.zeros(n + 1, dtype=np.int64)
    per_row = np.zeros(n, dtype=np.int64)
    per_row[counts > 0] = keep
    np.cumsum(per_row, out=out_indptr[1:])
    positions = np.flatnonzero(chosen)
    rank = np.arange(len(positions)) - np.repeat(out_indptr[:-1], per_row)
    result = sparse.csr_matrix(((k - rank).astype(np.float32), cols[positions].astype(np.int32), out_indptr),
                               shape=(n, m))
    result.sort_indices()
    return result


def ranked(assignment: sparse.csr_matrix, k: int) -> np.ndarray:
    """Column indices of each row's entries, highest rank weight first, -1 padded: int64[n, k]."""
    assignment = _canonical(assignment)
    n = assignment.shape[0]
    out = np.full((n, k), -1, dtype=np.int64)
    counts = np.diff(assignment.indptr)
    if assignment.nnz == 0:
        return out
    rows = np.repeat(np.arange(n), counts)
    order = np.lexsort((assignment.indices, -assignment.data, rows))
    rows_sorted = rows[order]
    pos = np.arange(len(order)) - np.repeat(assignment.indptr[:-1], counts)
    keep = pos < k
    out[rows_sorted[keep], pos[keep]] = assignment.indices[order][keep]
    return out


def exposure(assignment: sparse.csr_matrix, m: int | None = None) -> np.ndarray:
    """How many seekers each vacancy is shown to."""
    assignment = sparse.csr_matrix(assignment)
    m = assignment.shape[1] if m is None else m
    return np.bincount(assignment.indices, minlength=m)
