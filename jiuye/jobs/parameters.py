"""Dated parameters the jobs app reads (values in parameters/data/*.yaml or a deployment's file).

Every weight of the match score and every limit of the recommender is a dated parameter, so a bureau
can change them with an effective date and a basis, and a past recommendation can be explained with
the values in force on its day. Each part declares its own keys here, one block per part.
"""
from __future__ import annotations
