"""迁入/迁出: handing a person over to another community, anywhere in the city.

The sending side (a writer whose scope covers the person) requests a ``Transfer``; the receiving side
(a writer whose scope covers the target community) sees it among its incoming transfers and accepts
or rejects it with a reason; the sender may withdraw a pending request. The sender sees only the
names of the target regions, never their records; the receiver sees the person's masked summary on
the transfer (name, sex, birth year, masked identity number) but not the record until it accepts.

On acceptance, in one transaction:
- ``Person.region`` becomes the target community (the retirement date is derived again: a women's
  base set by the jurisdiction may differ);
- the open household membership is closed with ``left_on`` = the day of acceptance (the household
  stays where it lives; the receiving side adds the person to a household there), and the old
  household's zero-employment flag is refreshed;
- the history stays with the person: registrations, certificates and (later) cases belong to the
  person, so they move with the record; each registration keeps its 登记地 (KPIs attribute it where
  it was made);
- events: ``memberships_closed``, ``persons_changed(fields=["region"])`` and
  ``persons_transferred`` (the hook for apps that keep per-region work, e.g. assistance cases, to
  follow the person);
- audit: the same entry is recorded under both regions (``region_code`` of each side), so each
  side's audit readers see the move; the request, the rejection and the withdrawal too.

After acceptance the person lies outside the sender's scope: the sender's lists and pages no longer
show them, the transfer record itself stays in the sender's outgoing list.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.queries import days_q
from jiuye.accounts.scoping import ensure_can_write, in_scope, region_q, scope_prefix
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import communities_within, under_code_q
from jiuye.registry import events, services
from jiuye.registry.models import HouseholdMembership, Person, Transfer, TransferStatus

NOT_FOUND = _("迁移记录不存在或不在您的管辖范围内")


def _both_sides(actor, transfer: Transfer, *, action, summary: str, changes: dict, label: str) -> None:
    codes = [transfer.from_region_id] + ([transfer.to_region_id] if transfer.to_region_id != transfer.from_region_id else [])
    audit.record_many(
        audit.build(actor, action, object_type="person", object_id=transfer.person_id, object_label=label,
                    region_code=code, changes={"transfer": transfer.pk, **changes}, summary=summary)
        for code in codes
    )


# ---------------------------------------------------------------------------------------------
# Reads


def city_prefix(user) -> str | None:
    """The code prefix of the city around the user's region: targets may lie anywhere in it."""
    prefix = scope_prefix(user)
    if prefix is None:
        return None
    return prefix[:4]


def target_choices(user) -> QuerySet[Region]:
    """Communities a writer may hand a person over to: every community of the city (names only)."""
    if not roles.can_write_registry(user):
        return Region.objects.none()
    return communities_within(city_prefix(user))


def incoming(user) -> QuerySet[Transfer]:
    return (Transfer.objects.filter(region_q(user, "to_region"))
            .select_related("person", "from_region", "from_region__parent", "to_region", "to_region__parent",
                            "requested_by", "decided_by"))


def outgoing(user) -> QuerySet[Transfer]:
    return (Transfer.objects.filter(region_q(user, "from_region"))
            .select_related("person", "from_region", "from_region__parent", "to_region", "to_region__parent",
                            "requested_by", "decided_by"))


@dataclass
class TransferLists:
    incoming: list[Transfer]
    outgoing: list[Transfer]
    incoming_pending: int
    outgoing_pending: int


def pending_counts(user) -> tuple[int, int]:
    """Pending incoming and outgoing transfers of the user's scope (the tabs' badges)."""
    if not roles.can_read_registry(user):
        return 0, 0
    return (incoming(user).filter(status=TransferStatus.PENDING).count(),
            outgoing(user).filter(status=TransferStatus.PENDING).count())


def transfer_lists(user, *, status: str = "", limit: int = 200) -> TransferLists:
    """Both directions, newest first, and the pending counts (the API's 迁移 answer)."""
    if not roles.can_read_registry(user):
        return TransferLists([], [], 0, 0)
    inc, out = incoming(user), outgoing(user)
    if status:
        inc, out = inc.filter(status=status), out.filter(status=status)
    order = ("-requested_at", "-pk")
    incoming_pending, outgoing_pending = pending_counts(user)
    return TransferLists(
        incoming=list(inc.order_by(*order)[:limit]), outgoing=list(out.order_by(*order)[:limit]),
        incoming_pending=incoming_pending, outgoing_pending=outgoing_pending,
    )


# The 迁移 list (web): one direction at a time, counted, paged, sorted, filtered and exported alike.

