"""Writes to the registry. Every change goes through one of these functions: each checks the
actor's scope, validates, writes in one transaction, records the audit entry and sends the domain
event (``registry/events.py``) inside that transaction, so a receiver's writes commit or roll back
with the change."""
from __future__ import annotations

import datetime
from typing import Any, Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import ensure_can_write, in_scope
from jiuye.parameters import params
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.registry import events
from jiuye.registry.identity import IdentityError, parse_credit_code, parse_phone, parse_resident_id
from jiuye.registry.industries import DIVISIONS
from jiuye.registry.models import (
    ContractType,
    EmploymentForm,
    EmploymentStatus,
    Employer,
    Household,
    HouseholdMembership,
    PendingRegistration,
    Person,
    Registration,
    RegistrationSource,
    Relation,
)
from jiuye.registry.retirement import flags_apply, retirement_date, working_age_start
from jiuye.registry.groups import zero_employment_rule
from jiuye.registry.status import effective_entries, status_on

# The fields a user may edit. The import sets the same fields but female_retirement_base
# (registry.importers.persons.IMPORT_FIELDS is derived from this list).
PERSON_EDITABLE_FIELDS = [
    "name", "ethnicity", "phone", "hukou_type", "hukou_place", "region", "address", "education", "graduation_date",
    "school_type", "school_name", "major", "is_veteran", "veteran_kind", "has_disability", "disability_grade",
    "is_dibao", "poverty_status", "is_land_lost_farmer", "is_released_or_rehabilitated", "skills", "certificates",
    "able_to_work", "willing_to_work", "preferred_occupation", "preferred_industry", "preferred_wage_min",
    "preferred_work_place", "female_retirement_base",
]
# registry.importers.employers.IMPORT_FIELDS is this list.
EMPLOYER_EDITABLE_FIELDS = [
    "name", "industry_code", "size_class", "ownership", "region", "address", "contact_name", "contact_phone",
    "employee_count",
]
FORMS_WITHOUT_EMPLOYER = {
    EmploymentForm.SELF_EMPLOYED, EmploymentForm.FLEXIBLE, EmploymentForm.PLATFORM, EmploymentForm.AGRICULTURE,
    EmploymentForm.OTHER,
}


def _region(value: Region | str) -> Region:
    if isinstance(value, Region):
        return value
    try:
        return Region.objects.get(code=pad(str(value)))
    except (Region.DoesNotExist, ValueError):
        raise ValidationError({"region": _("区划代码“%(c)s”不存在") % {"c": value}}) from None


def _require_community(region: Region) -> None:
    if region.level != Region.Level.COMMUNITY:
        raise ValidationError({"region": _("“%(n)s”不是社区/村，居住地须选到社区/村") % {"n": region.name}})


def derived_person_values(id_number: str, female_retirement_base: int | None, region_code: str | None) -> dict:
    """Sex, birth date and retirement date derived from the identity number (never typed twice)."""
    try:
        ident = parse_resident_id(id_number)
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    base = female_retirement_base or params(region_code)["registry.female_retirement_base"]  # in force today
    return {
        "id_number": ident.number,
        "sex": ident.sex,
        "birth_date": ident.birth_date,
        "retirement_date": retirement_date(ident.birth_date, ident.sex, base),
    }


# ---------------------------------------------------------------------------------------------
# Field rules shared by the web forms, the API and the import (the forms run them as field checks, so
# that every mistake shows in one submit; the services run them again before writing).

WORK_FLAGS = ("able_to_work", "willing_to_work")


def work_flag_lowered_error(flag: str) -> str:
    """Why 有劳动能力/有就业意愿 cannot be taken away in the person's record (form, API, import).

    Marking a working-age person unable or unwilling to work takes them out of the zero-employment
    rule (``groups.zero_employment_rule``), so it could drive the count of zero-employment households
    to zero on paper. It is an act of its own with a reason and evidence (就业援助 › 劳动能力/就业意愿标记,
    ``assistance.services.zero.mark_capacity``), which passes ``work_flag_basis`` to ``update_person``;
    every other path is refused with this message. Setting a flag back (有) is always allowed."""
    what = _("无劳动能力") if flag == "able_to_work" else _("无就业意愿")
    return _("不能在人员信息中改为“%(w)s”：请在“零就业家庭 › 劳动能力/就业意愿标记”中标记，"
             "须填写原因并上传证明材料") % {"w": what}


def lowered_work_flags(person: Person, changes: dict[str, Any], today: datetime.date | None = None) -> list[str]:
    """The work flags ``changes`` would turn from 有 to 无 for a person of 16 or more (under 16 the
    flags do not apply and are stored as not given: ``person_rules``)."""
    today = today or timezone.localdate()
    if person.birth_date is not None and not flags_apply(person.birth_date, today):
        return []
    return [flag for flag in WORK_FLAGS if flag in changes and getattr(person, flag) and changes[flag] is False]


def phone_error(value: str) -> str | None:
    """Why ``value`` is not a phone number (``identity.parse_phone``), or None."""
    try:
        parse_phone(value)
    except IdentityError as exc:
        return str(exc)
    return None


def graduation_date_error(value: datetime.date | None, *, birth_date: datetime.date | None = None,
                          today: datetime.date | None = None) -> str | None:
    """The graduation date rule: at most one year ahead (an expected date), not before birth.

    Graduates count from the year they graduate (毕业年度, DOMAIN §4) and are served before they leave
    (autumn recruiting for next summer's class), so a student's expected graduation date may be entered up
    to a year ahead — the final-year class at any time of the year; a date further ahead (2030) is a
    typing error or a student not yet in their final year, and is refused. The persons import applies the
    same function to each cell (``registry.importers.persons``)."""
    if value is None:
        return None
    today = today or timezone.localdate()
    limit = graduation_limit(today)
    if value > limit:
        return _("毕业时间%(d)s晚于%(l)s；尚未毕业的只可填写一年内的预计毕业时间") % {
            "d": value.isoformat(), "l": limit.isoformat()}
    if birth_date is not None and value <= birth_date:
        return _("毕业时间%(d)s早于出生日期%(b)s") % {"d": value.isoformat(), "b": birth_date.isoformat()}
    return None


def graduation_limit(today: datetime.date) -> datetime.date:
    """The latest graduation date accepted on ``today``: one year ahead (29 February: 28 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def person_field_errors(values: dict[str, Any], *, birth_date: datetime.date | None,
                        today: datetime.date | None = None) -> dict[str, list[str]]:
    """Every rule of ``person_rules`` that ``values`` break, by field (nothing is changed)."""
    return person_rules(dict(values), birth_date=birth_date, today=today)


def person_rules(values: dict[str, Any], *, birth_date: datetime.date | None,
                 today: datetime.date | None = None) -> dict[str, list[str]]:
    """Normalises ``values`` in place and returns the broken rules by field (all of them at once):
    the phone number (stored as ``identity.parse_phone`` returns it), the graduation date
    (``graduation_date_error``), and the work flags of a person under 16: 有劳动能力 and 有就业意愿 do not
    apply before the 16th birthday and are stored as not given (False; the person page shows
    "不适用"), whatever was ticked — a child's record is accepted (children are household members),
    but never as able and willing to work. The import applies the same rules."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if values.get("phone"):
        try:
            values["phone"] = parse_phone(values["phone"])
        except IdentityError as exc:
            errors["phone"] = [str(exc)]
    message = graduation_date_error(values.get("graduation_date"), birth_date=birth_date, today=today)
    if message:
        errors["graduation_date"] = [message]
    if birth_date is not None and not flags_apply(birth_date, today):
        for flag in WORK_FLAGS:
            if flag in values:
                values[flag] = False
    return errors


