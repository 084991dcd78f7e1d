"""Public-welfare posts (公益性岗位): writes. Scope -> validate (every broken rule at once, in Chinese,
naming the field, the value and the reason) -> one transaction -> audit.

- ``create_post`` / ``update_post``: the catalogue.
- ``place``: checks eligibility (``queries.posts.eligibility_reasons``, the dated parameters of the
  post's jurisdiction), the openings and the tenure limit (``tenure``), then in one transaction records
  the placement, the employment registration (就业形式 公益性岗位, the post's employer) through
  ``registry.services.register_employment`` and a ``CaseService`` of kind post_placement on the
  person's active case (their hard-to-employ case or their household's zero-employment case). The
  other parts' receivers resolve cases from the registration itself.
- ``exit_placement``: ends the placement and the employment in the registry with the matching entry
  (``EXIT_REGISTRATION``) and frees the opening.
- ``record_attendance``: days worked and absent in one month.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import ensure_can_write
from jiuye.assistance.models import (
    Attendance,
    Case,
    CaseKind,
    CaseService,
    CaseStatus,
    Placement,
    PlacementExit,
    PlacementStatus,
    PostCategory,
    PostStatus,
    ServiceKind,
    WelfarePost,
)
from jiuye.assistance.queries import posts as q
from jiuye.parameters import ParameterError, params
from jiuye.regions.models import Region
from jiuye.registry import services as registry
from jiuye.registry.groups import fmt
from jiuye.registry.models import (
    ContractType,
    Employer,
    EmploymentForm,
    EmploymentStatus,
    EndingReason,
    HouseholdMembership,
    Person,
    UnemploymentReason,
)
from jiuye.registry.status import status_on

POST_FIELDS = ("employer", "title", "category", "region", "openings", "monthly_subsidy", "duties", "starts_on",
               "ends_on", "status")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------------------------------------
# Subsidy standard


class StandardNotSet(LookupError):
    """The jurisdiction has no monthly subsidy standard for the category (value 0 or not set)."""


def standard_subsidy(category: str, region_id: str, on: datetime.date) -> Decimal:
    """The monthly subsidy of a post of ``category`` without its own amount: the jurisdiction's standard;
    temporary posts get ``assistance.posts.temporary_subsidy_rate`` × the urban standard (新政发〔2020〕28号
    （十五）3: 120%). StandardNotSet (or ParameterError) when the standard is 0 or not set: a
    deployment sets it; the system never invents an amount."""
    p = params(region_id, on)
    base = p["assistance.posts.subsidy_monthly.urban" if category == PostCategory.TEMPORARY
             else f"assistance.posts.subsidy_monthly.{category}"]
    if not base:
        raise StandardNotSet(category)
    if category == PostCategory.TEMPORARY:
        return (base * p["assistance.posts.temporary_subsidy_rate"]).quantize(Decimal("0.01"))
    return Decimal(base).quantize(Decimal("0.01"))


def post_subsidy(post: WelfarePost, on: datetime.date) -> Decimal:
    if post.monthly_subsidy is not None:
        return post.monthly_subsidy
    return standard_subsidy(post.category, post.region_id, on)


# ---------------------------------------------------------------------------------------------
# The catalogue


def post_errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        _add(errors, "title", _("请填写岗位名称"))
    if values.get("category") not in PostCategory.values:
        _add(errors, "category", _("岗位类别“%(v)s”无效") % {"v": values.get("category") or ""})
    region = values.get("region")
    if not isinstance(region, Region):
        _add(errors, "region", _("请选择工作地点"))
    elif region.level < Region.Level.STREET:
        _add(errors, "region", _("工作地点“%(n)s”须为街道或社区/村") % {"n": region.name})
    openings = values.get("openings")
    if openings is None or openings < 1:
        _add(errors, "openings", _("岗位数%(v)s无效：至少1个") % {"v": openings if openings is not None else ""})
    subsidy = values.get("monthly_subsidy")
    if subsidy is not None and subsidy < 0:
        _add(errors, "monthly_subsidy", _("月补贴标准%(v)s元无效：不能为负数") % {"v": subsidy})
    if not values.get("starts_on"):
        _add(errors, "starts_on", _("请填写开发日期"))
    elif values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        _add(errors, "ends_on", _("截止日期%(e)s早于开发日期%(s)s") % {"e": values["ends_on"], "s": values["starts_on"]})
    if not isinstance(values.get("employer"), Employer):
        _add(errors, "employer", _("请选择用人单位"))
    if values.get("status", PostStatus.OPEN) not in PostStatus.values:
        _add(errors, "status", _("状态“%(v)s”无效") % {"v": values.get("status")})
    if not errors and subsidy is None:
        try:
            standard_subsidy(values["category"], region.code, values["starts_on"])
        except (ParameterError, StandardNotSet):
            _add(errors, "monthly_subsidy", _("本辖区未设置%(c)s的月补贴标准，请填写本岗位的月补贴标准") % {
                "c": PostCategory(values["category"]).label})
    return errors


def _resolve(values: dict) -> dict:
    region = values.get("region")
    if isinstance(region, str) and region:
        values["region"] = Region.objects.filter(code=region).first() or region
    employer = values.get("employer")
    if isinstance(employer, int):
        values["employer"] = Employer.objects.filter(pk=employer).first()
    return values


def _post_audit(actor, post: WelfarePost, action: str, summary: str, changes: dict) -> None:
    audit.record(actor, action, object_type="welfare_post", object_id=post.pk, object_label=post.title,
                 region_code=post.region_id, changes=changes, summary=summary)


@transaction.atomic
def create_post(*, actor, **values) -> WelfarePost:
    values = _resolve({k: v for k, v in values.items() if k in POST_FIELDS})
    region = values.get("region")
    ensure_can_write(actor, region.code if isinstance(region, Region) else (region or None))
    _raise(post_errors(values))
    post = WelfarePost.objects.create(created_by=_actor(actor), **values)
    _post_audit(actor, post, AuditEntry.Action.CREATE, _("新建公益性岗位"),
                {k: audit.json_safe(getattr(post, f"{k}_id" if k in ("employer", "region") else k)) for k in values})
    return post


@transaction.atomic
def update_post(*, actor, post: WelfarePost, **changes) -> WelfarePost:
    ensure_can_write(actor, post.region_id)
    changes = _resolve({k: v for k, v in changes.items() if k in POST_FIELDS})
    if isinstance(changes.get("region"), Region):
        ensure_can_write(actor, changes["region"].code)
    values = {k: getattr(post, k) for k in POST_FIELDS} | changes
    errors = post_errors(values)
    filled = post.placements.filter(status=PlacementStatus.ACTIVE).count()
    if values.get("openings") and values["openings"] < filled:
        _add(errors, "openings", _("岗位数%(v)d少于在岗人数%(f)d") % {"v": values["openings"], "f": filled})
    _raise(errors)
    before = {k: audit.json_safe(getattr(post, f"{k}_id" if k in ("employer", "region") else k)) for k in changes}
    for k, v in changes.items():
        setattr(post, k, v)
    post.save()
    after = {k: audit.json_safe(getattr(post, f"{k}_id" if k in ("employer", "region") else k)) for k in changes}
    _post_audit(actor, post, AuditEntry.Action.UPDATE, _("修改公益性岗位"), audit.diff(before, after))
    return post


# ---------------------------------------------------------------------------------------------
# Tenure (安置期限)


def _days(p: Placement, until: datetime.date) -> int:
    end = p.ended_on or min(p.planned_end_on, until)
    return max(0, (end - p.started_on).days + 1)


def tenure(person: Person, category: str, region_id: str, start: datetime.date,
           *, exclude: int | None = None) -> tuple[datetime.date | None, str]:
    """The last day ``person`` may be on a post of ``category`` starting ``start``, and why.

    The parameters of the post's jurisdiction on ``start``: ``assistance.posts.tenure_months.<category>``
    counted cumulatively over the person's earlier placements of the category (the days of those months
    counted from the first placement, less the days already served, inclusive); a person within
    ``assistance.posts.near_retirement_years`` of the statutory retirement date when first placed in the
    category (for the categories of ``assistance.posts.to_retirement_categories``) may stay until the day
    before retirement. None when nothing is left (the message says why)."""
    p = params(region_id, start)
    months = p[f"assistance.posts.tenure_months.{category}"]
    earlier = list(Placement.objects.filter(person=person, category=category, started_on__lt=start).exclude(pk=exclude)
                   .order_by("started_on"))
    used = sum(_days(e, start - datetime.timedelta(days=1)) for e in earlier)
    first_start = earlier[0].started_on if earlier else start
    near = p["assistance.posts.near_retirement_years"]
    retire_end = person.retirement_date - datetime.timedelta(days=1)
    near_retirement = person.retirement_date - relativedelta(years=near) <= first_start
    if category in p["assistance.posts.to_retirement_categories"] and near_retirement:
        return retire_end, _("首次安置时距法定退休年龄不足%(y)d年，可安置至退休（%(d)s）") % {"y": near, "d": fmt(person.retirement_date)}
    # The limit in days is the length of ``months`` from the first placement of the category (36 months
    # from 2026-01-05 = 1,096 days); what is left after the days already served runs from ``start``.
    allowed = (first_start + relativedelta(months=months) - first_start).days
    end = start + datetime.timedelta(days=allowed - used - 1)
    if used:
        note = _("同类岗位累计最长%(m)d个月，此前已安置%(u)d天") % {"m": months, "u": used}
    else:
        note = _("同类岗位累计最长%(m)d个月") % {"m": months}
    if end < start:
        return None, note + _("，期限已用完")
    if end > retire_end:
        return retire_end, note + _("，至法定退休前一日")
    return end, note


# ---------------------------------------------------------------------------------------------
# Placement


def active_case_for(person: Person) -> Case | None:
    """The person's open or follow-up assistance case: their own hard-to-employ case, else their
    household's zero-employment case."""
    case = Case.objects.filter(kind=CaseKind.HARD_TO_EMPLOY, person=person,
                               status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP]).first()
    if case is not None:
        return case
    membership = HouseholdMembership.objects.filter(person=person, left_on__isnull=True).first()
    if membership is None:
        return None
    return Case.objects.filter(kind=CaseKind.ZERO_EMPLOYMENT, household_id=membership.household_id,
                               status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP]).first()