DIRECTIONS = ("incoming", "outgoing")


@dataclass
class TransferSearch:
    direction: str = "incoming"  # "incoming" (to the user's scope) or "outgoing" (from it)
    status: str = TransferStatus.PENDING  # a TransferStatus value; "" = every status
    region_code: str = ""  # a street or community on the user's side (迁入社区 incoming, 迁出社区 outgoing)
    date_from: datetime.date | None = None  # 申请时间, inclusive local dates
    date_to: datetime.date | None = None
    sort: str = ""  # a key of TRANSFER_SORTS, "-" for descending; "" = newest first
    limit: int = 50
    offset: int = 0


TRANSFER_SORTS = {"name": ("person__name",), "from_region": ("from_region_id",), "to_region": ("to_region_id",),
                  "requested_at": ("requested_at",), "status": ("status", "requested_at")}
TRANSFER_DEFAULT_SORT = "-requested_at"


def transfer_sort(search: TransferSearch) -> str:
    return sort_key(TRANSFER_SORTS, search.sort, TRANSFER_DEFAULT_SORT)


def _transfers(user, search: TransferSearch) -> QuerySet[Transfer]:
    if not roles.can_read_registry(user):
        return Transfer.objects.none()
    outgoing_side = search.direction == "outgoing"
    qs = outgoing(user) if outgoing_side else incoming(user)
    if search.status:
        qs = qs.filter(status=search.status)
    if search.region_code:
        try:
            qs = qs.filter(under_code_q(search.region_code.strip(), "from_region" if outgoing_side else "to_region"))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": search.region_code}) from None
    return qs.filter(days_q("requested_at", search.date_from, search.date_to))


def transfers_of_search(user, search: TransferSearch) -> QuerySet[Transfer]:
    """Every transfer of the list in its order (the export)."""
    return sorted_by(_transfers(user, search), TRANSFER_SORTS, transfer_sort(search), TRANSFER_DEFAULT_SORT)


def search_transfers(user, search: TransferSearch) -> tuple[list[Transfer], bool]:
    return page(transfers_of_search(user, search), search.limit, search.offset)


def count_transfers(user, search: TransferSearch) -> int:
    return _transfers(user, search).count()


def get_transfer(user, pk: int) -> Transfer:
    """A transfer either side of which lies in the user's scope; otherwise "not found"."""
    if not roles.can_read_registry(user):
        raise Http404(NOT_FOUND)
    transfer = (Transfer.objects.filter(region_q(user, "to_region") | region_q(user, "from_region"), pk=pk)
                .select_related("person", "from_region", "to_region", "requested_by", "decided_by").first())
    if transfer is None:
        raise Http404(NOT_FOUND)
    return transfer


def pending_for(person: Person) -> Transfer | None:
    return Transfer.objects.filter(person=person, status=TransferStatus.PENDING).select_related("to_region").first()


def person_transfers(person: Person) -> list[Transfer]:
    return list(person.transfers.select_related("from_region", "to_region", "requested_by", "decided_by")
                .order_by("-requested_at", "-pk")[:20])


# ---------------------------------------------------------------------------------------------
# Writes


def _community(value) -> Region:
    if isinstance(value, Region):
        region = value
    else:
        try:
            code = pad(str(value or ""))
        except ValueError:
            code = ""
        region = Region.objects.filter(code=code).first() if code else None
    if region is None or region.level != Region.Level.COMMUNITY:
        raise ValidationError({"to_region": _("请选择迁入的社区/村")})
    return region


