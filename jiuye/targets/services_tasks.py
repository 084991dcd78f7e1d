"""Writes of the plans' key-work tasks (重点任务) and their weekly progress (周进展, seed 003 §二十一 周报制度).

- ``load_tables(paths=None)``: the seeds' task tables (tasks_data/*.yaml) into Department and PlanTask,
  idempotent (a department by its code, a task by region, plan and number; lead and partners replaced);
- ``report_progress(actor, task, department, week, status=, text=, ...)``: a department's entry for a week.
  A department liaison (role department_user) reports for their own department only (DepartmentMember), and
  only on tasks that department leads or supports; a district or city officer reports on behalf of any
  department of the task within their region. A week in the future is refused; the week is its Monday. A
  second entry for the same task, department and week is a correction: it replaces the current one (the old
  stays, is_current=False). Audited.
- ``link_member(actor, user, department)`` / ``unlink_member``: an account administrator (district/city
  officer) links a department liaison's account to the department it reports for.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.targets.models import Department, DepartmentMember, PlanTask, TaskProgress, TaskStatus
from jiuye.targets.queries_tasks import week_of

DATA_DIR = Path(__file__).resolve().parent / "tasks_data"
OBJECT_TYPE = "targets.taskprogress"
MAX_TEXT = 4000


# ---------------------------------------------------------------------------------------------
# Task tables


def table_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def load_tables(paths=None) -> dict:
    """Load the task tables; returns {"departments": created, "tasks": created, "updated": n}."""
    from jiuye.regions.models import Region
    created_d = created_t = updated = 0
    for path in paths or table_files():
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        region = Region.objects.filter(code=doc["region"]).first()
        if region is None:  # a deployment without that region's tree: nothing to attach the table to
            continue
        with transaction.atomic():
            depts = {}
            for d in doc["departments"]:
                dept, made = Department.objects.update_or_create(code=d["code"],
                                                                 defaults={"name": d["name"], "region": region})
                depts[d["code"]] = dept
                created_d += made
            for t in doc["tasks"]:
                values = {"title": t["title"][:255], "content": t.get("content", ""), "due_text": t.get("due", "")[:64],
                          "kpi": t.get("kpi", ""), "basis": t.get("basis", "")[:255]}
                task, made = PlanTask.objects.get_or_create(region=region, plan=doc["plan"], number=str(t["number"]),
                                                            defaults=values)
                if made:
                    created_t += 1
                elif any(getattr(task, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(task, k, v)
                    task.save()
                    updated += 1
                task.lead.set([depts[c] for c in t.get("lead", [])])
                task.partners.set([depts[c] for c in t.get("partners", [])])
    return {"departments": created_d, "tasks": created_t, "updated": updated}


# ---------------------------------------------------------------------------------------------
# Weekly progress


def department_of(user) -> Department | None:
    link = DepartmentMember.objects.filter(user_id=getattr(user, "pk", None)).select_related("department").first()
    return link.department if link else None


def may_report_for(actor, task: PlanTask, department: Department) -> bool:
    """Whether ``actor`` may enter ``department``'s progress on ``task`` (no exception; for pages)."""
    try:
        _check_reporter(actor, task, department)
    except OutOfScope:
        return False
    return True


def _check_reporter(actor, task: PlanTask, department: Department) -> None:
    if not roles.can_report_tasks(actor):
        raise OutOfScope(_("您的角色无权填报重点任务进展"))
    if not in_scope(actor, task.region_id):
        raise OutOfScope(_("该任务不在您的管辖范围内"))
    if not (task.lead.filter(pk=department.pk).exists() or task.partners.filter(pk=department.pk).exists()):
        raise OutOfScope(_("%(d)s 不是该任务的责任单位") % {"d": department.name})
    if actor.is_superuser or actor.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        return
    own = department_of(actor)
    if own is None:
        raise OutOfScope(_("您的账号尚未关联责任单位，请联系区县或市级管理员关联后再填报"))
    if own.pk != department.pk:
        raise OutOfScope(_("您只能填报本单位（%(d)s）的任务进展") % {"d": own.name})


