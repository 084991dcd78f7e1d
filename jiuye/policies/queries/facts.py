"""Reads of the facts the rules need (benefit periods, insurance years, loans, shops, internships,
trainings, payment accounts)."""
from __future__ import annotations

import datetime

from django.db.models import Q

from jiuye.policies.models import PaymentAccount


def payment_account_for(*, person=None, employer=None, on: datetime.date) -> PaymentAccount | None:
    """The account payments to ``person`` (社保卡) or ``employer`` (bank account) go to on ``on``: the one valid
    then, the latest started if several."""
    qs = PaymentAccount.objects.filter(valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    qs = qs.filter(person=person) if person is not None else qs.filter(employer=employer)
    return qs.order_by("-valid_from", "-pk").first()