@transaction.atomic
def request_transfer(*, actor, person: Person, to_region, reason: str) -> Transfer:
    """迁出: the sending side hands ``person`` over to ``to_region`` (a community of the city)."""
    ensure_can_write(actor, person.region_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    person.refresh_from_db(fields=["region"])
    ensure_can_write(actor, person.region_id)  # where the person lives now, read under the lock
    target = _community(to_region)
    prefix = city_prefix(actor)
    if prefix is None or not target.code.startswith(prefix):
        raise ValidationError({"to_region": _("只能迁往本市的社区/村")})
    if target.code == person.region_id:
        raise ValidationError({"to_region": _("迁入社区与现居住社区相同")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写迁移原因")})
    if Transfer.objects.filter(person=person, status=TransferStatus.PENDING).exists():
        raise ValidationError({"to_region": _("本人已有一项待接收的迁移，请等待对方处理或先撤回")})
    transfer = Transfer.objects.create(person=person, from_region_id=person.region_id, to_region=target,
                                       reason=reason.strip(), requested_by=actor)
    _both_sides(actor, transfer, action=AuditEntry.Action.UPDATE, label=person.name,
                summary=_("申请迁出至%(t)s") % {"t": target.name},
                changes={"status": TransferStatus.PENDING, "from_region": transfer.from_region_id,
                         "to_region": target.code, "transfer_reason": transfer.reason})
    return transfer


def _locked_pending(transfer: Transfer) -> Transfer:
    locked = Transfer.objects.select_for_update().filter(pk=transfer.pk).first()
    if locked is None or locked.status != TransferStatus.PENDING:
        raise ValidationError({"status": _("该迁移已处理，不能再次处理")})
    return locked


@transaction.atomic
def accept_transfer(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """迁入: the receiving side accepts; the person moves (see the module docstring)."""
    ensure_can_write(actor, transfer.to_region_id)
    transfer = _locked_pending(transfer)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    if person.region_id != transfer.from_region_id:
        raise ValidationError({"status": _("本人居住社区已变更，该迁移不能再接收，请退回")})
    today = timezone.localdate()
    person.region_id = transfer.to_region_id
    person.retirement_date = services.derived_person_values(
        person.id_number, person.female_retirement_base, person.region_id)["retirement_date"]
    person.save(update_fields=["region", "retirement_date", "updated_at"])
    membership = (HouseholdMembership.objects.select_for_update().filter(person=person, left_on__isnull=True)
                  .select_related("household").first())
    if membership is not None:
        membership.left_on = today
        membership.save(update_fields=["left_on"])
        services.refresh_zero_employment([membership.household_id], cause=services.CAUSE_MEMBERSHIP)
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="household", object_id=membership.household_id,
                     object_label=membership.household.number, region_code=membership.household.region_id,
                     changes={"member_removed": person.pk, "left_on": today, "transfer": transfer.pk},
                     summary=_("成员迁出本社区"))
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = actor, timezone.now(), (note or "").strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _both_sides(actor, transfer, action=AuditEntry.Action.UPDATE, label=person.name,
                summary=_("迁移已接收：%(f)s → %(t)s") % {"f": transfer.from_region.name, "t": transfer.to_region.name},
                changes={"status": TransferStatus.ACCEPTED, "from_region": transfer.from_region_id,
                         "to_region": transfer.to_region_id,
                         "household_left": membership.household_id if membership else None,
                         "decision_note": transfer.decision_note})
    if membership is not None:
        events.memberships_closed.send(sender=HouseholdMembership, ids=[membership.pk],
                                       household_ids=[membership.household_id], person_ids=[person.pk],
                                       via=events.VIA_SERVICE)
    events.persons_changed.send(sender=Person, ids=[person.pk], fields=["region"], via=events.VIA_SERVICE)
    events.persons_transferred.send(sender=Transfer, ids=[transfer.pk], person_ids=[person.pk],
                                    from_region=transfer.from_region_id, to_region=transfer.to_region_id,
                                    via=events.VIA_SERVICE)
    return transfer


@transaction.atomic
def reject_transfer(*, actor, transfer: Transfer, note: str) -> Transfer:
    """The receiving side refuses, with a reason; the person stays where they are."""
    ensure_can_write(actor, transfer.to_region_id)
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("退回须填写原因")})
    transfer = _locked_pending(transfer)
    transfer.status = TransferStatus.REJECTED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = actor, timezone.now(), note.strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _both_sides(actor, transfer, action=AuditEntry.Action.UPDATE, label=transfer.person.name,
                summary=_("迁移被退回：%(r)s") % {"r": transfer.decision_note},
                changes={"status": TransferStatus.REJECTED, "decision_note": transfer.decision_note})
    return transfer


@transaction.atomic
def cancel_transfer(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """The sending side withdraws a pending request."""
    ensure_can_write(actor, transfer.from_region_id)
    transfer = _locked_pending(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = actor, timezone.now(), (note or "").strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _both_sides(actor, transfer, action=AuditEntry.Action.UPDATE, label=transfer.person.name,
                summary=_("迁移申请已撤回"), changes={"status": TransferStatus.CANCELLED})
    return transfer


def may_decide(user, transfer: Transfer) -> bool:
    return (transfer.status == TransferStatus.PENDING and roles.can_write_registry(user)
            and in_scope(user, transfer.to_region_id))


def may_cancel(user, transfer: Transfer) -> bool:
    return (transfer.status == TransferStatus.PENDING and roles.can_write_registry(user)
            and in_scope(user, transfer.from_region_id))

