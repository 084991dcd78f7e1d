"""Writes of vacancies (招聘岗位): create/update, publish, close, reopen, confirm the occupation, review,
expire, hires counted by the applications part, and public-welfare posts published as vacancies.

Who writes: staff who work jobs (``roles.can_work_jobs``) for employers of their region; an employer
user for its own employer only. A vacancy outside that is "not found" (``registry.queries.NotFound``).
Every write validates all fields and reports every broken rule at once (a ``ValidationError`` keyed by
field, each message naming the value and the reason), runs in one transaction and leaves an audit entry.

Publication runs the fair-requirement rules (``jobs.rules.check``): a refusal stores the reasons
(``refusals``), sets REFUSED and raises ``VacancyRefused`` after the commit (the reasons stay on the
vacancy's page); a review flag (an age limit, a sex requirement on a ground) sends it to PENDING_REVIEW for
a reviewer (``roles.can_review_vacancies``); otherwise it is PUBLISHED.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import in_scope
from jiuye.jobs import rules
from jiuye.jobs.models import Occupation, Vacancy, VacancySource, VacancyStatus, WorkType
from jiuye.jobs.queries.search import index_text
from jiuye.parameters import params
from jiuye.regions.models import Region
from jiuye.registry.models import Education, Employer
from jiuye.registry.queries import NotFound, linked_employer_id

OBJECT_TYPE = "vacancy"
NOT_FOUND = "岗位不存在或不在您的管辖范围内"
EDUCATION_ORDER = [e.value for e in Education]

#: The fields a caller may set (create/update), with their labels for messages.
FIELDS = {
    "title": "岗位名称", "description": "岗位描述", "occupation_code": "职业代码", "work_type": "用工形式",
    "openings": "招聘人数", "wage_min": "月薪下限", "wage_max": "月薪上限", "region": "工作地点", "address": "详细地址",
    "latitude": "纬度", "longitude": "经度", "education_min": "最低学历", "experience_years": "工作经验",
    "skills": "技能要求", "certificates": "证书要求", "hours": "工作时间", "age_min": "年龄下限", "age_max": "年龄上限",
    "age_justification": "年龄限制理由", "sex_requirement": "性别要求", "sex_ground": "性别要求的法定依据",
    "valid_from": "有效期起", "valid_until": "有效期止", "contact_name": "联系人", "contact_phone": "联系电话",
}
EDITABLE = (VacancyStatus.DRAFT, VacancyStatus.REFUSED, VacancyStatus.PENDING_REVIEW, VacancyStatus.PUBLISHED,
            VacancyStatus.CLOSED, VacancyStatus.EXPIRED)


class VacancyRefused(ValidationError):
    """Publication refused: the vacancy (saved as REFUSED with its reasons) and every reason at once."""

    def __init__(self, vacancy: Vacancy, refusals: list[dict]):
        self.vacancy = vacancy
        self.refusals = refusals
        by_field: dict[str, list[str]] = {}
        for r in refusals:
            by_field.setdefault(r["field"], []).append(refusal_text(r))
        super().__init__(by_field)


def refusal_text(r: dict) -> str:
    label = FIELDS.get(r["field"], r["field"])
    value = "“%s”" % r["value"] if r.get("value") and r["value"] not in r["reason"] else ""
    law = "（%s）" % r["law"] if r.get("law") else ""
    return "%s%s：%s%s" % (label, value, r["reason"], law)


def current_date() -> datetime.date:
    return timezone.localdate()


def _param(region_code: str, on: datetime.date, key: str, default: int) -> int:
    try:
        return int(params(region_code, on)[key])
    except LookupError:
        return default


# ---------------------------------------------------------------------------------------------
# Who may write


def _employer_for_write(actor, employer_id: int) -> Employer:
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_("用人单位不存在或不在您的管辖范围内"))
    if getattr(actor, "role", None) == Role.EMPLOYER_USER:
        if linked_employer_id(actor) != employer.pk:
            raise NotFound(_("用人单位不存在或不在您的管辖范围内"))
        return employer
    if not roles.can_work_jobs(actor) or not in_scope(actor, employer.region_id):
        raise NotFound(_("用人单位不存在或不在您的管辖范围内"))
    return employer


def may_write(actor, vacancy: Vacancy) -> bool:
    if getattr(actor, "role", None) == Role.EMPLOYER_USER:
        return linked_employer_id(actor) == vacancy.employer_id
    return roles.can_work_jobs(actor) and in_scope(actor, vacancy.employer.region_id)


def may_review(actor, vacancy: Vacancy) -> bool:
    return (roles.can_review_vacancies(actor) and in_scope(actor, vacancy.region_id)
            and vacancy.status == VacancyStatus.PENDING_REVIEW)


def _vacancy_for_write(actor, vacancy_id: int, *, lock: bool = True) -> Vacancy:
    qs = Vacancy.objects.select_related("employer", "occupation")
    if lock:
        qs = qs.select_for_update(of=("self",))
    vacancy = qs.filter(pk=vacancy_id).first()
    if vacancy is None or not may_write(actor, vacancy):
        raise NotFound(_(NOT_FOUND))
    return vacancy


# ---------------------------------------------------------------------------------------------
# Validation (every field at once)


def _text(values, key, max_length, errors, *, required=False):
    value = values.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.setdefault(key, []).append(_("%s必填") % FIELDS[key])
    elif len(value) > max_length:
        errors.setdefault(key, []).append(_("%(f)s最多%(n)d个字（现为%(m)d个）") % {"f": FIELDS[key], "n": max_length, "m": len(value)})
    return value


def _int(values, key, errors, *, minimum=0, maximum=10**9):
    value = values.get(key)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(key, []).append(_("%(f)s“%(v)s”不是整数") % {"f": FIELDS[key], "v": value})
        return None
    if not minimum <= number <= maximum:
        errors.setdefault(key, []).append(_("%(f)s“%(v)s”应在%(a)d至%(b)d之间") % {"f": FIELDS[key], "v": value, "a": minimum, "b": maximum})
        return None
    return number


def _list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        import re
        value = re.split(r"[、,，;；\n]", value)
    return [str(v).strip()[:64] for v in value if str(v).strip()][:30]


def clean_fields(values: dict, *, on: datetime.date, partial_of: Vacancy | None = None) -> tuple[dict, dict]:
    """(cleaned field values for the model, errors {field: [messages]}) of ``values``; with ``partial_of``
    only the keys given are checked against the vacancy's other values."""
    base = {}
    if partial_of is not None:
        v = partial_of
        base = {"title": v.title, "description": v.description, "occupation_code": v.occupation.code if v.occupation_id else "",
                "work_type": v.work_type, "openings": v.openings, "wage_min": v.wage_min, "wage_max": v.wage_max,
                "region": v.region_id, "address": v.address, "latitude": v.latitude, "longitude": v.longitude,
                "education_min": v.education_min, "experience_years": v.experience_years, "skills": v.skills,
                "certificates": v.certificates, "hours": v.hours, "age_min": v.age_min, "age_max": v.age_max,
                "age_justification": v.age_justification, "sex_requirement": v.sex_requirement, "sex_ground": v.sex_ground,
                "valid_from": v.valid_from, "valid_until": v.valid_until, "contact_name": v.contact_name,
                "contact_phone": v.contact_phone}
    unknown = set(values) - set(FIELDS)
    values = {**base, **{k: v for k, v in values.items() if k in FIELDS}}
    errors: dict[str, list[str]] = {}
    for key in sorted(unknown):
        errors.setdefault(key, []).append(_("未知字段：%s") % key)
    out: dict = {}
    out["title"] = _text(values, "title", 64, errors, required=True)
    out["description"] = _text(values, "description", 4000, errors)
    out["address"] = _text(values, "address", 255, errors)
    out["hours"] = _text(values, "hours", 64, errors)
    out["age_justification"] = _text(values, "age_justification", 255, errors)
    out["contact_name"] = _text(values, "contact_name", 64, errors)
    out["contact_phone"] = _text(values, "contact_phone", 20, errors)
    out["sex_requirement"] = _text(values, "sex_requirement", 1, errors)
    out["sex_ground"] = _text(values, "sex_ground", 32, errors)
    work_type = values.get("work_type") or WorkType.FULL_TIME
    if work_type not in WorkType.values:
        errors.setdefault("work_type", []).append(_("用工形式“%s”不存在") % work_type)
    out["work_type"] = work_type
    openings = _int(values, "openings", errors, minimum=1, maximum=100000)
    if openings is None and "openings" not in errors:
        errors.setdefault("openings", []).append(_("招聘人数必填（至少1人）"))
    out["openings"] = openings
    out["wage_min"] = _int(values, "wage_min", errors, minimum=0, maximum=1_000_000)
    out["wage_max"] = _int(values, "wage_max", errors, minimum=0, maximum=1_000_000)
    if out["wage_min"] is not None and out["wage_max"] is not None and out["wage_max"] < out["wage_min"]:
        errors.setdefault("wage_max", []).append(_("月薪上限%(b)d低于下限%(a)d") % {"a": out["wage_min"], "b": out["wage_max"]})
    out["experience_years"] = _int(values, "experience_years", errors, minimum=0, maximum=50) or 0
    out["age_min"] = _int(values, "age_min", errors, minimum=0, maximum=100)
    out["age_max"] = _int(values, "age_max", errors, minimum=0, maximum=100)
    education = values.get("education_min") or ""
    if education and education not in EDUCATION_ORDER:
        errors.setdefault("education_min", []).append(_("学历“%s”不存在") % education)
    out["education_min"] = education
    out["skills"], out["certificates"] = _list(values.get("skills")), _list(values.get("certificates"))
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        raw = values.get(key)
        if raw in (None, ""):
            out[key] = None
            continue
        try:
            number = float(raw)
            if not low <= number <= high:
                raise ValueError
            out[key] = number
        except (TypeError, ValueError):
            errors.setdefault(key, []).append(_("%(f)s“%(v)s”无效") % {"f": FIELDS[key], "v": raw})
    region_code = str(values.get("region") or "").strip()
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        errors.setdefault("region", []).append(_("工作地点“%s”不存在") % region_code if region_code else _("工作地点必填"))
    out["region_id"] = region.code if region else None
    code = str(values.get("occupation_code") or "").strip()
    occupation = None
    if code:
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            errors.setdefault("occupation_code", []).append(_("职业代码“%s”不存在") % code)
        elif not occupation.is_occupation:
            errors.setdefault("occupation_code", []).append(_("“%(c)s %(n)s”是职业分类的类别，请选择具体职业") % {"c": code, "n": occupation.name})
            occupation = None
    out["occupation"] = occupation
    valid_from = values.get("valid_from") or on
    valid_until = values.get("valid_until")
    for key, value in (("valid_from", valid_from), ("valid_until", valid_until)):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                errors.setdefault(key, []).append(_("%(f)s“%(v)s”不是日期") % {"f": FIELDS[key], "v": value})
                value = None
        out[key] = value
    if out.get("valid_until") is None and "valid_until" not in errors:
        errors.setdefault("valid_until", []).append(_("有效期止必填"))
    if out.get("valid_from") and out.get("valid_until"):
        if out["valid_until"] < out["valid_from"]:
            errors.setdefault("valid_until", []).append(_("有效期止%(b)s早于有效期起%(a)s") % {"a": out["valid_from"], "b": out["valid_until"]})
        else:
            max_days = _param(out["region_id"] or "", out["valid_from"], "jobs.vacancy.max_validity_days", 180)
            if (out["valid_until"] - out["valid_from"]).days > max_days:
                errors.setdefault("valid_until", []).append(
                    _("有效期%(d)d天，超过最长%(m)d天（参数 jobs.vacancy.max_validity_days）") % {
                        "d": (out["valid_until"] - out["valid_from"]).days, "m": max_days})
    return out, errors


