"""The bureau holiday calendar (节假日安排): years the calendar package does not cover yet.

``chinese-calendar`` covers the years in ``assistance.calendar.PACKAGE_YEARS``. When the State
Council publishes the next year's notice (国务院办公厅关于某年部分节假日安排的通知) before the package has
it, district or city officers enter the year here: its statutory holidays (date ranges with the
festival's name) and its make-up working days (调休上班, always a Saturday or Sunday), with the document.
A year entered here is read from ``CalendarDay`` by ``assistance.calendar`` (every other Monday–Friday a
working day). Entering a year again replaces its days (a corrected notice).

Entering a year re-computes the due dates of the open cases' unmet deadlines that touch that year
(those were counted Monday–Friday and marked ``uncovered``): set-based per distinct (start, working
days) pair, one ``bulk_update`` of the deadlines and one of the cases' ``next_due_on`` /
``district_due_on`` (the rule of ``services.cases.refresh_due``; tests/test_assistance_calendar.py holds
them together), one timeline note per case moved. Scope -> validate (every mistake at once, Chinese
messages naming the date and the reason) -> one transaction -> audit (``calendar_year``).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry, Role
from jiuye.assistance import parameters as _assistance_parameters  # noqa: F401  (declares the keys read here)
from jiuye.assistance.calendar import PACKAGE_YEARS, add_working_days
from jiuye.assistance.models import (
    CalendarDay,
    CalendarYear,
    Case,
    CaseDeadline,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
)
from jiuye.parameters import params
from jiuye.registry import events

#: Roles that enter a year's holidays (the bureau: district and city officers); every staff role reads.
CALENDAR_EDITORS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
ACTIVE = (CaseStatus.OPEN, CaseStatus.FOLLOW_UP)
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_RANGE_DAYS = 31  # a holiday longer than a month is a typing mistake (the longest, 春节, is 8–9 days)
WEEKDAYS = "一二三四五六日"


def can_edit_calendar(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or user.role in CALENDAR_EDITORS))


def ensure_can_edit(user) -> None:
    if not can_edit_calendar(user):
        raise PermissionDenied(_("您的角色无权录入节假日安排（区县、市人社局工作人员录入）"))


@dataclass(frozen=True)
class Holiday:
    """A statutory holiday: ``start`` to ``end`` (inclusive, one day when equal) and the festival."""

    start: datetime.date
    end: datetime.date
    name: str


@dataclass(frozen=True)
class Workday:
    """A make-up working day (调休上班) on a weekend, and the festival it belongs to."""

    date: datetime.date
    name: str = ""


@dataclass
class EnterResult:
    calendar_year: CalendarYear
    created: bool
    holiday_days: int
    workdays: int
    deadlines_moved: int
    cases_moved: int
    deadlines_checked: int
    moves: list[tuple[int, str, datetime.date, datetime.date]] = field(default_factory=list)  # case, kind, old, new


def _d(d: datetime.date) -> str:
    return d.isoformat()


def _label(name: str) -> str:
    return f"（{name}）" if name else ""


def validation_errors(year, document: str, holidays: list[Holiday], workdays: list[Workday]) -> dict[str, list[str]]:
    """Every mistake of an entered year at once: {field: [messages]} (empty when it may be saved).
    The web form shows them next to its fields; the service raises them; the API answers 422."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        add("year", _("年份“%(y)s”无效：应为%(a)d至%(b)d之间的年份") % {"y": year, "a": MIN_YEAR, "b": MAX_YEAR})
        year = None
    elif year in PACKAGE_YEARS:
        add("year", _("%(y)d年的节假日安排已由日历组件 chinese-calendar 提供（%(a)d—%(b)d年），无需录入")
            % {"y": year, "a": PACKAGE_YEARS.start, "b": PACKAGE_YEARS.stop - 1})
    if not (document or "").strip():
        add("document", _("请填写依据文件，例如：国务院办公厅关于%(y)s年部分节假日安排的通知") % {"y": year or ""})
    elif len(document.strip()) > 255:
        add("document", _("依据文件不能超过255个字符"))
    if not holidays:
        add("holidays", _("请至少填写一个放假日期段"))
    seen: dict[datetime.date, str] = {}

    def once(d: datetime.date, what: str, key: str) -> None:
        if d in seen:
            add(key, _("日期 %(d)s 重复出现：%(a)s 与 %(b)s") % {"d": _d(d), "a": seen[d], "b": what})
        else:
            seen[d] = what

    for h in holidays:
        name = (h.name or "").strip()
        what = _("放假%(n)s") % {"n": _label(name)}
        if not name:
            add("holidays", _("放假日期 %(a)s 至 %(b)s：请填写节日名称") % {"a": _d(h.start), "b": _d(h.end)})
        elif len(name) > 32:
            add("holidays", _("节日名称“%(n)s”不能超过32个字符") % {"n": name[:40]})
        if h.end < h.start:
            add("holidays", _("放假日期 %(a)s 至 %(b)s%(n)s：结束日期早于开始日期") % {"a": _d(h.start), "b": _d(h.end), "n": _label(name)})
            continue
        if (h.end - h.start).days + 1 > MAX_RANGE_DAYS:
            add("holidays", _("放假日期 %(a)s 至 %(b)s%(n)s：超过%(m)d天，请检查日期")
                % {"a": _d(h.start), "b": _d(h.end), "n": _label(name), "m": MAX_RANGE_DAYS})
            continue
        d = h.start
        while d <= h.end:
            if year is not None and d.year != year:
                add("holidays", _("放假日期 %(d)s%(n)s 不在%(y)d年内：每年只录入本年的日期") % {"d": _d(d), "n": _label(name), "y": year})
            else:
                once(d, what, "holidays")
            d += datetime.timedelta(days=1)
    for w in workdays:
        name = (w.name or "").strip()
        if len(name) > 32:
            add("workdays", _("节日名称“%(n)s”不能超过32个字符") % {"n": name[:40]})
        if year is not None and w.date.year != year:
            add("workdays", _("调休上班日 %(d)s%(n)s 不在%(y)d年内") % {"d": _d(w.date), "n": _label(name), "y": year})
            continue
        if w.date.weekday() < 5:
            add("workdays", _("调休上班日 %(d)s%(n)s 是星期%(w)s：调休上班日应为星期六或星期日")
                % {"d": _d(w.date), "n": _label(name), "w": WEEKDAYS[w.date.weekday()]})
        once(w.date, _("调休上班%(n)s") % {"n": _label(name)}, "workdays")
    return errors


