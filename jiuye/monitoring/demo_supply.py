"""The demo city's labour-market history for the supply-and-demand pages (issue 11, part supply).

The jobs demo makes only recent vacancies and seekers. On ``registry_loaded`` with ``demo=True`` this adds ten years
of market history, in bulk and deterministically (a seeded ``random.Random``), in a few seconds at the default demo
size:

- **vacancies** (``history_vacancies``): about 0.3 per resident over ten years, closed, expired or filled, published
  with a seasonal pattern (the spring peak after the Spring Festival: 春风行动 in February–March, a second peak in
  September, a lull in December and January), occupations drawn from a demand mix in which a few occupations
  (care workers, welders, electricians, cooks, child-care workers) are persistently in demand;
- **seeker registrations** (``history_seekers``): one for most of the registry's unemployment registrations, started
  on that date and ended at the person's next employment registration, plus past spells of job changers (ended,
  one to six months long) so that the seekers number about 0.6 per resident over ten years; persons without a
  seeker profile get one whose intended occupation is drawn from a supply mix that has few of the short occupations;
- a **published shortage-occupation catalogue** for last year (``services.catalogue``), as the demo district officer.

Nothing is written when the history is already there (a second ``jiuye demo`` is a no-op).
"""
from __future__ import annotations

import datetime
import random
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.dispatch import receiver

from jiuye.registry import events

MARKER = "demo-supply"  # import_key prefix of the history vacancies
YEARS = 10
VACANCIES_PER_PERSON = 0.3
SEEKERS_PER_PERSON = 0.6
#: relative weight of each calendar month for publications (seasonal pattern)
SEASON = [0.6, 1.5, 1.6, 1.2, 1.0, 0.9, 0.9, 0.9, 1.3, 1.0, 0.9, 0.6]
#: (title, occupation name, demand weight, supply weight): short occupations have demand >> supply
MIX = [
    ("养老护理员", "养老护理员", 9, 1), ("焊工", "焊工", 7, 1), ("电工", "电工", 6, 1), ("保育师", "保育师", 5, 1),
    ("中式烹调师", "中式烹调师", 8, 2), ("家政服务员", "家政服务员", 6, 3), ("快递员", "快递员", 7, 5),
    ("餐厅服务员", "餐厅服务员", 8, 7), ("收银员", "收银员", 5, 8), ("保安员", "保安员", 6, 6),
    ("保洁员", "保洁员L", 4, 8), ("仓库管理员", "仓储管理员", 3, 6), ("行政文员", "行政办事员", 3, 10),
    ("营业员", "商品营业员", 5, 7), ("会计", "会计专业人员", 2, 6), ("客服专员", "客户服务管理员", 4, 6),
    ("软件开发工程师", "计算机软件工程技术人员S", 3, 3), ("汽车维修工", "汽车维修工", 3, 2), ("美发师", "美发师", 2, 2),
    ("装配工", "电子产品制版工", 3, 4),
]
EDUCATION = ["", "", "", "junior", "senior", "vocational", "college", "bachelor"]


def _occupation_codes() -> dict[str, str]:
    from jiuye.jobs.models import Occupation

    names = {name for _t, name, _d, _s in MIX}
    rows = Occupation.objects.filter(is_occupation=True, name__in=names).order_by("code").values_list("name", "code")
    out: dict[str, str] = {}
    for name, code in rows:
        out.setdefault(name, code)
    return out


def _weighted(rng: random.Random, items: list, weights: list):
    return rng.choices(items, weights=weights, k=1)[0]


CHUNK = 5000


def _flush(model, rows: list) -> int:
    """Bulk-insert ``rows`` in one transaction and empty the list; the number written."""
    from django.db import transaction

    n = len(rows)
    if n:
        with transaction.atomic():
            model.objects.bulk_create(rows, batch_size=1000)
        rows.clear()
    return n


