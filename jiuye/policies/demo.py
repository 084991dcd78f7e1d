"""Demo facts for the policy rules (issue 9, part "facts"): ``seed_facts(today, rng_seed=1)`` adds to
the demo city, set-based (candidates read with one query per kind, rows written with ``bulk_create`` in
chunks), realistic records for 2019 … ``today``:

- 失业保险金领取期 for part of the persons registered unemployed (some 0-month: insured but not
  entitled), starting a few weeks after the registration, at the year's Xi'an standard;
- 单位参保年度数据 for most employers, 2019 … last year (staff, premiums of the firm and its staff,
  a few layoffs);
- a few hundred 创业担保贷款 to self-employed persons and micro employers, with half-yearly
  repayments (some late, a few defaulted) and yearly interest periods;
- 网店开办 attested by two or three platform employers;
- 就业见习 of recent graduates at employers, some retained before the end (留用);
- 技能培训, mostly of unemployed persons;
- a 收款账户 for every person (社保卡) and employer (bank account) that has any of these facts, a few
  replaced once (the old account closed the day before the new one, history kept).

Not wired to a command: the demo command calls it (the lead's part). Returns the counts per kind.
"""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction

from jiuye.policies.models import (
    AccountKind,
    BenefitPeriod,
    EmployerInsuranceYear,
    FactSource,
    GuaranteeLoan,
    Internship,
    LoanInterestPeriod,
    LoanRepayment,
    LoanStatus,
    OnlineShop,
    PaymentAccount,
    TrainingEnrolment,
)
from jiuye.policies.services.facts import benefit_end
from jiuye.registry.models import Employer, Person, Registration

START = datetime.date(2019, 1, 1)
BATCH = 2000
SEED = FactSource.SEED

#: A plausible monthly unemployment insurance benefit per year (元); 2020: 1620 as in seed 001.
BENEFIT_STANDARD = {2019: Decimal("1458"), 2020: Decimal("1620"), 2021: Decimal("1674"), 2022: Decimal("1728"),
                    2023: Decimal("1782"), 2024: Decimal("1836"), 2025: Decimal("1890"), 2026: Decimal("1944")}
BENEFIT_MONTHS = [0, 0, 3, 6, 6, 9, 12, 12, 12, 15, 18, 24]
LENDERS = ["长安银行", "西安银行", "中国邮政储蓄银行", "中国建设银行", "中国农业银行"]
CARD_BANKS = ["中国建设银行", "中国工商银行", "长安银行", "西安银行", "中国银行", "中国农业银行"]
COURSES = [("育婴员", "新城区职业技能培训学校"), ("保育员", "新城区职业技能培训学校"), ("电工", "西安市技师学院"),
           ("中式烹调师", "西安烹饪职业技能培训学校"), ("养老护理员", "西安市家政服务职业培训学校"),
           ("电子商务师", "陕西电商创业培训中心"), ("美容师", "西安美容美发职业培训学校"), ("创业培训（SYB）", "新城区创业指导中心")]
SHOP_WORDS = ["小铺", "优选", "农家", "手作", "好物", "鲜果", "特产", "工坊"]
LPR = Decimal("0.0385")


def _day(rnd: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rnd.randint(0, (end - start).days))


def _bulk(model, rows: list) -> int:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start:start + BATCH], batch_size=BATCH)
    return len(rows)


def _number(rnd: random.Random, prefix: str, length: int) -> str:
    return prefix + "".join(str(rnd.randint(0, 9)) for _ in range(length - len(prefix)))


def _benefit_periods(rnd, today, owners) -> int:
    entries = list(Registration.objects.filter(kind="unemployment", effective_date__gte=START,
                                               effective_date__lte=today - datetime.timedelta(days=20))
                   .order_by("person_id", "effective_date").values_list("person_id", "effective_date"))
    rows = []
    last: dict[int, datetime.date] = {}
    for person_id, registered in entries:
        if rnd.random() >= 0.45:
            continue
        starts = registered + datetime.timedelta(days=rnd.randint(5, 40))
        if starts > today or (person_id in last and starts <= last[person_id]):
            continue
        months = rnd.choice(BENEFIT_MONTHS)
        ends = benefit_end(starts, months)
        last[person_id] = ends
        rows.append(BenefitPeriod(person_id=person_id, starts_on=starts, months_entitled=months, ends_on=ends,
                                  monthly_amount=BENEFIT_STANDARD.get(starts.year, BENEFIT_STANDARD[2026]) if months else None,
                                  source=SEED))
        owners["persons"].setdefault(person_id, starts)
    return _bulk(BenefitPeriod, rows)