def _days(holidays: list[Holiday], workdays: list[Workday]) -> list[tuple[datetime.date, bool, str]]:
    out = []
    for h in holidays:
        d = h.start
        while d <= h.end:
            out.append((d, False, h.name.strip()))
            d += datetime.timedelta(days=1)
    out += [(w.date, True, (w.name or "").strip()) for w in workdays]
    return sorted(out)


@transaction.atomic
def enter_year(*, actor, year: int, document: str, holidays: list[Holiday], workdays: list[Workday],
               check_role: bool = True) -> EnterResult:
    """Enter (or replace) a year's statutory holidays and make-up working days, then re-compute the
    open cases' deadlines that touch the year. ``check_role=False`` for the operator's command
    (``jiuye load_work_calendar``, actor "system")."""
    if check_role:
        ensure_can_edit(actor)
    errors = validation_errors(year, document, holidays, workdays)
    if errors:
        raise ValidationError(errors)
    document = document.strip()
    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    if existing is not None:
        before = {"document": existing.document,
                  "days": [[_d(d.date), d.is_workday, d.name] for d in existing.days.order_by("date")]}
        existing.days.all().delete()
        existing.document = document
        existing.entered_by = actor if getattr(actor, "is_authenticated", False) else None
        existing.entered_at = timezone.now()
        existing.save()
        cal = existing
    else:
        cal = CalendarYear.objects.create(year=year, document=document,
                                          entered_by=actor if getattr(actor, "is_authenticated", False) else None)
    days = _days(holidays, workdays)
    CalendarDay.objects.bulk_create([CalendarDay(year=cal, date=d, is_workday=w, name=n[:32]) for d, w, n in days])
    result = recompute_deadlines(year, actor=actor, document=document)
    holiday_days = sum(1 for _d_, w, _n in days if not w)
    result.calendar_year, result.created = cal, existing is None
    result.holiday_days, result.workdays = holiday_days, len(days) - holiday_days
    changes = {
        "year": year, "document": document,
        "holidays": [[_d(h.start), _d(h.end), h.name.strip()] for h in holidays],
        "workdays": [[_d(w.date), (w.name or "").strip()] for w in workdays],
        "deadlines_moved": result.deadlines_moved, "cases_moved": result.cases_moved,
    }
    if before is not None:
        changes["before"] = before
    audit.record(actor, AuditEntry.Action.CREATE if existing is None else AuditEntry.Action.UPDATE,
                 object_type="calendar_year", object_id=cal.pk, object_label=_("%(y)d年节假日安排") % {"y": year},
                 region_code="", changes=changes,
                 summary=_("录入%(y)d年节假日安排（%(doc)s）：放假%(h)d天、调休上班%(w)d天，重新计算援助个案期限%(m)d项")
                 % {"y": year, "doc": document, "h": holiday_days, "w": result.workdays, "m": result.deadlines_moved})
    return result


