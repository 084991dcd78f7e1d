"""Zero-employment households (零就业家庭) driven to zero (动态清零), and capacity marks.

**Detection.** The registry keeps ``Household.is_zero_employment`` (as of today) and announces the
households whose flag flipped with ``events.households_changed(fields=[... "is_zero_employment"])``
inside the transaction of the change (a registration, correction or void, a member joining or
leaving, a household edit, a person edit, an import chunk, the daily refresh). ``households_flipped``
(connected in ``assistance/receivers.py``) reacts in that transaction, set-based per chunk of ids:

- flipped to zero: a ``ZeroEmploymentSpell`` opens and a case (``cases.open_cases_bulk``; a case in
  follow-up is reopened: relapse);
- flipped off: the spell ends and the open case closes, **resolved** (``cases.record_employment``) only
  when a member of working age, able and willing to work, is now employed by a counting employment
  registration and the flag flipped because of a registration (the event's ``cause``: an employed
  person moving in does not resolve a case); otherwise **no longer qualifies**
  (``cases.close_case``), with the cause read from the household's facts (``SpellCause``: retired,
  died, moved away, household split, marked unable/unwilling, business income ...). The two are
  counted apart everywhere.

**Capacity marks** (无劳动能力 / 无就业意愿): ``mark_capacity`` needs a reason and evidence, sets the flag
through ``registry.services.update_person(work_flag_basis=...)`` (the registry refuses the change on
every other path: ``registry.services.work_flag_lowered_error``), records a ``CapacityMark``
(``cleared_zero_household`` when it took the household off the list) and is audited; ``lift_mark``
sets the flag back. ``persons_changed`` is watched as a backstop (a flag taken away without an active
mark is refused, which rolls the change back) and lifts a mark whose flag came back through the
person's record.

**Reconcile.** ``reconcile_zero_employment`` recomputes the rule for every household in one query
(``registry.groups.zero_employment_rule``) and compares it with the flags, the open spells and the
open cases: the proof that no household that should have a case lacks one.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import ensure_can_write
from jiuye.assistance.models import (
    Attachment,
    CapacityKind,
    CapacityMark,
    Case,
    CaseKind,
    CaseStatus,
    CloseKind,
    SpellCause,
    SpellEnd,
    ZeroEmploymentSpell,
)
from jiuye.assistance.services import attachments, cases
from jiuye.registry import events
from jiuye.registry import services as registry_services
from jiuye.registry.groups import zero_employment_rule
from jiuye.registry.models import (
    EmploymentStatus,
    Household,
    HouseholdMembership,
    Person,
    Registration,
)
from jiuye.registry.retirement import flags_apply
from jiuye.registry.status import status_on

CHUNK = 500
FLAG_OF = {CapacityKind.UNABLE: "able_to_work", CapacityKind.UNWILLING: "willing_to_work"}
KIND_OF = {flag: kind for kind, flag in FLAG_OF.items()}
ZERO = CaseKind.ZERO_EMPLOYMENT
#: ``households_changed`` causes that are not an employment registration (registry.services.CAUSES).
NOT_BY_REGISTRATION = (registry_services.CAUSE_MEMBERSHIP, registry_services.CAUSE_HOUSEHOLD,
                       registry_services.CAUSE_PERSON)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# ---------------------------------------------------------------------------------------------
# Detection (receivers of the registry's events, inside the change's transaction)


def households_flipped(household_ids: Iterable[int], *, today: datetime.date | None = None, actor=None,
                       cause: str = "") -> dict[str, int]:
    """The households whose zero-employment flag flipped: open or close their spells and cases
    (set-based per chunk of 500). ``cause``: what the registry says flipped them (``households_changed``'s
    ``cause``; "" when it does not say). Returns counts {"opened", "resolved", "no_longer_qualifies"}."""
    today = today or timezone.localdate()
    counts = {"opened": 0, "resolved": 0, "no_longer_qualifies": 0}
    for chunk in _chunks(sorted(set(household_ids))):
        rows = list(Household.objects.filter(pk__in=chunk).values_list("pk", "region_id", "is_zero_employment"))
        became = [(pk, region) for pk, region, zero in rows if zero]
        stopped = [pk for pk, _region, zero in rows if not zero]
        if became:
            counts["opened"] += became_zero(became, today=today, actor=actor)
        if stopped:
            for key, n in stopped_being_zero(stopped, today=today, actor=actor, cause=cause).items():
                counts[key] += n
    return counts


@transaction.atomic
def became_zero(households: list[tuple[int, str]], *, today: datetime.date, actor=None) -> int:
    """(household id, community) pairs that are zero-employment: a spell where none is open, a case
    where none is open (a case in follow-up is reopened). Returns how many spells opened."""
    ids = [pk for pk, _region in households]
    open_spells = set(ZeroEmploymentSpell.objects.filter(household_id__in=ids, ended_on__isnull=True)
                      .values_list("household_id", flat=True))
    need_case = set(ids) - set(Case.objects.filter(kind=ZERO, status=CaseStatus.OPEN, household_id__in=ids)
                               .values_list("household_id", flat=True))
    if need_case:
        cases.open_cases_bulk(ZERO, [cases.Subject(region, household_id=pk) for pk, region in households if pk in need_case],
                              opened_on=today, actor=actor)
    active = dict(Case.objects.filter(kind=ZERO, status__in=cases.ACTIVE, household_id__in=ids)
                  .values_list("household_id", "pk"))
    spells = [ZeroEmploymentSpell(household_id=pk, region_id=region, started_on=today, case_id=active.get(pk))
              for pk, region in households if pk not in open_spells]
    ZeroEmploymentSpell.objects.bulk_create(spells, batch_size=CHUNK)
    # A spell opened earlier whose case was missing (reconcile) gets the case now.
    for spell in ZeroEmploymentSpell.objects.filter(household_id__in=open_spells, ended_on__isnull=True, case__isnull=True):
        if spell.household_id in active:
            spell.case_id = active[spell.household_id]
            spell.save(update_fields=["case"])
    audit.record_many(
        audit.build(actor, AuditEntry.Action.CREATE, object_type="zero_spell", object_id=s.pk, object_label=str(s.household_id),
                    region_code=s.region_id, changes={"household": s.household_id, "started_on": today, "case": s.case_id},
                    summary=_("认定为零就业家庭"))
        for s in spells)
    return len(spells)


@transaction.atomic
def stopped_being_zero(household_ids: list[int], *, today: datetime.date, actor=None, cause: str = "") -> dict[str, int]:
    """Households that are no longer zero-employment: end their open spell and close their open case,
    resolved or no longer qualifies (see the module docstring). When the registry says the flag flipped
    because of a membership, the household's own record or a person's record (``cause``), it was not an
    employment registration: never resolved (an employed person moving in is ``MEMBER_JOINED``)."""
    spells = {s.household_id: s for s in ZeroEmploymentSpell.objects.select_for_update()
              .filter(household_id__in=household_ids, ended_on__isnull=True)}
    open_cases = {c.household_id: c for c in Case.objects.select_for_update()
                  .filter(kind=ZERO, status=CaseStatus.OPEN, household_id__in=household_ids)}
    starts = {hid: s.started_on for hid, s in spells.items()}
    resolving = {} if cause in NOT_BY_REGISTRATION else _resolving_registrations(household_ids, starts, today)
    rest = [hid for hid in household_ids if hid not in resolving]
    causes = _causes(rest, starts, today) if rest else {}
    counts = {"resolved": 0, "no_longer_qualifies": 0}
    ended = []
    for hid in household_ids:
        spell, case = spells.get(hid), open_cases.get(hid)
        if spell is None and case is None:
            continue
        if hid in resolving:
            registration, person_name, cause = resolving[hid]
            note = _("%(n)s%(d)s就业登记") % {"n": person_name, "d": registration.effective_date.isoformat()}
            end_kind = SpellEnd.RESOLVED
        else:
            registration = None
            cause, note = causes.get(hid, (SpellCause.OTHER, _("不再符合零就业家庭条件")))
            end_kind = SpellEnd.NO_LONGER_QUALIFIES
        if spell is not None:
            spell.ended_on, spell.end_kind, spell.end_cause, spell.end_note = today, end_kind, cause, note[:255]
            ended.append(spell)
        if case is not None:
            if end_kind == SpellEnd.RESOLVED:
                on = max(registration.effective_date, case.opened_on)
                cases.record_employment(case, on=on, registration=registration, actor=actor,
                                        text=_("实现就业：%(n)s") % {"n": note})
            else:
                cases.close_case(case, kind=CloseKind.NO_LONGER_QUALIFIES, on=today, note=note, actor=actor)
        counts["resolved" if end_kind == SpellEnd.RESOLVED else "no_longer_qualifies"] += 1
    ZeroEmploymentSpell.objects.bulk_update(ended, ["ended_on", "end_kind", "end_cause", "end_note"], batch_size=CHUNK)
    audit.record_many(
        audit.build(actor, AuditEntry.Action.UPDATE, object_type="zero_spell", object_id=s.pk, object_label=str(s.household_id),
                    region_code=s.region_id,
                    changes={"household": s.household_id, "ended_on": today, "end_kind": s.end_kind, "end_cause": s.end_cause},
                    summary=_("零就业家庭消除（%(k)s）：%(n)s") % {"k": SpellEnd(s.end_kind).label, "n": s.end_note})
        for s in ended)
    return counts


def _eligible_members(household_ids: list[int], today: datetime.date):
    """Open memberships today of members of working age, able and willing to work (the rule's members)."""
    return HouseholdMembership.objects.filter(
        household_id__in=household_ids, joined_on__lte=today,
    ).exclude(left_on__lte=today).filter(
        person__able_to_work=True, person__willing_to_work=True,
        person__birth_date__lte=today - relativedelta(years=16), person__retirement_date__gt=today,
    )


def _resolving_registrations(household_ids: list[int], starts: dict[int, datetime.date],
                             today: datetime.date) -> dict[int, tuple[Registration, str, str]]:
    """household -> (the employment registration that resolves it, the member's name, cause): a member
    of working age, able and willing to work, employed today by a counting employment registration
    (the status projection says employed; the registration is the one ``status_on`` counts)."""
    rows = list(_eligible_members(household_ids, today).filter(person__employment_status=EmploymentStatus.EMPLOYED)
                .values_list("household_id", "person_id", "person__name", "joined_on"))
    if not rows:
        return {}
    entries: dict[int, list[Registration]] = defaultdict(list)
    for entry in Registration.objects.filter(person_id__in={r[1] for r in rows}):
        entries[entry.person_id].append(entry)
    out: dict[int, tuple[Registration, str, str]] = {}
    for hid, pid, name, joined_on in sorted(rows, key=lambda r: (r[0], r[1])):
        st = status_on(entries[pid], today)
        registration = next((e for e in entries[pid] if e.pk == st.registration_id), None)
        if registration is None or registration.kind != Registration.Kind.EMPLOYMENT:
            continue
        out.setdefault(hid, (registration, name, SpellCause.EMPLOYED))
    return out


def _causes(household_ids: list[int], starts: dict[int, datetime.date], today: datetime.date) -> dict[int, tuple[str, str]]:
    """household -> (cause, note) for households that stopped being zero-employment otherwise than by
    employment: read from what changed since the spell began (a few queries per chunk)."""
    found: dict[int, list[tuple[datetime.date, str, str]]] = defaultdict(list)
    earliest = min(starts.values(), default=today)

    def since(hid: int) -> datetime.date:
        return starts.get(hid, today)

    for hid in Household.objects.filter(pk__in=household_ids, has_business_income=True).values_list("pk", flat=True):
        found[hid].append((today, SpellCause.BUSINESS_INCOME, _("本户有经营性收入")))
    # Members who left the household during the spell: into another household (分户) or away.
    left = list(HouseholdMembership.objects.filter(household_id__in=household_ids, left_on__gte=earliest, left_on__lte=today)
                .values_list("household_id", "person_id", "person__name", "left_on"))
    elsewhere = dict(HouseholdMembership.objects.filter(person_id__in={r[1] for r in left}, left_on__isnull=True)
                     .exclude(household_id__in=household_ids).values_list("person_id", "household__number"))
    for hid, pid, name, left_on in left:
        if left_on < since(hid):
            continue
        if pid in elsewhere:
            found[hid].append((left_on, SpellCause.SPLIT, _("分户：%(n)s迁入家庭户%(h)s") % {"n": name, "h": elsewhere[pid]}))
        else:
            found[hid].append((left_on, SpellCause.MOVED_AWAY, _("%(n)s迁出本户") % {"n": name}))
    # Eligible members employed who joined during the spell (not a resolution: nobody clears a case by
    # moving a worker in).
    for hid, name, joined_on in _eligible_members(household_ids, today).filter(
            person__employment_status=EmploymentStatus.EMPLOYED).values_list("household_id", "person__name", "joined_on"):
        if joined_on >= since(hid):
            found[hid].append((joined_on, SpellCause.MEMBER_JOINED, _("已就业的%(n)s加入本户") % {"n": name}))
    # Current members whose facts changed during the spell.
    members = list(HouseholdMembership.objects.filter(household_id__in=household_ids, joined_on__lte=today)
                   .exclude(left_on__lte=today)
                   .values_list("household_id", "person_id", "person__name", "person__employment_status",
                                "person__status_since", "person__retirement_date", "person__birth_date",
                                "person__able_to_work", "person__willing_to_work"))
    pids = {m[1] for m in members}
    marks = defaultdict(list)
    for pid, kind, marked_on in CapacityMark.objects.filter(person_id__in=pids, lifted_on__isnull=True).values_list(
            "person_id", "kind", "marked_on"):
        marks[pid].append((kind, marked_on))
    endings = dict(Person.objects.filter(pk__in=pids, employment_status__in=[
        EmploymentStatus.RETIRED, EmploymentStatus.DECEASED, EmploymentStatus.IN_SCHOOL, EmploymentStatus.MILITARY,
        EmploymentStatus.MOVED_AWAY]).values_list("pk", "employment_status"))
    recorded: dict[int, datetime.date] = {}  # the latest day a registration of the person was recorded
    corrected: set[int] = set()
    for pid, at, corrects_id in Registration.objects.filter(person_id__in=pids, recorded_at__date__gte=earliest).values_list(
            "person_id", "recorded_at", "corrects_id"):
        day = timezone.localtime(at).date()
        recorded[pid] = max(recorded.get(pid, day), day)
        if corrects_id is not None:
            corrected.add(pid)
    for hid, pid, name, status, _since, retirement, birth, able, willing in members:
        start = since(hid)
        if not flags_apply(birth, today):
            continue
        for kind, marked_on in marks.get(pid, ()):
            if marked_on >= start:
                cause = SpellCause.UNABLE if kind == CapacityKind.UNABLE else SpellCause.UNWILLING
                found[hid].append((marked_on, cause, _("%(n)s标记%(k)s") % {"n": name, "k": CapacityKind(kind).label}))
        day = recorded.get(pid, datetime.date.min)
        recent = day >= start
        if pid in endings and recent:
            if status == EmploymentStatus.DECEASED:
                found[hid].append((day, SpellCause.DECEASED, _("%(n)s死亡") % {"n": name}))
            elif status == EmploymentStatus.RETIRED:
                found[hid].append((day, SpellCause.RETIRED, _("%(n)s退休") % {"n": name}))
            elif status == EmploymentStatus.MOVED_AWAY:
                found[hid].append((day, SpellCause.MOVED_AWAY, _("%(n)s迁出") % {"n": name}))
            else:
                found[hid].append((day, SpellCause.REGISTRATION_ENDED, _("%(n)s终止失业登记（%(s)s）") % {
                    "n": name, "s": EmploymentStatus(status).label}))
        elif retirement is not None and start <= retirement <= today:
            found[hid].append((retirement, SpellCause.RETIRED, _("%(n)s于%(d)s达到法定退休年龄") % {"n": name, "d": retirement.isoformat()}))
        elif recent and pid in corrected and status != EmploymentStatus.UNEMPLOYED:
            found[hid].append((day, SpellCause.CORRECTED, _("%(n)s的失业登记已更正或作废") % {"n": name}))
        elif recent and status == EmploymentStatus.NONE:
            found[hid].append((day, SpellCause.REGISTRATION_ENDED, _("%(n)s已无有效的失业登记") % {"n": name}))
    # The latest change is the cause (an earlier one did not end the spell); ties keep their order.
    out = {}
    for hid, items in found.items():
        latest = max(day for day, _cause, _note in items)
        items = [(cause, note) for day, cause, note in items if day == latest]
        out[hid] = (items[0][0], "；".join(dict.fromkeys(note for _cause, note in items)))
    return out


# ---------------------------------------------------------------------------------------------
# Capacity marks (无劳动能力 / 无就业意愿)


def _kind_label(kind: str) -> str:
    return str(CapacityKind(kind).label)


@transaction.atomic
def mark_capacity(actor, person: Person, kind: str, reason: str, evidence_files: Iterable, on: datetime.date | None = None
                  ) -> CapacityMark:
    """Mark a member unable (无劳动能力) or unwilling (无就业意愿) to work: a reason and at least one
    evidence file are required; the flag is set through the registry; the mark says whether it took
    a zero-employment household off the list (``cleared_zero_household``). Audited."""
    ensure_can_write(actor, person.region_id)
    today = timezone.localdate()
    on = on or today
    reason = (reason or "").strip()
    files = [f for f in (evidence_files or []) if f]
    errors: dict[str, list[str]] = {}
    if kind not in CapacityKind.values:
        errors["kind"] = [_("标记类型“%(k)s”无效（无劳动能力 或 无就业意愿）") % {"k": kind}]
    if not reason:
        errors["reason"] = [_("请填写标记原因")]
    elif len(reason) > 255:
        errors["reason"] = [_("标记原因最多255个字")]
    if not files:
        errors["evidence"] = [_("请上传至少一份证明材料（如残疾人证、医疗诊断证明、本人书面声明）")]
    else:
        try:
            attachments.check_files(files)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if on > today:
        errors["on"] = [_("标记日期%(d)s晚于今天") % {"d": on.isoformat()}]
    if person.birth_date and not flags_apply(person.birth_date, today):
        errors["kind"] = [_("%(n)s未满16周岁，劳动能力与就业意愿不适用") % {"n": person.name}]
    elif kind in CapacityKind.values and not getattr(Person.objects.get(pk=person.pk), FLAG_OF[kind]):
        errors["kind"] = [_("%(n)s已记为%(k)s") % {"n": person.name, "k": _kind_label(kind)}]
    if errors:
        raise ValidationError(errors)
    person = Person.objects.select_for_update().get(pk=person.pk)  # fresh: the caller's copy may be stale
    membership = (HouseholdMembership.objects.filter(person=person, left_on__isnull=True)
                  .select_related("household").first())
    household = membership.household if membership else None
    was_zero = bool(household and household.is_zero_employment)
    mark = CapacityMark.objects.create(person=person, household=household, region_id=person.region_id, kind=kind,
                                       reason=reason, marked_on=on,
                                       marked_by=actor if getattr(actor, "is_authenticated", False) else None)
    stored = attachments.save_files("capacity_mark", mark.pk, files, actor=actor, kind=_kind_label(kind))
    registry_services.update_person(actor=actor, person=person, work_flag_basis=f"capacity_mark:{mark.pk}",
                                    **{FLAG_OF[kind]: False})
    if household is not None:
        household.refresh_from_db(fields=["is_zero_employment"])
        mark.cleared_zero_household = was_zero and not household.is_zero_employment
        if mark.cleared_zero_household:
            mark.save(update_fields=["cleared_zero_household"])
    audit.record(actor, AuditEntry.Action.CREATE, object_type="capacity_mark", object_id=mark.pk, object_label=person.name,
                 region_code=person.region_id,
                 changes={"person": person.pk, "kind": kind, "reason": reason, "marked_on": on,
                          "household": household.pk if household else None, "evidence": [a.original_name for a in stored],
                          "cleared_zero_household": mark.cleared_zero_household},
                 summary=_("标记%(k)s") % {"k": _kind_label(kind)}
                 + (_("（致零就业家庭消除）") if mark.cleared_zero_household else ""))
    return mark


@transaction.atomic
def lift_mark(actor, mark: CapacityMark, note: str, on: datetime.date | None = None) -> CapacityMark:
    """Withdraw a mark (the person can work / wants to work again): the flag is set back (a household
    may become zero-employment again, and its case reopens). Audited."""
    ensure_can_write(actor, mark.region_id)
    mark = CapacityMark.objects.select_for_update().select_related("person").get(pk=mark.pk)
    note = (note or "").strip()
    today = timezone.localdate()
    on = on or today
    errors: dict[str, list[str]] = {}
    if mark.lifted_on is not None:
        errors["__all__"] = [_("该标记已于%(d)s撤销") % {"d": mark.lifted_on.isoformat()}]
    if not note:
        errors["note"] = [_("请填写撤销说明")]
    if on > today or on < mark.marked_on:
        errors["on"] = [_("撤销日期%(d)s须在标记日期%(m)s与今天之间") % {"d": on.isoformat(), "m": mark.marked_on.isoformat()}]
    if errors:
        raise ValidationError(errors)
    mark.lifted_on, mark.lift_note = on, note[:255]
    mark.lifted_by = actor if getattr(actor, "is_authenticated", False) else None
    mark.save(update_fields=["lifted_on", "lifted_by", "lift_note"])
    flag = FLAG_OF[mark.kind]
    person = Person.objects.select_for_update().get(pk=mark.person_id)
    if not getattr(person, flag) and not CapacityMark.objects.filter(person=person, kind=mark.kind,
                                                                      lifted_on__isnull=True).exists():
        registry_services.update_person(actor=actor, person=person, **{flag: True})
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="capacity_mark", object_id=mark.pk,
                 object_label=person.name, region_code=mark.region_id,
                 changes={"lifted_on": on, "lift_note": mark.lift_note},
                 summary=_("撤销%(k)s标记") % {"k": _kind_label(mark.kind)})
    return mark


