"""Helpers for the matching tests: seekers with a registration and a profile, a small market."""
import datetime

from django.utils import timezone

from jiuye.accounts.models import Role, User
from jiuye.jobs.models import SeekerProfile, SeekerRegistration
from jiuye.registry import services as registry
from tests.jobs_helpers import make_employer, make_vacancy


def make_seeker(make_person, *, occupations=("6-18-02-04",), region=None, started=None, profile=None, **person):
    kwargs = {"region": region} if region else {}
    p = make_person(**kwargs, **person)
    SeekerRegistration.objects.create(person=p, started_on=started or timezone.localdate() - datetime.timedelta(days=30),
                                      registered_in_id=p.region_id)
    SeekerProfile.objects.create(person=p, occupations=list(occupations), **(profile or {}))
    return p


def today_vacancy(employer, **kw):
    today = timezone.localdate()
    kw.setdefault("valid_from", today - datetime.timedelta(days=5))
    kw.setdefault("valid_until", today + datetime.timedelta(days=60))
    return make_vacancy(employer, **kw)


def market(district_officer, make_person):
    """Two welders (one a college graduate with the certificate), a cook, and three vacancies."""
    firm = make_employer(district_officer, 1, name="秦川机械厂")
    welder_job = today_vacancy(firm, title="电焊工", description="焊接钢结构，持焊工证", skills=[], certificates=["焊工证"],
                               education_min="senior", wage_min=5000, wage_max=7000)
    cook_job = today_vacancy(firm, title="中式烹调师", occupation_code="4-03-02-01", wage_min=4000, wage_max=5000)
    closed = today_vacancy(firm, title="电焊工（已招满）", openings=2, hired=2)
    a = make_seeker(make_person, name="张焊工", education="college", certificates=["焊工证"],
                    profile={"wage_min": 5000, "experience_years": 3})
    b = make_seeker(make_person, name="李学徒", education="junior", profile={"wage_min": 8000})
    c = make_seeker(make_person, name="王厨师", occupations=("4-03-02-01",), education="senior")
    return {"firm": firm, "welder_job": welder_job, "cook_job": cook_job, "closed": closed, "a": a, "b": b, "c": c}


def resident(person, username="res1"):
    user = User.objects.create_user(username, password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=user, person=person)
    return user


def employer_user(employer, username="emp1"):
    user = User.objects.create_user(username, password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, employer=employer)
    return user