def placement_errors(post: WelfarePost, person: Person, started_on: datetime.date,
                     planned_end_on: datetime.date | None = None, *, filled: int | None = None) -> tuple[dict, dict]:
    """Every reason the placement cannot be made ({field: [messages]}), and what it would be
    ({"planned_end_on", "tenure_note", "eligibility", "monthly_subsidy"}). Shared by the service and the import."""
    errors: dict[str, list[str]] = {}
    plan: dict = {}
    today = timezone.localdate()
    if started_on > today:
        _add(errors, "started_on", _("上岗日期%(d)s晚于今天：请在上岗当日或之后办理安置") % {"d": started_on})
    if post.status != PostStatus.OPEN:
        _add(errors, "post", _("岗位“%(t)s”已关闭") % {"t": post.title})
    if started_on < post.starts_on or (post.ends_on and started_on > post.ends_on):
        _add(errors, "started_on", _("上岗日期%(d)s不在岗位期限（%(s)s至%(e)s）内") % {
            "d": started_on, "s": post.starts_on, "e": post.ends_on or _("长期")})
    filled = post.placements.filter(status=PlacementStatus.ACTIVE).count() if filled is None else filled
    if filled >= post.openings:
        _add(errors, "post", _("岗位“%(t)s”已满员（%(n)d个岗位均已安置）") % {"t": post.title, "n": post.openings})
    if Placement.objects.filter(person=person, status=PlacementStatus.ACTIVE).exists():
        _add(errors, "person", _("%(n)s已在公益性岗位上岗，须先办理离岗") % {"n": person.name})
    entries = list(person.registrations.all())
    st = status_on(entries, started_on)
    if st.status == EmploymentStatus.EMPLOYED:
        _add(errors, "person", _("%(n)s在%(d)s处于就业状态，不能安置到公益性岗位") % {"n": person.name, "d": started_on})
    elif st.status not in (EmploymentStatus.UNEMPLOYED, EmploymentStatus.NONE):
        _add(errors, "person", _("%(n)s在%(d)s的状态为“%(s)s”，不能安置") % {
            "n": person.name, "d": started_on, "s": EmploymentStatus(st.status).label})
    if not (person.able_to_work and person.willing_to_work):
        _add(errors, "person", _("%(n)s的档案记为无劳动能力或无就业意愿") % {"n": person.name})
    if person.retirement_date <= started_on:
        _add(errors, "person", _("%(n)s已于%(d)s达到法定退休年龄") % {"n": person.name, "d": person.retirement_date})
    try:
        reasons = q.eligibility_reasons(person, post.category, post.region_id, started_on)
        allowed = "、".join(q.group_label(c) for c in q.eligible_groups(post.category, post.region_id, started_on))
    except ParameterError as exc:
        _add(errors, "person", str(exc))
        return errors, plan
    if not reasons:
        _add(errors, "person", _("%(n)s在%(d)s不属于%(c)s的安置对象（%(a)s）") % {
            "n": person.name, "d": started_on, "c": PostCategory(post.category).label, "a": allowed})
    plan["eligibility"] = "、".join(reasons)
    end, note = tenure(person, post.category, post.region_id, started_on)
    plan["tenure_note"] = note
    if end is None:
        _add(errors, "started_on", _("%(n)s已达到%(c)s的安置期限（%(r)s）") % {
            "n": person.name, "c": PostCategory(post.category).label, "r": note})
    else:
        if post.ends_on and end > post.ends_on:
            end, plan["tenure_note"] = post.ends_on, note + _("；岗位截止于%(d)s") % {"d": post.ends_on}
        if planned_end_on is not None:
            if planned_end_on < started_on:
                _add(errors, "planned_end_on", _("计划期满日期%(e)s早于上岗日期%(s)s") % {"e": planned_end_on, "s": started_on})
            elif planned_end_on > end:
                _add(errors, "planned_end_on", _("计划期满日期%(e)s超过安置期限：最晚%(m)s（%(r)s）") % {
                    "e": planned_end_on, "m": end, "r": plan["tenure_note"]})
            else:
                end = planned_end_on
        plan["planned_end_on"] = end
    try:
        plan["monthly_subsidy"] = post_subsidy(post, started_on)
    except (ParameterError, StandardNotSet):
        _add(errors, "post", _("岗位未填写月补贴标准，本辖区也未设置该类岗位的月补贴标准"))
    return errors, plan