def evidence_of(mark: CapacityMark) -> list[Attachment]:
    return attachments.files_of("capacity_mark", mark.pk)


def persons_changed(ids: list[int], fields: Iterable[str], via: str, *, today: datetime.date | None = None) -> None:
    """Backstop of the work flags (receiver of ``persons_changed``, in the change's transaction).

    A flag taken away (有 → 无) through a single change (``via="service"``, where ``fields`` are that
    person's own) without an active mark of that kind is refused (the receiver raises, the change
    rolls back). A flag set back to 有 lifts the active marks of that kind (the person's record says
    they can work again)."""
    flags = [f for f in registry_services.WORK_FLAGS if f in set(fields or ())]
    if not flags:
        return
    today = today or timezone.localdate()
    adult = today - relativedelta(years=16)
    for flag in flags:
        kind = KIND_OF[flag]
        for chunk in _chunks(sorted(set(ids))):
            if via == "service":
                bad = (Person.objects.filter(pk__in=chunk, birth_date__lte=adult, **{flag: False})
                       .exclude(pk__in=CapacityMark.objects.filter(kind=kind, lifted_on__isnull=True).values("person_id")))
                if bad.exists():
                    raise ValidationError({flag: registry_services.work_flag_lowered_error(flag)})
            back = list(CapacityMark.objects.filter(person_id__in=chunk, kind=kind, lifted_on__isnull=True,
                                                    **{f"person__{flag}": True}))
            for mark in back:
                mark.lifted_on, mark.lift_note = today, _("人员信息中恢复为有%(w)s") % {
                    "w": _("劳动能力") if kind == CapacityKind.UNABLE else _("就业意愿")}
            if back:
                CapacityMark.objects.bulk_update(back, ["lifted_on", "lift_note"])
                audit.record_many(audit.build(None, AuditEntry.Action.UPDATE, object_type="capacity_mark", object_id=m.pk,
                                              region_code=m.region_id, changes={"lifted_on": today, "lift_note": m.lift_note},
                                              summary=_("撤销%(k)s标记") % {"k": _kind_label(m.kind)}) for m in back)


