"""Dated parameters the targets app reads (values in parameters/data/*.yaml or a deployment's file).

The red/amber/green thresholds of progress against the time-elapsed share (序时进度), the criteria of a
full-employment community (充分就业社区) per jurisdiction ... each part declares its own keys here, one
block per part.
"""
from __future__ import annotations

from jiuye.parameters import Parameter, declare  # noqa: F401
