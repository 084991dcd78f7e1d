"""Helpers for the supply-and-demand tests (issue 11, part supply): vacancies published at a local time, seeker
registrations started on a day, straight through the ORM."""
import datetime
import zoneinfo

from jiuye.jobs.models import SeekerProfile, SeekerRegistration, VacancyStatus
from tests.jobs_helpers import make_vacancy

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def published(employer, day, *, openings=2, status=VacancyStatus.CLOSED, hour=10, minute=0, **fields):
    return make_vacancy(employer, openings=openings, status=status, published_at=at(day, hour, minute),
                        valid_from=day, valid_until=day + datetime.timedelta(days=60), **fields)


def seeker(person, day, *, region=None, occupations=None, ended_on=None):
    if occupations is not None:
        SeekerProfile.objects.update_or_create(person=person, defaults={"occupations": occupations})
    return SeekerRegistration.objects.create(person=person, started_on=day, ended_on=ended_on,
                                             registered_in_id=region or person.region_id)
