"""Reads of the enterprise sample: the list (count, sort, filters, export), one enterprise, the coverage check.

Staff who read monitoring (``roles.can_read_monitoring``) see the enterprises of their region; an employer
user sees its own employer's spans only; anything else is "not found". Industries are compared as GB/T 4754
sections (门类): an employer's ``industry_code`` holds a division ("17") or a section letter ("C").

The coverage check (``coverage``) for a region and a month: the sample (enterprises in the sample that month)
must cover at least ``monitoring.sample.min_industries`` sections, and the local industry structure: the
share of each section in the employees of every employer of the region in the registry (weighted by
``Employer.employee_count``) is compared with its share in the sample (weighted the same way); a section with
at least ``monitoring.sample.large_industry_share`` of the local employees is a main industry, and is listed
as missing when the sample has none of it, as thin when its sample share is under ``thin_ratio`` times its
local share. Two GROUP BY queries.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope, region_q, scope_prefix
from jiuye.monitoring.models import MonitoredEnterprise
from jiuye.monitoring.periods import month_start
from jiuye.paging import page, sort_key, sorted_by
from jiuye.parameters import params
from jiuye.regions.codes import pad
from jiuye.regions.queries import region_filter_q, within_q
from jiuye.registry import queries as registry_queries
from jiuye.registry.industries import SECTION_NAMES, SECTIONS, section_of
from jiuye.registry.models import Employer

NOT_FOUND = "记录不存在或不在您的管辖范围内"
UNKNOWN_SECTION = "?"

ENTERPRISE_SORTS = {"name": ("employer__name",), "region": ("region_id", "employer__name"),
                    "joined_on": ("joined_on", "employer__name"), "left_on": ("left_on", "employer__name"),
                    "industry": ("employer__industry_code", "employer__name"),
                    "employees": ("employer__employee_count", "employer__name")}
DEFAULT_SORT = "name"


def section_letter(code: str | None) -> str:
    """The GB/T 4754 section (门类) of a stored industry code; "?" when unknown or blank."""
    code = (code or "").strip()
    if not code:
        return UNKNOWN_SECTION
    if code[0].isalpha():
        letter = code[0].upper()
        return letter if letter in SECTIONS else UNKNOWN_SECTION
    if len(code) >= 2 and code[:2].isdigit():
        return section_of(int(code[:2])) or UNKNOWN_SECTION
    return UNKNOWN_SECTION


def section_label(letter: str) -> str:
    return f"{letter} {SECTION_NAMES[letter][0]}" if letter in SECTION_NAMES else "未填行业"


def section_q(letter: str, field: str = "employer__industry_code") -> Q:
    """Rows whose industry code lies in the section ``letter`` (its divisions, or the letter itself)."""
    letter = (letter or "").strip().upper()
    if letter == UNKNOWN_SECTION:
        return Q(**{field: ""}) | Q(**{f"{field}__isnull": True})
    if letter not in SECTIONS:
        return Q(pk__in=[])
    low, high = SECTIONS[letter]
    return (Q(**{f"{field}__gte": f"{low:02d}", f"{field}__lt": f"{high + 1:02d}"})
            | Q(**{field: letter}))


def active_in_q(month: datetime.date, prefix: str = "") -> Q:
    """Enterprises in the sample in ``month`` (joined by then, not yet left)."""
    return Q(**{f"{prefix}joined_on__lte": month}) & (Q(**{f"{prefix}left_on__isnull": True})
                                                     | Q(**{f"{prefix}left_on__gt": month}))


def enterprises_visible_to(user) -> QuerySet[MonitoredEnterprise]:
    if roles.is_employer_user(user):
        employer_id = registry_queries.linked_employer_id(user)
        return MonitoredEnterprise.objects.filter(employer_id=employer_id) if employer_id else \
            MonitoredEnterprise.objects.none()
    if not roles.can_read_monitoring(user):
        return MonitoredEnterprise.objects.none()
    return MonitoredEnterprise.objects.filter(region_q(user))


@dataclass
class EnterpriseSearch:
    text: str = ""
    region_code: str = ""
    industry: str = ""  # a section letter
    size_class: str = ""
    ownership: str = ""
    status: str = "active"  # active (in the sample now), left, all
    month: datetime.date | None = None  # "active" as of this month (default: the current month)
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _enterprises(user, s: EnterpriseSearch) -> QuerySet[MonitoredEnterprise]:
    qs = enterprises_visible_to(user)
    month = month_start(s.month or timezone.localdate())
    if s.status == "active":
        qs = qs.filter(active_in_q(month))
    elif s.status == "left":
        qs = qs.filter(left_on__isnull=False, left_on__lte=month)
    if s.text:
        text = s.text.strip()
        qs = qs.filter(Q(employer__name__contains=text) | Q(employer__credit_code=text.upper())
                       | Q(contact_name__contains=text))
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.industry:
        qs = qs.filter(section_q(s.industry))
    if s.size_class:
        qs = qs.filter(employer__size_class=s.size_class)
    if s.ownership:
        qs = qs.filter(employer__ownership=s.ownership)
    return qs


def enterprise_sort(s: EnterpriseSearch) -> str:
    return sort_key(ENTERPRISE_SORTS, s.sort, DEFAULT_SORT)


def enterprises_of_search(user, s: EnterpriseSearch) -> QuerySet[MonitoredEnterprise]:
    qs = _enterprises(user, s).select_related("employer", "region", "region__parent")
    return sorted_by(qs, ENTERPRISE_SORTS, s.sort, DEFAULT_SORT)


def search_enterprises(user, s: EnterpriseSearch) -> tuple[list[MonitoredEnterprise], bool]:
    return page(enterprises_of_search(user, s), s.limit, s.offset)


def count_enterprises(user, s: EnterpriseSearch) -> int:
    return _enterprises(user, s).count()


def get_enterprise(user, pk: int) -> MonitoredEnterprise:
    """One span of the sample the user may see, or Http404 (the same for out of scope)."""
    enterprise = (enterprises_visible_to(user).select_related("employer", "region", "region__parent", "added_by")
                  .filter(pk=pk).first())
    if enterprise is None:
        raise Http404(NOT_FOUND)
    return enterprise


def spans_of_employer(user, enterprise: MonitoredEnterprise) -> list[MonitoredEnterprise]:
    """Every span of the same employer in the sample (the enrolment history), oldest first."""
    return list(enterprises_visible_to(user).filter(employer_id=enterprise.employer_id).order_by("joined_on", "pk"))


def own_enterprise(user) -> MonitoredEnterprise | None:
    """An employer user's current (or most recent) span in the sample."""
    if not roles.is_employer_user(user):
        return None
    return (enterprises_visible_to(user).select_related("employer", "region")
            .order_by("left_on", "-joined_on").first()) if registry_queries.linked_employer_id(user) else None


