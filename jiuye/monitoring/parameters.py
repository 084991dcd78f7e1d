"""Dated parameters the monitoring app reads (values in parameters/data/*.yaml or a deployment's file).

Every threshold a warning uses (the mass-layoff line, the reasons that count as layoffs, rate thresholds per
level, the unemployment limits of each jurisdiction's plan, the report deadline) is a dated parameter with
its legal basis, read as of the period it judges. Each part declares its own keys here, one block per part.
"""
from __future__ import annotations

from jiuye.parameters import Parameter, declare  # noqa: F401
