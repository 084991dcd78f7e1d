"""Stocks on a day for the KPIs, by index probes instead of a window over the whole history.

- ``unemployed_by_community(day)``: the registered urban unemployed on ``day`` per 登记地 community: the
  counting unemployment registrations dated on or before the day with no later counting entry of the person
  on or before it (``NOT EXISTS``, a probe of ``registration_last_entry_idx`` per registration), 登记地
  urban. The same figure as ``monitoring.queries.unemployment.unemployed_counts`` (tested), without its
  pass over every registration.
- ``status_alias(qs, day)``: a Person queryset with ``_status``, the status on
  ``day`` (a correlated probe per person: for a few thousand graduates or recognised persons).
"""
from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat

from jiuye.regions.codes import code_range
from jiuye.registry.models import EmploymentStatus, Registration
from jiuye.registry.status import ENDING_STATUS, counting_registrations


def unemployed_registrations(day: datetime.date, known_on=None, node: str = "") -> QuerySet:
    """The counting unemployment registrations in force on ``day`` (urban 登记地 under ``node``)."""
    counting = counting_registrations(known_on)
    later = counting.filter(person_id=OuterRef("person_id"), effective_date__lte=day).filter(
        Q(effective_date__gt=OuterRef("effective_date"))
        | Q(effective_date=OuterRef("effective_date"), recorded_at__gt=OuterRef("recorded_at"))
        | Q(effective_date=OuterRef("effective_date"), recorded_at=OuterRef("recorded_at"), id__gt=OuterRef("id")))
    qs = counting.filter(kind=Registration.Kind.UNEMPLOYMENT, effective_date__lte=day,
                         registered_in__urban_rural__gte="1", registered_in__urban_rural__lt="2")
    if node:
        lo, hi = code_range(node)
        qs = qs.filter(registered_in_id__gte=lo, registered_in_id__lte=hi)
    return qs.filter(~Exists(later))


def unemployed_by_community(day: datetime.date, known_on=None, node: str = "") -> dict[str, int]:
    from django.db.models import Count
    from django.db.models.functions import Substr

    # grouped by an expression of the 登记地, not the column: grouping by the column makes SQLite walk the
    # (registered_in, effective_date) index over every registration; this way it reads the unemployment
    # registrations from the (kind, effective_date) index (3x faster on 1,000,000 persons)
    rows = (unemployed_registrations(day, known_on, node).annotate(code=Substr("registered_in_id", 1, 12))
            .values("code").annotate(n=Count("id")).order_by())
    return {r["code"]: r["n"] for r in rows}


def status_alias(qs: QuerySet, day: datetime.date, known_on=None) -> QuerySet:
    """``qs`` (persons) with ``_status`` on ``day`` (the registry's rule: ``registry.status.status_of_entry``
    of the last counting entry on or before the day), from one correlated probe per person returning the
    entry's kind and ending reason together (``_last``: "employment:", "ending:retirement" ...)."""
    last = (counting_registrations(known_on).filter(person_id=OuterRef("pk"), effective_date__lte=day)
            .order_by("-effective_date", "-recorded_at", "-id")
            .annotate(_ke=Concat("kind", Value(":"), "ending_reason", output_field=CharField())))
    qs = qs.alias(_last=Subquery(last.values("_ke")[:1]))
    whens = [When(_last__startswith=f"{Registration.Kind.EMPLOYMENT}:", then=Value(EmploymentStatus.EMPLOYED)),
             When(_last__startswith=f"{Registration.Kind.UNEMPLOYMENT}:", then=Value(EmploymentStatus.UNEMPLOYED))]
    whens += [When(_last=f"{Registration.Kind.ENDING}:{reason}", then=Value(status))
              for reason, status in ENDING_STATUS.items()]
    return qs.alias(_status=Case(*whens, default=Value(EmploymentStatus.NONE), output_field=CharField()))
