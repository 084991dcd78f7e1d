"""Statutory retirement age (法定退休年龄) under the gradual rule in force since 2025-01-01.

National rule of 2024 (全国人大常委会关于实施渐进式延迟法定退休年龄的决定):
- men, originally 60: born from 1965-01, +1 month for every 4 months of birth, up to 63;
- women originally 55 (cadres and similar): born from 1970-01, +1 month per 4 months, up to 58;
- women originally 50 (workers): born from 1975-01, +1 month per 2 months, up to 55.
Which base applies to a woman is a per-person fact with a jurisdiction default (the dated parameter
registry.female_retirement_base, jiuye.parameters).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class _Schedule:
    base_years: int
    first_birth_year: int
    months_per_step: int
    max_delay_months: int


_SCHEDULES = {
    ("M", 60): _Schedule(60, 1965, 4, 36),
    ("F", 55): _Schedule(55, 1970, 4, 36),
    ("F", 50): _Schedule(50, 1975, 2, 60),
}


def retirement_age_months(birth_date: datetime.date, sex: str, female_base: int = 50) -> int:
    """Retirement age in months for a person born on ``birth_date``."""
    key = ("M", 60) if sex == "M" else ("F", int(female_base))
    if key not in _SCHEDULES:
        raise ValueError(f"unknown retirement base {female_base!r}")
    schedule = _SCHEDULES[key]
    months_after_start = (birth_date.year - schedule.first_birth_year) * 12 + (birth_date.month - 1)
    if months_after_start < 0:
        delay = 0
    else:
        delay = min(schedule.max_delay_months, months_after_start // schedule.months_per_step + 1)
    return schedule.base_years * 12 + delay


def retirement_date(birth_date: datetime.date, sex: str, female_base: int = 50) -> datetime.date:
    """The day the person reaches statutory retirement age (same day of month, clamped to month end).

    Copied for speed in the persons import (calendar arithmetic, cached per birth date, sex and
    base): ``registry.importers.persons._retirement``, held to this rule by tests/test_import_rules.py."""
    return birth_date + relativedelta(months=retirement_age_months(birth_date, sex, female_base))


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    return relativedelta(on, birth_date).years


def working_age_start(birth_date: datetime.date) -> datetime.date:
    """16th birthday."""
    return birth_date + relativedelta(years=16)


def under_working_age_notice(birth_date: datetime.date, on: datetime.date) -> str | None:
    """The notice for a person record of someone under 16 on ``on`` (None from the 16th birthday).

    Such a record is accepted (children are household members), but a real-name employment registry
    says so: it is often a typing error in the identity number. Shown by the person form, returned as
    ``notices`` by ``POST /persons`` and written to the 提示 sheet of a persons import (whose fast path
    compares the birth date with ``minor_born_after(today)``)."""
    if on >= working_age_start(birth_date):
        return None
    return _("本人未满16周岁（出生日期%(d)s），不在劳动年龄内；请核实公民身份号码") % {"d": birth_date.isoformat()}


def flags_apply(birth_date: datetime.date, on: datetime.date) -> bool:
    """Whether 有劳动能力 / 有就业意愿 apply to a person on ``on``: from the 16th birthday. Before it they
    are "不适用" (services.person_rules stores them as not given; the person page says 不适用)."""
    return on >= working_age_start(birth_date)


def minor_born_after(on: datetime.date) -> datetime.date:
    """Whoever is born after this date is under 16 on ``on`` (the same test as ``working_age_start``,
    29 February included)."""
    return on - relativedelta(years=16)


def is_working_age(birth_date: datetime.date, retirement: datetime.date, on: datetime.date) -> bool:
    return working_age_start(birth_date) <= on < retirement
