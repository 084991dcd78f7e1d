"""The match score on arrays (no database): parts, ranking, hard filters, candidates, reasons."""
import numpy as np
from scipy import sparse

from jiuye.jobs.matching import score
from jiuye.jobs.matching.arrays import SeekerArrays, VacancyArrays, occupation_int
from jiuye.jobs.matching.synthetic import synthetic


def _seekers(**over):
    n = 1
    base = dict(person_id=np.array([1]), region=np.array([610102001001]), pref_regions=np.full((n, 1), -1),
                occupations=np.array([[occupation_int("6-18-02-04"), -1]], dtype=np.int32),
                education=np.array([3], np.int8), experience=np.array([2], np.int16),
                wage_min=np.array([5000], np.int32), work_types=np.array([0], np.uint8),
                lat=np.array([np.nan], np.float32), lon=np.array([np.nan], np.float32),
                max_commute_km=np.array([np.nan], np.float32),
                skills=sparse.csr_matrix(np.array([[1, 0, 0]], np.float32)),
                text=sparse.csr_matrix(np.array([[1, 0]], np.float32)), priority=np.array([False]))
    base.update(over)
    return SeekerArrays(**base)


def _vacancies(rows):
    m = len(rows)
    col = lambda name, default, dtype=None: np.array([r.get(name, default) for r in rows], dtype=dtype)  # noqa: E731
    return VacancyArrays(
        vacancy_id=np.arange(1, m + 1), employer_id=np.ones(m, np.int64),
        region=col("region", 610102001001, np.int64), lat=col("lat", np.nan, np.float32),
        lon=col("lon", np.nan, np.float32),
        occupation=np.array([occupation_int(r.get("occ", "6-18-02-04")) for r in rows], np.int32),
        education_min=col("edu", 0, np.int8), experience_min=col("exp", 0, np.int16),
        wage_min=col("wmin", 0, np.int32), wage_max=col("wmax", 0, np.int32), work_type=col("wt", 1, np.uint8),
        openings=col("open", 1, np.int32),
        skills=sparse.csr_matrix(np.array([r.get("skills", [0, 0, 0]) for r in rows], np.float32)),
        text=sparse.csr_matrix(np.array([r.get("text", [0, 1]) for r in rows], np.float32)),
        welfare_post=col("welfare", False, bool))


def test_occupation_proximity_decreases_with_the_hierarchy():
    v = _vacancies([{"occ": "6-18-02-04"}, {"occ": "6-18-02-01"}, {"occ": "6-18-01-01"}, {"occ": "6-20-01-01"},
                    {"occ": "2-01-01-01"}])
    parts = score.raw_parts(_seekers(), v, np.zeros(5, int), np.arange(5))
    assert np.allclose(parts["occupation"], [1.0, 0.75, 0.5, 0.2, 0.0])


def test_education_below_the_minimum_is_a_graded_penalty_and_skills_share():
    v = _vacancies([{"edu": 3}, {"edu": 4}, {"edu": 5}, {"skills": [1, 1, 0]}, {"skills": [0, 0, 0]}])
    parts = score.raw_parts(_seekers(), v, np.zeros(5, int), np.arange(5))
    assert parts["education"][:3].tolist() == [1.0, np.float32(0.65), np.float32(0.3)]
    assert parts["skills"][3] == 0.5 and parts["skills"][4] == score.NEUTRAL


def test_place_by_region_then_distance_against_the_commute_limit():
    v = _vacancies([{"region": 610102001001}, {"region": 610102001002}, {"region": 610103001001},
                    {"region": 620102001001}])
    parts = score.raw_parts(_seekers(), v, np.zeros(4, int), np.arange(4))
    assert parts["place"].tolist() == [1.0, np.float32(0.8), np.float32(0.4), 0.0]
    s = _seekers(lat=np.array([34.26], np.float32), lon=np.array([108.94], np.float32),
                 max_commute_km=np.array([5], np.float32))
    v = _vacancies([{"lat": 34.26, "lon": 108.95}, {"lat": 34.40, "lon": 108.94}])
    place = score.raw_parts(s, v, np.zeros(2, int), np.arange(2))["place"]
    assert place[0] > 0.85 and place[1] < 0.1


def test_wage_and_work_type():
    v = _vacancies([{"wmin": 4000, "wmax": 6000}, {"wmin": 3000, "wmax": 4000}, {}, {"wt": 2}])
    s = _seekers(work_types=np.array([1], np.uint8))
    parts = score.raw_parts(s, v, np.zeros(4, int), np.arange(4))
    assert parts["wage"][0] == 1.0 and 0 < parts["wage"][1] < 1 and parts["wage"][2] == score.NEUTRAL
    assert parts["work_type"].tolist() == [1, 1, 1, 0]


def test_top_jobs_filters_closed_vacancies_and_welfare_posts_for_non_priority():
    v = _vacancies([{"open": 0}, {"welfare": True, "wt": 16}, {"occ": "6-18-01-01"}, {}])
    rows, totals, parts = score.top_jobs(_seekers(), 0, v, 10)
    assert rows.tolist() == [3, 2]
    assert (np.diff(totals) <= 0).all()
    rows, totals, parts = score.top_jobs(_seekers(priority=np.array([True])), 0, v, 10)
    assert rows[0] == 1 and parts["priority"][0] == score.DEFAULT_WEIGHTS["priority"]


def test_top_seekers_agrees_with_score_pairs():
    s, v = synthetic(500, 50, seed=3)
    j = int(np.flatnonzero((v.openings > 0) & ~v.welfare_post)[0])
    rows, totals, _ = score.top_seekers(v, j, s, 20)
    all_t = score.total(score.score_pairs(s, v, np.arange(500), np.full(500, j)))
    assert np.allclose(totals, np.sort(all_t)[::-1][:20])


def test_candidates_keep_the_best_per_seeker_among_blocked_pairs():
    s, v = synthetic(2000, 300, seed=1)
    c = score.candidates(s, v, 25, chunk=700)
    assert c.shape == (2000, 300)
    per_row = np.diff(c.indptr)
    assert per_row.max() <= 25 and (per_row > 0).mean() > 0.9
    assert (v.openings[c.indices] > 0).all()
    r = int(np.argmax(per_row))
    cols = c.indices[c.indptr[r]:c.indptr[r + 1]]
    direct = score.total(score.score_pairs(s, v, np.full(len(cols), r), cols))
    assert np.allclose(np.sort(direct), np.sort(c.data[c.indptr[r]:c.indptr[r + 1]]), atol=1e-4)


def test_reasons_one_per_part_with_points():
    v = _vacancies([{"edu": 4, "skills": [1, 1, 0]}])
    s = _seekers()
    parts = score.score_pairs(s, v, [0], [0])
    rs = score.reasons(parts, (s, 0), (v, 0))
    assert [r.part for r in rs] == list(score.PARTS)
    by = {r.part: r for r in rs}
    assert by["education"].fit == "missing" and by["skills"].data == {"held": [0], "missing": [1]}
    assert by["occupation"].data["level"] == 0
    assert abs(sum(r.points for r in rs) - float(score.total(parts)[0])) < 1e-3
