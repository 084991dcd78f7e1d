"""A public-welfare-post vacancy hires through the assistance app's placement: the placement, the employment
registration and the application agree; an ineligible person is refused with the placement's reason."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiuye.assistance.models import Placement, PostCategory
from jiuye.assistance.services import posts
from jiuye.jobs.models import WorkType
from jiuye.jobs.services import applications as apps
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm
from tests.conftest import COMMUNITY_A1
from tests.jobs_helpers import make_employer, make_vacancy, occupations  # noqa: F401
from tests.test_assistance_posts import recognise

D = datetime.date


@pytest.fixture
def welfare(occupations, district_officer):  # noqa: F811
    employer = make_employer(district_officer, n=7, name="西一路街道办事处")
    post = posts.create_post(actor=district_officer, employer=employer, title="社区保洁", category=PostCategory.URBAN,
                             region=COMMUNITY_A1, openings=2, monthly_subsidy=Decimal("1950"), starts_on=D(2025, 1, 1))
    vacancy = make_vacancy(employer, title="社区保洁", occupation_code=None, work_type=WorkType.WELFARE_POST, welfare_post=post,
                           valid_from=timezone.localdate() - datetime.timedelta(days=30),
                           valid_until=timezone.localdate() + datetime.timedelta(days=30))
    return post, vacancy


def _unemployed(make_person, officer, recognised=True):
    person = make_person()
    registry.register_unemployment(actor=officer, person=person, effective_date=D(2025, 6, 1), unemployment_reason="dismissed")
    if recognised:
        recognise(person, D(2025, 6, 1))
    person.refresh_from_db()
    return person


def test_welfare_post_hire_is_a_placement(welfare, district_officer, make_person):
    post, vacancy = welfare
    person = _unemployed(make_person, district_officer)
    app = apps.apply(actor=district_officer, vacancy=vacancy, person=person)
    today = timezone.localdate()
    app = apps.hire(actor=district_officer, application=app, start_date=today, employment_form=EmploymentForm.PUBLIC_WELFARE)
    placement = Placement.objects.get(person=person)
    assert placement.post == post and app.registration == placement.registration
    assert app.registration.employment_form == EmploymentForm.PUBLIC_WELFARE
    vacancy.refresh_from_db()
    assert vacancy.hired == 1


def test_an_ineligible_person_is_refused_with_the_placement_reason(welfare, district_officer, make_person):
    post, vacancy = welfare
    person = _unemployed(make_person, district_officer, recognised=False)
    app = apps.apply(actor=district_officer, vacancy=vacancy, person=person)
    with pytest.raises(ValidationError, match="安置对象"):
        apps.hire(actor=district_officer, application=app, start_date=timezone.localdate())
    vacancy.refresh_from_db()
    app.refresh_from_db()
    assert vacancy.hired == 0 and app.status == "applied" and not Placement.objects.exists()
