"""Hard-to-employ recognition (就业困难人员认定): propose, evidence, decide, exit; and the automatic,
set-based work that keeps acts and hard-to-employ cases in step with the registry.

The act: ``propose`` (本人申请 by a worker on the person's behalf; 系统提示 comes from ``sync``;
批量导入 from the ``recognitions`` import kind) → ``decide`` (recognised or rejected, by a user with
``roles.can_decide_recognition`` whose scope covers the act's community) → ``exit`` (by a worker, or
automatically). Every step is audited (object type ``recognition``).

``sync(person_ids, today)`` is the one set-based rule the receivers (registrations, person changes,
zero-employment flags), the daily refresh and ``reconcile_hard_to_employ`` share:

- a person in the ``hard_to_employ`` group (registered unemployed, working age, in a category) with no
  open act gets a PROPOSED act (unless an act of theirs was rejected, or withdrawn by a worker, during
  the current unemployment);
- the *target* of a hard-to-employ case is a registered unemployed person of working age, able and
  willing to work, who is in the group or has an open act: the target gets a case
  (``cases.open_cases_bulk``; a case in follow-up is reopened: a relapse);
- an open case whose person is employed goes to follow-up (``cases.record_employment``);
- an open case whose person is no longer a target otherwise is closed "no longer qualifies", with the
  reason; a PROPOSED act of a person who is no longer unemployed/eligible (or, for a system proposal,
  no longer in the group) is withdrawn; a RECOGNISED act exits when the person retires, dies, moves away,
  ends their status otherwise or is marked unable/unwilling to work.

``daily(today)`` adds what only time changes: acts whose validity ended (exit "expired") and stable
employment (recognised and employed without a break for ``assistance.recognition.stable_employment_months``).
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, ensure_can_write, in_scope
from jiuye.assistance import parameters as _assistance_parameters  # noqa: F401  (declares the keys read here)
from jiuye.assistance.models import (
    Attachment,
    Case,
    CaseKind,
    CaseStatus,
    CloseKind,
    ExitReason,
    Recognition,
    RecognitionOrigin,
    RecognitionStatus,
)
from jiuye.assistance.queries.recognitions import OPEN, not_found_text
from jiuye.assistance.services import attachments, cases
from jiuye.parameters import ParameterError, chain, jurisdictions, params
from jiuye.regions.codes import code_range
from jiuye.registry import groups
from jiuye.registry.models import EmploymentStatus, Person, Registration
from jiuye.registry.groups import HARD_TO_EMPLOY_CATEGORIES
from jiuye.registry.queries import NotFound
from jiuye.registry.status import status_on

CATEGORY_LABELS = {code: label for code, label in HARD_TO_EMPLOY_CATEGORIES}
CATEGORY_CODES = list(CATEGORY_LABELS)
OBJECT_TYPE = "recognition"
CHUNK = 900


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def categories_text(codes: Iterable[str]) -> str:
    return "、".join(category_label(c) for c in codes)


def parse_categories(raw: str) -> tuple[list[str], list[str]]:
    """Categories typed as Chinese labels or codes, separated by 、，,;； or spaces: (codes, unknown parts)."""
    by_label = {str(label): code for code, label in HARD_TO_EMPLOY_CATEGORIES}
    codes, unknown = [], []
    text = str(raw or "")
    for sep in "，,;；/ \u3000":
        text = text.replace(sep, "、")
    for part in (p.strip() for p in text.split("、")):
        if not part:
            continue
        code = part if part in CATEGORY_LABELS else by_label.get(part)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def enabled_categories(region_id: str, on: datetime.date) -> list[str]:
    return list(params(region_id, on)["registry.hard_to_employ.categories"])


def category_reasons(person: Person, on: datetime.date) -> dict[str, str]:
    """Each hard-to-employ category the person's registry facts meet on ``on``, with the rule's reason
    (``registry.groups``: the ``hard_to_employ.<category>`` rules' explain face)."""
    facts = groups.facts_for(person, on)
    out = {}
    for code in CATEGORY_CODES:
        reason = groups.GROUPS_BY_CODE[f"hard_to_employ.{code}"].explain(facts)
        if reason:
            out[code] = str(reason)
    return out


def validity_end(region_id: str, valid_from: datetime.date) -> datetime.date | None:
    """The last day of validity (None: until exit), from ``assistance.recognition.validity_months``."""
    months = params(region_id, valid_from)["assistance.recognition.validity_months"]
    if not months:
        return None
    return valid_from + relativedelta(months=months) - datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Evidence checklist (认定材料)


@dataclass
class EvidenceItem:
    name: str
    categories: list[str] = field(default_factory=list)  # labels of the categories that need it
    files: list[Attachment] = field(default_factory=list)

    @property
    def uploaded(self) -> bool:
        return bool(self.files)


def evidence_required(region_id: str, on: datetime.date, categories: Iterable[str]) -> list[EvidenceItem]:
    p = params(region_id, on)
    items: dict[str, EvidenceItem] = {}
    for code in categories:
        key = f"assistance.recognition.evidence.{code}"
        try:
            names = p[key]
        except ParameterError:
            names = []
        for name in names:
            items.setdefault(name, EvidenceItem(name)).categories.append(category_label(code))
    return list(items.values())


def evidence_checklist(act: Recognition) -> tuple[list[EvidenceItem], list[Attachment]]:
    """(the items the act's categories need, each with the files uploaded for it; other files)."""
    items = evidence_required(act.region_id, act.applied_on, act.categories)
    by_name = {i.name: i for i in items}
    others = []
    for f in attachments.files_of(OBJECT_TYPE, act.pk):
        if f.kind in by_name:
            by_name[f.kind].files.append(f)
        else:
            others.append(f)
    return items, others


def missing_evidence(act: Recognition) -> list[str]:
    return [i.name for i in evidence_checklist(act)[0] if not i.uploaded]


# ---------------------------------------------------------------------------------------------
# The act, one step at a time (workers and deciders)


def _audit(actor, act: Recognition, action: str, summary: str, changes: dict | None = None) -> None:
    audit.record(actor, action, object_type=OBJECT_TYPE, object_id=act.pk, object_label=act.person.name,
                 region_code=act.region_id, changes=changes or {}, summary=summary)


def _ensure_worker(actor, region_id: str) -> None:
    if not roles.can_work_cases(actor):
        raise OutOfScope(_("您的角色无权办理就业困难人员认定"))
    ensure_can_write(actor, region_id)


def _ensure_visible(actor, act: Recognition) -> None:
    """Outside the user's scope the act is "not found", like one that does not exist."""
    if not in_scope(actor, act.region_id):
        raise NotFound(not_found_text())


@transaction.atomic
def propose(*, actor, person: Person, categories: Iterable[str], applied_on: datetime.date | None = None,
            note: str = "", files: Iterable = (), file_kind: str = "",
            origin: str = RecognitionOrigin.APPLIED) -> Recognition:
    """申请认定: a worker applies on the person's behalf. The person must be registered unemployed and
    of working age on ``applied_on``, with no open act; each category must be one the jurisdiction
    recognises. A category the registry's facts do not show yet is accepted on evidence (its reason says
    so). Opens the person's hard-to-employ case at once."""
    _ensure_worker(actor, person.region_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    today = timezone.localdate()
    applied_on = applied_on or today
    codes = list(dict.fromkeys(categories or []))
    errors: dict[str, list[str]] = {}

    def err(name, message):
        errors.setdefault(name, []).append(message)

    if applied_on > today:
        err("applied_on", _("申请日期%(d)s晚于今天") % {"d": applied_on.isoformat()})
        applied_on = today
    if not codes:
        err("categories", _("请至少选择一个认定类别"))
    enabled = enabled_categories(person.region_id, applied_on)
    for code in codes:
        if code not in CATEGORY_LABELS:
            err("categories", _("认定类别“%(c)s”不存在") % {"c": code})
        elif code not in enabled:
            err("categories", _("认定类别“%(c)s”在本辖区%(d)s不属于就业困难人员认定范围") % {
                "c": category_label(code), "d": applied_on.isoformat()})
    status = status_on(person.registrations.all(), applied_on)
    if status.status != EmploymentStatus.UNEMPLOYED:
        err("applied_on", _("%(n)s在%(d)s不是登记失业人员（状态：%(s)s），须先办理失业登记") % {
            "n": person.name, "d": applied_on.isoformat(), "s": EmploymentStatus(status.status).label})
    elif not (person.birth_date <= applied_on - relativedelta(years=16) and person.retirement_date > applied_on):
        err("applied_on", _("%(n)s在%(d)s不在法定劳动年龄内") % {"n": person.name, "d": applied_on.isoformat()})
    existing = Recognition.objects.filter(person=person, status__in=OPEN).first()
    if existing is not None:
        err("categories", _("%(n)s已有%(s)s的认定记录（%(d)s申请），不能重复申请") % {
            "n": person.name, "s": existing.get_status_display(), "d": existing.applied_on.isoformat()})
    try:
        files = attachments.check_files(files, field="files")
    except ValidationError as exc:
        for message in exc.message_dict["files"]:
            err("files", message)
    if errors:
        raise ValidationError(errors)
    reasons = category_reasons(person, applied_on)
    act = Recognition.objects.create(
        person=person, region_id=person.region_id, categories=codes, origin=origin, applied_on=applied_on,
        reasons={c: reasons.get(c) or _("本人申请：登记信息尚未体现，凭证明材料认定") for c in codes},
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None, decision_note="",
    )
    if files:
        attachments.save_files(OBJECT_TYPE, act.pk, files, actor=actor, kind=file_kind)
    _audit(actor, act, AuditEntry.Action.CREATE, _("申请就业困难人员认定：%(c)s") % {"c": categories_text(codes)},
           changes={"categories": codes, "origin": origin, "applied_on": applied_on, "note": note})
    cases.open_cases_bulk(CaseKind.HARD_TO_EMPLOY, [cases.Subject(act.region_id, person_id=person.pk, recognition_id=act.pk)],
                          opened_on=today, actor=actor, text=_("申请就业困难人员认定"))
    return act


@transaction.atomic
def upload_evidence(*, actor, act: Recognition, files: Iterable, kind: str = "") -> list[Attachment]:
    """Adds evidence files to an open act (a worker of its scope). ``kind`` is an item of the act's
    evidence checklist ("" = other evidence). Every problem is reported at once (web and API alike)."""
    _ensure_visible(actor, act)
    _ensure_worker(actor, act.region_id)
    files = [f for f in files if f]
    kind = (kind or "").strip()
    errors: dict[str, list[str]] = {}
    if act.status not in OPEN:
        errors.setdefault("files", []).append(_("该认定已%(s)s，不能再上传材料") % {"s": act.get_status_display()})
    names = [i.name for i in evidence_checklist(act)[0]]
    if kind and kind not in names:
        errors.setdefault("kind", []).append(
            _("材料名称“%(k)s”不在该认定的材料清单中（可填：%(n)s；留空为其他材料）") % {"k": kind, "n": "、".join(names) or "—"})
    if not files:
        errors.setdefault("files", []).append(_("请选择要上传的文件"))
    else:
        try:
            attachments.check_files(files, field="files")
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    saved = attachments.save_files(OBJECT_TYPE, act.pk, files, actor=actor, kind=kind)
    _audit(actor, act, AuditEntry.Action.UPDATE, _("上传认定材料：%(k)s") % {"k": kind or _("其他材料")},
           changes={"files": [a.original_name for a in saved], "kind": kind})
    return saved


def may_decide(user, act: Recognition) -> bool:
    return act.status == RecognitionStatus.PROPOSED and roles.can_decide_recognition(user) and in_scope(user, act.region_id)


def may_exit(user, act: Recognition) -> bool:
    return act.status == RecognitionStatus.RECOGNISED and roles.can_work_cases(user) and in_scope(user, act.region_id)


def may_withdraw(user, act: Recognition) -> bool:
    return act.status == RecognitionStatus.PROPOSED and roles.can_work_cases(user) and in_scope(user, act.region_id)


@transaction.atomic
def decide(*, actor, act: Recognition, recognised: bool, note: str = "",
           valid_from: datetime.date | None = None) -> Recognition:
    """认定 or 不予认定 (with a reason). Validity from ``valid_from`` (default today) for
    ``assistance.recognition.validity_months`` (0: until exit)."""
    _ensure_visible(actor, act)
    if not roles.can_decide_recognition(actor):
        raise OutOfScope(_("您的角色无权作出就业困难人员认定决定（须街道或区县经办人员）"))
    act = Recognition.objects.select_for_update().select_related("person").get(pk=act.pk)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if act.status != RecognitionStatus.PROPOSED:
        errors.setdefault("decision", []).append(_("该认定已%(s)s，不能再作决定") % {"s": act.get_status_display()})
    note = (note or "").strip()
    if not recognised and not note:
        errors.setdefault("note", []).append(_("不予认定须填写理由"))
    valid_from = valid_from or today
    if recognised and valid_from < act.applied_on:
        errors.setdefault("valid_from", []).append(_("认定生效日期%(d)s早于申请日期%(a)s") % {
            "d": valid_from.isoformat(), "a": act.applied_on.isoformat()})
    if recognised and valid_from > today:
        errors.setdefault("valid_from", []).append(_("认定生效日期%(d)s晚于今天") % {"d": valid_from.isoformat()})
    if errors:
        raise ValidationError(errors)
    act.decided_by, act.decided_at, act.decision_note = actor, timezone.now(), note[:255]
    if recognised:
        act.status, act.valid_from, act.valid_until = RecognitionStatus.RECOGNISED, valid_from, validity_end(act.region_id, valid_from)
        summary = _("认定为就业困难人员：%(c)s") % {"c": categories_text(act.categories)}
    else:
        act.status = RecognitionStatus.REJECTED
        summary = _("不予认定：%(n)s") % {"n": note}
    act.save()
    _audit(actor, act, AuditEntry.Action.UPDATE, summary,
           changes={"status": act.status, "valid_from": act.valid_from, "valid_until": act.valid_until, "note": note})
    if not recognised:
        sync([act.person_id], today=today, actor=actor)
    return act


@transaction.atomic
def exit_recognition(*, actor, act: Recognition, reason: str, on: datetime.date | None = None,
                     note: str = "") -> Recognition:
    """退出: a worker ends a recognised act with a reason (ExitReason) and the exit date."""
    _ensure_visible(actor, act)
    _ensure_worker(actor, act.region_id)
    act = Recognition.objects.select_for_update().select_related("person").get(pk=act.pk)
    today = timezone.localdate()
    on = on or today
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if act.status != RecognitionStatus.RECOGNISED:
        errors.setdefault("reason", []).append(_("只有已认定的记录可以退出（当前：%(s)s）") % {"s": act.get_status_display()})
    if reason not in ExitReason.values:
        errors.setdefault("reason", []).append(_("退出原因“%(r)s”无效") % {"r": reason})
    elif reason == ExitReason.OTHER and not note:
        errors.setdefault("note", []).append(_("退出原因为“其他”时须填写说明"))
    if on > today:
        errors.setdefault("on", []).append(_("退出日期%(d)s晚于今天") % {"d": on.isoformat()})
    if act.valid_from and on <= act.valid_from:
        errors.setdefault("on", []).append(_("退出日期%(d)s须晚于认定生效日期%(v)s") % {
            "d": on.isoformat(), "v": act.valid_from.isoformat()})
    if errors:
        raise ValidationError(errors)
    _exit(act, reason=reason, on=on, note=note, actor=actor)
    _audit(actor, act, AuditEntry.Action.UPDATE, _("退出就业困难人员认定：%(r)s") % {"r": ExitReason(reason).label},
           changes={"status": act.status, "exited_on": on, "exit_reason": reason, "note": note})
    sync([act.person_id], today=today, actor=actor)
    return act


def _exit(act: Recognition, *, reason: str, on: datetime.date, note: str, actor=None) -> None:
    act.status, act.exited_on, act.exit_reason, act.exit_note = RecognitionStatus.EXITED, on, reason, note[:255]
    act.exited_at = timezone.now()
    act.exited_by = actor if getattr(actor, "is_authenticated", False) else None
    act.save()


@transaction.atomic
def withdraw(*, actor, act: Recognition, note: str) -> Recognition:
    """撤销 a proposal (not decided yet) with a reason."""
    _ensure_visible(actor, act)
    _ensure_worker(actor, act.region_id)
    act = Recognition.objects.select_for_update().select_related("person").get(pk=act.pk)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if act.status != RecognitionStatus.PROPOSED:
        errors["note"] = [_("只有待认定的记录可以撤销（当前：%(s)s）") % {"s": act.get_status_display()}]
    elif not note:
        errors["note"] = [_("撤销须填写原因")]
    if errors:
        raise ValidationError(errors)
    act.status, act.exit_note, act.exited_at = RecognitionStatus.WITHDRAWN, note[:255], timezone.now()
    act.exited_by = actor if getattr(actor, "is_authenticated", False) else None
    act.save()
    _audit(actor, act, AuditEntry.Action.UPDATE, _("撤销认定申请：%(n)s") % {"n": note}, changes={"status": act.status})
    sync([act.person_id], today=timezone.localdate(), actor=actor)
    return act


def follow_transfer(person_ids: Iterable[int], to_region: str) -> int:
    """Open acts of persons who moved (迁入/迁出 accepted) follow them to ``to_region``; audited."""
    acts = list(Recognition.objects.filter(person_id__in=list(person_ids), status__in=OPEN).exclude(region_id=to_region)
                .values("pk", "region_id", "person__name"))
    if not acts:
        return 0
    Recognition.objects.filter(pk__in=[a["pk"] for a in acts]).update(region_id=to_region)
    audit.record_many(audit.build(None, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=a["pk"],
                                  object_label=a["person__name"], region_code=to_region,
                                  changes={"region": [a["region_id"], to_region]}, summary=_("认定随人员迁移"))
                      for a in acts)
    return len(acts)


# ---------------------------------------------------------------------------------------------
# Automatic, set-based


@dataclass
class SyncCounts:
    proposed: int = 0
    withdrawn: int = 0
    exited: int = 0
    cases_opened: int = 0
    cases_reopened: int = 0
    cases_employed: int = 0
    cases_closed: int = 0

    def add(self, other: "SyncCounts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


ENDED_EXIT = {
    EmploymentStatus.RETIRED: ExitReason.RETIRED,
    EmploymentStatus.DECEASED: ExitReason.DECEASED,
    EmploymentStatus.MOVED_AWAY: ExitReason.MOVED_AWAY,
}


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _facts(scope: Q, today: datetime.date) -> dict[int, dict]:
    """pk -> {status, since, region, eligible} for the persons of ``scope`` who are not simply
    unemployed-and-eligible or never registered: what the rules below need, as of ``today``."""
    qs = groups.with_history_annotations(Person.objects.filter(scope), today, household=False)
    rows = qs.annotate(st=F("_status_on_date"), since=F("_status_since_on_date")).values(
        "pk", "name", "st", "since", "region_id", "able_to_work", "willing_to_work", "birth_date", "retirement_date")
    out = {}
    for r in rows:
        r["working_age"] = r["birth_date"] <= today - relativedelta(years=16) and r["retirement_date"] > today
        r["eligible"] = (r["st"] == EmploymentStatus.UNEMPLOYED and r["working_age"] and r["able_to_work"]
                         and r["willing_to_work"])
        out[r["pk"]] = r
    return out


def _why_not(r: dict | None, today: datetime.date) -> tuple[str, str]:
    """(exit reason, Chinese note) for a person who is no longer a target."""
    if r is None:
        return ExitReason.OTHER, _("人员档案不存在")
    if r["retirement_date"] <= today:
        return ExitReason.RETIRED, _("%(d)s达到法定退休年龄") % {"d": r["retirement_date"].isoformat()}
    if r["st"] in ENDED_EXIT:
        return ENDED_EXIT[r["st"]], _("登记状态变为“%(s)s”") % {"s": EmploymentStatus(r["st"]).label}
    if not (r["able_to_work"] and r["willing_to_work"]):
        return ExitReason.NO_LONGER_QUALIFIES, _("标记为无劳动能力或无就业意愿")
    if r["st"] == EmploymentStatus.EMPLOYED:
        return ExitReason.NO_LONGER_QUALIFIES, _("已办理就业登记")
    if r["st"] != EmploymentStatus.UNEMPLOYED:
        return ExitReason.NO_LONGER_QUALIFIES, _("登记状态变为“%(s)s”") % {"s": EmploymentStatus(r["st"] or "none").label}
    return ExitReason.NO_LONGER_QUALIFIES, _("不再属于就业困难人员认定类别")


def _exit_on(r: dict, reason: str, today: datetime.date) -> datetime.date:
    if r["st"] in ENDED_EXIT and r["since"]:
        return min(r["since"], today)
    if reason == ExitReason.RETIRED:
        return min(r["retirement_date"], today)
    return today


def _in_group(scope: Q, today: datetime.date) -> set[int]:
    return set(groups.filter_group(Person.objects.filter(scope), "hard_to_employ", today).values_list("pk", flat=True))


def _categories_of(ids: list[int], today: datetime.date, *, everyone: bool = False) -> dict[int, list[str]]:
    """pk -> the hard-to-employ categories of each person of ``ids`` on ``today``: per category, one
    query per chunk of ids, or (``everyone``: the daily pass) one query over all persons."""
    out: dict[int, list[str]] = {}
    wanted = set(ids)
    for code in CATEGORY_CODES:
        if everyone:
            parts = [Person.objects.all()]
        else:
            parts = [Person.objects.filter(pk__in=chunk) for chunk in _chunks(ids)]
        for qs in parts:
            for pk in groups.filter_group(qs, f"hard_to_employ.{code}", today).values_list("pk", flat=True).iterator(
                    chunk_size=10000):
                if pk in wanted:
                    out.setdefault(pk, []).append(code)
    return out


def _sync_scope(ids: list[int] | None, today: datetime.date, *, actor=None, fix: bool = True) -> SyncCounts:
    counts = SyncCounts()
    scope = Q() if ids is None else Q(pk__in=ids)
    of_persons = Q() if ids is None else Q(person_id__in=ids)
    in_group = _in_group(scope, today)
    acts = {a["person_id"]: a for a in Recognition.objects.filter(of_persons, status__in=OPEN).values(
        "pk", "person_id", "status", "origin", "region_id")}
    active = {c["person_id"]: c for c in Case.objects.filter(of_persons, kind=CaseKind.HARD_TO_EMPLOY,
                                                             status__in=cases.ACTIVE).values("pk", "person_id", "status")}
    # The facts of everyone concerned: in the group, with an open act or with an active case.
    concerned = sorted(in_group | set(acts) | set(active))
    facts: dict[int, dict] = {}
    for chunk in _chunks(concerned):
        facts.update(_facts(Q(pk__in=chunk), today))
    eligible = {pk for pk, r in facts.items() if r["eligible"]}

    # 1. Withdraw proposals that no longer stand; exit recognised acts of persons who left for good.
    withdraw_ids, exits = [], []
    for pid, a in acts.items():
        r = facts.get(pid)
        if a["status"] == RecognitionStatus.PROPOSED:
            if pid not in eligible or (a["origin"] == RecognitionOrigin.PROPOSED and pid not in in_group):
                withdraw_ids.append((a, _why_not(r, today)[1]))
        elif r is None or r["retirement_date"] <= today or r["st"] not in (EmploymentStatus.UNEMPLOYED, EmploymentStatus.EMPLOYED) \
                or not (r["able_to_work"] and r["willing_to_work"]):
            reason, note = _why_not(r, today)
            exits.append((a, reason, note, _exit_on(r, reason, today) if r else today))
    counts.withdrawn, counts.exited = len(withdraw_ids), len(exits)
    open_after = {pid for pid, a in acts.items()} - {a["person_id"] for a, _n in withdraw_ids} - {a["person_id"] for a, *_x in exits}

    # 2. New system proposals: in the group, no open act, none rejected or withdrawn by a worker during the
    #    current unemployment.
    new = sorted(in_group - set(acts))
    if new:
        rejected = set()
        for chunk in _chunks(new):
            rejected.update(Recognition.objects.filter(person_id__in=chunk).filter(
                Q(status=RecognitionStatus.REJECTED) | Q(status=RecognitionStatus.WITHDRAWN, exited_by__isnull=False))
                .filter(applied_on__gte=F("person__status_since")).values_list("person_id", flat=True))
        new = [pid for pid in new if pid not in rejected and pid in eligible]
    counts.proposed = len(new)

    # 3. Cases: the target has an open case; employed persons' open cases go to follow-up; others close.
    target = eligible & (in_group | open_after | set(new))
    to_open = sorted(pid for pid in target if active.get(pid, {}).get("status") != CaseStatus.OPEN)
    employed = [c for pid, c in active.items() if c["status"] == CaseStatus.OPEN and pid not in target
                and facts.get(pid, {}).get("st") == EmploymentStatus.EMPLOYED]
    closing = [c for pid, c in active.items() if c["status"] == CaseStatus.OPEN and pid not in target
               and facts.get(pid, {}).get("st") != EmploymentStatus.EMPLOYED]
    counts.cases_employed, counts.cases_closed = len(employed), len(closing)
    if not fix:
        counts.cases_opened = sum(1 for pid in to_open if pid not in active)
        counts.cases_reopened = len(to_open) - counts.cases_opened
        return counts

    now = timezone.now()
    entries = []
    def name(pid):
        return facts.get(pid, {}).get("name", "")

    for a, note in withdraw_ids:
        Recognition.objects.filter(pk=a["pk"]).update(status=RecognitionStatus.WITHDRAWN, exit_note=note[:255], exited_at=now)
        entries.append(audit.build(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=a["pk"],
                                   object_label=name(a["person_id"]),
                                   region_code=a["region_id"], summary=_("自动撤销认定提示：%(n)s") % {"n": note}))
    for a, reason, note, on in exits:
        Recognition.objects.filter(pk=a["pk"]).update(status=RecognitionStatus.EXITED, exit_reason=reason, exited_on=on,
                                                      exit_note=note[:255], exited_at=now)
        entries.append(audit.build(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=a["pk"],
                                   object_label=name(a["person_id"]),
                                   region_code=a["region_id"], changes={"exited_on": on, "exit_reason": reason},
                                   summary=_("自动退出就业困难人员认定：%(n)s") % {"n": note}))
    new_acts = []
    if new:
        cats = _categories_of(new, today, everyone=ids is None and len(new) > 5 * CHUNK)
        for pid in new:
            new_acts.append(Recognition(person_id=pid, region_id=facts[pid]["region_id"], categories=cats.get(pid, []),
                                        origin=RecognitionOrigin.PROPOSED, applied_on=today,
                                        status=RecognitionStatus.PROPOSED, created_at=now))
        Recognition.objects.bulk_create(new_acts, batch_size=500)
        if any(a.pk is None for a in new_acts):  # backends that do not return ids from bulk inserts
            ids = dict(Recognition.objects.filter(person_id__in=new, status=RecognitionStatus.PROPOSED).values_list("person_id", "pk"))
            for a in new_acts:
                a.pk = ids[a.person_id]
        for a in new_acts:
            entries.append(audit.build(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=a.pk,
                                       object_label=name(a.person_id),
                                       region_code=a.region_id, changes={"categories": a.categories, "origin": a.origin},
                                       summary=_("系统提示就业困难人员认定：%(c)s") % {"c": categories_text(a.categories)}))
    audit.record_many(entries)
    act_of = {pid: a["pk"] for pid, a in acts.items() if pid in open_after}
    act_of.update({a.person_id: a.pk for a in new_acts})
    if to_open:
        result = cases.open_cases_bulk(
            CaseKind.HARD_TO_EMPLOY,
            [cases.Subject(facts[pid]["region_id"], person_id=pid, recognition_id=act_of.get(pid)) for pid in to_open],
            opened_on=today, actor=actor, text=_("就业困难人员"))
        counts.cases_opened, counts.cases_reopened = result["opened"], result["reopened"]
    for c in employed:
        case = Case.objects.select_for_update().get(pk=c["pk"])
        r = facts[c["person_id"]]
        registration = (Registration.objects.filter(person_id=c["person_id"], kind=Registration.Kind.EMPLOYMENT,
                                                    effective_date=r["since"]).order_by("-recorded_at", "-pk").first())
        cases.record_employment(case, on=min(r["since"] or today, today), registration=registration, actor=actor)
    for c in closing:
        case = Case.objects.select_for_update().get(pk=c["pk"])
        cases.close_case(case, kind=CloseKind.NO_LONGER_QUALIFIES, on=today, note=_why_not(facts.get(c["person_id"]), today)[1],
                         actor=actor)
    return counts


@transaction.atomic
def sync(person_ids: Iterable[int] | None, *, today: datetime.date | None = None, actor=None, fix: bool = True) -> SyncCounts:
    """Make acts and hard-to-employ cases agree with the registry for these persons (None: everyone)."""
    today = today or timezone.localdate()
    if person_ids is None:
        return _sync_scope(None, today, actor=actor, fix=fix)
    counts = SyncCounts()
    for chunk in _chunks(sorted(set(person_ids)), 5000):
        counts.add(_sync_scope(chunk, today, actor=actor, fix=fix))
    return counts


def _by_jurisdiction(key: str, on: datetime.date, field_name: str = "region_id") -> list[tuple[Q, object]]:
    """(region condition, value of ``key`` on ``on``) per jurisdiction, most specific first, so that
    each row is judged by its own jurisdiction's value (national last, for every row not covered)."""
    out, covered = [], None
    for prefix in jurisdictions():
        if prefix and params(prefix, on)[key] == params(chain(prefix)[1] or None, on)[key]:
            continue
        if prefix:
            lo, hi = code_range(prefix)
            inside = Q(**{f"{field_name}__gte": lo, f"{field_name}__lte": hi})
            where = inside & ~covered if covered is not None else inside
            covered = inside if covered is None else covered | inside
        else:
            where = ~covered if covered is not None else Q()
        out.append((where, params(prefix or None, on)[key]))
    return out


def stable_employment_exits(today: datetime.date, *, actor=None, fix: bool = True) -> int:
    """Recognised persons employed without a break (one employment status since a date) for
    ``assistance.recognition.stable_employment_months`` exit "stably employed" on the day they reach it."""
    condition = Q(pk__in=[])
    for where, months in _by_jurisdiction("assistance.recognition.stable_employment_months", today):
        condition |= where & Q(_since__lte=groups.months_cutoff(today, months))
    recognised = Person.objects.filter(pk__in=Recognition.objects.filter(status=RecognitionStatus.RECOGNISED).values("person_id"))
    persons = groups.with_history_annotations(recognised, today, household=False).annotate(
        _st=F("_status_on_date"), _since=F("_status_since_on_date")).filter(_st=EmploymentStatus.EMPLOYED).filter(condition)
    acts = list(Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, person__in=persons.values("pk")).values(
        "pk", "person_id", "region_id"))
    if not fix or not acts:
        return len(acts)
    since = {}
    for chunk in _chunks([a["person_id"] for a in acts]):
        since.update(persons.filter(pk__in=chunk).values_list("pk", "_since"))
    now, entries = timezone.now(), []
    for a in acts:
        months = params(a["region_id"], today)["assistance.recognition.stable_employment_months"]
        on = since[a["person_id"]] + relativedelta(months=months)
        Recognition.objects.filter(pk=a["pk"]).update(status=RecognitionStatus.EXITED, exit_reason=ExitReason.STABLY_EMPLOYED,
                                                      exited_on=on, exited_at=now,
                                                      exit_note=_("%(d)s起连续就业满%(m)d个月") % {"d": since[a["person_id"]], "m": months})
        entries.append(audit.build(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=a["pk"],
                                   region_code=a["region_id"], changes={"exited_on": on, "exit_reason": ExitReason.STABLY_EMPLOYED},
                                   summary=_("自动退出就业困难人员认定：实现稳定就业")))
    audit.record_many(entries)
    return len(acts)


def expired_exits(today: datetime.date, *, actor=None, fix: bool = True) -> int:
    """Recognised acts whose validity ended before ``today`` exit "expired" the day after it ended."""
    acts = list(Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, valid_until__lt=today).values(
        "pk", "region_id", "valid_until", "person_id"))
    if not fix or not acts:
        return len(acts)
    now, entries = timezone.now(), []
    for a in acts:
        on = a["valid_until"] + datetime.timedelta(days=1)
        Recognition.objects.filter(pk=a["pk"]).update(status=RecognitionStatus.EXITED, exit_reason=ExitReason.EXPIRED,
                                                      exited_on=on, exited_at=now, exit_note=_("认定有效期届满"))
        entries.append(audit.build(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=a["pk"],
                                   region_code=a["region_id"], changes={"exited_on": on, "exit_reason": ExitReason.EXPIRED},
                                   summary=_("自动退出就业困难人员认定：认定有效期届满")))
    audit.record_many(entries)
    return len(acts)


@transaction.atomic
def daily(today: datetime.date | None = None, *, actor=None, fix: bool = True) -> dict[str, int]:
    """The daily work: validity ended, stable employment, then ``sync`` over everyone (categories
    reached by time: 12 months unemployed, age 40/50; retirement)."""
    today = today or timezone.localdate()
    expired = expired_exits(today, actor=actor, fix=fix)
    stable = stable_employment_exits(today, actor=actor, fix=fix)
    counts = sync(None, today=today, actor=actor, fix=fix).as_dict()
    counts.update(expired=expired, stably_employed=stable)
    return counts


def reconcile_hard_to_employ(today: datetime.date | None = None, fix: bool = True) -> dict[str, int]:
    """Recompute the hard-to-employ group for everyone (one pass) and make proposals and cases agree:
    open what is missing, close what is stale. With ``fix=False`` only count. Returns the counts."""
    return daily(today, fix=fix)


def daily_line(counts: dict[str, int]) -> str:
    return _("就业困难人员：新提示认定%(p)d人，撤销提示%(w)d人，退出认定%(x)d人（其中有效期届满%(e)d人、稳定就业%(s)d人），"
             "援助个案立案%(o)d件、重新立案%(r)d件、转跟踪回访%(f)d件、结案%(c)d件") % {
        "p": counts["proposed"], "w": counts["withdrawn"],
        "x": counts["exited"] + counts["expired"] + counts["stably_employed"], "e": counts["expired"],
        "s": counts["stably_employed"], "o": counts["cases_opened"], "r": counts["cases_reopened"],
        "f": counts["cases_employed"], "c": counts["cases_closed"]}
