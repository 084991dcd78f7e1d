"""Shared helpers for the jobs tests (issue 10): occupations loaded, employers, plain vacancies.

``make_vacancy`` writes a published vacancy straight through the ORM: tests of matching, applications,
gigs and events use it to have something to work on; the vacancy services' own tests go through
``jobs.services.vacancies``.
"""
import datetime

import pytest
from stdnum.cn import uscc

from jiuye.jobs.models import Occupation, Vacancy, VacancyStatus, WorkType
from jiuye.jobs.services.occupations import ensure_loaded
from jiuye.jobs.text import search_text
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1

D = datetime.date


def credit_code(n: int = 0) -> str:
    body = f"91610102MA6U9QX{n:02d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def occupations(db):
    """The shipped occupation table (a no-op when the test database already has it)."""
    ensure_loaded()
    return Occupation.objects


def make_employer(officer, n=1, region=COMMUNITY_A1, name=None, **fields):
    return registry.create_employer(actor=officer, credit_code=credit_code(n), name=name or f"招聘企业{n}", region=region,
                                    **fields)


def make_vacancy(employer, *, title="电焊工", occupation_code="6-18-02-04", openings=2, region=None,
                 work_type=WorkType.FULL_TIME, wage_min=5000, wage_max=7000, status=VacancyStatus.PUBLISHED,
                 valid_from=D(2026, 11, 1), valid_until=D(2027, 1, 31), description="", **fields) -> Vacancy:
    occupation = Occupation.objects.filter(code=occupation_code).first() if occupation_code else None
    return Vacancy.objects.create(
        employer=employer, title=title, description=description, occupation=occupation, openings=openings,
        region_id=region or employer.region_id, work_type=work_type, wage_min=wage_min, wage_max=wage_max,
        status=status, valid_from=valid_from, valid_until=valid_until, search_text=search_text(title, description),
        **fields)