def _district_due(region_id: str, due_on: datetime.date, cache: dict) -> datetime.date:
    key = (region_id, due_on)
    if key not in cache:
        after = params(region_id, due_on)["assistance.escalation.district_after_working_days"]
        cache[key] = add_working_days(due_on, after).due_on
    return cache[key]


def recompute_deadlines(year: int, *, actor=None, document: str = "") -> EnterResult:
    """Re-compute the unmet deadlines of active cases whose span touches ``year`` (start on or before
    its last day, due on or after its first), with the calendar as it stands now; then the cases'
    ``next_due_on``/``district_due_on`` (rule of ``cases.refresh_due``). Returns the counts."""
    lo, hi = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = CaseDeadline.objects.filter(met_on__isnull=True, case__status__in=ACTIVE, start_on__lte=hi, due_on__gte=lo)
    return _recompute(rows, actor=actor, note=_("录入%(y)d年节假日安排，期限重新计算：%%(m)s") % {"y": year})


def recompute_uncovered(*, actor=None) -> EnterResult:
    """The daily check: unmet deadlines still marked uncovered whose years have become known since
    (a newer calendar package, a year entered by other means) are re-computed."""
    rows = CaseDeadline.objects.filter(met_on__isnull=True, case__status__in=ACTIVE, uncovered=True)
    return _recompute(rows, actor=actor, note=_("节假日安排已更新，期限重新计算：%(m)s"))


def _recompute(rows_qs, *, actor, note: str) -> EnterResult:
    rows = list(rows_qs.only("pk", "case_id", "kind", "start_on", "working_days", "due_on", "uncovered"))
    dues: dict[tuple[datetime.date, int], object] = {}
    changed, moves = [], []
    for row in rows:
        key = (row.start_on, row.working_days)
        if key not in dues:
            dues[key] = add_working_days(*key)
        due = dues[key]
        if row.due_on != due.due_on or row.uncovered != due.uncovered:
            if row.due_on != due.due_on:
                moves.append((row.case_id, row.kind, row.due_on, due.due_on))
            row.due_on, row.uncovered = due.due_on, due.uncovered
            changed.append(row)
    CaseDeadline.objects.bulk_update(changed, ["due_on", "uncovered"], batch_size=1000)
    refresh_cases_due(sorted({r.case_id for r in changed}))
    moved_cases = sorted({m[0] for m in moves})
    if moved_cases:
        labels = dict(CaseDeadline._meta.get_field("kind").flatchoices)
        by_case: dict[int, list[str]] = {}
        for case_id, kind, old, new in moves:
            by_case.setdefault(case_id, []).append(f"{labels.get(kind, kind)} {_d(old)}→{_d(new)}")
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        today = timezone.localdate()
        CaseEvent.objects.bulk_create([
            CaseEvent(case_id=case_id, kind=CaseEventKind.NOTE, on=today, actor=actor_obj,
                      text=(note % {"m": "；".join(items)})[:255])
            for case_id, items in by_case.items()
        ], batch_size=1000)
    return EnterResult(calendar_year=None, created=False, holiday_days=0, workdays=0,  # type: ignore[arg-type]
                       deadlines_moved=len(moves), cases_moved=len(moved_cases), deadlines_checked=len(rows),
                       moves=moves)


