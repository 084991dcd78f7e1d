"""The jobs app's part of a bulk-filled registry (``registry.events.registry_loaded``).

Every load (``jiuye seed``, ``jiuye demo``) loads the shipped occupation table. The demo city also gets
what a bureau running the jobs work would have, one step per part, in this order: vacancies, demand
surveys and the talent pool (``demo_vacancies``); seekers, profiles and applications
(``demo_seekers``); gigs, labour sharing and events (``demo_market``); a recommendation run
(``demo_matching``). Each step returns a short Chinese line for the demo's printout.
"""
from __future__ import annotations

import datetime

from django.dispatch import receiver

from jiuye.registry import events


def load_reference() -> str:
    from jiuye.jobs.models import Occupation
    from jiuye.jobs.services.occupations import ensure_loaded

    ensure_loaded()
    return f"职业分类：{Occupation.objects.filter(is_occupation=True).count()}个职业"


def seed_demo(today: datetime.date) -> list[str]:
    from jiuye.jobs import demo_market, demo_matching, demo_seekers, demo_vacancies

    lines = []
    for step in (demo_vacancies.seed, demo_seekers.seed, demo_market.seed, demo_matching.seed):
        line = step(today)
        if line:
            lines.append(line)
    return lines


@receiver(events.registry_loaded, dispatch_uid="jobs_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    today = today or timezone.localdate()
    lines = [load_reference()]
    if demo:
        lines += seed_demo(today)
    return "；".join(lines)
