"""The supply demo on a small registry: ten years of vacancies and seeker registrations, seasonal, deterministic,
with a catalogue published for last year; a second run adds nothing."""
import datetime

from jiuye.jobs.models import SeekerRegistration, Vacancy, VacancyStatus
from jiuye.monitoring import demo_supply
from jiuye.monitoring.models import CatalogueStatus, ShortageCatalogue
from jiuye.monitoring.periods import parse_period
from jiuye.monitoring.queries import supply as q
from jiuye.registry import services as registry
from tests.jobs_helpers import make_employer, occupations  # noqa: F401

TODAY = datetime.date(2026, 11, 20)


def test_demo_history_and_catalogue(occupations, district_officer, make_person):  # noqa: F811
    district_officer.username = "demo_district"
    district_officer.save()
    for n in range(3):
        make_employer(district_officer, n + 1)
    people = [make_person(name=f"居民{i}", birth="19850101") for i in range(60)]
    employer = make_employer(district_officer, 9)
    for i, p in enumerate(people[:20]):
        registry.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2019, 3, 1 + i),
                                       unemployment_reason="dismissed")
        registry.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2019, 6, 1 + i),
                                     employer=employer, employment_form="unit")
    line = demo_supply.seed(TODAY)
    assert "人力资源市场供求" in line and "已发布" in line, line
    history = Vacancy.objects.filter(import_key__startswith=demo_supply.MARKER)
    assert history.count() > 10 and not history.filter(status__in=[VacancyStatus.PUBLISHED, VacancyStatus.DRAFT]).exists()
    assert history.order_by("published_at").first().published_at.year <= 2018  # ten years back
    ended = SeekerRegistration.objects.filter(started_on__year=2019, started_on__month=3, ended_on__month=6)
    assert ended.count() >= 10  # most unemployment registrations became seeker registrations ended by the next job
    cat = ShortageCatalogue.objects.get()
    assert cat.year == 2025 and cat.status == CatalogueStatus.PUBLISHED
    f = q.supply_figures(district_officer, parse_period("2024"))
    assert f.total.openings > 0
    series = q.monthly_series(district_officer, datetime.date(2026, 10, 1), 120)
    assert sum(series["total"]["seekers"]) == SeekerRegistration.objects.count()
    assert not history.filter(valid_until__gte=TODAY).exists()  # the open market stays the jobs demo's
    assert demo_supply.seed(TODAY) == "" and ShortageCatalogue.objects.count() == 1