# ---------------------------------------------------------------------------------------------
# Reconcile (jiuye reconcile_zero_employment) and the daily check


RECONCILE_KEYS = ["flag_missing", "flag_stale", "spell_missing", "case_missing", "spell_orphan", "case_orphan"]


def _disagreements(today: datetime.date, recompute: bool) -> dict[str, list]:
    zero = Household.objects.filter(is_zero_employment=True)
    out: dict[str, list] = {}
    if recompute:
        rule = zero_employment_rule(today).values("pk")
        out["flag_missing"] = list(Household.objects.filter(is_zero_employment=False, pk__in=rule).values_list("pk", flat=True))
        out["flag_stale"] = list(zero.exclude(pk__in=rule).values_list("pk", flat=True))
    else:
        out["flag_missing"], out["flag_stale"] = [], []
    open_spells = ZeroEmploymentSpell.objects.filter(ended_on__isnull=True)
    open_cases = Case.objects.filter(kind=ZERO, status=CaseStatus.OPEN)
    out["spell_missing"] = list(zero.exclude(pk__in=open_spells.values("household_id")).values_list("pk", "region_id"))
    out["case_missing"] = list(zero.exclude(pk__in=open_cases.values("household_id")).values_list("pk", "region_id"))
    out["spell_orphan"] = list(open_spells.filter(household__is_zero_employment=False).values_list("household_id", flat=True))
    out["case_orphan"] = list(open_cases.filter(household__is_zero_employment=False).values_list("household_id", flat=True))
    return out


