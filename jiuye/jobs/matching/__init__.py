"""Two-way matching (docs/jobs/matching.md).

- ``arrays``: the column arrays the engine works on (seekers, vacancies), and nothing else: no sex,
  ethnicity or household registration is a field, so no score can read them.
- ``score``: the match score as a sum of named parts, vectorised (one seeker against every vacancy,
  one vacancy against every seeker, or a sparse set of pairs), and the readable reasons of one pair.
- ``assign``: congestion control: turns sparse candidate scores into per-seeker recommendation lists
  in which each vacancy is shown to a number of seekers in proportion to its openings.
"""