@receiver(events.daily_refresh, dispatch_uid="assistance_calendar_uncovered")
def daily_uncovered_check(sender, today=None, **kwargs) -> str | None:
    """``jiuye refresh_projections``: re-check the deadlines still counted Monday–Friday."""
    with transaction.atomic():
        result = recompute_uncovered()
    left = uncovered_open_deadlines()
    if not result.deadlines_checked:
        return None
    return (_("节假日安排：重新检查未载入年份的期限%(n)d项，到期日调整%(m)d项，仍待录入%(l)d项")
            % {"n": result.deadlines_checked, "m": result.deadlines_moved, "l": left})


def refresh_cases_due(case_ids: list[int]) -> int:
    """``cases.refresh_due`` for many cases at once: ``next_due_on`` is the earliest unmet deadline,
    ``district_due_on`` that date plus the escalation's working days (parameters of the case's
    community on that date); none for a closed case or one without unmet deadlines."""
    cache: dict = {}
    updated = 0
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        earliest = dict(CaseDeadline.objects.filter(case_id__in=chunk, met_on__isnull=True).order_by()
                        .values("case_id").annotate(m=Min("due_on")).values_list("case_id", "m"))
        cases = list(Case.objects.filter(pk__in=chunk).only("pk", "region_id", "status", "next_due_on", "district_due_on"))
        for case in cases:
            first = earliest.get(case.pk)
            if case.status == CaseStatus.CLOSED or first is None:
                case.next_due_on = case.district_due_on = None
            else:
                case.next_due_on = first
                case.district_due_on = _district_due(case.region_id, first, cache)
        Case.objects.bulk_update(cases, ["next_due_on", "district_due_on"], batch_size=500)
        updated += len(cases)
    return updated


# ---------------------------------------------------------------------------------------------
# Reads (every staff role)


@dataclass(frozen=True)
class YearRow:
    year: int
    source: str  # "package" | "bureau"
    document: str = ""
    entered_by: str = ""
    entered_at: datetime.datetime | None = None
    holiday_days: int = 0
    workdays: int = 0
    calendar_year_id: int | None = None

    @property
    def source_label(self) -> str:
        return _("日历组件 chinese-calendar") if self.source == "package" else _("本局录入")


def calendar_years(user=None) -> list[YearRow]:
    """Every year whose calendar is known, newest first: the package's years and the bureau's."""
    bureau = {}
    for cal in (CalendarYear.objects.select_related("entered_by")
                .annotate(h=Count("days", filter=Q(days__is_workday=False)), w=Count("days", filter=Q(days__is_workday=True)))):
        bureau[cal.year] = YearRow(cal.year, "bureau", cal.document, str(cal.entered_by or _("系统")), cal.entered_at,
                                   cal.h, cal.w, cal.pk)
    rows = dict(bureau)
    for y in PACKAGE_YEARS:
        rows.setdefault(y, YearRow(y, "package"))
    return [rows[y] for y in sorted(rows, reverse=True)]


def year_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(year__year=year).order_by("date"))