def _insurance_years(rnd, today, employers, owners) -> int:
    rows = []
    for pk, staff, _size, _region in employers:
        if rnd.random() >= 0.8:
            continue
        base = staff if staff else rnd.randint(3, 60)
        first = rnd.randint(2019, max(2019, today.year - 1))
        for year in range(first, today.year):
            insured = max(0, base + rnd.randint(-max(1, base // 5), max(1, base // 5)))
            wage = Decimal(rnd.randint(4200, 9000))
            employer_part = (wage * insured * 12 * Decimal("0.007")).quantize(Decimal("0.01"))
            staff_part = (wage * insured * 12 * Decimal("0.003")).quantize(Decimal("0.01"))
            layoffs = 0 if rnd.random() < 0.8 else rnd.randint(1, max(1, insured // 10 + 1))
            rows.append(EmployerInsuranceYear(employer_id=pk, year=year, insured_staff_year_end=insured,
                                              premiums_employer=employer_part, premiums_staff=staff_part, layoffs=layoffs,
                                              settles_on=datetime.date(year + 1, 1, 1), source=SEED))
            owners["employers"].setdefault(pk, datetime.date(year, 1, 1))
    return _bulk(EmployerInsuranceYear, rows)


def _loans(rnd, today, employers, owners) -> tuple[int, int, int]:
    candidates = list(Person.objects.filter(employment_form__in=("self_employed", "flexible", "platform"))
                      .order_by("pk").values_list("pk", flat=True))
    micro = [pk for pk, _staff, size, _r in employers if size in ("micro", "small")]
    persons_total = min(len(candidates), max(10, len(candidates) // 8), 400)
    employers_total = min(len(micro), max(2, persons_total // 6))
    borrowers = [("p", pk) for pk in rnd.sample(candidates, persons_total)] + \
                [("e", pk) for pk in rnd.sample(micro, employers_total)]
    loans, plans = [], []
    latest_start = today - datetime.timedelta(days=30)
    for n, (who, pk) in enumerate(borrowers, start=1):
        starts = _day(rnd, START, latest_start)
        years = rnd.choice([2, 2, 3])
        ends = starts + relativedelta(years=years) - datetime.timedelta(days=1)
        amount = Decimal(rnd.choice([100000, 150000, 200000, 300000]) if who == "p"
                         else rnd.choice([500000, 1000000, 2000000, 3000000]))
        defaulted = rnd.random() < 0.04
        status = LoanStatus.DEFAULTED if defaulted else (LoanStatus.REPAID if ends < today else LoanStatus.ACTIVE)
        loan = GuaranteeLoan(borrower_person_id=pk if who == "p" else None, borrower_employer_id=pk if who == "e" else None,
                             contract_number=f"DB{starts.year}{n:05d}", lender=rnd.choice(LENDERS), amount=amount,
                             starts_on=starts, ends_on=ends, jobs_created=rnd.randint(0, 3) if who == "p" else rnd.randint(3, 25),
                             counter_guarantee_waived=rnd.random() < 0.6, status=status, source=SEED)
        loans.append(loan)
        plans.append((defaulted, rnd.random() < 0.12))
        owners["persons" if who == "p" else "employers"].setdefault(pk, starts)
    _bulk(GuaranteeLoan, loans)
    if loans and loans[0].pk is None:  # backends that do not return ids from bulk_create
        by_number = dict(GuaranteeLoan.objects.filter(source=SEED).values_list("contract_number", "pk"))
        for loan in loans:
            loan.pk = by_number[loan.contract_number]
    repayments, periods = [], []
    for loan, (defaulted, late) in zip(loans, plans):
        instalments = (loan.ends_on - loan.starts_on).days // 182
        share = (loan.amount / max(1, instalments)).quantize(Decimal("0.01"))
        missed = False
        for i in range(1, instalments + 1):
            due = loan.starts_on + relativedelta(months=6 * i)
            paid = None
            if due <= today and not missed:
                if defaulted and i > instalments // 2:
                    missed = True
                elif late and rnd.random() < 0.4:
                    paid = due + datetime.timedelta(days=rnd.randint(5, 75))
                else:
                    paid = due - datetime.timedelta(days=rnd.randint(0, 10))
                if paid is not None and paid > today:
                    paid = None
            repayments.append(LoanRepayment(loan_id=loan.pk, due_on=due, amount=share, paid_on=paid, source=SEED))
        year = 0
        while True:
            p_start = loan.starts_on + relativedelta(years=year)
            p_end = min(loan.ends_on, p_start + relativedelta(years=1) - datetime.timedelta(days=1))
            if p_start > loan.ends_on or p_end > today:
                break
            days = (p_end - p_start).days + 1
            interest = (loan.amount * LPR * days / 365).quantize(Decimal("0.01"))
            periods.append(LoanInterestPeriod(loan_id=loan.pk, starts_on=p_start, ends_on=p_end, interest=interest,
                                              source=SEED))
            year += 1
    return len(loans), _bulk(LoanRepayment, repayments), _bulk(LoanInterestPeriod, periods)


def _online_shops(rnd, today, employers, owners) -> int:
    if not employers:
        return 0
    platforms = [pk for pk, *_rest in sorted(employers, key=lambda e: (-(e[1] or 0), e[0]))[:3]]
    candidates = list(Person.objects.filter(birth_date__lte=today - relativedelta(years=18),
                                            retirement_date__gt=today).order_by("pk").values_list("pk", "name")[:200000])
    chosen = rnd.sample(candidates, min(len(candidates), max(5, len(candidates) // 60), 600))
    rows = []
    for pk, name in chosen:
        opened = _day(rnd, START, today - datetime.timedelta(days=15))
        attested = min(today, opened + datetime.timedelta(days=rnd.randint(7, 90)))
        platform = rnd.choice(platforms)
        rows.append(OnlineShop(person_id=pk, platform_id=platform, shop_name=f"{name}{rnd.choice(SHOP_WORDS)}",
                               opened_on=opened, attested_on=attested,
                               attestation=f"平台证明〔{attested.year}〕{rnd.randint(1, 9999):04d}号", source=SEED))
        owners["persons"].setdefault(pk, opened)
    return _bulk(OnlineShop, rows)


def _internships(rnd, today, employers, owners) -> int:
    if not employers:
        return 0
    graduates = list(Person.objects.filter(graduation_date__gte=START - relativedelta(years=1), graduation_date__lte=today)
                     .order_by("pk").values_list("pk", "graduation_date"))
    chosen = rnd.sample(graduates, min(len(graduates), max(5, len(graduates) // 10), 1500))
    units = [pk for pk, *_rest in employers]
    rows = []
    for pk, graduated in chosen:
        starts = _day(rnd, max(START, graduated), min(today - datetime.timedelta(days=20), graduated + relativedelta(years=2)))
        if starts > today:
            continue
        ends = starts + relativedelta(months=rnd.choice([3, 6, 6, 12])) - datetime.timedelta(days=1)
        hired, months = None, None
        if rnd.random() < 0.4:
            hired = _day(rnd, starts + datetime.timedelta(days=30), ends)  # some before the end
            if hired > today:
                hired = None
            else:
                months = rnd.choice([12, 24, 36])
        rows.append(Internship(person_id=pk, unit_id=rnd.choice(units), starts_on=starts, ends_on=ends, hired_on=hired,
                               contract_months=months, source=SEED))
        owners["persons"].setdefault(pk, starts)
    return _bulk(Internship, rows)


def _trainings(rnd, today, owners) -> int:
    unemployed = list(Person.objects.filter(employment_status="unemployed").order_by("pk").values_list("pk", flat=True))
    chosen = rnd.sample(unemployed, min(len(unemployed), max(5, len(unemployed) // 4), 3000))
    rows = []
    for pk in chosen:
        course, provider = rnd.choice(COURSES)
        starts = _day(rnd, START, today - datetime.timedelta(days=10))
        ends = starts + datetime.timedelta(days=rnd.choice([10, 15, 20, 30, 45, 60]))
        completed = ends < today and rnd.random() < 0.85
        rows.append(TrainingEnrolment(person_id=pk, course=course, provider=provider, starts_on=starts, ends_on=ends,
                                      completed=completed, certificate=(f"{course}五级/初级工" if completed and rnd.random() < 0.6
                                                                        else ""), source=SEED))
        owners["persons"].setdefault(pk, starts)
    return _bulk(TrainingEnrolment, rows)


def _accounts(rnd, today, owners) -> int:
    rows = []
    person_names: dict[int, str] = {}
    ids = sorted(owners["persons"])
    for start in range(0, len(ids), 900):
        person_names.update(Person.objects.filter(pk__in=ids[start:start + 900]).values_list("pk", "name"))
    employer_names: dict[int, str] = {}
    ids = sorted(owners["employers"])
    for start in range(0, len(ids), 900):
        employer_names.update(Employer.objects.filter(pk__in=ids[start:start + 900]).values_list("pk", "name"))
    for kind, names in (("persons", person_names), ("employers", employer_names)):
        for pk in sorted(names):
            first_fact = owners[kind][pk]
            opened = min(first_fact, START) - datetime.timedelta(days=rnd.randint(30, 900))
            common = dict(person_id=pk if kind == "persons" else None, employer_id=pk if kind == "employers" else None,
                          kind=AccountKind.SOCIAL_SECURITY_CARD if kind == "persons" else AccountKind.BANK,
                          account_name=names[pk], source=SEED)
            number = (lambda: _number(rnd, "6217", 19)) if kind == "persons" else (lambda: _number(rnd, "61", 20))
            if rnd.random() < 0.06:  # replaced once: the old account closed the day before the new one
                switched = _day(rnd, START, today - datetime.timedelta(days=5))
                rows.append(PaymentAccount(**common, bank=rnd.choice(CARD_BANKS), account_number=number(), valid_from=opened,
                                           valid_until=switched - datetime.timedelta(days=1)))
                rows.append(PaymentAccount(**common, bank=rnd.choice(CARD_BANKS), account_number=number(), valid_from=switched))
            else:
                rows.append(PaymentAccount(**common, bank=rnd.choice(CARD_BANKS), account_number=number(), valid_from=opened))
    return _bulk(PaymentAccount, rows)


def seed_facts(today: datetime.date, rng_seed: int = 1) -> dict[str, int]:
    """Add the demo facts (see the module docstring) in one transaction; returns counts per kind."""
    rnd = random.Random(rng_seed)
    owners: dict[str, dict[int, datetime.date]] = {"persons": {}, "employers": {}}
    employers = list(Employer.objects.order_by("pk").values_list("pk", "employee_count", "size_class", "region_id"))
    with transaction.atomic():
        counts = {"benefit_periods": _benefit_periods(rnd, today, owners),
                  "insurance_years": _insurance_years(rnd, today, employers, owners)}
        counts["loans"], counts["loan_repayments"], counts["loan_interest"] = _loans(rnd, today, employers, owners)
        counts["online_shops"] = _online_shops(rnd, today, employers, owners)
        counts["internships"] = _internships(rnd, today, employers, owners)
        counts["trainings"] = _trainings(rnd, today, owners)
        counts["payment_accounts"] = _accounts(rnd, today, owners)
    return counts


def wipe_facts() -> None:
    """Delete every fact, children first. ``registry.demo.writer.wipe`` (``jiuye seed --force``) deletes the
    registry's direct dependants only, and a loan's repayments and interest periods (PROTECT, no link to
    the registry) would stop it: call this before it (the demo command's part)."""
    with transaction.atomic():
        for model in (LoanRepayment, LoanInterestPeriod, GuaranteeLoan, PaymentAccount, BenefitPeriod,
                      EmployerInsuranceYear, OnlineShop, Internship, TrainingEnrolment):
            model._base_manager.all().delete()
