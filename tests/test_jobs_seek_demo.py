"""The demo step of part seek on a small registry: seekers in bulk, the demo resident, applications in
every state with hires that register employment."""
import datetime

from django.utils import timezone

from jiuye.accounts.models import Role, User
from jiuye.jobs import demo_seekers
from jiuye.jobs.models import Application, SeekerProfile, SeekerRegistration
from jiuye.registry import services as registry
from jiuye.registry.models import Registration
from tests.jobs_helpers import make_employer, occupations  # noqa: F401


def test_demo_seekers_seed(occupations, district_officer, make_person):  # noqa: F811
    district_officer.username = "demo_district"
    district_officer.save()
    make_employer(district_officer)
    people = [make_person(name=f"失业{i}") for i in range(9)]
    for p in people:
        registry.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2026, 1, 5),
                                       unemployment_reason="dismissed")
    me = make_person(name="示例居民")
    user = User.objects.create_user("demo_resident", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=user, person=me)
    line = demo_seekers.seed(timezone.localdate())
    assert "求职登记：9人" in line and "示例居民" in line
    assert SeekerProfile.objects.get(person=me).resume
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"recommended", "applied", "interview", "offer", "hired", "declined", "rejected", "withdrawn"} <= statuses
    hired = Application.objects.filter(status="hired").select_related("registration")
    assert hired and all(a.registration.kind == Registration.Kind.EMPLOYMENT for a in hired)
    assert SeekerRegistration.objects.filter(end_reason="hired").count() == hired.count()
