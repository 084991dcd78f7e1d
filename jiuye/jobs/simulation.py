"""A simulated labour market to measure the recommender (issue 10, item 10: quality measured, not asserted).

An extension of the demo generator: seekers and vacancies with a HIDDEN truth (true occupation, skills,
place, reservation wage, work-type preference; true requirements, offered wage, employer appeal and a
number of openings) from which the OBSERVED arrays (``matching.arrays.SeekerArrays`` /
``VacancyArrays``: what the recommender sees) are derived with noise and gaps. Month by month each
policy shows each active seeker ``k`` vacancies; the seeker applies with a probability from the TRUE
utility; employers hire among applicants by TRUE fit, up to their openings; hired seekers leave, filled
or expired vacancies close, new ones arrive. Policies:

- ``congestion``: the recommender's candidates, then ``assign.congestion_assign`` (exposure ∝ √openings);
- ``top_k``: the same candidates, each seeker's best ``k`` (``assign.plain_top_k``);
- ``keyword``: a job-board search: the seeker's stated occupation name (or, without one, its skill
  words) against vacancy titles, matches most recent first, the rest of the ``k`` filled with the most
  recent vacancies.

Every policy runs on its own copy of the same market (same people, same arrivals) and the same random
numbers: an applicant's coin for a (seeker, vacancy, month) is a hash of the three, so two policies
that show the same pair in the same month get the same decision. All assumptions are listed in
docs/jobs/simulation.md. Metrics are pure functions (``recall_at_k``, ``ndcg_at_k``, ``coverage``,
``gini``) tested on hand-computed examples.
"""
from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse

from jiuye.jobs.matching import assign
from jiuye.jobs.matching.arrays import WORK_TYPE_BITS, SeekerArrays, VacancyArrays, Vocabulary

POLICIES = ("congestion", "top_k", "keyword")
DATA = Path(__file__).resolve().parent / "data" / "occupations_2022.csv"
REGIONS = Path(__file__).resolve().parents[1] / "regions" / "data" / "xincheng_610102.yaml"

# Skill and certificate words a job board would carry (the observed vocabulary's skill columns).
SKILL_WORDS = (
    "电焊 焊工证 叉车证 驾驶证 电工证 数控 车床 CAD 钳工 装配 质检 仓储 物流 收银 客服 普通话 英语 Excel 办公软件 会计证 "
    "出纳 财务 营销 销售 直播 电商 烹饪 厨师证 面点 营养 护理 护士证 育婴 养老 保洁 家政 安保 消防证 保安证 美容 美发 "
    "维修 水电 空调 汽修 摄影 设计 编程 Python 数据分析 教学 教师资格证 幼教 驾驶 配送 绿化 种植 养殖"
).split()
MAJORS = {"2": 0.25, "4": 0.40, "6": 0.35}            # professional, service, production occupations
MAJOR_EDUCATION = {"2": 5, "4": 2, "6": 2}              # typical education (ordinal) per major group
MAJOR_WAGE = {"2": 7000.0, "4": 4200.0, "6": 5000.0}    # typical monthly wage (yuan) per major group
CENTER = (34.27, 108.97)                                # 新城区, for the simulated places' coordinates


@dataclass
class Params:
    """The simulation's behavioural assumptions (documented in docs/jobs/simulation.md)."""
    k: int = 10                      # vacancies shown per seeker per month
    per_seeker: int = 50             # candidates scored per seeker before the assignment step
    strength: float = assign.STRENGTH  # congestion control (assign.congestion_assign); tuned, see the doc
    temperature: float = assign.TEMPERATURE
    capacity_power: float = assign.CAPACITY_POWER  # column targets ∝ openings ** this
    slack: float | None = assign.SLACK  # capacity-aware rounding's cap slack (None: row-by-row rounding)
    initial_share: float = 0.4       # of seekers and vacancies present in month 0; the rest arrive evenly
    lifetime: int = 3                # months a vacancy stays open unless filled
    openings_p: float = 0.15         # openings per vacancy: geometric(p), at most 20 (mean about 1/p)
    apply_max: float = 0.8           # probability to apply to a perfect match
    apply_mid: float = 0.9           # true utility at which half of apply_max
    apply_scale: float = 0.1
    hire_threshold: float = 0.65     # true fit an employer requires
    relevant_apply: float = 0.3      # a mutual match: apply probability at least this and fit above threshold
    rounds: int = 3                  # offer rounds per month (declined offers go to the next applicant)


