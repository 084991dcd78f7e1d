"""Reads of accounts, scoped to the user's role and region: the audit log, the accounts an officer administers."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles, throttling
from jiuye.accounts.audit import entries_about_q
from jiuye.accounts.models import AuditEntry, User
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import under_code_q

MAX_PAGE = 500


#: Audit readers bound at this level or above (county: a 6-digit scope prefix) also see the entries
#: that belong to no region. See ``sees_regionless_entries``.
REGIONLESS_MAX_PREFIX = 6



def days_q(field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """The one filter of a timestamp by whole days in the local time zone (both ends included): the
    audit log, transfers and self-registrations filter their "from … to …" dates with it."""
    tz = timezone.get_current_timezone()
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)})
    if date_to:
        q &= Q(**{f"{field}__lt": datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min,
                                                             tzinfo=tz)})
    return q

def sees_regionless_entries(user) -> bool:
    """Entries with no region (failed logins with an unknown username, actions of the superuser in the
    admin, commands run as "system") belong to the deployment as a whole. Audit readers whose scope is a
    whole county (区县) or more see them: the district and city officers, auditors bound to a county,
    city or province, and superusers. Auditors bound to a street or community do not. Such entries name
    no person, household or employer: at most the username someone typed and the address it came from.
    Entries about a known account carry that account's region (employer users and residents: their
    employer's or their own record's region) and follow the region rule."""
    if not roles.can_read_audit(user):
        return False
    prefix = scope_prefix(user)
    return prefix is not None and len(prefix) <= REGIONLESS_MAX_PREFIX


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Entries about records of the user's region, for roles that may read the audit log; entries
    without a region for readers at county level or above (``sees_regionless_entries``)."""
    if not roles.can_read_audit(user):
        return AuditEntry.objects.none()
    where = region_q(user, "region_code")
    if sees_regionless_entries(user):
        where |= Q(region_code="")
    return AuditEntry.objects.filter(where).select_related("actor")


@dataclass
class AuditSearch:
    actor: str = ""  # the actor's username, exactly
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: datetime.date | None = None  # inclusive, local dates
    date_to: datetime.date | None = None  # inclusive
    sort: str = "-at"  # a key of AUDIT_SORTS, "-" for descending: newest first
    limit: int = 50
    offset: int = 0


AUDIT_SORTS = {"at": ("at",)}


#: The object filter's "登记" (registration) option: registrations, their corrections and voids are
#: entries about the person (object type "person") with these actions; with an object number, the
#: number is the registration's (``changes["registration"]``) or the corrected one's.
REGISTRATION = "registration"
REGISTRATION_ACTIONS = (AuditEntry.Action.REGISTER, AuditEntry.Action.CORRECT)


def _registration_q(object_id: str) -> Q:
    q = Q(object_type="person", action__in=REGISTRATION_ACTIONS)
    if object_id:
        if not object_id.isdigit() or len(object_id) > 18:
            return Q(pk__in=[])
        number = int(object_id)
        q &= Q(changes__registration=number) | Q(changes__corrects=number)
    return q


def _audit(user, search: AuditSearch) -> QuerySet[AuditEntry]:
    qs = audit_entries_visible_to(user)
    actor = search.actor.strip()
    if actor:
        qs = qs.filter(actor_name=actor)
    object_id = search.object_id.strip()
    if search.object_type == REGISTRATION:
        qs = qs.filter(_registration_q(object_id))
    elif search.object_type and object_id:
        qs = qs.filter(entries_about_q(search.object_type, object_id))
    elif search.object_type:
        qs = qs.filter(object_type=search.object_type)
    elif object_id:
        qs = qs.filter(object_id=object_id)
    if search.action:
        qs = qs.filter(action=search.action)
    qs = qs.filter(days_q("at", search.date_from, search.date_to))
    return sorted_by(qs, AUDIT_SORTS, search.sort, "-at")


def search_audit(user, search: AuditSearch) -> tuple[list[AuditEntry], bool]:
    """One page of audit entries (newest first) and whether there are more."""
    return page(_audit(user, search), search.limit, search.offset, max_limit=MAX_PAGE)