def _clean(status, text, figure, figure_label, problems, week, today) -> tuple:
    errors: dict[str, list[str]] = {}
    if status not in TaskStatus.values:
        errors["status"] = [_("进展状态“%(v)s”不在可选范围内") % {"v": status}]
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("请填写本周进展")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("本周进展不能超过 %(n)s 字（现为 %(m)s 字）") % {"n": MAX_TEXT, "m": len(text)}]
    problems = (problems or "").strip()
    if len(problems) > MAX_TEXT:
        errors["problems"] = [_("存在问题不能超过 %(n)s 字") % {"n": MAX_TEXT}]
    if figure not in (None, ""):
        try:
            figure = Decimal(str(figure))
            if not figure.is_finite() or abs(figure) >= Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["figure"] = [_("本周数字“%(v)s”不是有效数字") % {"v": figure}]
    else:
        figure = None
    figure_label = (figure_label or "").strip()
    if len(figure_label) > 64:
        errors["figure_label"] = [_("数字说明不能超过 64 字")]
    if figure is not None and not figure_label and "figure" not in errors:
        errors["figure_label"] = [_("填写了本周数字时，请写明数字说明（如：新增就业人数）")]
    if not isinstance(week, datetime.date):
        errors["week"] = [_("周次“%(v)s”不是日期") % {"v": week}]
    elif week_of(week) > week_of(today):
        errors["week"] = [_("不能填报未来的周（%(w)s 起的一周尚未开始）") % {"w": week_of(week).isoformat()}]
    if errors:
        raise ValidationError(errors)
    return text, figure, figure_label, problems


def report_progress(actor, task: PlanTask, department: Department, week: datetime.date, *, status: str, text: str,
                    figure=None, figure_label: str = "", problems: str = "", today: datetime.date | None = None) -> TaskProgress:
    """Enter (or correct) ``department``'s progress on ``task`` for the week of ``week``."""
    _check_reporter(actor, task, department)
    today = today or timezone.localdate()
    text, figure, figure_label, problems = _clean(status, text, figure, figure_label, problems, week, today)
    if not task.is_active:
        raise ValidationError({"task": _("任务“%(t)s”已不在办，不能填报进展") % {"t": task.title}})
    monday = week_of(week)
    with transaction.atomic():
        old = (TaskProgress.objects.select_for_update()
               .filter(task=task, department=department, week=monday, is_current=True).first())
        if old is not None:
            old.is_current = False
            old.save(update_fields=["is_current"])
        entry = TaskProgress.objects.create(task=task, department=department, week=monday, status=status, text=text,
                                            figure=figure, figure_label=figure_label, problems=problems, replaces=old,
                                            is_current=True, entered_by=actor)
        changes = {"task": task.pk, "department": department.code, "week": monday.isoformat(), "status": status,
                   "figure": figure}
        if old is not None:
            changes["replaces"] = old.pk
        audit.record(actor, AuditEntry.Action.CORRECT if old else AuditEntry.Action.CREATE, object_type=OBJECT_TYPE,
                     object_id=entry.pk, object_label=f"{task.number} {task.title}"[:128], region_code=task.region_id,
                     changes=changes, summary=_("更正重点任务周进展") if old else _("填报重点任务周进展"))
    return entry


# ---------------------------------------------------------------------------------------------
# Department liaisons


def _check_admin(actor, department: Department) -> None:
    if not roles.can_admin_users(actor):
        raise OutOfScope(_("您的角色无权管理账号"))
    if not in_scope(actor, department.region_id):
        raise OutOfScope(_("该责任单位不在您的管辖范围内"))


def link_member(actor, user, department: Department) -> DepartmentMember:
    """Link ``user`` (role department_user, of the department's region or below) to ``department``."""
    _check_admin(actor, department)
    if user.role != Role.DEPARTMENT_USER:
        raise ValidationError({"user": _("账号 %(u)s 的角色不是责任单位联络员") % {"u": user.get_username()}})
    if not in_scope(actor, user.region_id):
        raise OutOfScope(_("账号 %(u)s 不在您的管辖范围内") % {"u": user.get_username()})
    with transaction.atomic():
        link = DepartmentMember.objects.select_for_update().filter(user=user).first()
        before = link.department.code if link else ""
        if link is None:
            link = DepartmentMember.objects.create(user=user, department=department)
        else:
            link.department = department
            link.save(update_fields=["department"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="targets.departmentmember", object_id=link.pk,
                     object_label=user.get_username(), region_code=department.region_id,
                     changes={"department": [before, department.code]}, summary=_("关联责任单位联络员"))
    return link


def unlink_member(actor, user) -> None:
    link = DepartmentMember.objects.filter(user=user).select_related("department").first()
    if link is None:
        return
    _check_admin(actor, link.department)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.DELETE, object_type="targets.departmentmember", object_id=link.pk,
                     object_label=user.get_username(), region_code=link.department.region_id,
                     changes={"department": [link.department.code, ""]}, summary=_("解除责任单位联络员关联"))
        link.delete()
