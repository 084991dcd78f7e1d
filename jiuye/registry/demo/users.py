"""Demo users: one per role, with deterministic usernames and passwords, for trying the demo city.

The passwords are fixed and printed by ``jiuye demo``: these accounts are for a demonstration
database only and must never exist on a deployment that holds real data. The resident and the employer
user are linked to a person and an employer of the demo city, so this module lives with the registry.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jiuye.accounts.models import Role, User
from jiuye.regions.models import Region
from jiuye.registry import queries, services
from jiuye.registry.models import AccountLink, Employer, Person

COMMUNITY = "610102001001"  # 民乐社区 (西一路街道)
STREET = "610102001000"  # 西一路街道
DISTRICT = "610102000000"  # 新城区
CITY = "610100000000"  # 西安市


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    region: str | None
    display_name: str


DEMO_USERS = [
    DemoUser("demo_community", "jiuye-community-2026", Role.COMMUNITY_WORKER, COMMUNITY, "示例社区协理员"),
    DemoUser("demo_street", "jiuye-street-2026", Role.STREET_OFFICER, STREET, "示例街道劳动保障干部"),
    DemoUser("demo_district", "jiuye-district-2026", Role.DISTRICT_OFFICER, DISTRICT, "示例区人社局工作人员"),
    DemoUser("demo_city", "jiuye-city-2026", Role.CITY_OFFICER, CITY, "示例市人社局工作人员"),
    DemoUser("demo_reviewer", "jiuye-reviewer-2026", Role.POLICY_REVIEWER, DISTRICT, "示例政策审核员"),
    DemoUser("demo_auditor", "jiuye-auditor-2026", Role.AUDITOR, DISTRICT, "示例审计员"),
    DemoUser("demo_leader", "jiuye-leader-2026", Role.LEADER, DISTRICT, "示例区领导"),
    DemoUser("demo_department", "jiuye-department-2026", Role.DEPARTMENT_USER, DISTRICT, "示例责任单位联络员"),
    DemoUser("demo_employer", "jiuye-employer-2026", Role.EMPLOYER_USER, None, "示例用人单位经办人"),
    DemoUser("demo_resident", "jiuye-resident-2026", Role.RESIDENT, None, "示例居民"),
]


def _employer():
    return Employer.objects.filter(region__code__startswith=STREET[:9]).order_by("id").first() or \
        Employer.objects.order_by("id").first()


def _resident(current_user: User | None):
    """A seeded person of the demo community, of working age, not bound to another user."""
    person_id = queries.linked_person_id(current_user) if current_user is not None else None
    if person_id:
        return Person.objects.get(pk=person_id)
    taken = AccountLink.objects.exclude(person=None).values("person_id")
    qs = Person.objects.exclude(pk__in=taken).order_by("id")
    return qs.filter(region_id=COMMUNITY, employment_status="employed").first() or qs.first()


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str, str]]:
    """Create or repair the demo users; returns (username, password, role label, region name) rows."""
    rows = []
    names = dict(Region.objects.filter(code__in=[COMMUNITY, STREET, DISTRICT, CITY]).values_list("code", "name"))
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        extra: dict = {}
        link: dict | None = None
        region = spec.region
        if spec.role == Role.EMPLOYER_USER:
            employer_id = queries.linked_employer_id(user) if user is not None else None
            employer = (Employer.objects.filter(pk=employer_id).first() if employer_id else None) or _employer()
            link = {"employer": employer}
            region = employer.region_id if employer else None
        elif spec.role == Role.RESIDENT:
            person = _resident(user)
            link = {"person": person}
            region = person.region_id if person else None
            if person is not None:
                extra["display_name"] = person.name
        if region is not None and region not in names:
            names.update(Region.objects.filter(code=region).values_list("code", "name"))
        values = dict(role=spec.role, region_id=region, display_name=extra.pop("display_name", spec.display_name),
                      is_active=True)
        if user is None:
            user = User(username=spec.username, **values)
            user.set_password(spec.password)
            user.save()
        else:
            changed = [k for k, v in values.items() if getattr(user, k) != v]
            for k in changed:
                setattr(user, k, values[k])
            if not user.check_password(spec.password):
                user.set_password(spec.password)
                changed.append("password")
            if changed:
                user.save()
        if link is not None:
            services.link_account(actor=None, user=user, **link)
        region_name = names.get(region, "") if region else ""
        if spec.role == Role.EMPLOYER_USER and link["employer"] is not None:
            region_name = f"{link['employer'].name}（{region_name}）"
        rows.append((spec.username, spec.password, str(Role(spec.role).label), region_name))
    return rows