def holidays_of(year: int) -> tuple[list[Holiday], list[Workday]]:
    """A bureau year's days back as ranges (consecutive holiday days with one name) and make-up days."""
    holidays: list[Holiday] = []
    workdays: list[Workday] = []
    for day in year_days(year):
        if day.is_workday:
            workdays.append(Workday(day.date, day.name))
        elif holidays and holidays[-1].name == day.name and holidays[-1].end + datetime.timedelta(days=1) == day.date:
            holidays[-1] = Holiday(holidays[-1].start, day.date, day.name)
        else:
            holidays.append(Holiday(day.date, day.date, day.name))
    return holidays, workdays


def next_uncovered_year() -> int:
    """The first year after the package's last that the bureau has not entered yet."""
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    y = PACKAGE_YEARS.stop
    while y in entered:
        y += 1
    return y


def uncovered_open_deadlines() -> int:
    """Unmet deadlines of active cases still counted Monday–Friday (a year not known yet)."""
    return CaseDeadline.objects.filter(met_on__isnull=True, case__status__in=ACTIVE, uncovered=True).count()


# ---------------------------------------------------------------------------------------------
# Text and files: the web form's lines, and `jiuye load_work_calendar FILE` (YAML or CSV)

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?")
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|～|—|－|–)\s*")


def parse_date(text: str) -> datetime.date:
    """A date as people type it: 2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日 (ValueError otherwise)."""
    m = _DATE.fullmatch((text or "").strip())
    if not m:
        raise ValueError(text)
    return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_holiday_line(line: str) -> Holiday:
    """"2027-02-06 至 2027-02-13 春节", "2027-01-01 元旦" (one day) -> Holiday; ValueError with the reason."""
    rest = line.strip()
    m = _DATE.match(rest)
    if not m:
        raise ValueError(_("无法识别开始日期"))
    try:
        start = parse_date(m.group(0))
    except ValueError:
        raise ValueError(_("日期“%(d)s”不存在") % {"d": m.group(0)}) from None
    rest = rest[m.end():]
    sep = _RANGE_SEP.match(rest)
    end = start
    m2 = _DATE.match(rest[sep.end():] if sep else rest.lstrip())
    if m2:
        try:
            end = parse_date(m2.group(0))
        except ValueError:
            raise ValueError(_("日期“%(d)s”不存在") % {"d": m2.group(0)}) from None
        rest = (rest[sep.end():] if sep else rest.lstrip())[m2.end():]
    elif sep:
        raise ValueError(_("无法识别结束日期"))
    return Holiday(start, end, rest.strip(" \t,，、:："))


def parse_workday_line(line: str) -> Workday:
    """"2027-02-07 春节" -> Workday; ValueError with the reason."""
    rest = line.strip()
    m = _DATE.match(rest)
    if not m:
        raise ValueError(_("无法识别日期"))
    try:
        d = parse_date(m.group(0))
    except ValueError:
        raise ValueError(_("日期“%(d)s”不存在") % {"d": m.group(0)}) from None
    return Workday(d, rest[m.end():].strip(" \t,，、:："))


def parse_lines(text: str, parse) -> tuple[list, list[str]]:
    """Each non-empty line through ``parse``; (values, ["第N行“…”：reason"])."""
    values, errors = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        try:
            values.append(parse(line))
        except ValueError as exc:
            errors.append(_("第%(n)d行“%(l)s”：%(r)s") % {"n": n, "l": line.strip()[:40], "r": exc})
    return values, errors


def format_holidays(holidays: list[Holiday]) -> str:
    return "\n".join(f"{_d(h.start)} 至 {_d(h.end)} {h.name}" if h.end != h.start else f"{_d(h.start)} {h.name}"
                     for h in holidays)


def format_workdays(workdays: list[Workday]) -> str:
    return "\n".join(f"{_d(w.date)} {w.name}".strip() for w in workdays)


HOLIDAY_WORDS = {"放假", "休", "休息", "假", "节假日", "holiday"}
WORKDAY_WORDS = {"上班", "班", "调休上班", "补班", "workday"}


@dataclass
class CalendarFile:
    year: int | None
    document: str
    holidays: list[Holiday]
    workdays: list[Workday]