def _snapshot(v: Vacancy) -> dict:
    return {k: getattr(v, k) for k in ("title", "description", "occupation_id", "work_type", "openings", "wage_min", "wage_max",
                                         "region_id", "address", "education_min", "experience_years", "skills", "certificates",
                                         "hours", "age_min", "age_max", "age_justification", "sex_requirement", "sex_ground",
                                         "valid_from", "valid_until", "status", "contact_name", "contact_phone")}


def _index_text(v: Vacancy) -> str:
    return index_text(v.title, v.description, v.occupation.name if v.occupation_id else "")


def _audit(actor, action, v: Vacancy, summary: str, changes: dict | None = None) -> None:
    audit.record(actor, action, object_type=OBJECT_TYPE, object_id=v.pk, object_label=f"{v.employer.name} {v.title}"[:128],
                 region_code=v.region_id, changes=changes or {}, summary=summary)


# ---------------------------------------------------------------------------------------------
# Create, update


def create_vacancy(actor, *, employer_id: int, publish: bool = False, source: str = "", **values) -> Vacancy:
    """A new vacancy (a draft; ``publish=True`` publishes it in the same call: see ``publish_vacancy``)."""
    employer = _employer_for_write(actor, employer_id)
    on = current_date()
    values.setdefault("region", employer.region_id)
    cleaned, errors = clean_fields(values, on=on)
    if errors:
        raise ValidationError(errors)
    if not source:
        source = VacancySource.EMPLOYER if getattr(actor, "role", None) == Role.EMPLOYER_USER else VacancySource.STAFF
    with transaction.atomic():
        v = Vacancy(employer=employer, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    source=source, status=VacancyStatus.DRAFT, **cleaned)
        v.search_text = _index_text(v)
        v.save()
        _audit(actor, AuditEntry.Action.CREATE, v, _("新增招聘岗位"), {"title": [None, v.title], "openings": [None, v.openings]})
    if publish:
        return publish_vacancy(actor, v.pk)
    return v