def employer_rules(values: dict[str, Any]) -> dict[str, list[str]]:
    """Normalises ``values`` in place and returns the broken rules by field: the contact phone
    (``identity.parse_phone``) and the industry (a GB/T 4754-2017 division, or a 3-4 digit group or
    class within one)."""
    errors: dict[str, list[str]] = {}
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = parse_phone(values["contact_phone"])
        except IdentityError as exc:
            errors["contact_phone"] = [str(exc)]
    code = (values.get("industry_code") or "").strip()
    if "industry_code" in values:
        values["industry_code"] = code
    if code and not (code.isascii() and code.isdigit() and 2 <= len(code) <= 4 and code[:2] in DIVISIONS):
        errors["industry_code"] = [_("行业代码“%(c)s”不是GB/T 4754-2017的大类代码") % {"c": code}]
    return errors


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _person_snapshot(person: Person, fields: Iterable[str]) -> dict[str, Any]:
    return {f: (getattr(person, f + "_id") if f == "region" else getattr(person, f)) for f in fields}


@transaction.atomic
def create_person(*, actor, id_number: str, name: str, region: Region | str, hukou_type: str, **fields) -> Person:
    region = _region(region)
    _require_community(region)
    ensure_can_write(actor, region.code)
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    derived = {}
    try:
        derived = derived_person_values(id_number, fields.get("female_retirement_base"), region.code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if derived and Person.objects.filter(id_number=derived["id_number"]).exists():
        errors["id_number"] = [_("公民身份号码%(n)s已登记") % {"n": derived["id_number"]}]
    if not (name or "").strip():
        errors["name"] = [_("姓名不能为空")]
    if derived and not flags_apply(derived["birth_date"], timezone.localdate()):
        fields.update({flag: False for flag in WORK_FLAGS})  # not applicable under 16 (person_rules)
    errors.update(person_rules(fields, birth_date=derived.get("birth_date")))
    _raise(errors)
    person = Person(name=name.strip(), region=region, hukou_type=hukou_type, **derived, **fields)
    person.full_clean(exclude=["retirement_date", "sex", "birth_date"])
    person.save()
    audit.record(
        actor, AuditEntry.Action.CREATE, object_type="person", object_id=person.pk, object_label=person.name,
        region_code=region.code, changes=_person_snapshot(person, ["name", "region", *fields]),
        summary=_("新建人员档案"),
    )
    events.persons_created.send(sender=Person, ids=[person.pk], via=events.VIA_SERVICE)
    return person


@transaction.atomic
def update_person(*, actor, person: Person, work_flag_basis: str = "", **changes) -> Person:
    """Changes a person's record. 有劳动能力/有就业意愿 are taken away only with ``work_flag_basis``
    (the act that justifies it, e.g. "capacity_mark:12", recorded in the audit entry): see
    ``work_flag_lowered_error``."""
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    ensure_can_write(actor, person.region_id)
    if "region" in changes:
        changes["region"] = _region(changes["region"])
        _require_community(changes["region"])
        ensure_can_write(actor, changes["region"].code)
    errors = person_rules(changes, birth_date=person.birth_date)
    lowered = lowered_work_flags(person, changes)
    if lowered and not work_flag_basis:
        for flag in lowered:
            errors.setdefault(flag, []).append(work_flag_lowered_error(flag))
    _raise(errors)
    before = _person_snapshot(person, changes)
    for field, value in changes.items():
        setattr(person, field, value)
    if "female_retirement_base" in changes or "region" in changes:
        person.retirement_date = derived_person_values(
            person.id_number, person.female_retirement_base, person.region_id
        )["retirement_date"]
    person.full_clean(exclude=["retirement_date", "sex", "birth_date"], validate_unique=False)
    after = _person_snapshot(person, changes)
    changed = audit.diff(before, after)
    if changed:
        # Only the fields edited (and the retirement date they derive): a full save would write back
        # a stale status projection held by the caller's copy of the person.
        person.save(update_fields=[*changed, "retirement_date", "updated_at"])
        audit.record(
            actor, AuditEntry.Action.UPDATE, object_type="person", object_id=person.pk, object_label=person.name,
            region_code=person.region_id,
            changes={**changed, "basis": work_flag_basis} if work_flag_basis and lowered else changed,
            summary=_("修改人员信息"),
        )
        if set(changed) & {"able_to_work", "willing_to_work", "female_retirement_base", "region"}:
            refresh_households_of([person.pk], cause=CAUSE_PERSON)
        events.persons_changed.send(sender=Person, ids=[person.pk], fields=sorted(changed), via=events.VIA_SERVICE)
    return person


# ---------------------------------------------------------------------------------------------
# Registrations


# What changed a household's zero-employment flag (``households_changed``'s ``cause``).
CAUSE_REGISTRATION, CAUSE_MEMBERSHIP, CAUSE_HOUSEHOLD, CAUSE_PERSON = "registration", "membership", "household", "person"
CAUSES = (CAUSE_REGISTRATION, CAUSE_MEMBERSHIP, CAUSE_HOUSEHOLD, CAUSE_PERSON)


def refresh_status(person_ids: Iterable[int], *, today: datetime.date | None = None) -> int:
    """Rewrite the status projection of these persons from their history as of today."""
    today = today or timezone.localdate()
    ids = list(set(person_ids))
    changed = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        entries: dict[int, list[Registration]] = {pid: [] for pid in chunk}
        for entry in Registration.objects.filter(person_id__in=chunk).only(
            "id", "person_id", "kind", "effective_date", "recorded_at", "employer_id", "employment_form",
            "ending_reason", "corrects_id",
        ):
            entries[entry.person_id].append(entry)
        for person in Person.objects.filter(pk__in=chunk).only(
            "id", "employment_status", "status_since", "current_employer_id", "employment_form"
        ):
            st = status_on(entries[person.pk], today)
            new = (st.status, st.since, st.employer_id, st.employment_form)
            if (person.employment_status, person.status_since, person.current_employer_id, person.employment_form) != new:
                person.employment_status, person.status_since, person.current_employer_id, person.employment_form = new
                changed.append(person)
    Person.objects.bulk_update(changed, ["employment_status", "status_since", "current_employer", "employment_form"], batch_size=500)
    refresh_households_of(ids, cause=CAUSE_REGISTRATION)
    return len(changed)


def refresh_households_of(person_ids: Iterable[int], *, via: str = events.VIA_SERVICE, cause: str = "") -> None:
    """Refresh the zero-employment flag of the households these persons belong to now (``cause``: see
    ``refresh_zero_employment``)."""
    ids = list(set(person_ids))
    household_ids: set[int] = set()
    for start in range(0, len(ids), 500):
        household_ids.update(HouseholdMembership.objects.filter(person_id__in=ids[start : start + 500], left_on__isnull=True)
                             .values_list("household_id", flat=True))
    for chunk in _chunks(sorted(household_ids), 500):
        refresh_zero_employment(chunk, via=via, cause=cause)


@transaction.atomic
def refresh_zero_employment(household_ids: Iterable[int] | None = None, *, via: str = events.VIA_SERVICE,
                            cause: str = "") -> int:
    """Rewrite ``Household.is_zero_employment`` (as of today) for these households, or all of them;
    returns how many flags flipped.

    The rule (``groups.zero_employment_rule``) is evaluated for the given households only, so a few
    households cost milliseconds whatever the registry size. Called by the services whenever a member's
    status, a membership or the household changes, by imports, and by ``jiuye refresh_projections``
    every day (members leave working age as time passes). Announces the flipped households with
    ``events.households_changed`` inside the transaction; ``cause`` (one of ``CAUSES``, when the caller
    knows what changed: a registration, a membership, the household, a person's record) goes with it,
    so that a listener tells a household taken off the list by an employment registration from one
    taken off by a member joining or leaving."""
    today = timezone.localdate()
    scope = Household.objects.all()
    ids = None
    if household_ids is not None:
        ids = sorted(set(household_ids))
        if not ids:
            return 0
        scope = scope.filter(pk__in=ids)
    zero = zero_employment_rule(today, household_ids=ids).values("pk")
    to_set = list(scope.filter(is_zero_employment=False, pk__in=zero).values_list("pk", flat=True))
    to_clear = list(scope.filter(is_zero_employment=True).exclude(pk__in=zero).values_list("pk", flat=True))
    for chunk in _chunks(to_set, 500):
        Household.objects.filter(pk__in=chunk).update(is_zero_employment=True)
    for chunk in _chunks(to_clear, 500):
        Household.objects.filter(pk__in=chunk).update(is_zero_employment=False)
    changed = sorted(to_set + to_clear)
    if changed:
        events.households_changed.send(sender=Household, ids=changed, created=False, fields=["is_zero_employment"], via=via,
                                       **({"cause": cause} if cause else {}))
    return len(changed)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _validate_entry(person: Person, kind: str, effective_date: datetime.date, *, employer, employment_form,
                    ignore: Registration | None = None, allow_future: bool = False) -> None:
    """The rule for any registration entry: not in the future, 16 or older for employment and
    unemployment, an employment form and (for the forms that need one) an employer, not after death.

    Copied for speed (row by row, without the person's history) in
    ``registry.importers.registrations.RegistrationImporter.check``; the death check runs there
    through ``status.status_on`` as here. tests/test_import_rules.py holds the copy to this rule.
    A new entry (not a correction) also passes ``_validate_history``.
    """
    today = timezone.localdate()
    if effective_date > today and not allow_future:  # a pending hire is scheduled instead (schedule_registration)
        raise ValidationError({"effective_date": _("生效日期%(d)s晚于今天，不能预先登记") % {"d": effective_date}})
    if kind in (Registration.Kind.EMPLOYMENT, Registration.Kind.UNEMPLOYMENT) and effective_date < working_age_start(person.birth_date):
        raise ValidationError({"effective_date": _("生效日期%(d)s时本人未满16周岁") % {"d": effective_date}})
    if kind == Registration.Kind.EMPLOYMENT:
        if not employment_form:
            raise ValidationError({"employment_form": _("请填写就业形式")})
        if employer is None and employment_form not in FORMS_WITHOUT_EMPLOYER:
            raise ValidationError({"employer": _("“%(f)s”须填写就业单位") % {"f": EmploymentForm(employment_form).label}})
    entries = [e for e in person.registrations.all() if ignore is None or (e.pk != ignore.pk)]
    before = status_on(entries, effective_date)
    if before.status == EmploymentStatus.DECEASED:
        raise ValidationError({"effective_date": _("本人已于%(d)s登记死亡") % {"d": before.since}})


def contract_months_between(start: datetime.date, end: datetime.date) -> int:
    """The whole months of a contract from its first day ``start`` to its last day ``end`` (inclusive):
    the calendar months from ``start`` to the day after ``end``, a remainder of days dropped (rounded
    down). 2024-01-01 to 2026-12-31 is 36; 2024-03-15 to 2025-03-14 is 12; 2024-01-15 to 2024-03-10 is 1."""
    delta = relativedelta(end + datetime.timedelta(days=1), start)
    return delta.years * 12 + delta.months


def contract_error(contract_type: str, start: datetime.date | None, end: datetime.date | None,
                   months: int | None, effective_date: datetime.date | None = None) -> tuple[str, str] | None:
    """Why these contract facts do not fit together, as (field, message), or None. The rules (docs/glossary.md,
    合同起止日期): the end not before the start, nor before the employment began; dates need a contract
    type; 未签订 has no dates and no term; 无固定期限 has no end date and no term; 固定期限 needs its end
    date (a term in months alone is accepted only when no date is known, as old ledgers record it);
    以完成一定工作任务为期限 may leave the end open; a given term must equal the months derived from the
    dates (``contract_months_between``). Shared by the services and the registrations import."""
    if start and end and end < start:
        return "contract_end", _("合同终止日期%(e)s早于合同起始日期%(s)s") % {"e": end, "s": start}
    if end and effective_date and end < effective_date:
        return "contract_end", _("合同终止日期%(e)s早于就业日期%(d)s") % {"e": end, "d": effective_date}
    if (start or end) and not contract_type:
        return "contract_type", _("填写了合同起止日期，请选择劳动合同类型")
    if contract_type == ContractType.NONE and (start or end or months):
        return "contract_type", _("“未签订”劳动合同时不填写合同起止日期和合同期限")
    if contract_type == ContractType.OPEN_ENDED:
        if end:
            return "contract_end", _("无固定期限劳动合同没有终止日期")
        if months:
            return "contract_months", _("无固定期限劳动合同没有合同期限（月）")
    if contract_type == ContractType.FIXED and not end and not (months and not start):
        return "contract_end", _("固定期限劳动合同须填写合同终止日期")
    if start and end and months is not None:
        derived = contract_months_between(start, end)
        if months != derived:
            return "contract_months", _("合同期限%(m)d个月与合同起止日期（%(s)s至%(e)s，共%(d)d个月）不符；"
                                        "填写起止日期时合同期限可不填，由系统计算") % {
                "m": months, "s": start, "e": end, "d": derived}
    return None


def contract_terms(contract_type: str, start: datetime.date | None, end: datetime.date | None, months: int | None,
                   effective_date: datetime.date | None = None) -> int | None:
    """The contract term in months to store: derived from the dates when both are given, else the
    given months; ValidationError naming the field when the facts do not fit (``contract_error``)."""
    error = contract_error(contract_type, start, end, months, effective_date)
    if error:
        raise ValidationError({error[0]: error[1]})
    if start and end:
        return contract_months_between(start, end)
    return months


def history_error(entries: Iterable[Registration], kind: str, effective_date: datetime.date) -> str | None:
    """Why a new entry of ``kind`` on ``effective_date`` does not fit this history, or None.

    - An unemployment registration while registered unemployed on that date is a second one.
    The import applies this to each row against the history in order (older ledger rows may be
    inserted where they fit); the services apply it, and ``_validate_history``'s "not before the
    latest entry" rule, to new entries."""
    before = status_on(entries, effective_date)
    if kind == Registration.Kind.UNEMPLOYMENT and before.status == EmploymentStatus.UNEMPLOYED:
        return _("本人自%(d)s起已是登记失业，不能重复办理失业登记；如原登记的日期或原因有误，请在登记记录中更正") % {"d": before.since}
    return None


def _validate_history(person: Person, kind: str, effective_date: datetime.date) -> None:
    """The history rules for a new entry made through the services (web, API): not dated before the
    person's latest counting entry (the history is corrected through a correction instead), an
    ending not before the status it ends began, no second unemployment registration
    (``history_error``)."""
    entries = list(person.registrations.all())
    counting = effective_entries(entries)
    latest = counting[-1] if counting else None
    if latest is not None and effective_date < latest.effective_date:
        current = status_on(counting, timezone.localdate())
        if kind == Registration.Kind.ENDING and current.since is not None and effective_date < current.since:
            message = _("终止日期%(d)s早于当前状态（%(s)s）的开始日期%(since)s；终止须在所终止的状态之后。"
                        "如当前状态登记有误，请在登记记录中更正或作废该登记") % {
                "d": effective_date, "s": EmploymentStatus(current.status).label, "since": current.since}
        else:
            message = _("生效日期%(d)s早于本人最近一次登记（%(k)s，%(since)s）；不能在历史中间补登。"
                        "如历史有误，请在登记记录中更正该登记") % {
                "d": effective_date, "k": Registration.Kind(latest.kind).label, "since": latest.effective_date}
        raise ValidationError({"effective_date": message})
    error = history_error(entries, kind, effective_date)
    if error:
        raise ValidationError({"effective_date": error})


def _confirmations(person: Person, kind: str, confirm: bool) -> list[str]:
    """An unemployment registration for a person marked unable or unwilling to work needs ``confirm``;
    returns what was confirmed (recorded in the entry's audit)."""
    if kind != Registration.Kind.UNEMPLOYMENT:
        return []
    marks = []
    if not person.able_to_work:
        marks.append("able_to_work")
    if not person.willing_to_work:
        marks.append("willing_to_work")
    if marks and not confirm:
        labels = "、".join(str(_("无劳动能力") if m == "able_to_work" else _("无就业意愿")) for m in marks)
        raise ValidationError({"confirm": _("本人档案记为%(m)s。请核实本人情况；确需办理失业登记，请勾选确认后再提交"
                                            "（也可先修改人员信息）") % {"m": labels}}, code="confirm_required")
    return marks


def _registered_in(actor, person: Person, registered_in: Region | str | None,
                   corrects: Registration | None) -> Region | str:
    """登记地: the community named, else the corrected entry's, else the person's community now."""
    if registered_in is None or registered_in == "":
        return corrects.registered_in_id if corrects is not None else person.region_id
    region = _region(registered_in)
    if region.level != Region.Level.COMMUNITY:
        raise ValidationError({"registered_in": _("登记地“%(n)s”不是社区/村，须选到社区/村") % {"n": region.name}})
    ensure_can_write(actor, region.code)
    return region


def _former_employer(kind: str, former_employer: Employer | str | None) -> Employer | None:
    """失业前单位: an Employer, or a credit code of a registered employer; only on 失业登记."""
    if former_employer in (None, ""):
        return None
    if kind != Registration.Kind.UNEMPLOYMENT:
        raise ValidationError({"former_employer": _("只有失业登记可以填写失业前单位")})
    if isinstance(former_employer, Employer):
        return former_employer
    try:
        code = parse_credit_code(str(former_employer))
    except IdentityError as exc:
        raise ValidationError({"former_employer": str(exc)}) from None
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        raise ValidationError({"former_employer": _("统一社会信用代码%(c)s的单位尚未登记") % {"c": code}})
    return employer


@transaction.atomic
def _add_entry(*, actor, person: Person, kind: str, effective_date: datetime.date, source: str,
               corrects: Registration | None = None, reason: str = "", audit_action=AuditEntry.Action.REGISTER,
               registered_in: Region | str | None = None, former_employer: Employer | str | None = None,
               confirm: bool = False, authorised: bool = False, operator=None, **values) -> Registration:
    """``authorised``: the caller has checked that the entry may be made (a resident's own self-registration,
    the daily job applying a scheduled entry); ``operator`` (经办人) defaults to ``actor``."""
    if not authorised:
        ensure_can_write(actor, person.region_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    place = _registered_in(actor, person, registered_in, corrects)
    former = _former_employer(kind, former_employer)
    if former is not None:
        values["former_employer"] = former
    if corrects is not None:
        if corrects.person_id != person.pk:
            raise ValidationError({"corrects": _("被更正的登记不属于本人")})
        if corrects.kind == Registration.Kind.VOID:
            raise ValidationError({"corrects": _("作废记录本身不能再更正或作废")})
        if corrects.corrections.exists():
            raise ValidationError({"corrects": _("该登记已被更正或作废")})
        if not reason.strip():
            raise ValidationError({"reason": _("更正或作废须填写原因")})
    if kind == Registration.Kind.EMPLOYMENT:
        values["contract_months"] = contract_terms(
            values.get("contract_type", ""), values.get("contract_start"), values.get("contract_end"),
            values.get("contract_months"), effective_date)
    elif values.get("contract_start") or values.get("contract_end"):
        raise ValidationError({"contract_start": _("只有就业登记可以填写合同起止日期")})
    if kind != Registration.Kind.VOID:
        _validate_entry(person, kind, effective_date, employer=values.get("employer"),
                        employment_form=values.get("employment_form", ""), ignore=corrects)
    confirmed = []
    if corrects is None:
        _validate_history(person, kind, effective_date)
        confirmed = _confirmations(person, kind, confirm)
    entry = Registration(
        person=person, kind=kind, effective_date=effective_date, corrects=corrects, reason=reason.strip(),
        operator=operator or (actor if getattr(actor, "is_authenticated", False) else None), source=source, **values,
    )
    if isinstance(place, Region):
        entry.registered_in = place
    else:
        entry.registered_in_id = place
    entry.full_clean(exclude=["operator", "import_key", "registered_in"])
    entry.save()
    refresh_status([person.pk])
    audit.record(
        actor, audit_action, object_type="person", object_id=person.pk, object_label=person.name,
        region_code=person.region_id,
        changes={"registration": entry.pk, "kind": kind, "effective_date": effective_date, "corrects": corrects.pk if corrects else None,
                 "registered_in": entry.registered_in_id, **{k: v for k, v in values.items()},
                 **({"confirmed": confirmed} if confirmed else {})},
        summary=str(Registration.Kind(kind).label) if corrects is None else _("更正登记：%(r)s") % {"r": reason},
    )
    if corrects is None:
        events.registrations_recorded.send(sender=Registration, ids=[entry.pk], person_ids=[person.pk],
                                           via=events.VIA_SERVICE)
    elif kind == Registration.Kind.VOID:
        events.registrations_voided.send(sender=Registration, ids=[entry.pk], voided_ids=[corrects.pk],
                                         person_ids=[person.pk], via=events.VIA_SERVICE)
    else:
        events.registrations_corrected.send(sender=Registration, ids=[entry.pk], corrected_ids=[corrects.pk],
                                            person_ids=[person.pk], via=events.VIA_SERVICE)
    return entry


def register_employment(*, actor, person: Person, effective_date: datetime.date, employment_form: str,
                        employer: Employer | None = None, contract_type: str = "", contract_months: int | None = None,
                        social_insurance: bool | None = None, occupation: str = "", source: str = RegistrationSource.MANUAL,
                        corrects: Registration | None = None, reason: str = "",
                        registered_in: Region | str | None = None, contract_start: datetime.date | None = None,
                        contract_end: datetime.date | None = None, authorised: bool = False) -> Registration:
    """就业登记. ``registered_in`` (登记地): the community where it is made, by default the person's.
    ``contract_start`` / ``contract_end`` (合同起止日期): ``contract_months`` is derived from them
    (``contract_terms``); a given months value that disagrees is refused. ``authorised``: the caller has
    checked that this actor may make the entry without being a registry writer of the person's region (an
    employer confirming its own hire of an application, jobs.services.applications); every rule still applies."""
    return _add_entry(
        actor=actor, person=person, kind=Registration.Kind.EMPLOYMENT, effective_date=effective_date, source=source,
        authorised=authorised,
        corrects=corrects, reason=reason, registered_in=registered_in, employer=employer, employment_form=employment_form,
        contract_type=contract_type, contract_months=contract_months, social_insurance=social_insurance,
        occupation=occupation, contract_start=contract_start, contract_end=contract_end,
    )


def register_unemployment(*, actor, person: Person, effective_date: datetime.date, unemployment_reason: str,
                          source: str = RegistrationSource.MANUAL, corrects: Registration | None = None,
                          reason: str = "", registered_in: Region | str | None = None,
                          former_employer: Employer | str | None = None, confirm: bool = False) -> Registration:
    """失业登记. ``former_employer`` (失业前单位): an Employer or its credit code, optional;
    ``registered_in`` (登记地): the community where it is made, by default the person's. A person marked
    unable or unwilling to work needs ``confirm=True`` (recorded in the audit as ``confirmed``)."""
    if not unemployment_reason:
        raise ValidationError({"unemployment_reason": _("请填写失业原因")})
    return _add_entry(
        actor=actor, person=person, kind=Registration.Kind.UNEMPLOYMENT, effective_date=effective_date, source=source,
        corrects=corrects, reason=reason, registered_in=registered_in, former_employer=former_employer,
        confirm=confirm, unemployment_reason=unemployment_reason,
    )


def end_status(*, actor, person: Person, effective_date: datetime.date, ending_reason: str,
               source: str = RegistrationSource.MANUAL, corrects: Registration | None = None, reason: str = "",
               registered_in: Region | str | None = None) -> Registration:
    """Ends the current status (retirement, death, school, military service, moving away ...)."""
    if not ending_reason:
        raise ValidationError({"ending_reason": _("请填写终止原因")})
    return _add_entry(
        actor=actor, person=person, kind=Registration.Kind.ENDING, effective_date=effective_date, source=source,
        corrects=corrects, reason=reason, registered_in=registered_in, ending_reason=ending_reason,
    )


def void_registration(*, actor, registration: Registration, reason: str) -> Registration:
    """Cancels an entry that should never have been made. The entry stays in the history."""
    return _add_entry(
        actor=actor, person=registration.person, kind=Registration.Kind.VOID, effective_date=registration.effective_date,
        source=RegistrationSource.MANUAL, corrects=registration, reason=reason, audit_action=AuditEntry.Action.CORRECT,
    )


def correct_registration(*, actor, registration: Registration, reason: str, **replacement) -> Registration:
    """Replaces an entry with a corrected copy (same kind unless ``kind`` is given). The copy keeps the
    entry's 登记地 and 失业前单位 unless ``registered_in`` / ``former_employer`` are given."""
    fields = ["effective_date", "employer", "employment_form", "contract_type", "contract_months", "social_insurance",
              "occupation", "unemployment_reason", "ending_reason", "contract_start", "contract_end"]
    kind = replacement.pop("kind", registration.kind)
    if ("contract_start" in replacement or "contract_end" in replacement) and "contract_months" not in replacement:
        replacement["contract_months"] = None  # derived anew from the corrected dates
    registered_in = replacement.pop("registered_in", None)
    if "former_employer" in replacement:
        former_employer = replacement.pop("former_employer")
    else:
        former_employer = registration.former_employer if kind == Registration.Kind.UNEMPLOYMENT else None
    unknown = set(replacement) - set(fields)
    if unknown:
        raise ValueError(f"unknown registration fields: {sorted(unknown)}")
    values = {f: replacement.get(f, getattr(registration, f)) for f in fields}
    if kind != Registration.Kind.EMPLOYMENT:
        values.pop("contract_start")
        values.pop("contract_end")
    effective_date = values.pop("effective_date")
    return _add_entry(
        actor=actor, person=registration.person, kind=kind, effective_date=effective_date,
        source=RegistrationSource.MANUAL, corrects=registration, reason=reason, audit_action=AuditEntry.Action.CORRECT,
        registered_in=registered_in, former_employer=former_employer, **values,
    )


# ---------------------------------------------------------------------------------------------
# Pending registrations (待生效): scheduled hires and online self-registrations (网上自助)

# The entry fields a pending registration keeps (PendingRegistration.values), per kind.
PENDING_FIELDS = {
    PendingRegistration.Kind.EMPLOYMENT: ["employer", "employment_form", "contract_type", "contract_start",
                                          "contract_end", "contract_months", "social_insurance", "occupation"],
    PendingRegistration.Kind.UNEMPLOYMENT: ["unemployment_reason", "former_employer"],
}
_PENDING_DATES = {"contract_start", "contract_end"}
_PENDING_EMPLOYERS = {"employer", "former_employer"}


def _pending_values(kind: str, values: dict) -> dict:
    """The entry's values as JSON (employers by id, dates as ISO text)."""
    unknown = set(values) - set(PENDING_FIELDS[kind])
    if unknown:
        raise ValueError(f"unknown registration fields for {kind}: {sorted(unknown)}")
    out = {}
    for name, value in values.items():
        if name in _PENDING_EMPLOYERS:
            value = value.pk if isinstance(value, Employer) else None
        elif name in _PENDING_DATES:
            value = value.isoformat() if value else None
        out[name] = value
    return out


def pending_entry_values(pending: PendingRegistration) -> dict:
    """The stored values back as the services take them (Employer objects, dates)."""
    out = {}
    for name, value in (pending.values or {}).items():
        if name in _PENDING_EMPLOYERS:
            value = Employer.objects.filter(pk=value).first() if value else None
        elif name in _PENDING_DATES:
            value = datetime.date.fromisoformat(value) if value else None
        out[name] = value
    return out


def _check_new_entry(person: Person, kind: str, effective_date: datetime.date, values: dict, *,
                     allow_future: bool) -> dict:
    """The rules of a new entry (``_add_entry``), checked without writing; returns the values with the
    contract term derived. ``allow_future``: a scheduled entry (its date is checked again on the day)."""
    if kind not in PENDING_FIELDS:
        raise ValidationError({"kind": _("只能办理就业登记或失业登记")})
    if kind == Registration.Kind.UNEMPLOYMENT and not values.get("unemployment_reason"):
        raise ValidationError({"unemployment_reason": _("请填写失业原因")})
    values = dict(values)
    if kind == Registration.Kind.EMPLOYMENT:
        values["contract_months"] = contract_terms(values.get("contract_type", ""), values.get("contract_start"),
                                                   values.get("contract_end"), values.get("contract_months"),
                                                   effective_date)
    _validate_entry(person, kind, effective_date, employer=values.get("employer"),
                    employment_form=values.get("employment_form", ""), allow_future=allow_future)
    _validate_history(person, kind, effective_date)
    return values


def _record_pending(actor, pending: PendingRegistration, summary: str, **changes) -> None:
    person = pending.person
    audit.record(actor, AuditEntry.Action.REGISTER if pending.status != PendingRegistration.Status.REJECTED
                 else AuditEntry.Action.UPDATE, object_type="person", object_id=person.pk,
                 object_label=person.name, region_code=person.region_id,
                 changes={"pending_registration": pending.pk, "kind": pending.kind,
                          "effective_date": pending.effective_date, "status": pending.status, **changes},
                 summary=summary)


@transaction.atomic
def schedule_registration(*, actor, person: Person, kind: str, effective_date: datetime.date,
                          source: str = RegistrationSource.MANUAL,
                          origin: str = PendingRegistration.Origin.PENDING_HIRE, authorised: bool = False,
                          **values) -> PendingRegistration:
    """A hire or placement that takes effect on a future date (待生效录用): the hook the jobs and
    assistance apps call. Checked now with the rules of a new entry as far as they can be (scope, form
    and employer, age, contract dates, not before the latest entry); ``apply_due_pending`` registers it
    on its date through the normal path, or rejects it with the reason when it no longer fits.
    ``authorised``: as in ``register_employment`` (the employer's confirmation of its own hire)."""
    if not authorised:
        ensure_can_write(actor, person.region_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if effective_date <= timezone.localdate():
        raise ValidationError({"effective_date": _("生效日期%(d)s不晚于今天，请直接办理登记") % {"d": effective_date}})
    values = _check_new_entry(person, kind, effective_date, values, allow_future=True)
    pending = PendingRegistration.objects.create(
        person=person, kind=kind, effective_date=effective_date, values=_pending_values(kind, values), origin=origin,
        source=source, status=PendingRegistration.Status.SCHEDULED,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    _record_pending(actor, pending, _("待生效登记：%(k)s") % {"k": pending.get_kind_display()}, **pending.values)
    return pending


def apply_due_pending(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job's step (``jiuye refresh_projections``): every scheduled entry due on or before
    ``today`` is registered through ``_add_entry`` (rules, audit, events as any new entry; the person
    who scheduled it as 经办人), in date order, each in its own transaction. One that no longer fits the
    history is marked rejected with the reason; nothing is applied silently."""
    today = today or timezone.localdate()
    due = list(PendingRegistration.objects.filter(status=PendingRegistration.Status.SCHEDULED,
                                                  effective_date__lte=today)
               .select_related("person", "requested_by").order_by("effective_date", "requested_at", "pk"))
    applied = rejected = 0
    for pending in due:
        try:
            with transaction.atomic():
                entry = _apply_pending(None, pending, operator=pending.requested_by, summary=_("待生效登记到期生效"))
        except ValidationError as exc:
            with transaction.atomic():
                _decide(None, pending, PendingRegistration.Status.REJECTED, _error_text(exc),
                        _("待生效登记到期未能生效"))
            rejected += 1
        else:
            applied += 1 if entry else 0
    return {"applied": applied, "rejected": rejected}


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)[:255]


def _apply_pending(actor, pending: PendingRegistration, *, operator, summary: str, confirm: bool = False) -> Registration:
    """Registers a pending entry through ``_add_entry`` and marks it applied (the caller's transaction)."""
    pending = PendingRegistration.objects.select_for_update().get(pk=pending.pk)
    if pending.status not in PendingRegistration.OPEN:
        raise ValidationError({"status": _("该登记申请已处理（%(s)s）") % {"s": pending.get_status_display()}})
    values = pending_entry_values(pending)
    if pending.kind == Registration.Kind.UNEMPLOYMENT:
        values["confirm"] = confirm
    entry = _add_entry(actor=actor, person=pending.person, kind=pending.kind, effective_date=pending.effective_date,
                       source=pending.source, authorised=actor is None, operator=operator, **values)
    pending.registration = entry
    _decide(actor, pending, PendingRegistration.Status.APPLIED, "", summary)
    return entry


def _decide(actor, pending: PendingRegistration, status: str, reason: str, summary: str) -> None:
    pending.status = status
    pending.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    pending.decided_at = timezone.now()
    pending.decision_reason = reason
    pending.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "registration"])
    _record_pending(actor, pending, summary, registration=pending.registration_id, **({"reason": reason} if reason else {}))


def self_registration_requires_confirmation(person: Person) -> bool:
    """The jurisdiction's dated parameter ``registry.self_registration.requires_confirmation`` (today)."""
    return bool(params(person.region_id)["registry.self_registration.requires_confirmation"])


@transaction.atomic
def submit_self_registration(*, actor, kind: str, effective_date: datetime.date, **values) -> PendingRegistration:
    """A resident registers their own unemployment or employment online (线上就业、失业登记, 网上自助).
    The same rules as a worker's entry; the date not in the future. It takes effect at once, or waits for
    the community worker's confirmation, as the parameter ``registry.self_registration.requires_confirmation``
    says; it always waits when the record marks the person unable or unwilling to work (a worker checks).
    Returns the request (status applied, with its Registration, or waiting_confirmation)."""
    from jiuye.accounts.models import Role
    from jiuye.accounts.scoping import OutOfScope
    from jiuye.registry.models import AccountLink

    link = AccountLink.objects.filter(user_id=getattr(actor, "pk", None), person__isnull=False).select_related("person").first()
    if getattr(actor, "role", None) != Role.RESIDENT or link is None:
        raise OutOfScope(_("只有已关联本人档案的居民账号可以网上办理登记"))
    person = link.person
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if PendingRegistration.objects.filter(person=person, status=PendingRegistration.Status.WAITING_CONFIRMATION).exists():
        raise ValidationError({"__all__": _("您已有一项网上登记等待社区确认，请等待处理结果或先撤回")})
    values = _check_new_entry(person, kind, effective_date, values, allow_future=False)
    waits = self_registration_requires_confirmation(person) or (
        kind == Registration.Kind.UNEMPLOYMENT and not (person.able_to_work and person.willing_to_work))
    pending = PendingRegistration.objects.create(
        person=person, kind=kind, effective_date=effective_date, values=_pending_values(kind, values),
        origin=PendingRegistration.Origin.SELF_SERVICE, source=RegistrationSource.ONLINE,
        status=PendingRegistration.Status.WAITING_CONFIRMATION, requested_by=actor)
    _record_pending(actor, pending, _("网上自助登记申请：%(k)s") % {"k": pending.get_kind_display()}, **pending.values)
    if not waits:
        # Takes effect at once: the resident is the actor and the 经办人 of their own entry.
        values = pending_entry_values(pending)
        entry = _add_entry(actor=actor, person=person, kind=kind, effective_date=effective_date,
                           source=RegistrationSource.ONLINE, authorised=True, **values)
        pending.registration = entry
        _decide(actor, pending, PendingRegistration.Status.APPLIED, "", _("网上自助登记即时生效"))
    return pending


@transaction.atomic
def confirm_self_registration(*, actor, pending: PendingRegistration) -> Registration:
    """The community worker confirms a resident's online registration: the Registration is made through
    the services with the worker as 经办人 and source 网上自助. A request that no longer fits the
    history is refused with the reason (the worker then rejects it)."""
    ensure_can_write(actor, pending.person.region_id)
    if pending.origin != PendingRegistration.Origin.SELF_SERVICE or \
            pending.status != PendingRegistration.Status.WAITING_CONFIRMATION:
        raise ValidationError({"__all__": _("该登记申请已处理（%(s)s）") % {"s": pending.get_status_display()}})
    return _apply_pending(actor, pending, operator=actor, summary=_("确认网上自助登记"), confirm=True)


@transaction.atomic
def reject_pending_registration(*, actor, pending: PendingRegistration, reason: str) -> PendingRegistration:
    """Rejects a waiting self-registration or cancels a scheduled entry; the reason is required and
    shown to the resident."""
    ensure_can_write(actor, pending.person.region_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不予确认的原因")})
    pending = PendingRegistration.objects.select_for_update().select_related("person").get(pk=pending.pk)
    if pending.status not in PendingRegistration.OPEN:
        raise ValidationError({"__all__": _("该登记申请已处理（%(s)s）") % {"s": pending.get_status_display()}})
    _decide(actor, pending, PendingRegistration.Status.REJECTED, reason[:255], _("不予确认网上自助登记")
            if pending.origin == PendingRegistration.Origin.SELF_SERVICE else _("取消待生效登记"))
    return pending


@transaction.atomic
def withdraw_self_registration(*, actor, pending: PendingRegistration) -> PendingRegistration:
    """The resident withdraws their own request while it waits."""
    from jiuye.accounts.scoping import OutOfScope

    pending = PendingRegistration.objects.select_for_update().select_related("person").get(pk=pending.pk)
    if pending.requested_by_id != getattr(actor, "pk", None) or pending.origin != PendingRegistration.Origin.SELF_SERVICE:
        raise OutOfScope(_("只能撤回本人的网上登记申请"))
    if pending.status != PendingRegistration.Status.WAITING_CONFIRMATION:
        raise ValidationError({"__all__": _("该登记申请已处理（%(s)s）") % {"s": pending.get_status_display()}})
    _decide(actor, pending, PendingRegistration.Status.WITHDRAWN, "", _("撤回网上自助登记"))
    return pending


# ---------------------------------------------------------------------------------------------
# Households


HOUSEHOLD_NUMBER_DIGITS = 5


def next_household_number(region: Region) -> str:
    """The 户编号 given when none is typed: the community's 12-digit code, a dash and the next free
    5-digit sequence number in that community ("610102001001-00042"; the demo city's format)."""
    prefix = f"{region.code}-"
    taken = Household.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    sequences = [int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()]
    return f"{prefix}{(max(sequences, default=0) + 1):0{HOUSEHOLD_NUMBER_DIGITS}d}"


@transaction.atomic
def create_household(*, actor, number: str = "", region: Region | str, address: str = "", has_business_income: bool = False,
                     note: str = "") -> Household:
    region = _region(region)
    _require_community(region)
    ensure_can_write(actor, region.code)
    number = (number or "").strip() or next_household_number(region)
    if Household.objects.filter(number=number).exists():
        raise ValidationError({"number": _("户编号%(n)s已存在") % {"n": number}})
    household = Household.objects.create(
        number=number, region=region, address=address, has_business_income=has_business_income, note=note
    )
    audit.record(actor, AuditEntry.Action.CREATE, object_type="household", object_id=household.pk, object_label=number,
                 region_code=region.code, changes={"number": number, "address": address,
                                                   "has_business_income": has_business_income},
                 summary=_("新建家庭户"))
    events.households_changed.send(sender=Household, ids=[household.pk], created=True,
                                   fields=["number", "region", "address", "has_business_income", "note"],
                                   via=events.VIA_SERVICE)
    return household


@transaction.atomic
def update_household(*, actor, household: Household, **changes) -> Household:
    ensure_can_write(actor, household.region_id)
    allowed = {"address", "has_business_income", "note"}
    if set(changes) - allowed:
        raise ValueError(f"unknown household fields: {sorted(set(changes) - allowed)}")
    before = {k: getattr(household, k) for k in changes}
    for k, v in changes.items():
        setattr(household, k, v)
    changed = audit.diff(before, changes)
    if changed:
        # Only the fields edited: a full save would write back a stale is_zero_employment (the flag is
        # the projection refresh_zero_employment keeps, and it would then see no flip to announce).
        household.save(update_fields=[*sorted(changed), "updated_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="household", object_id=household.pk,
                     object_label=household.number, region_code=household.region_id, changes=changed,
                     summary=_("修改家庭户信息"))
        refresh_zero_employment([household.pk], cause=CAUSE_HOUSEHOLD)
        household.refresh_from_db(fields=["is_zero_employment"])
        events.households_changed.send(sender=Household, ids=[household.pk], created=False, fields=sorted(changed),
                                       via=events.VIA_SERVICE)
    return household


@transaction.atomic
def add_household_member(*, actor, household: Household, person: Person, relation: str,
                         joined_on: datetime.date | None = None, move: bool = False) -> HouseholdMembership:
    """Adds a person to a household. A person in another household must be moved (``move=True``)."""
    ensure_can_write(actor, household.region_id)
    ensure_can_write(actor, person.region_id)
    joined_on = joined_on or timezone.localdate()
    if relation not in Relation.values:
        raise ValidationError({"relation": _("与户主关系“%(r)s”无效") % {"r": relation}})
    current = HouseholdMembership.objects.select_for_update().filter(person=person, left_on__isnull=True).first()
    if current is not None:
        if current.household_id == household.pk:
            raise ValidationError({"person": _("%(n)s已是本户成员") % {"n": person.name}})
        if not move:
            raise ValidationError(
                {"person": _("%(n)s已属于家庭户%(h)s，一人同时只能属于一户") % {"n": person.name, "h": current.household.number}}
            )
        current.left_on = joined_on
        current.save(update_fields=["left_on"])
    if relation == Relation.HEAD and household.memberships.filter(left_on__isnull=True, relation=Relation.HEAD).exists():
        raise ValidationError({"relation": _("本户已有户主，不能再添加户主；请选择其他关系")})
    membership = HouseholdMembership.objects.create(household=household, person=person, relation=relation, joined_on=joined_on)
    refresh_zero_employment([household.pk] + ([current.household_id] if current else []), cause=CAUSE_MEMBERSHIP)
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="household", object_id=household.pk,
                 object_label=household.number, region_code=household.region_id,
                 changes={"member_added": person.pk, "relation": relation, "joined_on": joined_on,
                          "moved_from": current.household_id if current else None},
                 summary=_("添加家庭成员"))
    if current is not None:
        events.memberships_closed.send(sender=HouseholdMembership, ids=[current.pk], household_ids=[current.household_id],
                                       person_ids=[person.pk], via=events.VIA_SERVICE)
    events.memberships_opened.send(sender=HouseholdMembership, ids=[membership.pk], household_ids=[household.pk],
                                   person_ids=[person.pk], via=events.VIA_SERVICE)
    return membership


@transaction.atomic
def change_member_relation(*, actor, household: Household, person: Person, relation: str) -> HouseholdMembership:
    """Changes a current member's 与户主关系 (audited). A household has at most one 户主: making a member
    户主 while another is head is refused (change the head's relation first)."""
    ensure_can_write(actor, household.region_id)
    if relation not in Relation.values:
        raise ValidationError({"relation": _("与户主关系“%(r)s”无效") % {"r": relation}})
    membership = household.memberships.select_for_update().filter(person=person, left_on__isnull=True).first()
    if membership is None:
        raise ValidationError({"person": _("%(n)s不是本户现有成员") % {"n": person.name}})
    if relation == membership.relation:
        return membership
    if relation == Relation.HEAD:
        head = household.memberships.filter(left_on__isnull=True, relation=Relation.HEAD).exclude(pk=membership.pk).first()
        if head is not None:
            raise ValidationError({"relation": _("本户已有户主（%(n)s），请先修改其与户主关系") % {"n": head.person.name}})
    before = membership.relation
    membership.relation = relation
    membership.save(update_fields=["relation"])
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="household", object_id=household.pk,
                 object_label=household.number, region_code=household.region_id,
                 changes={"member": person.pk, "relation": relation, "former_relation": before},
                 summary=_("修改与户主关系"))
    return membership


@transaction.atomic
def remove_household_member(*, actor, household: Household, person: Person, left_on: datetime.date | None = None) -> None:
    ensure_can_write(actor, household.region_id)
    membership = household.memberships.filter(person=person, left_on__isnull=True).first()
    if membership is None:
        raise ValidationError({"person": _("%(n)s不是本户现有成员") % {"n": person.name}})
    membership.left_on = left_on or timezone.localdate()
    membership.save(update_fields=["left_on"])
    refresh_zero_employment([household.pk], cause=CAUSE_MEMBERSHIP)
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="household", object_id=household.pk,
                 object_label=household.number, region_code=household.region_id,
                 changes={"member_removed": person.pk, "left_on": membership.left_on}, summary=_("移出家庭成员"))
    events.memberships_closed.send(sender=HouseholdMembership, ids=[membership.pk], household_ids=[household.pk],
                                   person_ids=[person.pk], via=events.VIA_SERVICE)


# ---------------------------------------------------------------------------------------------
# Employers


def duplicate_credit_code_error(actor, code: str) -> str | None:
    """The message for a credit code that is already registered, or None.

    Within the actor's scope it names the employer (the actor may open it). Outside, it says only that
    the code is registered in another area, not where nor under what name (docs/architecture.md
    "Errors never reveal records outside the user's scope"): the uniqueness of a public code cannot be
    hidden, anything more about the record can."""
    existing = Employer.objects.filter(credit_code=code).only("pk", "name", "region_id").first()
    if existing is None:
        return None
    if actor is not None and in_scope(actor, existing.region_id):
        return _("统一社会信用代码%(c)s已登记为“%(n)s”，请直接修改该单位的信息") % {"c": code, "n": existing.name}
    return _("统一社会信用代码%(c)s已在其他辖区登记，不能重复登记；如需变更请联系区人社部门") % {"c": code}


@transaction.atomic
def create_employer(*, actor, credit_code: str, name: str, region: Region | str, **fields) -> Employer:
    region = _region(region)
    ensure_can_write(actor, region.code)
    unknown = set(fields) - set(EMPLOYER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown employer fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    code = ""
    try:
        code = parse_credit_code(credit_code)
    except IdentityError as exc:
        errors["credit_code"] = [str(exc)]
    if code:
        message = duplicate_credit_code_error(actor, code)
        if message:
            errors["credit_code"] = [message]
    if not (name or "").strip():
        errors["name"] = [_("单位名称不能为空")]
    errors.update(employer_rules(fields))
    _raise(errors)
    employer = Employer(credit_code=code, name=name.strip(), region=region, **fields)
    employer.full_clean()
    employer.save()
    audit.record(actor, AuditEntry.Action.CREATE, object_type="employer", object_id=employer.pk, object_label=employer.name,
                 region_code=region.code, changes={"credit_code": code, "name": employer.name, **fields},
                 summary=_("新建用人单位"))
    events.employers_changed.send(sender=Employer, ids=[employer.pk], created=True,
                                  fields=sorted({"credit_code", "name", "region", *fields}), via=events.VIA_SERVICE)
    return employer


@transaction.atomic
def update_employer(*, actor, employer: Employer, **changes) -> Employer:
    unknown = set(changes) - set(EMPLOYER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown employer fields: {sorted(unknown)}")
    ensure_can_write(actor, employer.region_id)
    if "region" in changes:
        changes["region"] = _region(changes["region"])
        ensure_can_write(actor, changes["region"].code)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": _("单位名称不能为空")})
    _raise(employer_rules(changes))
    before = {f: (employer.region_id if f == "region" else getattr(employer, f)) for f in changes}
    for f, v in changes.items():
        setattr(employer, f, v)
    employer.full_clean(validate_unique=False)
    after = {f: (employer.region_id if f == "region" else getattr(employer, f)) for f in changes}
    changed = audit.diff(before, after)
    if changed:
        employer.save()
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="employer", object_id=employer.pk,
                     object_label=employer.name, region_code=employer.region_id, changes=changed, summary=_("修改单位信息"))
        events.employers_changed.send(sender=Employer, ids=[employer.pk], created=False, fields=sorted(changed),
                                      via=events.VIA_SERVICE)
    return employer


# ---------------------------------------------------------------------------------------------
# Links between user accounts and registry records (registry.AccountLink)


@transaction.atomic
def link_account(*, actor, user, person: Person | None = None, employer: Employer | None = None):
    """Bind ``user`` to its own person record (a resident) and/or the employer it acts for (an employer
    user); None unbinds. For account administration: the system (actor None) or a superuser."""
    from jiuye.accounts.scoping import OutOfScope
    from jiuye.registry.models import AccountLink

    if actor is not None and not getattr(actor, "is_superuser", False):
        raise OutOfScope(_("只有系统管理员可以关联账号与档案"))
    if person is not None and AccountLink.objects.filter(person=person).exclude(user=user).exists():
        raise ValidationError({"person": _("该人员档案已关联其他账号")})
    link = AccountLink.objects.filter(user=user).first() or AccountLink(user=user)
    before = {"person": link.person_id, "employer": link.employer_id}
    link.person, link.employer = person, employer
    after = {"person": link.person_id, "employer": link.employer_id}
    changed = audit.diff(before, after)
    if changed or link.pk is None:
        link.save()
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="user", object_id=user.pk,
                     object_label=user.get_username(), region_code=user.region_id or "", changes=changed,
                     summary=_("关联本人档案/所属单位"))
    user.registry_link = link  # the user object the caller holds sees the link at once
    return link