def reconcile_zero_employment(today: datetime.date | None = None, fix: bool = True, *, recompute: bool = True) -> dict:
    """Recompute the rule for every household (one grouped query, ``zero_employment_rule``) and compare
    it with the stored flags, the open spells and the open cases. Returns the counts of every kind of
    disagreement (``RECONCILE_KEYS``), ``households`` (zero-employment now), ``disagreements`` (their
    sum) and ``fixed``. With ``fix`` every disagreement is repaired: flags through the registry
    (``refresh_zero_employment``, whose event opens or closes spells and cases), then missing spells
    and cases opened and orphans closed. ``recompute=False`` skips the rule (the daily check, right
    after the registry recomputed the flags)."""
    today = today or timezone.localdate()
    found = _disagreements(today, recompute)
    counts = {key: len(found[key]) for key in RECONCILE_KEYS}
    counts["disagreements"] = sum(counts.values())
    counts["fixed"] = False
    if fix and counts["disagreements"]:
        with transaction.atomic():
            flags = sorted(set(found["flag_missing"]) | set(found["flag_stale"]))
            if flags and today == timezone.localdate():
                for chunk in _chunks(flags):
                    registry_services.refresh_zero_employment(chunk, via="refresh")
            again = _disagreements(today, recompute=False)
            missing = dict(again["spell_missing"] + again["case_missing"])
            for chunk in _chunks(sorted(missing)):
                became_zero([(pk, missing[pk]) for pk in chunk], today=today)
            orphans = sorted(set(again["spell_orphan"]) | set(again["case_orphan"]))
            for chunk in _chunks(orphans):
                stopped_being_zero(chunk, today=today)
        counts["fixed"] = True
    counts["households"] = Household.objects.filter(is_zero_employment=True).count()
    return counts


