"""Job-seeker registration (求职登记) and the seeker's profile (求职意向与简历): the writes.

Who may write: staff who work jobs (``roles.can_work_jobs``) for a person of their region, and a
resident for their own record (the portal). Anyone else, or a person outside the region, gets the
registry's "not found" answer (``NotFound``), never "forbidden".

A person has at most one open registration (``seeker_one_open``); stopping closes it with a reason
(``SeekingEnd``) and a date; history is kept. ``close_on_registrations`` is the set-based receiver of
``registry.events.registrations_recorded``: an employment registration closes the person's open
registration as hired on its effective date; an ending for death or moving away closes it as moved/other.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope
from jiuye.jobs.models import Occupation, SeekerProfile, SeekerRegistration, SeekingEnd, WorkType
from jiuye.regions.models import Region
from jiuye.registry.models import EmploymentStatus, EndingReason, Person, Registration
from jiuye.registry.queries import NotFound, linked_person_id

NOT_FOUND = "人员不存在或不在您的管辖范围内"

PROFILE_FIELDS = ("occupations", "regions", "wage_min", "wage_max", "work_types", "hours", "max_commute_km",
                  "skills", "certificates", "experience_years", "resume", "latitude", "longitude")
MAX_LIST = 30
MAX_ITEM = 32
MAX_RESUME = 5000
MAX_WAGE = 1_000_000


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def may_write_for(actor, person: Person) -> bool:
    """Staff working jobs in the person's region, or the resident themselves."""
    if actor is None:
        return True  # the system (receivers, the daily job, the demo)
    if roles.is_resident(actor):
        return linked_person_id(actor) == person.pk
    return roles.can_work_jobs(actor) and in_scope(actor, person.region_id)


def ensure_may_write(actor, person: Person) -> None:
    if not may_write_for(actor, person):
        raise NotFound(_(NOT_FOUND))


def open_registration(person: Person | int) -> SeekerRegistration | None:
    pid = person.pk if isinstance(person, Person) else person
    return SeekerRegistration.objects.filter(person_id=pid, ended_on__isnull=True).first()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _audit(actor, person: Person, action: str, summary: str, changes: dict) -> None:
    audit.record(_actor(actor) or actor, action, object_type="person", object_id=person.pk, object_label=person.name,
                 region_code=person.region_id, changes=changes, summary=summary)


