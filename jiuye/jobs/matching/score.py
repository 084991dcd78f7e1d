"""The match score: a sum of named parts (owned by the matching part of issue 10; this is its contract).

PARTS, each a float array in [0, 1] times its weight (dated parameters ``jobs.match.weight.<part>``):
occupation (proximity through the code hierarchy), skills (skills and certificates required and held),
education, experience, place (region tree, commuting distance where coordinates exist), wage, work_type, text
(TF-IDF cosine of Chinese titles, descriptions and résumés).

Functions every caller uses (signatures are the contract between the matching engine, the batch
assignment and the simulation):

    score_pairs(seekers, vacancies, si, vi, weights) -> dict[str, np.ndarray]   # parts per pair (already weighted)
    total(parts) -> np.ndarray                                                   # the sum of the parts
    top_jobs(seekers, i, vacancies, k, weights) -> (vacancy_rows, totals, parts) # one seeker, every open vacancy
    top_seekers(vacancies, j, seekers, k, weights) -> (seeker_rows, totals, parts)
    candidates(seekers, vacancies, per_seeker, weights) -> scipy.sparse.csr_matrix  # [n, m] scores of the best
                                                                                    # ``per_seeker`` vacancies per seeker
    reasons(parts_of_one_pair, seeker, vacancy) -> list[Reason]                  # readable, requirement by requirement

Besides the eight PARTS, a pair of a public-welfare-post vacancy and a priority person (recognised
hard-to-employ, zero-employment household member) gets the part ``priority`` (weight
``jobs.match.weight.priority``, larger than all others together so that they rank first); a
welfare-post vacancy is never paired with a seeker who is not a priority person (``eligible``).
Vacancies without open positions are never paired.

Inputs are only the fields of ``arrays.SeekerArrays`` / ``VacancyArrays``: never sex, ethnicity,
household registration, marital status or age.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from jiuye.jobs.matching.arrays import SeekerArrays, VacancyArrays

PARTS = ("occupation", "skills", "education", "experience", "place", "wage", "work_type", "text")
PRIORITY = "priority"
ALL_PARTS = PARTS + (PRIORITY,)

#: Weights used where no dated parameter is read (the simulation, unit tests); the national values of
#: ``jobs.match.weight.<part>`` in parameters/data/national.yaml are the same.
DEFAULT_WEIGHTS = {"occupation": 30.0, "skills": 15.0, "education": 10.0, "experience": 5.0, "place": 15.0,
                   "wage": 10.0, "work_type": 5.0, "text": 10.0, "priority": 100.0}

#: Occupation proximity by the deepest common level of the code: same occupation, small, medium, major group.
OCCUPATION_LEVELS = ((1, 1.0), (100, 0.75), (10_000, 0.5), (1_000_000, 0.2))
#: A past occupation (after the preferred ones) counts this share; later positions decay a little more.
OCCUPATION_POSITION_DECAY = 0.1
OCCUPATION_POSITION_FLOOR = 0.6
#: Region proximity by the deepest common level of the 12-digit code: community, street, district, city, province.
REGION_LEVELS = ((1, 1.0, "community"), (1_000, 0.8, "street"), (1_000_000, 0.6, "district"),
                 (100_000_000, 0.4, "city"), (10_000_000_000, 0.1, "province"))
PREFERRED_PLACE = 0.9  # the vacancy lies in one of the seeker's preferred places (any level)
DEFAULT_COMMUTE_KM = 15.0  # the distance scale when the seeker gave no limit
EDUCATION_STEP = 0.35  # each level below the minimum
NEUTRAL = 0.5  # a part that cannot be judged (nothing required, nothing stated)


# ---------------------------------------------------------------------------------------------
# The parts, per pair


def _weights(weights) -> dict[str, float]:
    out = dict(DEFAULT_WEIGHTS)
    if weights:
        out.update({k: float(v) for k, v in weights.items()})
    return out


def occupation_part(s_occ: np.ndarray, v_occ: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value in [0, 1], position of the seeker occupation that gave it or -1); ``s_occ`` [p, K], ``v_occ`` [p]."""
    p, k = s_occ.shape if s_occ.ndim == 2 else (len(s_occ), 0)
    best = np.zeros(p, dtype=np.float32)
    where = np.full(p, -1, dtype=np.int16)
    has_v = v_occ >= 0
    for pos in range(k):
        col = s_occ[:, pos]
        ok = (col >= 0) & has_v
        value = np.zeros(p, dtype=np.float32)
        for div, v in reversed(OCCUPATION_LEVELS):  # deepest level wins
            value = np.where(ok & (col // div == v_occ // div), np.float32(v), value)
        value *= np.float32(max(OCCUPATION_POSITION_FLOOR, 1.0 - OCCUPATION_POSITION_DECAY * pos))
        better = value > best
        best = np.where(better, value, best)
        where = np.where(better, pos, where)
    return best, where


def region_level(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Index into REGION_LEVELS of the deepest common level of two region codes, -1 none."""
    out = np.full(np.broadcast(a, b).shape, -1, dtype=np.int8)
    known = (a > 0) & (b > 0)
    for idx in range(len(REGION_LEVELS) - 1, -1, -1):
        div = REGION_LEVELS[idx][0]
        out = np.where(known & (a // div == b // div), idx, out)
    return out


def _pref_match(pref: np.ndarray, v_region: np.ndarray) -> np.ndarray:
    """The vacancy's region lies within one of the preferred places (codes at any level, trailing zeros)."""
    hit = np.zeros(len(v_region), dtype=bool)
    for col in range(pref.shape[1] if pref.ndim == 2 else 0):
        code = pref[:, col]
        ok = code > 0
        # the level of a preferred code is given by its trailing zeros
        for div in (10_000_000_000, 100_000_000, 1_000_000, 1_000, 1):
            at = ok & (code % div == 0)
            hit |= at & (v_region // div == code // div)
            ok = ok & ~at
    return hit


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def place_part(home, pref, s_lat, s_lon, commute, v_region, v_lat, v_lon) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, region level index or -1, distance km or NaN) per pair."""
    level = region_level(home, v_region)
    values = np.array([v for _, v, _ in REGION_LEVELS] + [0.0], dtype=np.float32)
    region_value = values[level]  # -1 → the trailing 0.0
    region_value = np.where(_pref_match(pref, v_region), np.maximum(region_value, PREFERRED_PLACE), region_value)
    km = haversine_km(s_lat, s_lon, v_lat, v_lon)
    has_km = ~np.isnan(km)
    limit = np.where(np.isnan(commute) | (commute <= 0), DEFAULT_COMMUTE_KM, commute)
    km_safe = np.where(has_km, km, 0.0)
    within = np.clip(1.0 - 0.5 * km_safe / limit, 0.5, 1.0)
    beyond = np.clip(0.5 * (1.0 - (km_safe - limit) / limit), 0.0, 0.5)
    distance_value = np.where(km_safe <= limit, within, beyond)
    value = np.where(has_km, distance_value, region_value).astype(np.float32)
    return value, level, km.astype(np.float32)


def education_part(s_edu, v_min) -> np.ndarray:
    gap = np.maximum(v_min.astype(np.int16) - s_edu.astype(np.int16), 0)
    return np.where(v_min <= 0, 1.0, np.clip(1.0 - EDUCATION_STEP * gap, 0.0, 1.0)).astype(np.float32)


def experience_part(s_exp, v_min) -> np.ndarray:
    v = v_min.astype(np.float32)
    return np.where(v <= 0, 1.0, np.clip(s_exp.astype(np.float32) / np.maximum(v, 1), 0.0, 1.0)).astype(np.float32)


def wage_part(s_min, v_min, v_max) -> np.ndarray:
    s = s_min.astype(np.float32)
    top = np.where(v_max > 0, v_max, v_min).astype(np.float32)
    unknown = (s <= 0) | (top <= 0)
    ratio = np.where(s > 0, top / np.maximum(s, 1), 1.0)
    value = np.where(ratio >= 1.0, 1.0, np.clip(1.0 - 2.0 * (1.0 - ratio), 0.0, 1.0))
    # only a minimum stated below the seeker's minimum: the maximum is open, a partial fit
    value = np.where((v_max <= 0) & (ratio < 1.0), np.maximum(value, 0.6), value)
    return np.where(unknown, NEUTRAL, value).astype(np.float32)


def work_type_part(s_mask, v_type) -> np.ndarray:
    s = s_mask.astype(np.uint8)
    v = v_type.astype(np.uint8)
    return np.where((s == 0) | (v == 0) | ((s & v) != 0), 1.0, 0.0).astype(np.float32)


def _rows(m: sparse.csr_matrix, idx: np.ndarray) -> sparse.csr_matrix:
    """``m[idx]``, without the copy when ``idx`` is every row in order."""
    if len(idx) == m.shape[0] and idx[0] == 0 and (np.diff(idx) == 1).all():
        return m
    return m[idx]


def _rowdot(a: sparse.csr_matrix, b: sparse.csr_matrix, ai: np.ndarray, bi: np.ndarray) -> np.ndarray:
    """Row-wise dot products a[ai[p]] · b[bi[p]] (both CSR, same columns)."""
    if a.shape[1] == 0 or len(ai) == 0:
        return np.zeros(len(ai), dtype=np.float32)
    if (bi == bi[0]).all():  # one vacancy against many seekers
        return np.asarray(_rows(a, ai) @ b[bi[0]].T.toarray()).ravel().astype(np.float32)
    if (ai == ai[0]).all():  # one seeker against many vacancies
        return np.asarray(_rows(b, bi) @ a[ai[0]].T.toarray()).ravel().astype(np.float32)
    return np.asarray(a[ai].multiply(b[bi]).sum(axis=1)).ravel().astype(np.float32)


def skills_part(seekers: SeekerArrays, vacancies: VacancyArrays, si, vi) -> np.ndarray:
    required = np.diff(vacancies.skills.indptr)[vi].astype(np.float32)
    held = _rowdot(seekers.skills, vacancies.skills, si, vi)
    return np.where(required > 0, held / np.maximum(required, 1), NEUTRAL).astype(np.float32)


def text_part(seekers: SeekerArrays, vacancies: VacancyArrays, si, vi) -> np.ndarray:
    return np.clip(_rowdot(seekers.text, vacancies.text, si, vi), 0.0, 1.0)


def eligible(seekers: SeekerArrays, vacancies: VacancyArrays, si, vi) -> np.ndarray:
    """Pairs that may be shown: open positions, and a welfare post only for priority persons."""
    return (vacancies.openings[vi] > 0) & (~vacancies.welfare_post[vi] | seekers.priority[si])


def raw_parts(seekers: SeekerArrays, vacancies: VacancyArrays, si, vi) -> dict[str, np.ndarray]:
    """Each part in [0, 1] (unweighted) for the pairs (si[p], vi[p])."""
    si = np.asarray(si, dtype=np.int64)
    vi = np.asarray(vi, dtype=np.int64)
    occ, _ = occupation_part(seekers.occupations[si], vacancies.occupation[vi])
    place, _, _ = place_part(seekers.region[si], seekers.pref_regions[si], seekers.lat[si], seekers.lon[si],
                             seekers.max_commute_km[si], vacancies.region[vi], vacancies.lat[vi], vacancies.lon[vi])
    return {
        "occupation": occ,
        "skills": skills_part(seekers, vacancies, si, vi),
        "education": education_part(seekers.education[si], vacancies.education_min[vi]),
        "experience": experience_part(seekers.experience[si], vacancies.experience_min[vi]),
        "place": place,
        "wage": wage_part(seekers.wage_min[si], vacancies.wage_min[vi], vacancies.wage_max[vi]),
        "work_type": work_type_part(seekers.work_types[si], vacancies.work_type[vi]),
        "text": text_part(seekers, vacancies, si, vi),
        PRIORITY: (vacancies.welfare_post[vi] & seekers.priority[si]).astype(np.float32),
    }


def score_pairs(seekers: SeekerArrays, vacancies: VacancyArrays, si, vi, weights=None) -> dict[str, np.ndarray]:
    """The weighted parts per pair (float32 arrays of len(si)); ``priority`` included (0 for most pairs)."""
    w = _weights(weights)
    return {name: (value * np.float32(w.get(name, 0.0))).astype(np.float32)
            for name, value in raw_parts(seekers, vacancies, si, vi).items()}


def total(parts: dict[str, np.ndarray]) -> np.ndarray:
    values = list(parts.values())
    if not values:
        return np.zeros(0, dtype=np.float32)
    out = np.zeros_like(values[0], dtype=np.float32)
    for v in values:
        out += v
    return out


def max_total(weights=None, *, with_priority: bool = False) -> float:
    w = _weights(weights)
    return float(sum(w[p] for p in PARTS) + (w[PRIORITY] if with_priority else 0.0))


def _top(totals: np.ndarray, ok: np.ndarray, k: int, ids: np.ndarray) -> np.ndarray:
    """Positions of the best ``k`` allowed totals, best first (ties: the smaller id first)."""
    idx = np.flatnonzero(ok)
    if k <= 0 or len(idx) == 0:
        return np.zeros(0, dtype=np.int64)
    vals = totals[idx]
    if len(idx) > k:
        part = np.argpartition(-vals, k - 1)[:k]
        # keep every tie at the k-th value so that the tie-break by id is stable
        kth = vals[part].min()
        part = np.flatnonzero(vals >= kth)
        idx, vals = idx[part], vals[part]
    order = np.lexsort((ids[idx], -vals))[:k]
    return idx[order]


def top_jobs(seekers: SeekerArrays, i: int, vacancies: VacancyArrays, k: int, weights=None, *, rows=None):
    """The best ``k`` vacancies for seeker row ``i``: (vacancy rows, totals, parts of those rows)."""
    vi = np.arange(len(vacancies), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    si = np.full(len(vi), i, dtype=np.int64)
    parts = score_pairs(seekers, vacancies, si, vi, weights)
    totals = total(parts)
    pick = _top(totals, eligible(seekers, vacancies, si, vi), k, vacancies.vacancy_id[vi])
    return vi[pick], totals[pick], {name: v[pick] for name, v in parts.items()}


def _seeker_index(seekers: SeekerArrays) -> dict:
    """Per-array precomputation for one vacancy against every seeker (kept on the arrays object, built once):
    each stated occupation as an index into the distinct codes, and the skill and text columns in CSC form
    (a vacancy's few columns are then summed with one ``bincount``)."""
    index = seekers.__dict__.get("_top_seekers_index")
    if index is None:
        codes, inverse = np.unique(seekers.occupations, return_inverse=True)
        homes, home_inverse = np.unique(seekers.region, return_inverse=True)
        located = ~(np.isnan(seekers.lat) | np.isnan(seekers.lon))
        stated = (seekers.pref_regions > 0).any(axis=1) if seekers.pref_regions.ndim == 2 else np.zeros(len(seekers), bool)
        index = {"codes": codes.astype(np.int64), "occ": inverse.reshape(seekers.occupations.shape).astype(np.int32),
                 "homes": homes.astype(np.int64), "home": home_inverse.astype(np.int32),
                 # place's best case: 1 with coordinates, else the home's level or a stated preferred place
                 "place_cap": np.where(located, 1.0, np.where(stated, PREFERRED_PLACE, 0.0)).astype(np.float32),
                 "pref_cap": np.where(stated | located, PREFERRED_PLACE, 0.0).astype(np.float32),
                 "unlocated": (~located).astype(np.float32),
                 "skills": seekers.skills.tocsc(), "text": seekers.text.tocsc()}
        for name in ("education", "experience", "wage_min", "work_types"):  # few distinct values: a table each
            values, inv = np.unique(getattr(seekers, name), return_inverse=True)
            index[name] = (values, inv.astype(np.int32))
        seekers.__dict__["_top_seekers_index"] = index
    return index


def _column_dot(csc: sparse.csc_matrix, vector: sparse.csr_matrix, n: int) -> np.ndarray:
    """``csc @ vector.T`` for a one-row sparse ``vector``: only its few columns are read."""
    cols, weights = vector.indices, vector.data
    if len(cols) == 0 or csc.shape[1] == 0:
        return np.zeros(n, dtype=np.float64)
    starts, ends = csc.indptr[cols], csc.indptr[cols + 1]
    lengths = ends - starts
    if lengths.sum() == 0:
        return np.zeros(n, dtype=np.float64)
    take = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)])
    return np.bincount(csc.indices[take], weights=csc.data[take] * np.repeat(weights, lengths), minlength=n)


PART_OF = {"wage_min": "wage", "work_types": "work_type"}
#: From this many seekers on, one vacancy's top seekers are found through ``_bounded_rows`` (the same answer).
BOUNDED_MIN_SEEKERS = 50_000


def _bounded_rows(vacancies: VacancyArrays, j: int, seekers: SeekerArrays, k: int, w: dict) -> np.ndarray:
    """Seeker rows that can still be among the best ``k`` for vacancy ``j``: every part but the place computed
    for everyone at once (the occupation through a table of the distinct codes, skills and text from the
    vacancy's own columns, education, experience, wage and work type through tables of their distinct values),
    the place bounded below and above (exact from the home's region level when a seeker has no coordinates);
    a seeker whose best case is below the ``k``-th best worst case cannot be in the top ``k``. The exact
    scores are then computed for these rows only."""
    n = len(seekers)
    index = _seeker_index(seekers)
    v_occ = np.full(len(index["codes"]), vacancies.occupation[j], dtype=np.int64)
    known = np.zeros(n, dtype=np.float32)
    for pos in range(index["occ"].shape[1]):
        table, _ = occupation_part(index["codes"][:, None], v_occ)
        table = table.ravel() * np.float32(w["occupation"] * max(OCCUPATION_POSITION_FLOOR, 1.0 - OCCUPATION_POSITION_DECAY * pos))
        np.maximum(known, table.astype(np.float32)[index["occ"][:, pos]], out=known)
    required = vacancies.skills.indptr[j + 1] - vacancies.skills.indptr[j]
    if required:
        known += (_column_dot(index["skills"], vacancies.skills[j], n) * (w["skills"] / required)).astype(np.float32)
    else:
        known += np.float32(w["skills"] * NEUTRAL)
    known += (np.clip(_column_dot(index["text"], vacancies.text[j], n), 0.0, 1.0) * w["text"]).astype(np.float32)

    def table(name, part, *args):  # the part for each distinct seeker value, then one gather
        values, inv = index[name]
        return (part(values, *args).astype(np.float32) * np.float32(w[PART_OF.get(name, name)]))[inv]

    known += table("education", education_part, vacancies.education_min[j])
    known += table("experience", experience_part, vacancies.experience_min[j])
    known += table("wage_min", wage_part, vacancies.wage_min[j], vacancies.wage_max[j])
    known += table("work_types", work_type_part, vacancies.work_type[j])
    if vacancies.welfare_post[j]:
        known += np.float32(w.get(PRIORITY, 0.0)) * seekers.priority
    # place: without coordinates at least the home's region level (a preferred place only raises it)
    level = region_level(index["homes"], np.int64(vacancies.region[j]))
    home_value = (np.array([v for _, v, _ in REGION_LEVELS] + [0.0], dtype=np.float32)[level]
                  * np.float32(w["place"]))[index["home"]]
    wp = np.float32(w["place"])
    if not (np.isnan(vacancies.lat[j]) or np.isnan(vacancies.lon[j])):
        low = known + home_value * index["unlocated"]
        high = known + np.maximum(home_value, index["place_cap"] * wp)
    else:  # no distance can be computed: the region path for everyone
        low = known + home_value
        high = known + np.maximum(home_value, index["pref_cap"] * wp)
    if vacancies.openings[j] <= 0:
        return np.zeros(0, dtype=np.int64)
    if vacancies.welfare_post[j]:
        low = np.where(seekers.priority, low, np.float32(-1))
        high = np.where(seekers.priority, high, np.float32(-1))
    slack = np.float32(1e-3 * (1.0 + max_total(w, with_priority=True)))  # float32 sums against exact totals
    # a threshold at most the k-th best worst case, cheaply from a sample, then the exact one among the survivors
    sample = low[::16]
    if len(sample) > k:
        rough = -np.partition(-sample, k - 1)[k - 1]
        survivors = np.flatnonzero(high >= rough - slack)
    else:
        survivors = np.arange(n)
    survivors = survivors[low[survivors] >= 0] if vacancies.welfare_post[j] else survivors
    if len(survivors) <= k:
        return survivors
    kth = -np.partition(-low[survivors], k - 1)[k - 1]
    survivors = survivors[high[survivors] >= kth - slack]
    if len(survivors) > 20 * k:  # many near-ties on the place: its exact value for the survivors only
        rows = survivors
        place, _, _ = place_part(seekers.region[rows], seekers.pref_regions[rows], seekers.lat[rows], seekers.lon[rows],
                                 seekers.max_commute_km[rows], np.full(len(rows), vacancies.region[j]),
                                 np.full(len(rows), vacancies.lat[j]), np.full(len(rows), vacancies.lon[j]))
        near = known[rows] + wp * place
        kth = -np.partition(-near, k - 1)[k - 1]
        survivors = rows[near >= kth - slack]
    return survivors


def top_seekers(vacancies: VacancyArrays, j: int, seekers: SeekerArrays, k: int, weights=None, *, rows=None):
    """The best ``k`` seekers for vacancy row ``j``: (seeker rows, totals, parts of those rows).

    Over every seeker (a million) the exact scores are computed only for the rows that can still be among
    the best ``k`` (``_bounded_rows``); the answer is the same as scoring every row."""
    if rows is not None and len(rows) == len(seekers):
        rows = None
    if rows is None and len(seekers) > BOUNDED_MIN_SEEKERS and k > 0:
        rows = _bounded_rows(vacancies, j, seekers, k, _weights(weights))
    si = np.arange(len(seekers), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    vi = np.full(len(si), j, dtype=np.int64)
    parts = score_pairs(seekers, vacancies, si, vi, weights)
    totals = total(parts)
    pick = _top(totals, eligible(seekers, vacancies, si, vi), k, seekers.person_id[si])
    return si[pick], totals[pick], {name: v[pick] for name, v in parts.items()}


# ---------------------------------------------------------------------------------------------
# Candidates for the batch: blocking instead of the full matrix


class _Side:
    """One blocking key over the open vacancies, sorted once: (keys, rows), each key's vacancies in order
    of open positions (most first)."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, openings: np.ndarray):
        order = np.lexsort((-openings, keys))
        self.keys, self.rows = keys[order], rows[order]

    def join(self, left_rows: np.ndarray, left_keys: np.ndarray, cap: int):
        """All (left row, vacancy row) with equal keys, at most ``cap`` per left entry (vectorised). A key
        with more than ``cap`` vacancies gives each seeker a window of them starting at an offset drawn
        from the seeker's row (deterministic), so that every vacancy of a crowded key is somebody's
        candidate instead of only the first ``cap``."""
        lo = np.searchsorted(self.keys, left_keys, "left")
        full = np.searchsorted(self.keys, left_keys, "right") - lo
        spare = np.maximum(full - cap, 0)
        lo = lo + (left_rows.astype(np.int64) * 2654435761 % 4294967291) % (spare + 1)
        hi = lo + np.minimum(full, cap)
        counts = hi - lo
        n = int(counts.sum())
        if n == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        li = np.repeat(left_rows, counts)
        starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
        return li.astype(np.int64), self.rows[np.arange(n) + starts].astype(np.int64)


# blocking keys: (occupation group, region prefix) packed into one int64
_BLOCKS = ((100, 100_000_000), (10_000, 1_000_000))  # small group in the city, medium group in the district


def _blocks(vacancies: VacancyArrays) -> list[_Side]:
    open_v = np.flatnonzero(vacancies.openings > 0).astype(np.int64)
    occ = vacancies.occupation[open_v].astype(np.int64)
    reg = vacancies.region[open_v].astype(np.int64)
    opn = vacancies.openings[open_v]
    has = occ >= 0
    sides = [_Side((occ[has] // o) * 1_000_000 + (reg[has] // r) % 1_000_000, open_v[has], opn[has]) for o, r in _BLOCKS]
    sides.append(_Side(reg // 1_000_000, open_v, opn))  # the district: the fallback without an occupation
    return sides


def _candidate_pairs(seekers: SeekerArrays, vacancies: VacancyArrays, rows: np.ndarray, cap: int, sides=None,
                     seen: np.ndarray | None = None):
    """Pairs for the seekers ``rows`` (consecutive): the same small occupation group in the same city (up
    to ``cap`` per occupation), the same medium group in the same district (``cap // 2``), and for seekers
    without an occupation, or with fewer than ``cap // 8`` candidates through it, the district's vacancies
    (``cap``). Duplicates removed without sorting: ``seen``
    is an int32 scratch array of len(rows) * m, all -1 (left so on return)."""
    sides = sides or _blocks(vacancies)
    m = len(vacancies)
    s_occ = seekers.occupations[rows].astype(np.int64)
    k = s_occ.shape[1] if s_occ.ndim == 2 else 0
    s_rows = np.repeat(rows, k)
    s_codes = s_occ.reshape(-1) if k else np.zeros(0, np.int64)
    s_reg = np.repeat(seekers.region[rows].astype(np.int64), k)
    has = s_codes >= 0
    parts = []
    for (o, r), side, c in zip(_BLOCKS, sides, (cap, max(1, cap // 2))):
        parts.append(side.join(s_rows[has], (s_codes[has] // o) * 1_000_000 + (s_reg[has] // r) % 1_000_000, c))
    # the district's vacancies for seekers without an occupation, or with few candidates through it
    found = np.bincount(np.concatenate([p[0] for p in parts]) - rows[0], minlength=len(rows)) if parts else 0
    none = rows[found < max(1, cap // 8)]
    parts.append(sides[2].join(none, seekers.region[none].astype(np.int64) // 1_000_000, cap))
    si = np.concatenate([p[0] for p in parts])
    vi = np.concatenate([p[1] for p in parts])
    if len(si) == 0:
        return si, vi
    key = (si - rows[0]) * m + vi
    own = seen if seen is not None else np.full(len(rows) * m, -1, dtype=np.int32)
    idx = np.arange(len(key), dtype=np.int32)
    own[key] = idx
    keep = own[key] == idx
    own[key] = -1
    return si[keep], vi[keep]


def candidates(seekers: SeekerArrays, vacancies: VacancyArrays, per_seeker: int, weights=None, *,
               chunk: int | None = None, cap: int | None = None, progress=None) -> sparse.csr_matrix:
    """[n, m] CSR of the scores of at most ``per_seeker`` best vacancies per seeker, among the blocked
    candidate pairs (``_candidate_pairs``), eligible pairs only. ``progress(done, n)`` is called per chunk."""
    n, m = len(seekers), len(vacancies)
    cap = cap or 2 * per_seeker
    chunk = chunk or max(1, min(20_000, 50_000_000 // max(m, 1)))
    sides = _blocks(vacancies)
    seen = np.full(min(chunk, max(n, 1)) * m, -1, dtype=np.int32)
    rows_out, cols_out, vals_out = [], [], []
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk), dtype=np.int64)
        si, vi = _candidate_pairs(seekers, vacancies, rows, cap, sides, seen)
        if len(si):
            ok = eligible(seekers, vacancies, si, vi)
            si, vi = si[ok], vi[ok]
        if len(si):
            t = total(score_pairs(seekers, vacancies, si, vi, weights))
            order = np.lexsort((-t, si))
            si, vi, t = si[order], vi[order], t[order]
            first = np.searchsorted(si, si, "left")
            keep = (np.arange(len(si)) - first) < per_seeker
            rows_out.append(si[keep])
            cols_out.append(vi[keep].astype(np.int32))
            vals_out.append(t[keep])
        if progress:
            progress(min(n, start + chunk), n)
    if not rows_out:
        return sparse.csr_matrix((n, m), dtype=np.float32)
    r = np.concatenate(rows_out)
    c = np.concatenate(cols_out)
    v = np.maximum(np.concatenate(vals_out), np.float32(1e-6))  # a zero would vanish from a sparse matrix
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
    return sparse.csr_matrix((v, c, indptr), shape=(n, m))  # rows already in order


# ---------------------------------------------------------------------------------------------
# Reasons: the facts behind each part of one pair (reasons.py words them in Chinese)


@dataclass
class Reason:
    part: str                 # one of ALL_PARTS
    points: float             # weighted points of this part
    max_points: float         # the weight (what a perfect fit earns)
    fit: str                  # "full", "partial", "missing" or "neutral"
    data: dict = field(default_factory=dict)  # the facts (codes, ranks, km, column ids) for the wording


def _fit(value: float) -> str:
    if value >= 0.999:
        return "full"
    if value <= 0.001:
        return "missing"
    return "partial"


def reasons(parts: dict[str, float], seeker: tuple[SeekerArrays, int], vacancy: tuple[VacancyArrays, int],
            weights=None) -> list[Reason]:
    """The reasons of one pair: ``parts`` as returned by ``score_pairs`` for it (scalars or 1-arrays),
    ``seeker`` = (arrays, row), ``vacancy`` = (arrays, row). One Reason per part, in PARTS order
    (``priority`` first when it counts)."""
    s, i = seeker
    v, j = vacancy
    w = _weights(weights)
    pts = {k: float(np.asarray(val).reshape(-1)[0]) for k, val in parts.items()}
    out: list[Reason] = []
    if pts.get(PRIORITY, 0.0) > 0:
        out.append(Reason(PRIORITY, pts[PRIORITY], w[PRIORITY], "full", {}))
    ii, jj = np.array([i]), np.array([j])
    occ, pos = occupation_part(s.occupations[ii], v.occupation[jj])
    level = None
    if pos[0] >= 0:
        so, vo = int(s.occupations[i, pos[0]]), int(v.occupation[j])
        level = next(n for n, (div, _) in enumerate(OCCUPATION_LEVELS) if so // div == vo // div)
    own = [int(c) for c in s.occupations[i] if c >= 0]
    out.append(Reason("occupation", pts.get("occupation", 0.0), w["occupation"], _fit(float(occ[0])),
                      {"vacancy": int(v.occupation[j]), "seeker": own,
                       "matched": int(s.occupations[i, pos[0]]) if pos[0] >= 0 else -1,
                       "position": int(pos[0]), "level": level}))
    required = v.skills.indices[v.skills.indptr[j]:v.skills.indptr[j + 1]].tolist()
    held = set(s.skills.indices[s.skills.indptr[i]:s.skills.indptr[i + 1]].tolist())
    skills_value = len([c for c in required if c in held]) / len(required) if required else NEUTRAL
    out.append(Reason("skills", pts.get("skills", 0.0), w["skills"], _fit(skills_value) if required else "neutral",
                      {"held": [c for c in required if c in held], "missing": [c for c in required if c not in held]}))
    edu = float(education_part(s.education[ii], v.education_min[jj])[0])
    out.append(Reason("education", pts.get("education", 0.0), w["education"],
                      "neutral" if v.education_min[j] <= 0 else ("full" if edu >= 0.999 else "missing"),
                      {"required": int(v.education_min[j]), "seeker": int(s.education[i])}))
    exp = float(experience_part(s.experience[ii], v.experience_min[jj])[0])
    out.append(Reason("experience", pts.get("experience", 0.0), w["experience"],
                      "neutral" if v.experience_min[j] <= 0 else _fit(exp),
                      {"required": int(v.experience_min[j]), "seeker": int(s.experience[i])}))
    place, rlevel, km = place_part(s.region[ii], s.pref_regions[ii], s.lat[ii], s.lon[ii], s.max_commute_km[ii],
                                   v.region[jj], v.lat[jj], v.lon[jj])
    preferred = bool(_pref_match(s.pref_regions[ii], v.region[jj])[0])
    commute = float(s.max_commute_km[i])
    out.append(Reason("place", pts.get("place", 0.0), w["place"], _fit(float(place[0])),
                      {"level": REGION_LEVELS[rlevel[0]][2] if rlevel[0] >= 0 else "",
                       "km": None if np.isnan(km[0]) else round(float(km[0]), 1), "preferred": preferred,
                       "max_commute_km": None if np.isnan(commute) or commute <= 0 else commute}))
    wage = float(wage_part(s.wage_min[ii], v.wage_min[jj], v.wage_max[jj])[0])
    unknown = s.wage_min[i] <= 0 or (v.wage_min[j] <= 0 and v.wage_max[j] <= 0)
    out.append(Reason("wage", pts.get("wage", 0.0), w["wage"], "neutral" if unknown else _fit(wage),
                      {"seeker_min": int(s.wage_min[i]), "min": int(v.wage_min[j]), "max": int(v.wage_max[j])}))
    wt = float(work_type_part(s.work_types[ii], v.work_type[jj])[0])
    out.append(Reason("work_type", pts.get("work_type", 0.0), w["work_type"], _fit(wt),
                      {"seeker": int(s.work_types[i]), "vacancy": int(v.work_type[j])}))
    text = float(text_part(s, v, ii, jj)[0])
    srow = set(s.text.indices[s.text.indptr[i]:s.text.indptr[i + 1]].tolist())
    common = [c for c in v.text.indices[v.text.indptr[j]:v.text.indptr[j + 1]].tolist() if c in srow]
    out.append(Reason("text", pts.get("text", 0.0), w["text"], "partial" if text > 0.001 else "missing",
                      {"cosine": round(text, 3), "common": common}))
    return out