def update_vacancy(actor, vacancy_id: int, *, publish: bool = False, **values) -> Vacancy:
    """Change a vacancy's fields (the keys given). A refused or flagged vacancy goes back to draft (publish
    again); a published one stays published only when the fair rules still raise nothing (else it is
    checked again as on publication)."""
    with transaction.atomic():
        v = _vacancy_for_write(actor, vacancy_id)
        if v.status not in EDITABLE:
            raise ValidationError({"status": [_("“%s”状态的岗位不能修改") % v.get_status_display()]})
        before = _snapshot(v)
        cleaned, errors = clean_fields(values, on=current_date(), partial_of=v)
        if errors:
            raise ValidationError(errors)
        for key, value in cleaned.items():
            setattr(v, key, value)
        was_published = v.status == VacancyStatus.PUBLISHED
        if v.occupation_id != before["occupation_id"]:
            v.occupation_confirmed_by = actor if v.occupation_id and getattr(actor, "is_authenticated", False) else None
        if v.status in (VacancyStatus.REFUSED, VacancyStatus.PENDING_REVIEW):
            v.status, v.refusals, v.review_flags = VacancyStatus.DRAFT, [], []
        v.search_text = _index_text(v)
        v.save()
        changes = audit.diff(before, _snapshot(v))
        _audit(actor, AuditEntry.Action.UPDATE, v, _("修改招聘岗位"), changes)
    if was_published or publish:
        verdict = _verdict(v)
        if was_published and not verdict.refused and not verdict.flags:
            return v
        return publish_vacancy(actor, v.pk)
    return v