@transaction.atomic
def start_seeking(*, actor, person: Person, started_on: datetime.date | None = None) -> SeekerRegistration:
    """求职登记: opens the person's registration from ``started_on`` (today by default)."""
    ensure_may_write(actor, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    today = timezone.localdate()
    started_on = started_on or today
    errors: dict[str, list[str]] = {}
    if started_on > today:
        errors.setdefault("started_on", []).append(_("求职登记日期%(d)s晚于今天") % {"d": started_on})
    current = open_registration(person)
    if current is not None:
        errors.setdefault("person", []).append(
            _("%(n)s已于%(d)s办理求职登记，尚未结束") % {"n": person.name, "d": current.started_on})
    if person.employment_status in (EmploymentStatus.DECEASED, EmploymentStatus.MOVED_AWAY):
        errors.setdefault("person", []).append(
            _("%(n)s的就业状态为“%(s)s”，不能办理求职登记") % {
                "n": person.name, "s": EmploymentStatus(person.employment_status).label})
    last = SeekerRegistration.objects.filter(person=person, ended_on__isnull=False).order_by("-ended_on").first()
    if last is not None and started_on < last.ended_on:
        errors.setdefault("started_on", []).append(
            _("求职登记日期%(d)s早于上一次求职登记的结束日期%(e)s") % {"d": started_on, "e": last.ended_on})
    _raise(errors)
    try:
        with transaction.atomic():
            reg = SeekerRegistration.objects.create(person=person, started_on=started_on, registered_in_id=person.region_id,
                                                    operator=_actor(actor))
    except IntegrityError:
        raise ValidationError({"person": [_("%(n)s已有未结束的求职登记") % {"n": person.name}]}) from None
    _audit(actor, person, AuditEntry.Action.REGISTER, _("求职登记"),
           {"seeker_registration": reg.pk, "started_on": started_on})
    return reg


@transaction.atomic
def stop_seeking(*, actor, person: Person, ended_on: datetime.date | None = None,
                 reason: str = SeekingEnd.WITHDREW) -> SeekerRegistration:
    """Ends the open registration on ``ended_on`` (today by default) for ``reason`` (``SeekingEnd``)."""
    ensure_may_write(actor, person)
    today = timezone.localdate()
    ended_on = ended_on or today
    errors: dict[str, list[str]] = {}
    reg = SeekerRegistration.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    if reg is None:
        errors.setdefault("person", []).append(_("%(n)s没有未结束的求职登记") % {"n": person.name})
    if reason not in SeekingEnd.values:
        errors.setdefault("reason", []).append(_("结束原因“%(r)s”无效，可选：%(c)s") % {
            "r": reason, "c": "、".join(str(label) for label in SeekingEnd.labels)})
    if ended_on > today:
        errors.setdefault("ended_on", []).append(_("结束日期%(d)s晚于今天") % {"d": ended_on})
    if reg is not None and ended_on < reg.started_on:
        errors.setdefault("ended_on", []).append(
            _("结束日期%(e)s早于求职登记日期%(s)s") % {"e": ended_on, "s": reg.started_on})
    _raise(errors)
    reg.ended_on, reg.end_reason = ended_on, reason
    reg.save(update_fields=["ended_on", "end_reason"])
    _audit(actor, person, AuditEntry.Action.UPDATE, _("结束求职登记：%(r)s") % {"r": SeekingEnd(reason).label},
           {"seeker_registration": reg.pk, "ended_on": ended_on, "end_reason": reason})
    return reg


# ---------------------------------------------------------------------------------------------
# The receiver: registrations end the seeking (set-based, one UPDATE per date and reason)

ENDING_REASONS = {EndingReason.DEATH: SeekingEnd.OTHER, EndingReason.MOVED_AWAY: SeekingEnd.MOVED}


def close_on_registrations(registration_ids: Iterable[int]) -> int:
    """Closes the open seeker registrations of the persons of these new registrations: an employment
    registration → hired on its effective date; an ending for death → other, moving away → moved. A
    registration dated before the seeking started leaves it open. Returns how many were closed."""
    ids = sorted(set(registration_ids))
    groups: dict[tuple[datetime.date, str], set[int]] = defaultdict(set)
    for start in range(0, len(ids), 900):
        rows = (Registration.objects.filter(pk__in=ids[start:start + 900], corrects__isnull=True)
                .filter(kind__in=[Registration.Kind.EMPLOYMENT, Registration.Kind.ENDING])
                .values_list("person_id", "kind", "effective_date", "ending_reason"))
        for pid, kind, date, ending in rows:
            if kind == Registration.Kind.EMPLOYMENT:
                groups[(date, SeekingEnd.HIRED)].add(pid)
            elif ending in ENDING_REASONS:
                groups[(date, ENDING_REASONS[ending])].add(pid)
    persons = sorted({pid for pids in groups.values() for pid in pids})
    seeking: set[int] = set()
    for start in range(0, len(persons), 900):  # only the persons with an open registration are updated
        seeking.update(SeekerRegistration.objects.filter(person_id__in=persons[start:start + 900], ended_on__isnull=True)
                       .values_list("person_id", flat=True))
    closed = 0
    for (date, reason), pids in sorted(groups.items()):
        pids = sorted(pids & seeking)
        for start in range(0, len(pids), 900):
            closed += SeekerRegistration.objects.filter(
                person_id__in=pids[start:start + 900], ended_on__isnull=True, started_on__lte=date,
            ).update(ended_on=date, end_reason=reason)
    return closed


def _on_registrations_recorded(sender, ids=(), **kwargs):
    close_on_registrations(ids)


def connect() -> None:
    from jiuye.registry import events

    events.registrations_recorded.connect(_on_registrations_recorded, dispatch_uid="jobs_close_seekers")


# ---------------------------------------------------------------------------------------------
# Profile


def _str_list(value) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, (list, tuple)):
        return None
    return [str(v).strip() for v in value if str(v).strip()]