@dataclass
class Truth:
    """What the recommender never sees."""
    s_occ: np.ndarray         # int32[N] true occupation (integer code)
    s_skills: np.ndarray      # uint64[N] bit mask over SKILL_WORDS
    s_lat: np.ndarray
    s_lon: np.ndarray
    s_wage: np.ndarray        # float64[N] reservation wage
    s_work: np.ndarray        # uint8[N] acceptable work types (bit mask)
    s_edu: np.ndarray         # int8[N]
    s_exp: np.ndarray         # int16[N]
    s_arrival: np.ndarray     # int16[N] month of arrival
    v_occ: np.ndarray
    v_skills: np.ndarray      # uint64[M] required
    v_lat: np.ndarray
    v_lon: np.ndarray
    v_wage: np.ndarray        # float64[M] offered wage
    v_work: np.ndarray        # uint8[M] one bit
    v_edu: np.ndarray
    v_exp: np.ndarray
    v_openings: np.ndarray    # int32[M]
    v_appeal: np.ndarray      # float64[M] employer appeal (reputation, conditions) shared by all seekers
    v_arrival: np.ndarray


@dataclass
class Market:
    truth: Truth
    seekers: SeekerArrays
    vacancies: VacancyArrays
    vocabulary: Vocabulary
    titles: list[str]
    queries: sparse.csr_matrix       # [N, T] binary: the keyword search's words per seeker
    title_words: sparse.csr_matrix   # [M, T] binary: the words of each vacancy title
    months: int
    params: Params = field(default_factory=Params)


# --- metric functions (pure) ---------------------------------------------------------------------------

def recall_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int = 10) -> float:
    """Mean over rows with something relevant of (relevant shown in the first k) / min(relevant, k).

    ``hits``: bool[n, >=k], True where the shown item at that rank is relevant; ``n_relevant``: int[n].
    The denominator is capped at k so that a perfect list scores 1 even with more than k relevant items.
    """
    hits = np.asarray(hits, dtype=bool)[:, :k]
    n_relevant = np.asarray(n_relevant)
    live = n_relevant > 0
    if not live.any():
        return 0.0
    return float(np.mean(hits[live].sum(axis=1) / np.minimum(n_relevant[live], k)))


def ndcg_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int = 10) -> float:
    """Mean binary-gain NDCG@k over rows with something relevant (gain 1/log2(rank + 1), rank from 1)."""
    hits = np.asarray(hits, dtype=bool)[:, :k]
    n_relevant = np.asarray(n_relevant)
    live = n_relevant > 0
    if not live.any():
        return 0.0
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits[live] * discount[: hits.shape[1]]).sum(axis=1)
    ideal = np.cumsum(discount)[np.minimum(n_relevant[live], k) - 1]
    return float(np.mean(dcg / ideal))


def coverage(exposure: np.ndarray) -> float:
    """Share of items shown at least once."""
    exposure = np.asarray(exposure)
    return float((exposure > 0).mean()) if exposure.size else 0.0


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative ``values`` (0 equal, (n-1)/n all on one)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum()) / (n * x.sum()) - (n + 1.0) / n)


# --- the market ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _occupations() -> list[tuple[int, str, tuple[str, ...]]]:
    """(integer code, name, aliases) of the detailed occupations of the chosen major groups."""
    out = []
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "4" or row["code"][0] not in MAJORS or row["code"].endswith("-00"):
                continue
            name = _clean(row["name"])
            aliases = tuple(dict.fromkeys(a for a in (_clean(x) for x in row["alias"].split(",")) if a and a != name))
            out.append((int(row["code_num"]), name, aliases))
    return out


def _clean(text: str) -> str:
    text = text.strip()
    while text and text[-1] in "SL/":      # the classification's 绿色/数字 markers
        text = text[:-1]
    return text.strip()


