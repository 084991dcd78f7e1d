"""The demo city's market (a step of ``jobs.demo.seed_demo``): gigs, labour sharing and recruitment events.

Gig tasks over the demo street for today, tomorrow and the coming days (posted and taken through the
services as the demo accounts, the demo resident taking one from the portal), and the past weeks' tasks
done with pay or a no-show (history written directly, since the services accept only tasks from today);
the demo employer's own tasks; sharing offers and requests with one recorded placement; events of each
kind across the year (one live-stream), employers and vacancies taking part, registrations with
attendance, and applications naming a past event so its outcomes show. Idempotent: nothing is added
when gig tasks exist already.
"""
from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

STREET = "610102001000"
COMMUNITY = "610102001001"
WORKING = ("none", "unemployed", "employed")


def _users() -> dict:
    from jiuye.accounts.models import User

    names = ["demo_community", "demo_street", "demo_district", "demo_city", "demo_employer", "demo_resident"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _persons(n: int) -> list:
    from jiuye.registry.models import Person

    return list(Person.objects.filter(region__code__startswith=STREET[:9], employment_status__in=WORKING)
                .order_by("id")[:n])


def _employers(n: int, prefix: str = STREET[:6]) -> list:
    from jiuye.registry.models import Employer

    return list(Employer.objects.filter(region__code__startswith=prefix).order_by("id")[:n])


def _vacancies(employers, today) -> list:
    """Published vacancies of the given employers (part "vac" makes them; a few are made here if none)."""
    from jiuye.jobs.models import Occupation, Vacancy, VacancyStatus
    from jiuye.jobs.text import search_text

    found = list(Vacancy.objects.filter(employer__in=employers, status=VacancyStatus.PUBLISHED).order_by("id")[:12])
    if found:
        return found
    specs = [("电焊工", "6-18-02-04"), ("保洁员", "4-11-01-01"), ("营业员", "4-01-02-01"), ("叉车司机", "6-30-05-02")]
    made = []
    for i, employer in enumerate(employers[:4]):
        title, code = specs[i % len(specs)]
        made.append(Vacancy.objects.create(
            employer=employer, title=title, occupation=Occupation.objects.filter(code=code).first(), openings=3,
            region_id=employer.region_id, wage_min=4000, wage_max=6500, status=VacancyStatus.PUBLISHED,
            valid_from=today - datetime.timedelta(days=30), valid_until=today + datetime.timedelta(days=90),
            search_text=search_text(title, "")))
    return made


def _gigs(users, persons, today) -> tuple[int, int]:
    from jiuye.jobs.models import GigStatus, GigTake, GigTakeStatus, GigTask
    from jiuye.jobs.services import gigs

    T = datetime.time
    street, community = users.get("demo_street"), users.get("demo_community")
    employer_user, resident = users.get("demo_employer"), users.get("demo_resident")
    tasks = 0
    specs = [  # (days ahead, title, start, end, pay, headcount, poster)
        (0, "超市理货", T(18), T(22), "120", 2, ("王女士", "13891234567")),
        (1, "搬家装卸", T(8), T(12), "200", 3, ("李先生", "13991234568")),
        (1, "家庭保洁", T(9), T(15), "180", 1, ("赵女士", "13791234569")),
        (2, "展会布展", T(7), T(17), "260", 4, None),
        (3, "小区绿化养护", T(8), T(16), "220", 2, None),
        (5, "发放宣传单", T(10), T(14), "100", 5, ("社区服务站", "02987654321")),
    ]
    employers = _employers(3, STREET[:9])  # the street officer posts for employers of the street
    open_tasks = []
    for days, title, start, end, pay, headcount, poster in specs:
        if days == 0 and timezone.localtime().time() >= start:
            days = 1
        fields = dict(title=title, work_date=today + datetime.timedelta(days=days), start_time=start, end_time=end,
                      daily_pay=pay, headcount=headcount, region=COMMUNITY, address="西一路街道")
        if poster:
            fields.update(poster_name=poster[0], contact_phone=poster[1])
        else:
            fields.update(employer=employers[0] if employers else None)
        try:
            open_tasks.append(gigs.post_gig(actor=street, **fields))
            tasks += 1
        except (ValidationError, PermissionDenied) as exc:
            log.warning("demo gig not posted: %s", exc)
    if employer_user is not None:
        for days, title in ((1, "仓库临时分拣"), (4, "门店促销")):
            try:
                gigs.post_gig(actor=employer_user, title=title, work_date=today + datetime.timedelta(days=days),
                              start_time=T(9), end_time=T(17), daily_pay="230", headcount=2, region=COMMUNITY)
                tasks += 1
            except (ValidationError, PermissionDenied) as exc:
                log.warning("demo employer gig not posted: %s", exc)
    takes = 0
    pool = iter(persons)
    for task in open_tasks[:4]:
        for _i in range(min(2, task.headcount)):
            person = next(pool, None)
            if person is None:
                break
            try:
                gigs.take_gig(actor=community, task=task, person=person)
                takes += 1
            except (ValidationError, PermissionDenied):
                pass
    if resident is not None and len(open_tasks) > 4:
        try:
            gigs.take_gig(actor=resident, task=open_tasks[4])
            takes += 1
        except (ValidationError, PermissionDenied):
            pass
    # The past weeks: done with pay, one no-show (history: the services accept only tasks from today).
    past_people = list(persons[10:40])
    resident_person = None
    if resident is not None:
        from jiuye.registry.queries import linked_person_id

        from jiuye.registry.models import Person

        resident_person = Person.objects.filter(pk=linked_person_id(resident) or 0).first()
    done_takes = []
    for k in range(12):
        day = today - datetime.timedelta(days=2 + k * 3)
        task = GigTask.objects.create(
            title=["餐馆帮厨", "快递分拣", "活动安保", "家电搬运"][k % 4], region_id=COMMUNITY, address="西一路街道",
            work_date=day, start_time=T(9), end_time=T(17), daily_pay=Decimal(160 + 20 * (k % 4)), headcount=2,
            status=GigStatus.DONE, poster_name="" if k % 3 == 0 else "个人发布", contact_phone="13812345678",
            employer=employers[k % len(employers)] if employers and k % 3 == 0 else None, created_by=street)
        tasks += 1
        who = [p for p in past_people[(2 * k) % max(1, len(past_people)):][:2]]
        if k < 3 and resident_person is not None:
            who = [resident_person] + who[:1]
        for j, person in enumerate(who):
            no_show = k == 5 and j == 1
            done_takes.append(GigTake(
                task=task, person=person, status=GigTakeStatus.NO_SHOW if no_show else GigTakeStatus.DONE,
                taken_at=timezone.make_aware(datetime.datetime.combine(day - datetime.timedelta(days=1), T(20))),
                completed_at=timezone.make_aware(datetime.datetime.combine(day, T(17))),
                paid=None if no_show else task.daily_pay, recorded_by=street))
    GigTake.objects.bulk_create(done_takes)
    return tasks, takes + len(done_takes)


def _sharing(users, today) -> tuple[int, int]:
    from jiuye.jobs.models import Occupation
    from jiuye.jobs.services import sharing

    officer = users.get("demo_district")
    employers = _employers(6)
    if officer is None or len(employers) < 4:
        return 0, 0
    occ = {c: Occupation.objects.filter(code=c).first() for c in ("6-18-02-04", "4-02-01-01", "6-30-05-02")}
    specs = [("offer", 0, "电焊工", "6-18-02-04", 6, 0, 90, "订单淡季，员工可共享，社保由原单位缴纳"),
             ("request", 1, "焊工（临时）", "6-18-02-04", 4, 15, 75, "订单高峰期缺工"),
             ("offer", 2, "快递员", "4-02-01-01", 5, 0, 60, ""),
             ("request", 3, "叉车司机", "6-30-05-02", 2, 10, 40, "春节前缺工"),
             ("request", 1, "仓库分拣员", "4-02-01-01", 3, 20, 50, "")]
    made = []
    for kind, e, title, code, headcount, start, end, terms in specs:
        made.append(sharing.create_offer(actor=officer, kind=kind, employer=employers[e], title=title,
                                         occupation=occ[code], headcount=headcount,
                                         starts_on=today + datetime.timedelta(days=start),
                                         ends_on=today + datetime.timedelta(days=end), wage=5200, terms=terms))
    placement = sharing.record_placement(actor=officer, offer=made[0], request=made[1], from_employer=None,
                                         to_employer=None, headcount=4, starts_on=made[1].starts_on,
                                         ends_on=made[1].ends_on, terms="工资由调入单位按月支付，原劳动关系不变")
    return len(made), 1 if placement else 0


def _events(users, persons, today) -> tuple[int, int]:
    from jiuye.jobs.models import (
        Application,
        EventKind,
        EventRegistration,
        EventStatus,
        EventVacancy,
        RecruitmentEvent,
    )
    from jiuye.jobs.services import events

    district, street, community = users.get("demo_district"), users.get("demo_street"), users.get("demo_community")
    if district is None:
        return 0, 0
    employers = _employers(6)
    vacancies = _vacancies(employers, today)
    year = today.year
    plan = [  # (kind, title, month, day, days long, region, place / stream)
        (EventKind.SPRING_BREEZE, f"{year}年春风行动新城区专场招聘会", 2, 20, 1, district, "新城区人力资源市场"),
        (EventKind.ASSISTANCE_MONTH, f"{year}年就业援助月专场", 1, 15, 1, district, "新城区就业服务中心"),
        (EventKind.PRIVATE_ENTERPRISE, f"{year}年民营企业招聘月", 5, 10, 1, district, "大明宫万达广场"),
        (EventKind.GRADUATE_WEEK, f"{year}年高校毕业生就业服务周", 6, 3, 5, district, "新城区人力资源市场"),
        (EventKind.GOLDEN_AUTUMN, f"{year}年金秋招聘月", 9, 20, 1, district, "新城广场"),
        (EventKind.LIVE_STREAM, "直播带岗：走进新城企业", None, 3, 0, street, "https://live.example.cn/xincheng"),
        (EventKind.OTHER, "西一路街道家门口招聘会", None, 10, 0, street, "西一路街道便民服务中心"),
    ]
    now = timezone.now()
    made, regs = 0, 0
    past_events = []
    for kind, title, month, day, length, actor, where in plan:
        if month is None:  # relative to today: upcoming
            start_day = today + datetime.timedelta(days=day)
        else:
            start_day = datetime.date(year, month, day)
        starts = timezone.make_aware(datetime.datetime.combine(start_day, datetime.time(9)))
        ends = timezone.make_aware(datetime.datetime.combine(start_day + datetime.timedelta(days=length), datetime.time(16)))
        live = kind == EventKind.LIVE_STREAM
        event = events.create_event(actor=actor, kind=kind, title=title, organiser="新城区人力资源和社会保障局"
                                    if actor is district else "西一路街道劳动保障事务所", region=actor.region_id,
                                    starts_at=starts, ends_at=ends, place="" if live else where,
                                    stream_url=where if live else "", description="现场招聘、政策咨询、职业指导。")
        made += 1
        chosen = vacancies[made % max(1, len(vacancies)):][:3] or vacancies[:3]
        for v in chosen:  # the employer joins with its vacancy
            try:
                events.add_vacancy(actor=actor, event=event, vacancy=v)
            except (ValidationError, PermissionDenied):
                pass
        if ends < now:
            past_events.append(event)
            RecruitmentEvent.objects.filter(pk=event.pk).update(status=EventStatus.ENDED)
            rows = [EventRegistration(event=event, person=p, registered_at=starts - datetime.timedelta(days=3),
                                      registered_by=community, attended_at=starts + datetime.timedelta(hours=1)
                                      if i % 3 else None)
                    for i, p in enumerate(persons[made * 7:made * 7 + 12])]
            EventRegistration.objects.bulk_create(rows)
            regs += len(rows)
        else:
            if starts <= now:
                events.set_status(actor=actor, event=event, status=EventStatus.OPEN)
            for p in persons[made * 5:made * 5 + 6]:
                try:
                    events.register(actor=community, event=event, person=p)
                    regs += 1
                except (ValidationError, PermissionDenied):
                    pass
            resident = users.get("demo_resident")
            if resident is not None and kind == EventKind.OTHER:
                try:
                    events.register(actor=resident, event=event)
                    regs += 1
                except (ValidationError, PermissionDenied):
                    pass
    # Outcomes of the most recent past event: applications naming it (part "seek" writes live ones).
    if past_events and vacancies:
        event = max(past_events, key=lambda e: e.starts_at)
        event_vacancies = [ev.vacancy for ev in EventVacancy.objects.filter(event=event).select_related("vacancy")]
        statuses = ["interview", "offer", "hired", "rejected", "applied", "hired"]
        apps = []
        for i, reg in enumerate(EventRegistration.objects.filter(event=event, attended_at__isnull=False).order_by("id")):
            vacancy = event_vacancies[i % len(event_vacancies)] if event_vacancies else None
            if vacancy is None or Application.objects.filter(vacancy=vacancy, person_id=reg.person_id).exists():
                continue
            apps.append(Application(vacancy=vacancy, person_id=reg.person_id, origin="event", status=statuses[i % 6],
                                    event=event, created_by=community))
        Application.objects.bulk_create(apps)
    return made, regs


def seed(today: datetime.date) -> str:
    from jiuye.jobs.models import GigTask

    if GigTask.objects.exists():
        return ""
    users = _users()
    if not users.get("demo_street") or not users.get("demo_community"):
        return ""
    persons = _persons(120)
    with transaction.atomic():
        tasks, takes = _gigs(users, persons, today)
        offers, placements = _sharing(users, today)
        n_events, regs = _events(users, persons, today)
    return (f"零工市场：{tasks}项零工任务、{takes}条接单记录；用工余缺调剂：{offers}条信息、{placements}条调剂记录；"
            f"招聘活动：{n_events}场、报名{regs}人次")
