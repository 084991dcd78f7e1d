"""The market's demo on a small seeded city: gigs (open, taken, past done with pay, a no-show, the demo
resident's and the demo employer's), sharing with a placement, events of every kind with outcomes."""
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiuye.jobs import demo, demo_market
from jiuye.jobs.models import (
    Application,
    EventKind,
    EventRegistration,
    GigTake,
    GigTask,
    RecruitmentEvent,
    SharingPlacement,
)
from jiuye.registry.demo.users import ensure_demo_users
from jiuye.registry.queries import linked_employer_id, linked_person_id

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_market_demo_on_a_small_city(regions):
    call_command("seed", persons=600, seed=7, no_samples=True, stdout=io.StringIO())
    ensure_demo_users()
    demo.load_reference()
    line = demo_market.seed(TODAY)
    assert "零工市场" in line and "招聘活动" in line
    from jiuye.accounts.models import User

    resident = User.objects.get(username="demo_resident")
    employer = User.objects.get(username="demo_employer")
    assert GigTask.objects.filter(work_date__gte=TODAY, status__in=["open", "taken"]).count() >= 5
    assert GigTake.objects.filter(status="done", paid__gt=0).exists() and GigTake.objects.filter(status="no_show").exists()
    assert GigTake.objects.filter(person_id=linked_person_id(resident)).exists()
    assert GigTask.objects.filter(employer_id=linked_employer_id(employer)).exists()
    assert SharingPlacement.objects.count() == 1
    assert set(RecruitmentEvent.objects.values_list("kind", flat=True)) == set(EventKind.values)
    assert RecruitmentEvent.objects.filter(kind="live_stream").exclude(stream_url="").exists()
    assert EventRegistration.objects.filter(attended_at__isnull=False).exists()
    assert Application.objects.filter(event__isnull=False, status="hired").exists()
    assert demo_market.seed(TODAY) == ""  # idempotent
