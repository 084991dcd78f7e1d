"""Writes of demand surveys: "生成招聘岗位" turns demand lines into draft vacancies of their employers
(through ``services.vacancies.create_vacancy``: the same validation, scope and audit), one per line not yet
turned; the line keeps its vacancy."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from jiuye.jobs.models import DemandLine, VacancySource
from jiuye.jobs.services import vacancies as vacancy_services


def vacancies_from_lines(actor, line_ids, *, on: datetime.date | None = None) -> dict:
    """{"created": n, "errors": [(line id, message)]} for the lines (in the actor's scope) without a vacancy."""
    on = on or vacancy_services.current_date()
    from jiuye.jobs.queries.surveys import lines_visible_to

    lines = list(lines_visible_to(actor).filter(pk__in=list(line_ids), vacancy__isnull=True)
                 .select_related("survey__employer", "occupation"))
    created, errors = 0, []
    for line in lines:
        until = line.needed_by if line.needed_by and line.needed_by > on else on + datetime.timedelta(days=60)
        until = min(until, on + datetime.timedelta(days=180))
        try:
            with transaction.atomic():
                v = vacancy_services.create_vacancy(
                    actor, employer_id=line.survey.employer_id, source=VacancySource.SURVEY, title=line.title,
                    occupation_code=line.occupation.code if line.occupation_id else "", openings=line.headcount,
                    wage_min=line.wage_min, wage_max=line.wage_max, education_min=line.education_min,
                    work_type=line.work_type, valid_from=on, valid_until=until, region=line.survey.region_id)
                DemandLine.objects.filter(pk=line.pk).update(vacancy=v)
                created += 1
        except ValidationError as exc:
            errors.append((line.pk, "；".join(exc.messages)))
    return {"created": created, "errors": errors}
