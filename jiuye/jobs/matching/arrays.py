"""The arrays the matching engine reads: one row per seeker, one row per vacancy.

Both sides are plain NumPy / SciPy arrays so that scoring one seeker against 100,000 vacancies, one
vacancy against 1,000,000 seekers, or a sparse candidate set in a batch is vectorised code. The same
dataclasses carry the database's seekers and vacancies (``matching.load``) and the simulated labour
market (``jobs.simulation``), so the recommender measured in the simulation is the one in production.

Encodings
- occupation codes as integers: ``"6-18-02-04"`` → ``6180204`` (``occupation_int``); -1 where none.
  The hierarchy is in the digits: major ``c // 1000000``, medium ``c // 10000``, small ``c // 100``.
- region codes as the 12-digit integer (``610102001001``); a common prefix is a common ancestor.
- education as an ordinal (``EDUCATION_RANK``), 0 unknown / no requirement.
- work types as a bit mask (``WORK_TYPE_BITS``); a seeker's 0 means "any".
- skills and certificates as columns of one vocabulary (binary CSR rows); text as L2-normalised
  TF-IDF rows over the tokenizer's words (``jobs.text.tokens``) in one vocabulary.
- coordinates in degrees, NaN where unknown.

Never fields here: sex, ethnicity, household registration (hukou), marital status, age. The
fairness test (tests/test_jobs_matching_fairness.py) changes them in the registry and requires the
same recommendations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

EDUCATION_RANK = {"": 0, "primary": 1, "junior": 2, "senior": 3, "vocational": 3, "college": 4, "bachelor": 5,
                  "master": 6, "doctor": 7}
WORK_TYPE_BITS = {"full_time": 1, "part_time": 2, "gig": 4, "internship": 8, "welfare_post": 16}


def occupation_int(code: str | None) -> int:
    if not code:
        return -1
    try:
        major, medium, small, detail = code.split("-")
        return int(major) * 1_000_000 + int(medium) * 10_000 + int(small) * 100 + int(detail)
    except ValueError:
        return -1


def occupation_code(value: int) -> str:
    if value < 0:
        return ""
    return f"{value // 1_000_000}-{value // 10_000 % 100:02d}-{value // 100 % 100:02d}-{value % 100:02d}"


def work_type_mask(values) -> int:
    mask = 0
    for value in values or ():
        mask |= WORK_TYPE_BITS.get(value, 0)
    return mask


@dataclass
class Vocabulary:
    """Token → column, with inverse document frequencies for the text columns."""
    index: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.index)


@dataclass
class SeekerArrays:
    person_id: np.ndarray          # int64[n]
    region: np.ndarray             # int64[n], the community lived in
    pref_regions: np.ndarray       # int64[n, R], preferred places (any level), -1 padding
    occupations: np.ndarray        # int32[n, K], preferred and past occupations, best first, -1 padding
    education: np.ndarray          # int8[n]
    experience: np.ndarray         # int16[n], years
    wage_min: np.ndarray           # int32[n], 0 unknown
    work_types: np.ndarray         # uint8[n], bit mask, 0 any
    lat: np.ndarray                # float32[n]
    lon: np.ndarray                # float32[n]
    max_commute_km: np.ndarray     # float32[n], NaN no limit given
    skills: sparse.csr_matrix      # [n, S] binary: skills and certificates held
    text: sparse.csr_matrix        # [n, V] L2-normalised TF-IDF of occupations' names, major, skills, résumé
    priority: np.ndarray           # bool[n]: recognised hard-to-employ or zero-employment household member

    def __len__(self) -> int:
        return len(self.person_id)


@dataclass
class VacancyArrays:
    vacancy_id: np.ndarray         # int64[m]
    employer_id: np.ndarray        # int64[m]
    region: np.ndarray             # int64[m]
    lat: np.ndarray                # float32[m]
    lon: np.ndarray                # float32[m]
    occupation: np.ndarray         # int32[m], -1 none
    education_min: np.ndarray      # int8[m]
    experience_min: np.ndarray     # int16[m]
    wage_min: np.ndarray           # int32[m], 0 not stated
    wage_max: np.ndarray           # int32[m], 0 not stated
    work_type: np.ndarray          # uint8[m], one bit
    openings: np.ndarray           # int32[m], open positions (openings - hired)
    skills: sparse.csr_matrix      # [m, S] binary: skills and certificates required
    text: sparse.csr_matrix        # [m, V] L2-normalised TF-IDF of title and description
    welfare_post: np.ndarray       # bool[m]

    def __len__(self) -> int:
        return len(self.vacancy_id)
