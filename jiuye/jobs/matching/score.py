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
"""
from __future__ import annotations

PARTS = ("occupation", "skills", "education", "experience", "place", "wage", "work_type", "text")
