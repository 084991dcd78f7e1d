"""Reads of accounts, scoped to the user's role and region: the audit log."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.accounts.audit import entries_about_q
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import region_q
from jiuye.paging import page

MAX_PAGE = 500


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Entries about records of the user's region, for roles that may read the audit log."""
    if not roles.can_read_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(region_q(user, "region_code")).select_related("actor")


@dataclass
class AuditSearch:
    actor: str = ""  # the actor's username, exactly
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: datetime.date | None = None  # inclusive, local dates
    date_to: datetime.date | None = None  # inclusive
    limit: int = 50
    offset: int = 0


def search_audit(user, search: AuditSearch) -> tuple[list[AuditEntry], bool]:
    """One page of audit entries (newest first) and whether there are more."""
    qs = audit_entries_visible_to(user)
    actor = search.actor.strip()
    if actor:
        qs = qs.filter(actor_name=actor)
    object_id = search.object_id.strip()
    if search.object_type and object_id:
        qs = qs.filter(entries_about_q(search.object_type, object_id))
    elif search.object_type:
        qs = qs.filter(object_type=search.object_type)
    elif object_id:
        qs = qs.filter(object_id=object_id)
    if search.action:
        qs = qs.filter(action=search.action)
    tz = timezone.get_current_timezone()
    if search.date_from:
        qs = qs.filter(at__gte=datetime.datetime.combine(search.date_from, datetime.time.min, tzinfo=tz))
    if search.date_to:
        qs = qs.filter(at__lt=datetime.datetime.combine(search.date_to + datetime.timedelta(days=1), datetime.time.min,
                                                        tzinfo=tz))
    return page(qs.order_by("-at", "-id"), search.limit, search.offset, max_limit=MAX_PAGE)