@transaction.atomic
def place(*, actor, post: WelfarePost, person: Person, started_on: datetime.date,
          planned_end_on: datetime.date | None = None, replaces: Placement | None = None, note: str = "",
          source: str | None = None) -> Placement:
    """Place ``person`` on ``post`` from ``started_on``: the placement, the employment registration and
    the case service, in one transaction; ValidationError with every reason otherwise."""
    ensure_can_write(actor, post.region_id)
    ensure_can_write(actor, person.region_id)
    WelfarePost.objects.select_for_update().filter(pk=post.pk).first()  # openings: one placement at a time per post
    errors, plan = placement_errors(post, person, started_on, planned_end_on)
    _raise(errors)
    kwargs = {"source": source} if source else {}
    registration = registry.register_employment(
        actor=actor, person=person, effective_date=started_on, employment_form=EmploymentForm.PUBLIC_WELFARE,
        employer=post.employer, contract_type=ContractType.FIXED, contract_start=started_on,
        contract_end=plan["planned_end_on"], occupation=post.title[:64], **kwargs)
    case = active_case_for(person)
    placement = Placement.objects.create(
        post=post, person=person, category=post.category, region_id=post.region_id, started_on=started_on,
        planned_end_on=plan["planned_end_on"], tenure_note=plan["tenure_note"][:255],
        monthly_subsidy=plan["monthly_subsidy"], eligibility=plan["eligibility"][:255], registration=registration,
        case=case, replaces=replaces, placed_by=_actor(actor))
    if case is not None:
        CaseService.objects.create(
            case=case, kind=ServiceKind.POST_PLACEMENT, served_on=started_on, worker=_actor(actor), person=person,
            outcome=(_("安置到公益性岗位“%(t)s”（%(e)s），计划至%(d)s") % {
                "t": post.title, "e": post.employer.name, "d": plan["planned_end_on"]})[:255], note=note)
    audit.record(actor, AuditEntry.Action.CREATE, object_type="welfare_placement", object_id=placement.pk,
                 object_label=person.name, region_code=post.region_id,
                 changes={"post": post.pk, "person": person.pk, "started_on": started_on,
                          "planned_end_on": plan["planned_end_on"], "registration": registration.pk,
                          "case": case.pk if case else None, "replaces": replaces.pk if replaces else None},
                 summary=_("公益性岗位安置：%(t)s") % {"t": post.title})
    return placement