def daily_check(today: datetime.date) -> str | None:
    """The daily refresh's part (receiver of ``daily_refresh``): the flags were just recomputed by the
    registry; check and repair spells and cases against them. One line of Chinese for the command
    (None when there is no zero-employment household and nothing was repaired)."""
    counts = reconcile_zero_employment(today, fix=True, recompute=False)
    if not counts["households"] and not counts["disagreements"]:
        return None
    return _("零就业家庭：当前%(h)d户；个案与记录核对修正%(d)d处") % {"h": counts["households"], "d": counts["disagreements"]}


# ---------------------------------------------------------------------------------------------
# Receivers (importing this module connects them; assistance/receivers.py imports it)


@receiver(events.households_changed, dispatch_uid="assistance_zero_households_changed")
def _on_households_changed(sender, ids, fields=(), via="service", cause="", **kwargs):
    if "is_zero_employment" in (fields or ()):
        households_flipped(ids, cause=cause)


@receiver(events.persons_changed, dispatch_uid="assistance_zero_persons_changed")
def _on_persons_changed(sender, ids, fields=(), via="service", **kwargs):
    persons_changed(ids, fields, via)


@receiver(events.daily_refresh, dispatch_uid="assistance_zero_daily_refresh")
def _on_daily_refresh(sender, today=None, **kwargs):
    return daily_check(today or timezone.localdate())