def count_audit(user, search: AuditSearch) -> int:
    """How many entries the filter selects (the log's total)."""
    return _audit(user, search).order_by().count()


def audit_sort(search: AuditSearch) -> str:
    return sort_key(AUDIT_SORTS, search.sort, "-at")


def all_audit(user, search: AuditSearch, *, limit: int) -> list[AuditEntry]:
    """Every entry the filter selects (newest first, at most ``limit``), for the export: the same rows
    the pages show, from the same filter."""
    return list(_audit(user, search)[:limit])



# ---------------------------------------------------------------------------------------------
# User administration (district and city officers within their region)


class UserNotFound(Http404):
    """The account does not exist or lies outside the officer's administration (not told apart)."""


def users_visible_to(actor) -> QuerySet[User]:
    """Accounts ``actor`` administers: bound to a node of their region, with a role they may hand out
    (``roles.assignable_roles``: never above their own, never auditors); superusers see every account."""
    if not roles.can_admin_users(actor):
        return User.objects.none()
    qs = User.objects.all()
    if not actor.is_superuser:
        qs = qs.filter(region_q(actor, "region"), role__in=roles.assignable_roles(actor), is_superuser=False)
    return qs


USER_SORTS = {
    "username": ("username", "pk"), "-username": ("-username", "-pk"),
    "name": ("display_name", "username"), "-name": ("-display_name", "-username"),
    "role": ("role", "username"), "-role": ("-role", "-username"),
    "region": ("region_id", "username"), "-region": ("-region_id", "-username"),
    "last_login": (F("last_login").desc(nulls_last=True), "username"),
    "-last_login": (F("last_login").asc(nulls_first=True), "-username"),
    "joined": ("date_joined", "pk"), "-joined": ("-date_joined", "-pk"),
}


@dataclass
class UserSearch:
    text: str = ""  # part of the username or the name
    role: str = ""
    region_code: str = ""  # accounts under this node
    status: str = ""  # "", "active", "inactive", "locked"
    sort: str = "username"
    limit: int = 50
    offset: int = 0


def _users(actor, search: UserSearch) -> QuerySet[User]:
    qs = users_visible_to(actor).select_related("region")
    text = search.text.strip()
    if text:
        qs = qs.filter(Q(username__contains=text) | Q(display_name__contains=text))
    if search.role:
        qs = qs.filter(role=search.role)
    if search.region_code:
        qs = qs.filter(under_code_q(search.region_code))
    if search.status == "active":
        qs = qs.filter(is_active=True)
    elif search.status == "inactive":
        qs = qs.filter(is_active=False)
    elif search.status == "locked":
        qs = qs.filter(throttling.locked_q())
    return qs.order_by(*USER_SORTS.get(search.sort, USER_SORTS["username"]))


def search_users(actor, search: UserSearch) -> tuple[list[User], bool]:
    """One page of the accounts ``actor`` administers, each with ``is_locked``, and whether there are more."""
    rows, has_more = page(_users(actor, search), search.limit, search.offset, max_limit=MAX_PAGE)
    locked = set(User.objects.filter(throttling.locked_q(), pk__in=[u.pk for u in rows]).values_list("pk", flat=True))
    for u in rows:
        u.is_locked = u.pk in locked
    return rows, has_more


def count_users(actor, search: UserSearch) -> int:
    return _users(actor, search).count()


def all_users(actor, search: UserSearch):
    """Every account of the search (for the Excel export), in order, with ``is_locked``."""
    qs = _users(actor, search)
    locked = set(qs.filter(throttling.locked_q()).values_list("pk", flat=True))
    for u in qs.iterator(chunk_size=2000):
        u.is_locked = u.pk in locked
        yield u


def get_user_for_admin(actor, pk: int) -> User:
    user = users_visible_to(actor).select_related("region").filter(pk=pk).first()
    if user is None:
        raise UserNotFound(_("账号不存在或不在您的管理范围内"))
    user.is_locked = throttling.is_locked(user.username)
    return user