# ---------------------------------------------------------------------------------------------
# Exit (离岗) and replacement

#: How an exit ends the employment in the registry: ("unemployment", reason) | ("ending", reason) | None
#: (found other work: the new employment registration itself ends the post's employment).
EXIT_REGISTRATION = {
    PlacementExit.TENURE_ENDED: ("unemployment", UnemploymentReason.CONTRACT_ENDED),
    PlacementExit.RESIGNED: ("unemployment", UnemploymentReason.RESIGNED),
    PlacementExit.DISMISSED: ("unemployment", UnemploymentReason.DISMISSED),
    PlacementExit.RETIRED: ("ending", EndingReason.RETIREMENT),
    PlacementExit.DECEASED: ("ending", EndingReason.DEATH),
    PlacementExit.MOVED_AWAY: ("ending", EndingReason.MOVED_AWAY),
    PlacementExit.OTHER_WORK: None,
}


@transaction.atomic
def exit_placement(*, actor, placement: Placement, ended_on: datetime.date, reason: str, note: str = "") -> Placement:
    """离岗: ends the placement on ``ended_on`` (the day the person leaves) and the employment in the
    registry (``EXIT_REGISTRATION``); the opening is free at once. "实现其他就业" needs the new
    employment to be registered first (with another employer or form, after the placement began)."""
    ensure_can_write(actor, placement.region_id)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    person = placement.person
    errors: dict[str, list[str]] = {}
    if placement.status != PlacementStatus.ACTIVE:
        _add(errors, "placement", _("该安置已于%(d)s离岗") % {"d": placement.ended_on})
    if reason not in PlacementExit.values:
        _add(errors, "reason", _("离岗原因“%(v)s”无效") % {"v": reason})
    if ended_on < placement.started_on:
        _add(errors, "ended_on", _("离岗日期%(e)s早于上岗日期%(s)s") % {"e": ended_on, "s": placement.started_on})
    if ended_on > timezone.localdate():
        _add(errors, "ended_on", _("离岗日期%(d)s晚于今天") % {"d": ended_on})
    if reason == PlacementExit.OTHER_WORK and not errors:
        st = status_on(list(person.registrations.all()), timezone.localdate())
        moved_on = (st.status == EmploymentStatus.EMPLOYED and st.registration_id != placement.registration_id
                    and st.since is not None and st.since >= placement.started_on)
        if not moved_on:
            _add(errors, "reason", _("%(n)s尚未办理新工作的就业登记：请先为本人办理新单位的就业登记，再办理离岗") % {"n": person.name})
    _raise(errors)
    # Ended first, so that the registry's event for the exit entry finds no active placement to sync.
    placement.status, placement.ended_on, placement.exit_reason = PlacementStatus.ENDED, ended_on, reason
    placement.exit_note = note[:255]
    placement.save()
    exit_registration = None
    how = EXIT_REGISTRATION[reason]
    text = PlacementExit(reason).label + (f"：{note}" if note else "")
    if how is not None:
        kind, why = how
        if kind == "unemployment":
            exit_registration = registry.register_unemployment(
                actor=actor, person=person, effective_date=ended_on, unemployment_reason=why, reason=text[:255],
                former_employer=placement.post.employer, confirm=True)
        else:
            exit_registration = registry.end_status(actor=actor, person=person, effective_date=ended_on,
                                                    ending_reason=why, reason=text[:255])
    placement.exit_registration = exit_registration
    placement.save(update_fields=["exit_registration"])
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="welfare_placement", object_id=placement.pk,
                 object_label=person.name, region_code=placement.region_id,
                 changes={"status": PlacementStatus.ENDED, "ended_on": ended_on, "exit_reason": reason,
                          "exit_registration": exit_registration.pk if exit_registration else None},
                 summary=_("公益性岗位离岗：%(r)s") % {"r": PlacementExit(reason).label})
    return placement