@lru_cache(maxsize=1)
def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Community codes, their street codes and simulated coordinates (streets on a ring around the centre)."""
    data = yaml.safe_load(REGIONS.read_text(encoding="utf-8"))
    codes, streets = [], []
    for district in data["districts"]:
        for street in district["streets"]:
            for community in street.get("communities", []):
                codes.append(int(community["code"]))
                streets.append(int(street["code"]))
    codes, streets = np.array(codes, dtype=np.int64), np.array(streets, dtype=np.int64)
    rng = np.random.default_rng(610102)
    street_ids, street_index = np.unique(streets, return_inverse=True)
    angle = np.linspace(0, 2 * np.pi, len(street_ids), endpoint=False)
    radius = rng.uniform(0.01, 0.04, len(street_ids))      # degrees: 1 to 4 km
    lat = CENTER[0] + radius[street_index] * np.sin(angle[street_index]) + rng.normal(0, 0.004, len(codes))
    lon = CENTER[1] + radius[street_index] * np.cos(angle[street_index]) + rng.normal(0, 0.004, len(codes))
    return codes, streets, lat, lon


def _bits(rng: np.random.Generator, pool: np.ndarray, keep: float) -> np.ndarray:
    """Bit masks keeping each bit of ``pool`` with probability ``keep``."""
    out = np.zeros(len(pool), dtype=np.uint64)
    for bit in range(len(SKILL_WORDS)):
        has = (pool >> np.uint64(bit)) & np.uint64(1)
        draw = rng.random(len(pool)) < keep
        out |= (has.astype(bool) & draw).astype(np.uint64) << np.uint64(bit)
    return out


def _mask_rows(masks: np.ndarray) -> sparse.csr_matrix:
    """Bit masks → binary CSR over SKILL_WORDS."""
    bits = ((masks[:, None] >> np.arange(len(SKILL_WORDS), dtype=np.uint64)[None, :]) & np.uint64(1)).astype(bool)
    return sparse.csr_matrix(bits.astype(np.float32))


def generate_market(n_seekers: int, n_vacancies: int, months: int, seed: int = 0,
                    params: Params | None = None) -> Market:
    """A reproducible market: the hidden truth and what the recommender observes of it."""
    from jiuye.jobs.text import tokens

    params = params or Params()
    rng = np.random.default_rng(seed)
    table = _occupations()
    n_occ = int(np.clip(n_vacancies // 12, 12, 200))
    majors = np.array([str(code // 1_000_000) for code, _n, _a in table])
    weight = np.array([MAJORS[m] for m in majors]) / np.bincount(np.unique(majors, return_inverse=True)[1])[
        np.unique(majors, return_inverse=True)[1]]
    chosen = rng.choice(len(table), n_occ, replace=False, p=weight / weight.sum())
    occ_code = np.array([table[i][0] for i in chosen], dtype=np.int32)
    occ_major = np.array([majors[i] for i in chosen])
    # each occupation needs 3 skills; some skills are shared between occupations
    occ_skills = np.zeros(n_occ, dtype=np.uint64)
    for bit_choice in rng.integers(0, len(SKILL_WORDS), (3, n_occ)):
        occ_skills |= np.uint64(1) << bit_choice.astype(np.uint64)
    occ_wage = np.array([MAJOR_WAGE[m] for m in occ_major]) * rng.lognormal(0, 0.2, n_occ)
    occ_edu = np.array([MAJOR_EDUCATION[m] for m in occ_major], dtype=np.int8)
    # supply and demand differ: seekers and vacancies spread over occupations with different weights
    popularity = rng.dirichlet(np.full(n_occ, 0.8))
    demand = 0.5 * popularity + 0.5 * rng.dirichlet(np.full(n_occ, 0.8))
    codes, _streets, place_lat, place_lon = _places()

    N, M = n_seekers, n_vacancies
    s_o = rng.choice(n_occ, N, p=popularity)
    v_o = rng.choice(n_occ, M, p=demand)
    s_place = rng.integers(0, len(codes), N)
    v_place = rng.integers(0, len(codes), M)
    s_arrival = np.where(rng.random(N) < params.initial_share, 0, rng.integers(1, max(months, 2), N))
    v_arrival = np.where(rng.random(M) < params.initial_share, 0, rng.integers(1, max(months, 2), M))
    if months <= 1:
        s_arrival[:] = 0
        v_arrival[:] = 0
    extra_skill = np.uint64(1) << rng.integers(0, len(SKILL_WORDS), N).astype(np.uint64)
    truth = Truth(
        s_occ=occ_code[s_o],
        s_skills=_bits(rng, occ_skills[s_o], 0.75) | np.where(rng.random(N) < 0.5, extra_skill, np.uint64(0)),
        s_lat=place_lat[s_place] + rng.normal(0, 0.003, N), s_lon=place_lon[s_place] + rng.normal(0, 0.003, N),
        s_wage=occ_wage[s_o] * rng.lognormal(-0.05, 0.15, N),
        s_work=np.where(rng.random(N) < 0.75, WORK_TYPE_BITS["full_time"],
                        np.where(rng.random(N) < 0.7, WORK_TYPE_BITS["part_time"], 1 | 2 | 4)).astype(np.uint8),
        s_edu=np.clip(occ_edu[s_o] + rng.integers(-1, 2, N), 1, 7).astype(np.int8),
        s_exp=rng.integers(0, 16, N).astype(np.int16),
        s_arrival=s_arrival.astype(np.int16),
        v_occ=occ_code[v_o],
        v_skills=_bits(rng, occ_skills[v_o], 0.7),
        v_lat=place_lat[v_place] + rng.normal(0, 0.003, M), v_lon=place_lon[v_place] + rng.normal(0, 0.003, M),
        v_wage=occ_wage[v_o] * rng.lognormal(0, 0.15, M),
        v_work=np.where(rng.random(M) < 0.8, WORK_TYPE_BITS["full_time"],
                        np.where(rng.random(M) < 0.75, WORK_TYPE_BITS["part_time"], WORK_TYPE_BITS["gig"])
                        ).astype(np.uint8),
        v_edu=np.where(rng.random(M) < 0.3, 0, occ_edu[v_o] - rng.integers(0, 2, M)).astype(np.int8),
        v_exp=np.where(rng.random(M) < 0.5, 0, rng.integers(1, 6, M)).astype(np.int16),
        v_openings=np.minimum(rng.geometric(params.openings_p, M), 20).astype(np.int32),
        v_appeal=rng.normal(0, 0.15, M),
        v_arrival=v_arrival.astype(np.int16),
    )

    # --- what the recommender observes ---
    name_of = {table[i][0]: table[i][1] for i in chosen}
    aliases_of = {table[i][0]: table[i][2] for i in chosen}
    # a seeker states its occupation (70%), a neighbouring one of the same group (15%) or none (15%)
    draw = rng.random(N)
    sibling = occ_code[rng.integers(0, n_occ, N)]
    same_group = sibling // 100 == truth.s_occ // 100
    stated = np.where(draw < 0.7, truth.s_occ, np.where((draw < 0.85) & same_group, sibling, -1)).astype(np.int32)
    stated = np.where((draw >= 0.7) & (draw < 0.85) & ~same_group, truth.s_occ, stated)
    s_observed_skills = _bits(rng, truth.s_skills, 0.7)
    # a vacancy is titled with the occupation's name or one of its aliases; 10% state no occupation code
    titles = []
    for code in truth.v_occ.tolist():
        options = (name_of[code],) + aliases_of[code]
        titles.append(options[int(rng.integers(0, len(options)))])
    v_stated = np.where(rng.random(M) < 0.9, truth.v_occ, -1).astype(np.int32)

    # text: TF-IDF over the tokenizer's words of occupation names / titles and skill words
    skill_tokens = [tokens(word) or [word.lower()] for word in SKILL_WORDS]
    seeker_docs = []
    s_bits_obs = s_observed_skills
    for i in range(N):
        words = tokens(name_of.get(int(stated[i]), "")) if stated[i] >= 0 else []
        seeker_docs.append(words + [w for b in range(len(SKILL_WORDS)) if (int(s_bits_obs[i]) >> b) & 1
                                    for w in skill_tokens[b]])
    title_tokens = {t: tokens(t) for t in set(titles)}
    v_bits = truth.v_skills
    vacancy_docs = [title_tokens[titles[j]] + [w for b in range(len(SKILL_WORDS)) if (int(v_bits[j]) >> b) & 1
                                               for w in skill_tokens[b]] for j in range(M)]
    vocabulary = Vocabulary()
    for doc in seeker_docs + vacancy_docs:
        for word in doc:
            vocabulary.index.setdefault(word, len(vocabulary.index))
    V = len(vocabulary.index)
    s_bin = _binary(seeker_docs, vocabulary.index, V)
    v_bin = _binary(vacancy_docs, vocabulary.index, V)
    df = np.asarray((s_bin > 0).sum(axis=0) + (v_bin > 0).sum(axis=0)).ravel()
    vocabulary.idf = np.log((N + M + 1) / (df + 1)).astype(np.float32) + 1.0
    queries = _binary([tokens(name_of[int(c)]) if c >= 0 else seeker_docs[i] for i, c in enumerate(stated)],
                      vocabulary.index, V)
    title_words = _binary([title_tokens[t] for t in titles], vocabulary.index, V)

    wage_seen = np.where(rng.random(N) < 0.75, np.round(truth.s_wage * rng.lognormal(0, 0.1, N), -2), 0)
    seekers = SeekerArrays(
        person_id=np.arange(1, N + 1, dtype=np.int64),
        region=codes[s_place],
        pref_regions=np.full((N, 1), 610102000000, dtype=np.int64),
        occupations=stated.reshape(N, 1),
        education=truth.s_edu.copy(),
        experience=truth.s_exp.copy(),
        wage_min=wage_seen.astype(np.int32),
        work_types=np.where(rng.random(N) < 0.5, truth.s_work, 0).astype(np.uint8),
        lat=truth.s_lat.astype(np.float32), lon=truth.s_lon.astype(np.float32),
        max_commute_km=np.full(N, np.nan, dtype=np.float32),
        skills=_mask_rows(s_observed_skills),
        text=_tfidf(s_bin, vocabulary.idf),
        priority=np.zeros(N, dtype=bool),
    )
    vacancies = VacancyArrays(
        vacancy_id=np.arange(1, M + 1, dtype=np.int64),
        employer_id=np.arange(1, M + 1, dtype=np.int64),
        region=codes[v_place],
        lat=truth.v_lat.astype(np.float32), lon=truth.v_lon.astype(np.float32),
        occupation=v_stated,
        education_min=np.maximum(truth.v_edu, 0).astype(np.int8),
        experience_min=truth.v_exp.copy(),
        wage_min=np.round(truth.v_wage * 0.9, -2).astype(np.int32),
        wage_max=np.round(truth.v_wage * 1.1, -2).astype(np.int32),
        work_type=truth.v_work.copy(),
        openings=truth.v_openings.copy(),
        skills=_mask_rows(truth.v_skills),
        text=_tfidf(v_bin, vocabulary.idf),
        welfare_post=np.zeros(M, dtype=bool),
    )
    return Market(truth, seekers, vacancies, vocabulary, titles, queries, title_words, months, params)


def _binary(docs: list[list[str]], index: dict[str, int], width: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    cols = []
    for i, doc in enumerate(docs):
        row = sorted({index[w] for w in doc if w in index})
        cols.extend(row)
        indptr[i + 1] = indptr[i] + len(row)
    return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), np.array(cols, dtype=np.int32), indptr),
                             shape=(len(docs), width))


def _tfidf(binary: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    weighted = sparse.csr_matrix(binary.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ weighted).astype(np.float32)


# --- truth ---------------------------------------------------------------------------------------------

def occupation_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 same occupation, 0.7 same small group, 0.4 same medium group, 0.1 same major group, else 0."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    out = np.where(a // 1_000_000 == b // 1_000_000, 0.1, 0.0)
    out = np.where(a // 10_000 == b // 10_000, 0.4, out)
    out = np.where(a // 100 == b // 100, 0.7, out)
    out = np.where(a == b, 1.0, out)
    return np.where((a < 0) | (b < 0), 0.0, out)


def _km(lat1, lon1, lat2, lon2):
    dlat = (lat1 - lat2) * 111.0
    dlon = (lon1 - lon2) * 111.0 * np.cos(np.radians(CENTER[0]))
    return np.sqrt(dlat * dlat + dlon * dlon)


def true_utility(t: Truth, si: np.ndarray, vi: np.ndarray) -> np.ndarray:
    """How much seeker ``si`` wants vacancy ``vi`` (pairs): occupation, wage, appeal, commute, work type."""
    wage = np.clip(np.log(t.v_wage[vi] / t.s_wage[si]), -0.5, 0.5)
    work = (t.s_work[si] & t.v_work[vi]) > 0
    return (occupation_similarity(t.s_occ[si], t.v_occ[vi]) + 0.8 * wage + t.v_appeal[vi]
            - 0.03 * _km(t.s_lat[si], t.s_lon[si], t.v_lat[vi], t.v_lon[vi]) + 0.2 * work - 0.2 * ~work)


def true_fit(t: Truth, si: np.ndarray, vi: np.ndarray) -> np.ndarray:
    """How well seeker ``si`` fits vacancy ``vi`` for its employer: skills, occupation, education, experience."""
    required = np.bitwise_count(t.v_skills[vi]).astype(np.float64)
    held = np.bitwise_count(t.v_skills[vi] & t.s_skills[si]).astype(np.float64)
    skills = np.divide(held, required, out=np.ones_like(held), where=required > 0)
    return (0.5 * skills + 0.3 * occupation_similarity(t.s_occ[si], t.v_occ[vi])
            + 0.1 * (t.s_edu[si] >= t.v_edu[vi]) + 0.1 * (t.s_exp[si] >= t.v_exp[vi]))


def apply_probability(utility: np.ndarray, p: Params) -> np.ndarray:
    return p.apply_max / (1.0 + np.exp(-(utility - p.apply_mid) / p.apply_scale))


def _coin(si: np.ndarray, vi: np.ndarray, month: int, seed: int) -> np.ndarray:
    """A uniform number per (seeker, vacancy, month): the same in every policy's run (common random numbers)."""
    x = (si.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (vi.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F))
    x ^= np.uint64((month * 0x165667B19E3779F9 + seed * 0x27D4EB2F165667C5) % (1 << 64))
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> np.uint64(33)
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