def _verdict(v: Vacancy) -> rules.Verdict:
    min_age = _param(v.region_id, current_date(), "jobs.vacancy.min_age", 16)
    return rules.check({k: getattr(v, k) for k in ("title", "description", "sex_requirement", "sex_ground", "age_min",
                                                   "age_max", "age_justification")}, min_age=min_age)


def check_vacancy(v: Vacancy) -> rules.Verdict:
    """The fair-requirement verdict on a vacancy as it stands (the page shows it before publication)."""
    return _verdict(v)


# ---------------------------------------------------------------------------------------------
# Publication, review, closing


def publish_vacancy(actor, vacancy_id: int) -> Vacancy:
    """Publish: refused (REFUSED, reasons stored, ``VacancyRefused`` raised), flagged (PENDING_REVIEW) or published."""
    refused = None
    with transaction.atomic():
        v = _vacancy_for_write(actor, vacancy_id)
        if v.status not in (VacancyStatus.DRAFT, VacancyStatus.REFUSED, VacancyStatus.PUBLISHED, VacancyStatus.CLOSED,
                            VacancyStatus.EXPIRED, VacancyStatus.PENDING_REVIEW):
            raise ValidationError({"status": [_("“%s”状态的岗位不能发布") % v.get_status_display()]})
        today = current_date()
        if v.valid_until < today:
            raise ValidationError({"valid_until": [_("有效期止%s已过，请先修改有效期") % v.valid_until]})
        if v.hired >= v.openings:
            raise ValidationError({"openings": [_("已录用%(h)d人，已招满（招聘%(o)d人）") % {"h": v.hired, "o": v.openings}]})
        verdict = _verdict(v)
        before = v.status
        if verdict.refused:
            v.status, v.refusals, v.review_flags = VacancyStatus.REFUSED, verdict.refusals, verdict.flags
            summary = _("拒绝发布招聘岗位：%s") % "；".join(refusal_text(r) for r in verdict.refusals)
            refused = verdict.refusals
        elif verdict.flags:
            v.status, v.refusals, v.review_flags = VacancyStatus.PENDING_REVIEW, [], verdict.flags
            v.reviewed_by, v.reviewed_at = None, None
            summary = _("招聘岗位提交审核：%s") % "；".join(f["reason"] for f in verdict.flags)
        else:
            v.status, v.refusals, v.review_flags = VacancyStatus.PUBLISHED, [], []
            v.published_at = timezone.now()
            summary = _("发布招聘岗位")
        v.save(update_fields=["status", "refusals", "review_flags", "published_at", "reviewed_by", "reviewed_at", "updated_at"])
        _audit(actor, AuditEntry.Action.UPDATE, v, summary, {"status": [before, v.status]})
    if refused:
        raise VacancyRefused(v, refused)
    return v


