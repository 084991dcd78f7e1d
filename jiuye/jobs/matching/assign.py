"""Congestion control (owned by the simulation part of issue 10; this is its contract).

    congestion_assign(scores, capacity, k, *, strength=1.0, iterations=..., ...) -> scipy.sparse.csr_matrix

``scores``: [n_seekers, m_vacancies] sparse candidate scores (``score.candidates``); ``capacity``:
open positions per vacancy. Returns, per seeker row, the ``k`` recommended vacancies with their
ranking weights, chosen so that each vacancy is shown to a number of seekers in proportion to its
openings (entropic optimal transport over the sparse candidate set: Sinkhorn scaling of rows and
columns, then each seeker's top ``k`` by the transport plan), instead of everybody's top ``k``.
``plain_top_k(scores, k)`` is the same output without congestion control (the comparison in the
simulation and in ``bench/``).
"""
from __future__ import annotations