# ---------------------------------------------------------------------------------------------
# Attendance (考勤)


@transaction.atomic
def record_attendance(*, actor, placement: Placement, month: datetime.date, days_worked: int, absent_days: int = 0,
                      note: str = "") -> Attendance:
    """Days worked and absent in ``month`` (any day of it); a second record for the month replaces the first."""
    ensure_can_write(actor, placement.region_id)
    first, last = q.month_start(month), q.month_end(month)
    errors: dict[str, list[str]] = {}
    if first > timezone.localdate():
        _add(errors, "month", _("月份%(m)s尚未开始") % {"m": f"{first:%Y-%m}"})
    if last < placement.started_on or (placement.ended_on and first > placement.ended_on):
        _add(errors, "month", _("%(m)s不在安置期间（%(s)s至%(e)s）内") % {
            "m": f"{first:%Y-%m}", "s": placement.started_on, "e": placement.ended_on or _("今")})
    on_post_from = max(first, placement.started_on)
    on_post_to = min(last, placement.ended_on or last)
    possible = max(0, (on_post_to - on_post_from).days + 1)
    if days_worked < 0:
        _add(errors, "days_worked", _("出勤天数%(d)d无效") % {"d": days_worked})
    if absent_days < 0:
        _add(errors, "absent_days", _("缺勤天数%(d)d无效") % {"d": absent_days})
    if days_worked + absent_days > possible and "month" not in errors:
        _add(errors, "days_worked", _("出勤%(w)d天与缺勤%(a)d天之和超过当月在岗天数%(p)d天") % {
            "w": days_worked, "a": absent_days, "p": possible})
    _raise(errors)
    record, created = Attendance.objects.update_or_create(
        placement=placement, month=first,
        defaults={"days_worked": days_worked, "absent_days": absent_days, "note": note[:255],
                  "recorded_by": _actor(actor), "recorded_at": timezone.now()})
    audit.record(actor, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                 object_type="welfare_placement", object_id=placement.pk, object_label=placement.person.name,
                 region_code=placement.region_id,
                 changes={"attendance_month": f"{first:%Y-%m}", "days_worked": days_worked, "absent_days": absent_days},
                 summary=_("公益性岗位考勤：%(m)s") % {"m": f"{first:%Y-%m}"})
    return record