def history_vacancies(today: datetime.date, prefix: str, persons: int, codes: dict[str, str], rng: random.Random) -> int:
    from jiuye.jobs.models import Occupation, Vacancy, VacancySource, VacancyStatus
    from jiuye.jobs.text import search_text
    from jiuye.registry.models import Employer

    employers = list(Employer.objects.filter(region__code__startswith=prefix).order_by("pk").values_list("pk", "region_id"))
    if not employers:
        return 0
    occ_ids = dict(Occupation.objects.filter(code__in=list(codes.values())).values_list("code", "pk"))
    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    first = (today.replace(day=1) - relativedelta(years=YEARS))
    months = [first + relativedelta(months=i) for i in range(YEARS * 12)]
    total = max(50, int(persons * VACANCIES_PER_PERSON))
    weights = [SEASON[m.month - 1] * (1 + 0.04 * (i // 12)) for i, m in enumerate(months)]  # a slowly growing market
    per_month = [0] * len(months)
    for i in rng.choices(range(len(months)), weights=weights, k=total):
        per_month[i] += 1
    titles = [t for t, _n, _d, _s in MIX]
    demand = [d for _t, _n, d, _s in MIX]
    text_cache: dict[str, str] = {}
    rows: list = []
    n = made = 0
    for month, count in zip(months, per_month):
        days = (month + relativedelta(months=1) - month).days
        for _ in range(count):
            n += 1
            k = titles.index(_weighted(rng, titles, demand))
            title, occ_name = MIX[k][0], MIX[k][1]
            code = codes.get(occ_name)
            employer, region = employers[rng.randrange(len(employers))]
            day = month + datetime.timedelta(days=rng.randrange(days))
            at = datetime.datetime(day.year, day.month, day.day, rng.randrange(8, 19), rng.randrange(60), tzinfo=tz)
            if day >= today:
                continue
            until = day + datetime.timedelta(days=rng.choice([30, 60, 90]))
            status = rng.choice([VacancyStatus.EXPIRED, VacancyStatus.CLOSED, VacancyStatus.FILLED])
            if until >= today:  # the open market is the jobs demo's: a recent history vacancy is already closed
                until, status = max(day, today - datetime.timedelta(days=1)), VacancyStatus.CLOSED
            openings = rng.choice([1, 1, 1, 1, 2, 2, 2, 3, 3, 5])  # ≈ 2.1 per vacancy: an overall 求人倍率 near 1
            low = 3000 + 500 * rng.randrange(8)
            if title not in text_cache:
                text_cache[title] = search_text(title, "")
            rows.append(Vacancy(
                employer_id=employer, title=title, occupation_id=occ_ids.get(code), openings=openings,
                hired=openings if status == VacancyStatus.FILLED else rng.randrange(openings + 1), wage_min=low,
                wage_max=low + 2000, region_id=region, education_min=rng.choice(EDUCATION), valid_from=day,
                valid_until=until, status=status, search_text=text_cache[title], source=VacancySource.STAFF,
                created_at=at, published_at=at, import_key=f"{MARKER}-{n}"))
            if len(rows) >= CHUNK:
                made += _flush(Vacancy, rows)
    return made + _flush(Vacancy, rows)


def history_seekers(today: datetime.date, prefix: str, codes: dict[str, str], rng: random.Random) -> tuple[int, int]:
    from django.db.models import Min, OuterRef, Subquery

    from jiuye.jobs.models import SeekerProfile, SeekerRegistration, SeekingEnd
    from jiuye.registry.models import Person, Registration

    first = today.replace(day=1) - relativedelta(years=YEARS)
    next_job = (Registration.objects.filter(person=OuterRef("person"), kind=Registration.Kind.EMPLOYMENT,
                                            effective_date__gt=OuterRef("effective_date"))
                .values("person").annotate(d=Min("effective_date")).values("d"))
    unemployment = (Registration.objects.filter(kind=Registration.Kind.UNEMPLOYMENT, effective_date__gte=first,
                                                registered_in__code__startswith=prefix)
                    .annotate(ends=Subquery(next_job)).filter(ends__isnull=False, ends__lt=today)
                    .order_by("pk").values_list("person_id", "effective_date", "ends", "registered_in_id"))
    rows: list = []
    persons_seen: set[int] = set()
    made = 0
    for person_id, started, ended, region in unemployment.iterator(chunk_size=5000):
        if rng.random() < 0.8:
            rows.append(SeekerRegistration(person_id=person_id, started_on=started, ended_on=ended,
                                           end_reason=SeekingEnd.HIRED, registered_in_id=region))
            persons_seen.add(person_id)
            if len(rows) >= CHUNK:
                made += _flush(SeekerRegistration, rows)
    persons = list(Person.objects.filter(region__code__startswith=prefix, able_to_work=True)
                   .order_by("pk").values_list("pk", "region_id", "birth_date"))
    target = int(len(persons) * SEEKERS_PER_PERSON)
    span = (today - first).days
    tries = 0
    while persons and made + len(rows) < target and tries < target * 3:
        tries += 1
        pk, region, birth = persons[rng.randrange(len(persons))]
        start = first + datetime.timedelta(days=rng.randrange(span))
        if start < birth + relativedelta(years=16) or start > birth + relativedelta(years=60):
            continue
        end = start + datetime.timedelta(days=rng.randrange(30, 180))
        if start >= today - datetime.timedelta(days=1):
            continue
        end = min(end, today - datetime.timedelta(days=1))  # history only: every spell has ended by yesterday
        rows.append(SeekerRegistration(person_id=pk, started_on=start, ended_on=end,
                                       end_reason=rng.choice([SeekingEnd.HIRED, SeekingEnd.HIRED, SeekingEnd.LAPSED,
                                                              SeekingEnd.WITHDREW]), registered_in_id=region))
        persons_seen.add(pk)
        if len(rows) >= CHUNK:
            made += _flush(SeekerRegistration, rows)
    made += _flush(SeekerRegistration, rows)
    # intended occupations for those who have no profile yet, from the supply mix
    has = set(SeekerProfile.objects.values_list("person_id", flat=True))
    names = [name for _t, name, _d, _s in MIX if name in codes]
    supply = [s for _t, name, _d, s in MIX if name in codes]
    profiles = [SeekerProfile(person_id=pid, occupations=[codes[_weighted(rng, names, supply)]] if rng.random() < 0.85 else [])
                for pid in sorted(persons_seen - has)] if names else []
    count = len(profiles)
    for i in range(0, count, CHUNK):
        _flush(SeekerProfile, profiles[i:i + CHUNK])
    return made, count


def seed(today: datetime.date) -> str:
    from jiuye.accounts.models import User
    from jiuye.jobs.models import Vacancy
    from jiuye.monitoring.services import catalogue
    from jiuye.registry.models import Person

    officer = User.objects.filter(username="demo_district").first()
    if officer is None or Vacancy.objects.filter(import_key__startswith=MARKER).exists():
        return ""
    prefix = (officer.region_id or "610102")[:6]
    rng = random.Random(20261111)
    codes = _occupation_codes()
    persons = Person.objects.filter(region__code__startswith=prefix).count()
    vacancies = history_vacancies(today, prefix, persons, codes, rng)
    seekers, profiles = history_seekers(today, prefix, codes, rng)
    line = f"人力资源市场供求：近{YEARS}年招聘岗位{vacancies}个、求职登记{seekers}条（补充求职意向{profiles}人）"
    try:
        cat = catalogue.publish(officer, catalogue.compute_draft(officer, year=today.year - 1, region_code=officer.region_id).pk)
        line += f"；已发布{cat.title}（{cat.entries.count()}个职业）"
    except Exception as exc:  # noqa: BLE001  (the demo goes on; the line says why)
        line += f"；紧缺职业目录未发布：{exc}"
    return line


@receiver(events.registry_loaded, dispatch_uid="monitoring_supply_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    if not demo:
        return ""
    from django.utils import timezone

    return seed(today or timezone.localdate())