def review_vacancy(actor, vacancy_id: int, *, approve: bool, reason: str = "") -> Vacancy:
    """A reviewer's decision on a flagged vacancy: approve (published) or refuse (refused, with the reason)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        v = Vacancy.objects.select_for_update(of=("self",)).select_related("employer").filter(pk=vacancy_id).first()
        if v is None or not roles.can_review_vacancies(actor) or not in_scope(actor, v.region_id):
            raise NotFound(_(NOT_FOUND))
        if v.status != VacancyStatus.PENDING_REVIEW:
            raise ValidationError({"status": [_("该岗位不在待审核状态（当前：%s）") % v.get_status_display()]})
        if not approve and not reason:
            raise ValidationError({"reason": [_("不予发布须填写理由")]})
        if len(reason) > 255:
            raise ValidationError({"reason": [_("理由最多255个字")]})
        v.reviewed_by, v.reviewed_at = actor, timezone.now()
        if approve:
            v.status, v.published_at = VacancyStatus.PUBLISHED, timezone.now()
            summary = _("审核通过，发布招聘岗位") + (("：" + reason) if reason else "")
        else:
            v.status = VacancyStatus.REFUSED
            v.refusals = [rules.refusal("review", "", reason, "", "review")]
            summary = _("审核不予发布：%s") % reason
        v.save(update_fields=["status", "published_at", "refusals", "reviewed_by", "reviewed_at", "updated_at"])
        _audit(actor, AuditEntry.Action.UPDATE, v, summary, {"status": [VacancyStatus.PENDING_REVIEW, v.status]})
    return v


def close_vacancy(actor, vacancy_id: int, *, reason: str = "") -> Vacancy:
    with transaction.atomic():
        v = _vacancy_for_write(actor, vacancy_id)
        if v.status == VacancyStatus.CLOSED:
            return v
        before = v.status
        v.status = VacancyStatus.CLOSED
        v.save(update_fields=["status", "updated_at"])
        _audit(actor, AuditEntry.Action.UPDATE, v, _("关闭招聘岗位") + (("：" + reason[:200]) if reason else ""),
               {"status": [before, v.status]})
    return v


def reopen_vacancy(actor, vacancy_id: int) -> Vacancy:
    """A closed, expired or refused vacancy published again (the fair rules and review run again)."""
    return publish_vacancy(actor, vacancy_id)


def confirm_occupation(actor, vacancy_id: int, code: str) -> Vacancy:
    """A person confirms the vacancy's occupation code (a suggested one or any other occupation)."""
    with transaction.atomic():
        v = _vacancy_for_write(actor, vacancy_id)
        occupation = Occupation.objects.filter(code=(code or "").strip(), is_occupation=True).first()
        if occupation is None:
            raise ValidationError({"occupation_code": [_("职业代码“%s”不存在或不是具体职业") % code]})
        before = v.occupation_id
        v.occupation, v.occupation_confirmed_by = occupation, actor
        v.search_text = _index_text(v)
        v.save(update_fields=["occupation", "occupation_confirmed_by", "search_text", "updated_at"])
        _audit(actor, AuditEntry.Action.UPDATE, v, _("确认职业代码 %(c)s %(n)s") % {"c": occupation.code, "n": occupation.name},
               {"occupation_id": [before, occupation.pk]})
    return v