# --- recommenders --------------------------------------------------------------------------------------

def take_seekers(a: SeekerArrays, rows: np.ndarray) -> SeekerArrays:
    return SeekerArrays(**{name: (value[rows] if not sparse.issparse(value) else value[rows])
                           for name, value in vars(a).items()})


def take_vacancies(a: VacancyArrays, rows: np.ndarray, openings: np.ndarray | None = None) -> VacancyArrays:
    out = VacancyArrays(**{name: value[rows] for name, value in vars(a).items()})
    if openings is not None:
        out.openings = openings.astype(np.int32)
    return out


def stand_in_candidates(seekers: SeekerArrays, vacancies: VacancyArrays, per_seeker: int,
                        weights=None) -> sparse.csr_matrix:
    """A stand-in for ``score.candidates`` until the matching part lands: the same observed fields, a
    weighted sum in [0, 1] (occupation 0.35, skills 0.2, text 0.2, place 0.1, wage 0.1, work type 0.05),
    each seeker's best ``per_seeker`` vacancies. Vectorised in seeker blocks."""
    n, m = len(seekers), len(vacancies)
    per = min(per_seeker, m)
    if n == 0 or per == 0:
        return sparse.csr_matrix((n, m), dtype=np.float32)
    rows_out, cols_out, vals_out = [], [], []
    v_req = np.asarray(vacancies.skills.sum(axis=1)).ravel()
    block = max(1, 4_000_000 // max(m, 1))
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        occ = occupation_similarity(seekers.occupations[r0:r1, :1], vacancies.occupation[None, :])
        held = (seekers.skills[r0:r1] @ vacancies.skills.T).toarray()
        skills = np.divide(held, v_req[None, :], out=np.full(held.shape, 0.5), where=v_req[None, :] > 0)
        text = (seekers.text[r0:r1] @ vacancies.text.T).toarray()
        km = _km(seekers.lat[r0:r1, None], seekers.lon[r0:r1, None], vacancies.lat[None, :], vacancies.lon[None, :])
        place = np.exp(-km / 5.0)
        want = seekers.wage_min[r0:r1, None].astype(np.float64)
        wage = np.where(want <= 0, 0.5, np.clip(vacancies.wage_max[None, :] / np.maximum(want, 1), 0, 1))
        work = np.where(seekers.work_types[r0:r1, None] == 0, 1.0,
                        ((seekers.work_types[r0:r1, None] & vacancies.work_type[None, :]) > 0).astype(float))
        total = 0.35 * occ + 0.2 * skills + 0.2 * text + 0.1 * place + 0.1 * wage + 0.05 * work
        top = np.argpartition(-total, per - 1, axis=1)[:, :per]
        rows_out.append(np.repeat(np.arange(r0, r1), per))
        cols_out.append(top.ravel())
        vals_out.append(np.take_along_axis(total, top, axis=1).ravel())
    values = np.concatenate(vals_out).astype(np.float32)
    values = np.maximum(values, 1e-6)     # a stored zero would vanish from the candidate set
    return sparse.csr_matrix((values, (np.concatenate(rows_out), np.concatenate(cols_out))), shape=(n, m))


def engine_candidates(seekers: SeekerArrays, vacancies: VacancyArrays, per_seeker: int,
                      weights=None) -> sparse.csr_matrix:
    """The matching engine's ``score.candidates``, scores divided by ``score.max_total`` (so in [0, 1], the
    scale ``assign.congestion_assign``'s temperature is meant for)."""
    from jiuye.jobs.matching import score

    found = score.candidates(seekers, vacancies, per_seeker, weights)
    found.data = found.data / np.float32(score.max_total(weights))
    return found


def recommender():
    """The matching part's ``score.candidates`` when it exists, else the stand-in; and its name."""
    from jiuye.jobs.matching import score

    if getattr(score, "candidates", None) is None:
        return stand_in_candidates, "stand_in"
    return engine_candidates, "score.candidates"


def keyword_lists(market: Market, active: np.ndarray, open_: np.ndarray, k: int) -> np.ndarray:
    """The job-board baseline: title words matching the seeker's query, most recent first, then the most
    recent others. Returns vacancy indices (into the market) [len(active), k], -1 padded."""
    if len(active) == 0 or len(open_) == 0:
        return np.full((len(active), k), -1, dtype=np.int64)
    arrival = market.truth.v_arrival[open_].astype(np.float64)
    overlap = sparse.csr_matrix(market.queries[active] @ market.title_words[open_].T)
    overlap.data = 1e6 + arrival[overlap.indices] * 1e3 + np.minimum(overlap.data, 99) + open_[overlap.indices] * 1e-7
    recent = np.argsort(-(arrival * 1e3 + open_ * 1e-7), kind="stable")[:k]
    filler = sparse.csr_matrix((np.tile(arrival[recent] + 1.0 + open_[recent] * 1e-7, len(active)),
                                (np.repeat(np.arange(len(active)), len(recent)), np.tile(recent, len(active)))),
                               shape=overlap.shape)
    combined = (overlap + filler).tocsr()
    local = assign.ranked(assign.plain_top_k(combined, k), k)
    return np.where(local >= 0, open_[np.maximum(local, 0)], -1)


# --- the run -------------------------------------------------------------------------------------------

@dataclass
class PolicyRun:
    policy: str
    hires_per_month: list[int]
    hired_pairs: np.ndarray            # int64 (seeker, vacancy) pairs encoded s * M + v
    shown: list[tuple[np.ndarray, np.ndarray]]   # per month: (active seeker indices, lists [n, k])
    relevant: list[np.ndarray]          # per month: number of mutual matches among the open vacancies
    hits: list[np.ndarray]              # per month: bool [n, k] shown item is a mutual match
    exposure: np.ndarray                # int64[M]: times each vacancy was shown
    ever_open: np.ndarray               # bool[M]
    unfilled: int = 0                   # openings never filled
    seconds: float = 0.0


def _mutual(market: Market, si: np.ndarray, vi: np.ndarray) -> np.ndarray:
    p = market.params
    return ((apply_probability(true_utility(market.truth, si, vi), p) >= p.relevant_apply)
            & (true_fit(market.truth, si, vi) >= p.hire_threshold))


def _relevant_counts(market: Market, active: np.ndarray, open_: np.ndarray) -> np.ndarray:
    out = np.zeros(len(active), dtype=np.int64)
    if len(open_) == 0:
        return out
    block = max(1, 2_000_000 // len(open_))
    for r0 in range(0, len(active), block):
        si = np.repeat(active[r0:r0 + block], len(open_))
        vi = np.tile(open_, min(block, len(active) - r0))
        out[r0:r0 + block] = _mutual(market, si, vi).reshape(-1, len(open_)).sum(axis=1)
    return out


def run_policy(market: Market, policy: str, seed: int = 0, scorer=None) -> PolicyRun:
    """One policy over the whole horizon on a fresh copy of the market's state."""
    started = time.perf_counter()
    t, p = market.truth, market.params
    N, M = len(t.s_occ), len(t.v_occ)
    scorer = scorer or recommender()[0]
    hired = np.zeros(N, dtype=bool)
    remaining = t.v_openings.astype(np.int64).copy()
    exposure = np.zeros(M, dtype=np.int64)
    ever_open = np.zeros(M, dtype=bool)
    run = PolicyRun(policy, [], np.zeros(0, dtype=np.int64), [], [], [], exposure, ever_open)
    pairs = []
    for month in range(market.months):
        active = np.flatnonzero(~hired & (t.s_arrival <= month))
        open_ = np.flatnonzero((remaining > 0) & (t.v_arrival <= month) & (t.v_arrival > month - p.lifetime))
        ever_open[open_] = True
        if policy == "keyword":
            lists = keyword_lists(market, active, open_, p.k)
        else:
            if len(active) and len(open_):
                cand = scorer(take_seekers(market.seekers, active),
                              take_vacancies(market.vacancies, open_, remaining[open_]), p.per_seeker, None)
                if policy == "congestion":
                    chosen = assign.congestion_assign(cand, remaining[open_], p.k, strength=p.strength,
                                                      temperature=p.temperature, slack=p.slack,
                                                      capacity_power=p.capacity_power)
                else:
                    chosen = assign.plain_top_k(cand, p.k)
                local = assign.ranked(chosen, p.k)
                lists = np.where(local >= 0, open_[np.maximum(local, 0)], -1)
            else:
                lists = np.full((len(active), p.k), -1, dtype=np.int64)
        shown = lists >= 0
        np.add.at(exposure, lists[shown], 1)
        si = np.repeat(active, p.k).reshape(len(active), p.k)[shown]
        vi = lists[shown]
        run.shown.append((active, lists))
        hits = np.zeros(lists.shape, dtype=bool)
        hits[shown] = _mutual(market, si, vi)
        run.hits.append(hits)
        run.relevant.append(_relevant_counts(market, active, open_))
        # applications and hires
        applies = _coin(si, vi, month, seed) < apply_probability(true_utility(t, si, vi), p)
        si, vi = si[applies], vi[applies]
        fit = true_fit(t, si, vi)
        ok = fit >= p.hire_threshold
        si, vi, fit = si[ok], vi[ok], fit[ok]
        utility = true_utility(t, si, vi)
        month_hires = 0
        for _round in range(p.rounds):
            live = ~hired[si] & (remaining[vi] > 0)
            si, vi, fit, utility = si[live], vi[live], fit[live], utility[live]
            if not len(si):
                break
            # each vacancy offers its best applicants, up to its remaining openings
            order = np.lexsort((si, -fit, vi))
            v_sorted = vi[order]
            first = np.r_[0, np.flatnonzero(np.diff(v_sorted)) + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            offered = order[rank < remaining[v_sorted]]
            # each seeker accepts its most wanted offer
            o = offered[np.lexsort((vi[offered], -utility[offered], si[offered]))]
            s_o = si[o]
            take = o[np.r_[True, s_o[1:] != s_o[:-1]]]
            hired[si[take]] = True
            np.subtract.at(remaining, vi[take], 1)
            pairs.append(si[take].astype(np.int64) * M + vi[take])
            month_hires += len(take)
        run.hires_per_month.append(month_hires)
    run.unfilled = int(remaining.sum())
    run.hired_pairs = np.concatenate(pairs) if pairs else np.zeros(0, dtype=np.int64)
    run.seconds = time.perf_counter() - started
    return run


def summarise(market: Market, run: PolicyRun, eventual: np.ndarray, k: int = 10) -> dict:
    """The metrics of one policy's run; ``eventual``: hire pairs (s * M + v) under any policy."""
    M = len(market.truth.v_occ)
    hits = np.concatenate(run.hits) if run.hits else np.zeros((0, k), dtype=bool)
    relevant = np.concatenate(run.relevant) if run.relevant else np.zeros(0, dtype=np.int64)
    # eventual hires: the pairs hired under any policy within the horizon, among the vacancies then open
    t, p = market.truth, market.params
    N = len(t.s_occ)
    e_seeker, e_vacancy = eventual // M, eventual % M
    e_hits, e_relevant = [], []
    for month, (active, lists) in enumerate(run.shown):
        pair = np.where(lists >= 0, active[:, None].astype(np.int64) * M + lists, -1)
        e_hits.append(np.isin(pair, eventual) & (lists >= 0))
        open_then = (t.v_arrival[e_vacancy] <= month) & (month < t.v_arrival[e_vacancy] + p.lifetime)
        e_relevant.append(np.bincount(e_seeker[open_then], minlength=N)[active])
    e_hits_all = np.concatenate(e_hits) if e_hits else np.zeros((0, k), dtype=bool)
    e_rel_all = np.concatenate(e_relevant) if e_relevant else np.zeros(0, dtype=np.int64)
    exposure = run.exposure[run.ever_open]
    return {
        "hires": int(sum(run.hires_per_month)),
        "hires_per_month": [int(h) for h in run.hires_per_month],
        "hires_per_month_mean": float(np.mean(run.hires_per_month)) if run.hires_per_month else 0.0,
        "recall_at_10": recall_at_k(hits, relevant, k),
        "ndcg_at_10": ndcg_at_k(hits, relevant, k),
        "hire_recall_at_10": recall_at_k(e_hits_all, e_rel_all, k),
        "hire_ndcg_at_10": ndcg_at_k(e_hits_all, e_rel_all, k),
        "coverage": coverage(exposure),
        "gini": gini(exposure),
        "gini_per_opening": gini(exposure / np.maximum(market.truth.v_openings[run.ever_open], 1)),
        "unfilled_openings": int(run.unfilled),
        "seconds": round(run.seconds, 2),
    }


def simulate(n_seekers: int, n_vacancies: int, months: int, seed: int = 0, params: Params | None = None,
             policies=POLICIES, scorer=None) -> dict:
    """Generate the market, run every policy, return sizes, metrics per policy and timings (English keys)."""
    started = time.perf_counter()
    market = generate_market(n_seekers, n_vacancies, months, seed, params)
    generated = time.perf_counter() - started
    name = "custom"
    if scorer is None:
        scorer, name = recommender()
    runs = {policy: run_policy(market, policy, seed, scorer) for policy in policies}
    eventual = np.unique(np.concatenate([run.hired_pairs for run in runs.values()]))
    p = market.params
    return {
        "seekers": n_seekers, "vacancies": n_vacancies, "months": months, "seed": seed,
        "openings": int(market.truth.v_openings.sum()),
        "k": p.k, "per_seeker": p.per_seeker, "strength": p.strength, "temperature": p.temperature, "slack": p.slack,
        "capacity_power": p.capacity_power,
        "recommender": name,
        "policies": {policy: summarise(market, run, eventual, p.k) for policy, run in runs.items()},
        "seconds": {"generate": round(generated, 2), "total": round(time.perf_counter() - started, 2)},
    }
