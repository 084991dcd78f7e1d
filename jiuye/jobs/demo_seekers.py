"""The demo city's seekers (a step of ``jobs.demo.seed_demo``): open seeker registrations for the
unemployed persons able and willing to work (bulk, set-based), profiles for about two in three of them,
the demo resident registered as a seeker with a profile and a résumé (employed, looking for a change),
and applications in every state through the services, hires included (they make employment
registrations). Vacancies come from part "vac"; when there are none, a few are made here."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

CHUNK = 5000


def _leaf_codes() -> list[str]:
    from jiuye.jobs.models import Occupation

    usual = Q(code__startswith="4-") | Q(code__startswith="5-") | Q(code__startswith="6-")  # the city's usual jobs
    return list(Occupation.objects.filter(usual, is_occupation=True).order_by("code").values_list("code", flat=True))


def _seekers(today: datetime.date) -> tuple[int, int]:
    from jiuye.jobs.models import SeekerProfile, SeekerRegistration, WorkType
    from jiuye.registry.models import Person

    open_ids = SeekerRegistration.objects.filter(ended_on__isnull=True).values("person_id")
    pool = (Person.objects.filter(employment_status="unemployed", able_to_work=True, willing_to_work=True)
            .exclude(pk__in=open_ids).order_by("pk").values_list("pk", "region_id"))
    codes = _leaf_codes()
    types = [WorkType.FULL_TIME, WorkType.FULL_TIME, WorkType.PART_TIME, WorkType.GIG]
    has_profile = set(SeekerProfile.objects.values_list("person_id", flat=True))
    regs = profiles = 0
    batch: list = []

    def flush(rows):
        nonlocal regs, profiles
        with transaction.atomic():
            SeekerRegistration.objects.bulk_create(
                [SeekerRegistration(person_id=pk, started_on=today - datetime.timedelta(days=pk % 240),
                                    registered_in_id=region) for pk, region in rows], batch_size=1000)
            made = [SeekerProfile(person_id=pk, occupations=[codes[pk % len(codes)]] if codes else [],
                                  regions=[region[:9] + "000"], wage_min=3000 + (pk % 8) * 500,
                                  wage_max=5000 + (pk % 8) * 500, work_types=[types[pk % len(types)]],
                                  experience_years=pk % 15)
                    for pk, region in rows if pk % 3 != 0 and pk not in has_profile]
            SeekerProfile.objects.bulk_create(made, batch_size=1000)
        regs += len(rows)
        profiles += len(made)

    for row in pool.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return regs, profiles


def _resident(today: datetime.date, actor) -> bool:
    from jiuye.accounts.models import User
    from jiuye.jobs.services import seekers
    from jiuye.registry.models import Person
    from jiuye.registry.queries import linked_person_id

    user = User.objects.filter(username="demo_resident").first()
    pid = linked_person_id(user) if user else None
    person = Person.objects.filter(pk=pid).first() if pid else None
    if person is None:
        return False
    try:
        if seekers.open_registration(person) is None:
            seekers.start_seeking(actor=user, person=person, started_on=today - datetime.timedelta(days=10))
        codes = _leaf_codes()
        seekers.save_profile(actor=user, person=person, occupations=codes[:2], regions=[person.region_id[:9] + "000"],
                             wage_min=6000, wage_max=9000, work_types=["full_time"], hours="工作日白班",
                             max_commute_km=15, skills=["办公软件", "客户沟通"], certificates=["普通话二级甲等"],
                             experience_years=6,
                             resume="2016年毕业后在本市从事行政与客服工作六年，熟悉办公软件和客户接待；"
                                    "希望换到离家更近、有社保的全职岗位。")
    except ValidationError:
        return False
    return True


def _vacancies(today: datetime.date, actor):
    from jiuye.jobs.models import Occupation, Vacancy, VacancyStatus
    from jiuye.jobs.text import search_text
    from jiuye.registry.models import Employer

    published = list(Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, hired__lt=F("openings"),
                                            valid_from__lte=today, valid_until__gte=today, welfare_post__isnull=True)
                     .select_related("employer").order_by("pk")[:12])
    if published:
        return published
    employers = list(Employer.objects.order_by("pk")[:4])
    titles = [("电焊工", "6-18-02-04"), ("餐厅服务员", "4-03-02-05"), ("仓库管理员", "4-02-06-01"), ("保洁员", "4-09-08-01")]
    made = []
    for i, employer in enumerate(employers):
        title, code = titles[i % len(titles)]
        occupation = Occupation.objects.filter(code=code).first()
        made.append(Vacancy.objects.create(
            employer=employer, title=title, description=f"{employer.name}招聘{title}", occupation=occupation, openings=5,
            region_id=employer.region_id, wage_min=4000, wage_max=6500, status=VacancyStatus.PUBLISHED,
            valid_from=today - datetime.timedelta(days=30), valid_until=today + datetime.timedelta(days=60),
            search_text=search_text(title, ""), published_at=timezone.now(), created_by=actor))
    return made


def _applications(today: datetime.date, actor) -> tuple[int, int]:
    """Applications in every state for some open seekers: recommended, applied, interview, offer, hired,
    declined, rejected, withdrawn (through the services, one transaction each)."""
    from jiuye.jobs.models import SeekerRegistration
    from jiuye.jobs.services import applications as apps

    vacancies = _vacancies(today, actor)
    if not vacancies:
        return 0, 0
    seekers = list(SeekerRegistration.objects.filter(ended_on__isnull=True, person__employment_status="unemployed")
                   .select_related("person").order_by("pk")[:40])
    made = hires = 0
    plans = ["recommended", "applied", "interview", "offer", "hired", "declined", "rejected", "withdrawn"]
    now = timezone.now()
    for i, reg in enumerate(seekers):
        vacancy = vacancies[i % len(vacancies)]
        vacancy.refresh_from_db()
        plan = plans[i % len(plans)]
        try:
            with transaction.atomic():
                if plan == "recommended":
                    apps.recommend(actor=actor, vacancy=vacancy, person=reg.person, score=0.5 + (i % 5) / 10,
                                   parts={"occupation": 0.3, "place": 0.2}, matched=True)
                    made += 1
                    continue
                app = apps.apply(actor=actor, vacancy=vacancy, person=reg.person)
                made += 1
                if plan == "withdrawn":
                    apps.transition(actor=actor, application=app, action="withdraw", note="已在别处就业")
                    continue
                if plan == "declined":
                    apps.transition(actor=actor, application=app, action="decline", note="通勤太远")
                    continue
                if plan in ("interview", "offer", "hired", "rejected"):
                    app = apps.transition(actor=actor, application=app, action="interview",
                                          interview_at=now + datetime.timedelta(days=i % 7 + 1))
                if plan == "rejected":
                    apps.transition(actor=actor, application=app, action="reject", note="技能不符")
                if plan in ("offer", "hired"):
                    app = apps.transition(actor=actor, application=app, action="offer")
                if plan == "hired":
                    apps.hire(actor=actor, application=app, start_date=today, employment_form="unit",
                              contract_type="fixed", contract_start=today,
                              contract_end=today.replace(year=today.year + 1) - datetime.timedelta(days=1),
                              social_insurance=True)
                    hires += 1
        except ValidationError:
            continue
    return made, hires


def seed(today: datetime.date) -> str:
    from jiuye.accounts.models import User

    actor = User.objects.filter(username="demo_district").first()
    regs, profiles = _seekers(today)
    resident = _resident(today, actor)
    made, hires = _applications(today, actor)
    return (f"求职登记：{regs}人，求职意向{profiles}份" + ("（含示例居民）" if resident else "")
            + f"；求职申请{made}件，其中录用{hires}人")