# ---------------------------------------------------------------------------------------------
# Hires (the applications part), expiry (daily), welfare posts


def record_hire(vacancy_id: int) -> Vacancy:
    """One more hire on the vacancy (locks the row): FILLED when hired reaches openings. Called inside the
    applications part's transaction; raises ValidationError when the vacancy is already full."""
    with transaction.atomic():
        v = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        if v.hired >= v.openings:
            raise ValidationError({"openings": [_("岗位“%(t)s”已招满（招聘%(o)d人）") % {"t": v.title, "o": v.openings}]})
        v.hired += 1
        fields = ["hired", "updated_at"]
        if v.hired >= v.openings and v.status in (VacancyStatus.PUBLISHED, VacancyStatus.PENDING_REVIEW, VacancyStatus.DRAFT):
            v.status = VacancyStatus.FILLED
            fields.append("status")
        v.save(update_fields=fields)
    return v


def record_hire_undone(vacancy_id: int) -> Vacancy:
    """A hire withdrawn: one fewer; a FILLED vacancy is published again (or expired, if past its validity)."""
    with transaction.atomic():
        v = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        v.hired = max(0, v.hired - 1)
        fields = ["hired", "updated_at"]
        if v.status == VacancyStatus.FILLED and v.hired < v.openings:
            v.status = VacancyStatus.PUBLISHED if v.valid_until >= current_date() else VacancyStatus.EXPIRED
            fields.append("status")
        v.save(update_fields=fields)
    return v


def expire_vacancies(today: datetime.date) -> int:
    """Published or waiting vacancies whose validity ended before ``today`` become EXPIRED (one UPDATE)."""
    return Vacancy.objects.filter(status__in=[VacancyStatus.PUBLISHED, VacancyStatus.PENDING_REVIEW],
                                  valid_until__lt=today).update(status=VacancyStatus.EXPIRED, updated_at=timezone.now())


def publish_welfare_post(actor, post) -> Vacancy:
    """The vacancy of an assistance.WelfarePost (one per post): created or brought up to date, then published
    (openings from the post; work type welfare_post; valid to the post's end or the longest validity)."""
    on = current_date()
    max_days = _param(post.region_id, on, "jobs.vacancy.max_validity_days", 180)
    until = min(post.ends_on, on + datetime.timedelta(days=max_days)) if post.ends_on else on + datetime.timedelta(days=max_days)
    wage = int(post.monthly_subsidy) if post.monthly_subsidy is not None else None
    values = dict(title=post.title[:64], description=post.duties or "", work_type=WorkType.WELFARE_POST, openings=post.openings,
                  region=post.region_id, wage_min=wage, wage_max=wage, valid_from=on, valid_until=max(until, on))
    existing = Vacancy.objects.filter(welfare_post=post).first()
    if existing is None:
        v = create_vacancy(actor, employer_id=post.employer_id, source=VacancySource.WELFARE_POST, **values)
        Vacancy.objects.filter(pk=v.pk).update(welfare_post=post)
        vacancy_id = v.pk
    else:
        values.pop("valid_from")
        update_vacancy(actor, existing.pk, **values)
        vacancy_id = existing.pk
    return publish_vacancy(actor, vacancy_id)

