"""One vacancy against every seeker: the bounded path (exact scores only for the seekers that can still be
in the top k) gives the same list as scoring every seeker."""
import numpy as np
import pytest

from jiuye.jobs.matching import score, synthetic


@pytest.mark.parametrize("seed", [1, 2])
def test_the_bounded_path_equals_scoring_everyone(monkeypatch, seed):
    seekers, vacancies = synthetic.synthetic(6_000, 400, seed=seed)
    vacancies.welfare_post[::7] = True  # welfare posts: priority seekers only
    seekers.lat[::3] = np.nan  # seekers without coordinates: the place from the region tree
    seekers.lon[::3] = np.nan
    vacancies.lat[::5] = np.nan
    vacancies.lon[::5] = np.nan
    monkeypatch.setattr(score, "BOUNDED_MIN_SEEKERS", 0)
    everyone = np.arange(len(seekers))
    for j in range(0, len(vacancies), 13):
        for k in (1, 20):
            fast_rows, fast_totals, _ = score.top_seekers(vacancies, j, seekers, k)
            parts = score.score_pairs(seekers, vacancies, everyone, np.full(len(seekers), j))
            totals = score.total(parts)
            pick = score._top(totals, score.eligible(seekers, vacancies, everyone, np.full(len(seekers), j)), k,
                              seekers.person_id)
            assert fast_rows.tolist() == pick.tolist()
            assert np.allclose(fast_totals, totals[pick])