def read_calendar_file(path, *, year: int | None = None, document: str = "") -> CalendarFile:
    """A year's calendar from a YAML file (``year``, ``document``, ``holidays: [{name, start, end}]``,
    ``workdays: [{date, name}]``) or a CSV file (columns 类型 放假/上班, 开始日期 or 日期, 结束日期, 节日;
    the year and document from the options, the year otherwise from the dates). ``year``/``document``
    given here override the file's. ValidationError({"file": [...]}) names every unreadable entry."""
    import csv
    from pathlib import Path

    path = Path(path)
    errors: list[str] = []
    holidays: list[Holiday] = []
    workdays: list[Workday] = []
    file_year, file_doc = None, ""
    try:
        raw = path.read_bytes()
    except OSError:
        raise ValidationError({"file": [_("无法读取文件：%(p)s") % {"p": path.name}]}) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": [_("文件编码无法识别（请保存为UTF-8或GBK）")]})

    def date_of(value, where: str):
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value or ""))
        except ValueError:
            errors.append(_("%(w)s：日期“%(v)s”无效") % {"w": where, "v": value})
            return None

    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(content) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ValidationError({"file": [_("YAML格式错误%(at)s") % {"at": f"（第{mark.line + 1}行）" if mark else ""}]}) from None
        if not isinstance(data, dict):
            raise ValidationError({"file": [_("YAML文件应包含 year、document、holidays、workdays")]})
        file_year, file_doc = data.get("year"), str(data.get("document") or "")
        for i, item in enumerate(data.get("holidays") or [], start=1):
            where = _("holidays 第%(i)d项") % {"i": i}
            if not isinstance(item, dict):
                errors.append(_("%(w)s：应包含 name、start、end") % {"w": where})
                continue
            start = date_of(item.get("start") or item.get("date"), where)
            end = date_of(item.get("end") or item.get("start") or item.get("date"), where)
            if start and end:
                holidays.append(Holiday(start, end, str(item.get("name") or "")))
        for i, item in enumerate(data.get("workdays") or [], start=1):
            where = _("workdays 第%(i)d项") % {"i": i}
            if not isinstance(item, dict):
                item = {"date": item}
            d = date_of(item.get("date"), where)
            if d:
                workdays.append(Workday(d, str(item.get("name") or "")))
    elif path.suffix.lower() == ".csv":
        reader = csv.DictReader(content.splitlines())
        header = {(h or "").strip(): h for h in reader.fieldnames or []}

        def col(row, *names):
            for n in names:
                if n in header:
                    return (row.get(header[n]) or "").strip()
            return ""

        if not any(n in header for n in ("类型", "type")) or not any(n in header for n in ("开始日期", "日期", "start", "date")):
            raise ValidationError({"file": [_("CSV文件应有表头：类型（放假/上班）、开始日期、结束日期、节日")]})
        for n, row in enumerate(reader, start=2):
            where = _("第%(n)d行") % {"n": n}
            kind = col(row, "类型", "type")
            start = date_of(col(row, "开始日期", "日期", "start", "date"), where)
            end_text = col(row, "结束日期", "end")
            name = col(row, "节日", "名称", "name")
            if kind in HOLIDAY_WORDS:
                end = date_of(end_text, where) if end_text else start
                if start and end:
                    holidays.append(Holiday(start, end, name))
            elif kind in WORKDAY_WORDS:
                if start:
                    workdays.append(Workday(start, name))
            else:
                errors.append(_("%(w)s：类型“%(k)s”应为“放假”或“上班”") % {"w": where, "k": kind})
    else:
        raise ValidationError({"file": [_("只支持 YAML（.yaml/.yml）或 CSV（.csv）文件")]})
    if errors:
        raise ValidationError({"file": errors})
    if year is None:
        if file_year not in (None, ""):
            try:
                year = int(file_year)
            except (TypeError, ValueError):
                raise ValidationError({"year": [_("年份“%(y)s”无效") % {"y": file_year}]}) from None
        elif holidays:
            year = holidays[0].start.year
    return CalendarFile(year=year, document=document or file_doc, holidays=holidays, workdays=workdays)