__all__ = ["create_post", "update_post", "tenure", "place", "placement_errors", "exit_placement", "record_attendance",
           "standard_subsidy", "post_subsidy", "active_case_for", "EXIT_REGISTRATION"]


# ---------------------------------------------------------------------------------------------
# Next step on a case (the hook of services.cases): a public-welfare post as the last resort


def _case_persons(case: Case) -> list[Person]:
    if case.kind == CaseKind.HARD_TO_EMPLOY:
        return [case.person] if case.person_id else []
    return [m.person for m in HouseholdMembership.objects.filter(household_id=case.household_id, left_on__isnull=True)
            .select_related("person").order_by("pk")]


def post_next_steps(case: Case, user, today: datetime.date) -> list:
    """Suggest a public-welfare post when the case is overdue or its employment deadline is within
    ``assistance.posts.suggest_days_before_deadline`` days, and a person of the case is eligible (today,
    urban or rural posts of the case's jurisdiction), with the number of open posts with an opening in
    the case's community and street."""
    from django.urls import NoReverseMatch, reverse

    from jiuye.assistance.models import DeadlineKind
    from jiuye.assistance.services.cases import NextStep

    if case.status != CaseStatus.OPEN:
        return []
    try:
        days = params(case.region_id, today)["assistance.posts.suggest_days_before_deadline"]
    except ParameterError:
        return []
    deadline = case.deadlines.filter(kind=DeadlineKind.EMPLOYMENT, met_on__isnull=True).order_by("due_on").first()
    overdue = case.next_due_on is not None and case.next_due_on < today
    near = deadline is not None and deadline.due_on <= today + datetime.timedelta(days=days)
    if not (overdue or near):
        return []
    eligible = []
    for person in _case_persons(case):
        if person.employment_status == EmploymentStatus.EMPLOYED or not (person.able_to_work and person.willing_to_work):
            continue
        for category in (PostCategory.URBAN, PostCategory.RURAL):
            try:
                if q.eligibility_reasons(person, category, case.region_id, today):
                    eligible.append(person.name)
                    break
            except ParameterError:
                continue
    if not eligible:
        return []
    in_community = q.open_posts_near(case.region_id, today, width=12)
    in_street = q.open_posts_near(case.region_id, today, width=9)
    try:
        url = reverse("web:posts") + f"?region={case.region_id[:9]}000&vacant=1"
    except NoReverseMatch:
        url = ""
    when = _("已逾期") if overdue else _("距就业时限%(d)s不足%(n)d天") % {"d": deadline.due_on, "n": days}
    return [NextStep(code="welfare_post", title=_("公益性岗位兜底安置"), priority=90, url=url,
                     reason=_("%(w)s；%(p)s符合公益性岗位安置条件；本社区有空缺的公益性岗位%(c)d个，本街道%(s)d个") % {
                         "w": when, "p": "、".join(eligible), "c": in_community, "s": in_street})]