def profile_errors(values: dict) -> tuple[dict[str, list[str]], dict]:
    """Every reason the profile values are refused (field → messages naming the value), and the
    cleaned values. Shared by the service and the import."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    unknown = set(values) - set(PROFILE_FIELDS)
    for name in sorted(unknown):
        add(name, _("未知字段“%(f)s”") % {"f": name})
    for name in ("occupations", "regions", "work_types", "skills", "certificates"):
        if name not in values:
            continue
        items = _str_list(values[name])
        if items is None:
            add(name, _("“%(v)s”不是列表") % {"v": values[name]})
            continue
        items = list(dict.fromkeys(items))
        if len(items) > MAX_LIST:
            add(name, _("最多%(n)d项，填写了%(m)d项") % {"n": MAX_LIST, "m": len(items)})
        long = [i for i in items if len(i) > MAX_ITEM]
        if long:
            add(name, _("“%(v)s”超过%(n)d个字") % {"v": long[0], "n": MAX_ITEM})
        clean[name] = items
    if clean.get("occupations"):
        known = set(Occupation.objects.filter(code__in=clean["occupations"], is_occupation=True).values_list("code", flat=True))
        for code in clean["occupations"]:
            if code not in known:
                add("occupations", _("“%(v)s”不是职业分类大典中的职业（细类）代码") % {"v": code})
    if clean.get("regions"):
        known = set(Region.objects.filter(code__in=clean["regions"]).values_list("code", flat=True))
        for code in clean["regions"]:
            if code not in known:
                add("regions", _("区划代码“%(v)s”不存在") % {"v": code})
    if clean.get("work_types"):
        for wt in clean["work_types"]:
            if wt not in WorkType.values:
                add("work_types", _("用工形式“%(v)s”无效，可选：%(c)s") % {
                    "v": wt, "c": "、".join(f"{v}（{label}）" for v, label in WorkType.choices)})
    for name, top in (("wage_min", MAX_WAGE), ("wage_max", MAX_WAGE), ("max_commute_km", 500), ("experience_years", 60)):
        if name not in values:
            continue
        raw = values[name]
        if raw in (None, ""):
            clean[name] = 0 if name == "experience_years" else None
            continue
        try:
            number = int(raw)
        except (TypeError, ValueError):
            add(name, _("“%(v)s”不是整数") % {"v": raw})
            continue
        if number < 0 or number > top:
            add(name, _("%(v)s超出范围（0至%(t)d）") % {"v": number, "t": top})
            continue
        clean[name] = number
    if clean.get("wage_min") is not None and clean.get("wage_max") is not None and clean["wage_max"] < clean["wage_min"]:
        add("wage_max", _("期望月薪上限%(a)d低于下限%(b)d") % {"a": clean["wage_max"], "b": clean["wage_min"]})
    for name, lo, hi in (("latitude", -90, 90), ("longitude", -180, 180)):
        if name not in values:
            continue
        raw = values[name]
        if raw in (None, ""):
            clean[name] = None
            continue
        try:
            number = float(raw)
        except (TypeError, ValueError):
            add(name, _("“%(v)s”不是数字") % {"v": raw})
            continue
        if not lo <= number <= hi:
            add(name, _("%(v)s超出范围（%(l)d至%(h)d）") % {"v": number, "l": lo, "h": hi})
            continue
        clean[name] = number
    for name, top in (("hours", 64), ("resume", MAX_RESUME)):
        if name in values:
            text = str(values[name] or "").strip()
            if len(text) > top:
                add(name, _("超过%(n)d个字（%(m)d个字）") % {"n": top, "m": len(text)})
            clean[name] = text
    return errors, clean


@transaction.atomic
def save_profile(*, actor, person: Person, **values) -> SeekerProfile:
    """Creates or updates the person's profile with the given fields (the others stay); every refused
    field reported at once; audited with the fields that changed (the résumé's text is not copied)."""
    ensure_may_write(actor, person)
    errors, clean = profile_errors(values)
    _raise(errors)
    profile = SeekerProfile.objects.select_for_update().filter(person=person).first()
    created = profile is None
    if created:
        profile = SeekerProfile(person=person)
    before = {k: getattr(profile, k) for k in clean}
    for k, v in clean.items():
        setattr(profile, k, v)
    merged_min, merged_max = profile.wage_min, profile.wage_max
    if merged_min is not None and merged_max is not None and merged_max < merged_min:
        raise ValidationError({"wage_max": [_("期望月薪上限%(a)d低于下限%(b)d") % {"a": merged_max, "b": merged_min}]})
    profile.updated_by = _actor(actor)
    profile.updated_at = timezone.now()
    profile.save()
    changed = sorted(k for k in clean if before[k] != clean[k])
    _audit(actor, person, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, _("求职意向与简历"),
           {"seeker_profile": profile.pk, "fields": changed})
    return profile