def employer_in_scope(user, employer_id: int) -> Employer:
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None or not in_scope(user, employer.region_id) or not roles.can_read_monitoring(user):
        raise Http404(NOT_FOUND)
    return employer


# ---------------------------------------------------------------------------------------------
# Coverage


@dataclass
class CoverageRow:
    section: str
    label: str
    local_employers: int = 0
    local_workers: int = 0
    local_share: Decimal = Decimal(0)
    sample_enterprises: int = 0
    sample_workers: int = 0
    sample_share: Decimal = Decimal(0)
    main: bool = False
    status: str = ""  # "missing", "thin", "ok" for a main industry; "" otherwise


@dataclass
class Coverage:
    region_code: str
    month: datetime.date
    min_industries: int
    sections_covered: int
    sample_size: int
    rows: list[CoverageRow] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def verdict(self) -> str:
        return "样本覆盖本地行业结构" if self.ok else "样本覆盖不足"


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else Decimal(0)


def coverage(user, region_code: str = "", month: datetime.date | None = None) -> Coverage:
    """The coverage check of the sample of ``region_code`` (default: the user's region) in ``month``."""
    prefix = scope_prefix(user)
    if prefix is None or not roles.can_read_monitoring(user):
        raise Http404(NOT_FOUND)
    code = pad(region_code) if region_code else (user.region_id or "000000000000")
    if region_code and not in_scope(user, code):
        raise Http404(NOT_FOUND)
    from jiuye.regions.codes import significant_prefix

    node = significant_prefix(code) if code.strip("0") else ""
    if not node.startswith(prefix):
        node = prefix
    month = month_start(month or timezone.localdate())
    p = params(code if code.strip("0") else None, month)
    local = (Employer.objects.filter(within_q(node)).values("industry_code")
             .annotate(n=Count("pk"), w=Sum(Coalesce("employee_count", Value(0)))).order_by())
    sample = (MonitoredEnterprise.objects.filter(within_q(node)).filter(active_in_q(month))
              .values("employer__industry_code")
              .annotate(n=Count("pk"), w=Sum(Coalesce("employer__employee_count", Value(0)))).order_by())
    rows: dict[str, CoverageRow] = {}
    for r in local:
        letter = section_letter(r["industry_code"])
        row = rows.setdefault(letter, CoverageRow(letter, section_label(letter)))
        row.local_employers += r["n"]
        row.local_workers += r["w"] or 0
    for r in sample:
        letter = section_letter(r["employer__industry_code"])
        row = rows.setdefault(letter, CoverageRow(letter, section_label(letter)))
        row.sample_enterprises += r["n"]
        row.sample_workers += r["w"] or 0
    local_total = sum(r.local_workers for r in rows.values())
    sample_total = sum(r.sample_workers for r in rows.values())
    large = Decimal(str(p["monitoring.sample.large_industry_share"]))
    thin = Decimal(str(p["monitoring.sample.thin_ratio"]))
    minimum = int(p["monitoring.sample.min_industries"])
    reasons: list[str] = []
    for row in rows.values():
        row.local_share = _share(row.local_workers, local_total)
        row.sample_share = _share(row.sample_workers, sample_total)
        if row.section != UNKNOWN_SECTION and local_total and row.local_share >= large:
            row.main = True
            if row.sample_enterprises == 0:
                row.status = "missing"
            elif row.sample_share < row.local_share * thin:
                row.status = "thin"
            else:
                row.status = "ok"
    covered = sum(1 for r in rows.values() if r.sample_enterprises and r.section != UNKNOWN_SECTION)
    size = sum(r.sample_enterprises for r in rows.values())
    ordered = sorted(rows.values(), key=lambda r: (-r.local_workers, -r.sample_workers, r.section))
    if covered < minimum:
        reasons.append(f"样本覆盖{covered}个行业门类，少于{minimum}个")
    for row in ordered:
        if row.status == "missing":
            reasons.append(f"本地主要行业“{row.label}”（职工占{row.local_share * 100:.1f}%）没有监测企业")
        elif row.status == "thin":
            reasons.append(f"本地主要行业“{row.label}”在样本中占{row.sample_share * 100:.1f}%，"
                           f"低于本地占比{row.local_share * 100:.1f}%的{thin * 100:.0f}%")
    return Coverage(region_code=code, month=month, min_industries=minimum, sections_covered=covered,
                    sample_size=size, rows=ordered, reasons=reasons)