def connect() -> None:
    """Register the next-step provider (called from AssistanceConfig.ready)."""
    from jiuye.assistance.services.cases import register_next_steps

    register_next_steps("posts", post_next_steps)


# ---------------------------------------------------------------------------------------------
# Reactions to the registry (connected by importing this module from assistance/receivers.py)

#: A status the registry records for a person on a post, other than the post's own employment -> the
#: exit it means.
STATUS_EXIT = {
    EmploymentStatus.EMPLOYED: PlacementExit.OTHER_WORK,
    EmploymentStatus.RETIRED: PlacementExit.RETIRED,
    EmploymentStatus.DECEASED: PlacementExit.DECEASED,
    EmploymentStatus.MOVED_AWAY: PlacementExit.MOVED_AWAY,
}


def sync_with_registry(person_ids, *, via: str = "service") -> int:
    """End the active placements of ``person_ids`` whose person the registry no longer shows employed on
    the post (employed elsewhere, unemployed, retired, died, moved away ...): a registration made
    elsewhere (a form, an import, a correction) ends the placement in the same transaction, dated from
    the new status, so that the post's opening is free and the payroll stops. One query for the chunk;
    a loop only over the (few) placements it finds. Returns how many ended."""
    ids = list(person_ids)
    if not ids:
        return 0
    ended = 0
    for start in range(0, len(ids), 900):
        placements = (Placement.objects.select_for_update().filter(status=PlacementStatus.ACTIVE,
                                                                   person_id__in=ids[start:start + 900])
                      .select_related("person", "post"))
        for p in placements:
            person = p.person
            if (person.employment_status == EmploymentStatus.EMPLOYED and person.current_employer_id == p.post.employer_id
                    and person.employment_form == EmploymentForm.PUBLIC_WELFARE):
                continue
            reason = STATUS_EXIT.get(person.employment_status, PlacementExit.RESIGNED)
            on = max(person.status_since or p.started_on, p.started_on)
            label = EmploymentStatus(person.employment_status).label
            p.status, p.ended_on, p.exit_reason = PlacementStatus.ENDED, on, reason
            p.exit_note = (_("按登记自动结束：%(s)s（%(d)s）") % {"s": label, "d": on})[:255]
            p.save(update_fields=["status", "ended_on", "exit_reason", "exit_note"])
            audit.record(None, AuditEntry.Action.UPDATE, object_type="welfare_placement", object_id=p.pk,
                         object_label=person.name, region_code=p.region_id,
                         changes={"status": PlacementStatus.ENDED, "ended_on": on, "exit_reason": reason, "via": via},
                         summary=_("公益性岗位离岗（按就业登记自动结束）：%(s)s") % {"s": label})
            ended += 1
    return ended


def _on_registrations(sender, person_ids=(), via="service", **kwargs):
    sync_with_registry(person_ids, via=via)


def daily_line(sender=None, today: datetime.date | None = None, **kwargs) -> str | None:
    """The daily refresh's line: active placements past their planned end, and ending within the warning
    days of the national parameter."""
    today = today or timezone.localdate()
    active = Placement.objects.filter(status=PlacementStatus.ACTIVE)
    if not active.exists():
        return None
    overdue = active.filter(planned_end_on__lt=today).count()
    days = params(None, today)["assistance.posts.warning_days"]
    soon = active.filter(planned_end_on__gte=today, planned_end_on__lte=today + datetime.timedelta(days=days)).count()
    return _("公益性岗位：%(s)d人将在%(d)d天内安置期满，%(o)d人已过计划期满日期仍在岗（请办理离岗或接替）") % {
        "s": soon, "d": days, "o": overdue}


def connect_receivers() -> None:
    from jiuye.registry import events

    for name, signal in (("recorded", events.registrations_recorded), ("corrected", events.registrations_corrected),
                         ("voided", events.registrations_voided)):
        signal.connect(_on_registrations, dispatch_uid=f"assistance_posts_sync_{name}")
    events.daily_refresh.connect(daily_line, dispatch_uid="assistance_posts_daily")


connect_receivers()
