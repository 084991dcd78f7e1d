"""Audit wing: the audit log (read-only) as a person reads it, and its Excel export.

The entries store what changed as JSON with the models' field names and stored values (codes, ids);
``describe`` turns a page of entries into rows a person reads: the models' verbose names as field
labels, choice labels, employer, person and region names instead of ids and codes, the object by name
with a link to its page when the reader may see it. Identity numbers are masked, on the page and in
the export.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.db import models
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.assistance.models import (
    Attendance,
    CalendarDay,
    CalendarYear,
    CapacityMark,
    Case,
    CaseDeadline,
    CaseService,
    Placement,
    Recognition,
    RelocationCommunity,
    WelfarePost,
    ZeroEmploymentSpell,
)
from jiuye.accounts import audit, queries
from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.imports.models import ImportBatch
from jiuye.regions.models import Region
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.registry.industries import industry_label
from jiuye.registry.models import (
    AccountLink,
    Certificate,
    Employer,
    Household,
    HouseholdMembership,
    PendingRegistration,
    Person,
    Registration,
    Transfer,
)
from jiuye.web.forms import audit as forms
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, is_export, too_many
from jiuye.web.views.common import PAGE_SIZE, audit_reader_required, list_page

SYSTEM_ACTOR = "system"  # accounts.audit.record's actor_name when no account acted
CHANNELS = {"web": _l("网页"), "api": _l("接口"), "cli": _l("命令行"), "task": _l("后台任务")}

#: The models whose fields an entry about each object type names (first match wins).
MODELS: dict[str, tuple[type[models.Model], ...]] = {
    "person": (Person, Registration, HouseholdMembership),
    # Entries about a person's transfer, certificate or pending registration name that record's fields
    # first (their ``status`` differs): see ``_model_key``.
    "person.transfer": (Transfer, Person, HouseholdMembership),
    "person.certificate": (Certificate, Person),
    "person.pending": (PendingRegistration, Registration, Person),
    "household": (Household, HouseholdMembership),
    "employer": (Employer,),
    "user": (User, AccountLink),  # AccountLink: link_account's person / employer
    "api_token": (ApiToken,),
    "import_batch": (ImportBatch,),
    # 就业援助 (issue 8)
    "recognition": (Recognition,),
    "case": (Case, CaseService, CaseDeadline),
    "case_service": (CaseService, Case),
    "zero_spell": (ZeroEmploymentSpell,),
    "capacity_mark": (CapacityMark, Person),
    "welfare_post": (WelfarePost,),
    "welfare_placement": (Placement, Attendance),
    "relocation_community": (RelocationCommunity,),
    "calendar_year": (CalendarYear, CalendarDay),
}
OBJECT_TYPES = {
    "person": _l("人员"), "household": _l("家庭户"), "employer": _l("用人单位"), "user": _l("用户"),
    "import_batch": _l("导入批次"), "import_alert": _l("导入告警"), "api_token": _l("接口令牌"), "audit": _l("审计日志"),
    # 就业援助 (issue 8)
    "recognition": _l("就业困难人员认定"), "case": _l("援助个案"), "case_service": _l("帮扶服务记录"),
    "zero_spell": _l("零就业家庭记录"), "capacity_mark": _l("劳动能力/就业意愿标记"),
    "welfare_post": _l("公益性岗位"), "welfare_placement": _l("公益性岗位安置"), "welfare_payroll": _l("公益性岗位补贴发放表"),
    "relocation_community": _l("易地搬迁安置社区"), "relocation_ledger": _l("易地搬迁社区台账"),
    "calendar_year": _l("节假日安排"),
}
PAGES = {"person": ("web:person", registry_queries.persons_visible_to),
         "household": ("web:household", registry_queries.households_visible_to),
         "employer": ("web:employer", registry_queries.employers_visible_to)}

#: Keys the services write that are no model field (label, and what the value refers to).
EXTRA = {
    "registration": (_l("登记记录编号"), None),
    "pending_registration": (_l("待生效/网上登记编号"), None),
    "corrects": (_l("更正的登记记录"), None),
    "registered_in": (_l("登记地"), "region"),
    "member_added": (_l("加入成员"), "person"),
    "member_removed": (_l("移出成员"), "person"),
    "member": (_l("成员"), "person"),  # H4: change_member_relation
    "former_relation": (_l("原与户主关系"), None),
    "first_id": (_l("起始编号"), None),
    "last_id": (_l("截止编号"), None),
    "count": (_l("条数"), None),
    "rows": (_l("行数"), None),
    "row": (_l("行号"), None),
    "fields": (_l("涉及字段"), None),
    "filters": (_l("筛选条件"), None),
    "import_batch": (_l("导入批次"), None),
    "employer": (_l("就业单位"), "employer"),
    "former_employer": (_l("失业前单位"), "employer"),
    "current_employer": (_l("当前就业单位"), "employer"),
    "region": (_l("所属区划"), "region"),
    "password": (_l("密码"), None),
    "is_locked": (_l("登录已锁定"), None),
    # 就业创业证 and 迁入/迁出 (issue 7, H2)
    "certificate": (_l("就业创业证编号"), None),
    "transfer": (_l("迁移记录编号"), None),
    "transfer_reason": (_l("迁移原因"), None),
    "household_left": (_l("离开的家庭户编号"), None),
    "sort": (_l("排序"), None),
    "full_id_number": (_l("含完整公民身份号码"), None),
}
#: Filter keys of the exports (``changes["filters"]``).
FILTER_LABELS = {
    "text": _l("关键词"), "role": _l("角色"), "region": _l("区划"), "status": _l("状态"), "actor": _l("操作人账号"),
    "object_type": _l("对象类型"), "object_id": _l("对象编号"), "action": _l("操作"), "date_from": _l("起始日期"),
    "date_to": _l("截止日期"), "group": _l("人员类别"), "hukou_type": _l("户籍性质"), "zero_employment": _l("仅零就业家庭"),
    "kind": _l("导入类型"),
}
# policies: claims (issue 9: 补贴申领、公示)
from jiuye.policies.models import Claim as _Claim, Objection as _Objection, PublicityList as _PublicityList  # noqa: E402
from jiuye.policies.queries import claims as _claims_queries  # noqa: E402

MODELS.update({"claim": (_Claim, _Objection), "publicity_list": (_PublicityList,)})
OBJECT_TYPES.update({"claim": _l("补贴申领"), "publicity_list": _l("公示")})
PAGES["claim"] = ("web:claim", _claims_queries.claims_visible_to)
EXTRA.update({
    "action": (_l("办理事项"), None), "event": (_l("依据事件"), None), "paper_checked": (_l("已核验纸质原件"), None),
    "evidence": (_l("申领材料"), None), "objection": (_l("异议编号"), None),
    "decision_policy_version": (_l("审核时政策包版本"), None), "override_reason": (_l("超预算核准理由"), None),
    "claims": (_l("申领"), None), "approved": (_l("核准"), None), "refused": (_l("未通过"), None),
    "waiting": (_l("待处理异议"), None), "attachment": (_l("材料编号"), None),
})
FILTER_LABELS.update({"policy": _l("政策"), "channel": _l("申领渠道"), "queue": _l("待我审核"), "state": _l("状态")})
# end policies: claims
# jobs: seek (issue 10: 求职登记、求职意向、求职申请)
from jiuye.jobs.models import Application as _JobApplication, SeekerProfile as _SeekerProfile  # noqa: E402
from jiuye.jobs.models import SeekerRegistration as _SeekerRegistration  # noqa: E402
from jiuye.jobs.queries import applications as _job_applications_queries  # noqa: E402

MODELS.update({"job_application": (_JobApplication,)})
OBJECT_TYPES.update({"job_application": _l("求职申请")})
PAGES["job_application"] = ("web:application", _job_applications_queries.applications_visible_to)
EXTRA.update({
    "seeker_registration": (_l("求职登记编号"), None), "seeker_profile": (_l("求职意向编号"), None),
    "started_on": (_SeekerRegistration._meta.get_field("started_on").verbose_name, None),
    "ended_on": (_SeekerRegistration._meta.get_field("ended_on").verbose_name, None),
    "end_reason": (_SeekerRegistration._meta.get_field("end_reason").verbose_name, None),
    "vacancy": (_l("岗位编号"), None), "person": (_l("人员"), "person"), "origin": (_l("来源"), None),
    "scheduled": (_l("待入职日生效"), None), "score": (_l("匹配得分"), None),
    "occupations": (_SeekerProfile._meta.get_field("occupations").verbose_name, None),
})
# end jobs: seek
# jobs: vac (issue 10: 招聘岗位)
from jiuye.jobs.models import Vacancy as _Vacancy  # noqa: E402
from jiuye.jobs.queries import vacancies as _vacancy_queries  # noqa: E402

MODELS.update({"vacancy": (_Vacancy,)})
OBJECT_TYPES.update({"vacancy": _l("招聘岗位"), "talent_pool": _l("人力资源储备池"), "occupation": _l("职业分类大典"),
                     "demand_survey": _l("企业用工需求调查")})
PAGES["vacancy"] = ("web:vacancy", _vacancy_queries.vacancies_visible_to)
# end jobs: vac

_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """``text`` with every 18-character resident identity number masked (the export's last guard)."""
    return _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)


@dataclass
class Change:
    label: str
    old: str | None  # None: a value recorded as such (a new record's field), not a change
    new: str


@dataclass
class Row:
    entry: AuditEntry
    action: str
    object_name: str
    object_type: str
    object_ref: str  # "人员 #159", "人员 #12–#40（29条）"
    url: str
    region: str
    summary: str
    changes: list[Change] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return actor_label(self.entry)

    @property
    def channel(self) -> str:
        return channel_label(self.entry)


def actor_label(entry: AuditEntry) -> str:
    """The account that acted; "系统" for what no account did (the demo seed, the daily job)."""
    if entry.actor_id is None and entry.actor_name in ("", SYSTEM_ACTOR):
        return str(_l("系统"))
    return entry.actor_name


def channel_label(entry: AuditEntry) -> str:
    return str(CHANNELS.get(entry.channel, entry.channel))


def key_labels(entry: AuditEntry) -> list[str]:
    """The Chinese labels of the keys an entry's changes name (the person page's "涉及字段")."""
    if not isinstance(entry.changes, dict):
        return []
    model_key = _model_key(entry)
    return [_label(model_key, str(key)) for key in entry.changes]


#: A key in an entry's changes that says which record of a person the entry is about.
_SUBJECT_KEYS = (("transfer", "person.transfer"), ("certificate", "person.certificate"),
                 ("pending_registration", "person.pending"))


def _model_key(e: AuditEntry) -> str:
    """The key into MODELS for an entry: its object type, refined for a person's sub-records."""
    if e.object_type == "person" and isinstance(e.changes, dict):
        for key, model_key in _SUBJECT_KEYS:
            if key in e.changes:
                return model_key
    return e.object_type


def _field(object_type: str, key: str) -> models.Field | None:
    for model in MODELS.get(object_type, ()):
        try:
            f = model._meta.get_field(key)
        except Exception:
            continue
        if getattr(f, "concrete", False):
            return f
    return None


def _refers_to(object_type: str, key: str) -> str | None:
    if key in EXTRA and EXTRA[key][1]:
        return EXTRA[key][1]
    f = _field(object_type, key)
    if f is not None and f.is_relation and f.related_model is not None:
        return {Employer: "employer", Region: "region", Person: "person", User: "user"}.get(f.related_model)
    return None


def _label(object_type: str, key: str) -> str:
    f = _field(object_type, key)
    if f is not None:
        return str(f.verbose_name)
    if key in EXTRA:
        return str(EXTRA[key][0])
    if key in FILTER_LABELS:
        return str(FILTER_LABELS[key])
    return key


def _is_diff(entry: AuditEntry) -> bool:
    changes = entry.changes
    return (entry.action == AuditEntry.Action.UPDATE and isinstance(changes, dict) and bool(changes)
            and all(isinstance(v, list) and len(v) == 2 for v in changes.values()))


class _Names:
    """Names for the ids and codes of one page of entries, read in one query per kind."""

    def __init__(self, user, entries: list[AuditEntry]):
        wanted: dict[str, set] = {"employer": set(), "region": set(), "person": set(), "user": set()}
        for e in entries:
            if e.region_code:
                wanted["region"].add(e.region_code)
            for key, value in self._values(e):
                kind = _refers_to(_model_key(e), key)
                if kind and value not in (None, ""):
                    wanted[kind].add(value)
            if e.object_type in ("person", "household", "employer") and e.object_id.isdigit():
                wanted.setdefault("obj_" + e.object_type, set()).add(int(e.object_id))
        ints = lambda vs: {int(v) for v in vs if str(v).isdigit()}  # noqa: E731
        self.regions = dict(Region.objects.filter(code__in={str(v) for v in wanted["region"]})
                            .values_list("code", "name"))
        # Names of records the reader may see; others by number only.
        self.employers = dict(registry_queries.employers_visible_to(user).filter(pk__in=ints(wanted["employer"]))
                              .values_list("pk", "name"))
        self.persons = dict(registry_queries.persons_visible_to(user).filter(pk__in=ints(wanted["person"]))
                            .values_list("pk", "name"))
        self.users = dict(User.objects.filter(pk__in=ints(wanted["user"])).values_list("pk", "username"))
        self.visible: dict[str, set[int]] = {}
        for object_type, (_url, visible_to) in PAGES.items():
            ids = wanted.get("obj_" + object_type, set())
            self.visible[object_type] = set(visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()

    @staticmethod
    def _values(e: AuditEntry) -> Iterable[tuple[str, Any]]:
        if not isinstance(e.changes, dict):
            return
        for key, value in e.changes.items():
            if isinstance(value, list) and len(value) == 2 and _is_diff(e):
                yield key, value[0]
                yield key, value[1]
            else:
                yield key, value

    def region(self, code: str) -> str:
        return self.regions.get(code, code)

    def value(self, object_type: str, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if key == "id_number" and isinstance(value, str):
            return mask_id_number(value)
        if key == "password":
            return "***"
        if key == "fields" and isinstance(value, str):  # a field's name: its label
            return _label(object_type, value)
        if key == "industry_code" and isinstance(value, str):
            return industry_label(value)
        if isinstance(value, dict):
            return "；".join(f"{_label(object_type, k) if k not in FILTER_LABELS else FILTER_LABELS[k]}："
                            f"{self.value(object_type, k, v)}" for k, v in value.items() if v not in (None, ""))
        if isinstance(value, list):
            return "、".join(self.value(object_type, key, v) for v in value)
        kind = _refers_to(object_type, key)
        if kind == "region":
            return self.region(str(value))
        if kind in ("employer", "person", "user"):
            names = {"employer": self.employers, "person": self.persons, "user": self.users}[kind]
            number = int(value) if str(value).isdigit() else value
            return names.get(number) or f"#{value}"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        f = _field(object_type, {"former_relation": "relation"}.get(key, key))  # former_relation: a Relation
        if f is not None and f.choices:
            labels = {str(k): str(v) for k, v in f.flatchoices}
            if str(value) in labels:
                return labels[str(value)]
        if key == "object_type" and value in OBJECT_TYPES:
            return str(OBJECT_TYPES[value])
        if key == "action" and value in AuditEntry.Action.values:
            return str(AuditEntry.Action(value).label)
        if key == "role" and value in Role.values:
            return str(Role(value).label)
        return mask_text(str(value))


def _object_ref(e: AuditEntry) -> str:
    kind = str(OBJECT_TYPES.get(e.object_type, e.object_type))
    if not e.object_type:
        return ""
    if e.object_id.startswith(audit.RANGE_PREFIX) and isinstance(e.changes, dict) and "first_id" in e.changes:
        return _("%(k)s #%(a)s–#%(b)s（%(n)s条）") % {"k": kind, "a": e.changes["first_id"], "b": e.changes["last_id"],
                                                  "n": e.changes.get("count", "")}
    return f"{kind} #{e.object_id}" if e.object_id else kind


def describe(user, entries: list[AuditEntry]) -> list[Row]:
    """The entries as rows a person reads (see the module docstring)."""
    names = _Names(user, entries)
    rows = []
    for e in entries:
        url = ""
        if e.object_type in PAGES and e.object_id.isdigit() and int(e.object_id) in names.visible[e.object_type]:
            url = reverse(PAGES[e.object_type][0], args=[int(e.object_id)])
        changes = []
        model_key = _model_key(e)
        if isinstance(e.changes, dict):
            diff = _is_diff(e)
            for key, value in e.changes.items():
                if key in ("first_id", "last_id", "count") and e.object_id.startswith(audit.RANGE_PREFIX):
                    continue
                if diff:
                    changes.append(Change(_label(model_key, key), names.value(model_key, key, value[0]),
                                          names.value(model_key, key, value[1])))
                elif value not in (None, ""):
                    changes.append(Change(_label(model_key, key), None, names.value(model_key, key, value)))
        rows.append(Row(entry=e, action=str(e.get_action_display()), object_name=mask_text(e.object_label),
                        object_type=str(OBJECT_TYPES.get(e.object_type, e.object_type)), object_ref=_object_ref(e),
                        url=url, region=names.region(e.region_code) if e.region_code else "", summary=mask_text(e.summary),
                        changes=changes))
    return rows


def _changes_text(row: Row) -> str:
    return "\n".join(f"{c.label}：{c.new}" if c.old is None else f"{c.label}：{c.old} → {c.new}" for c in row.changes)


def _described(user, entries: list[AuditEntry]) -> Iterable[Row]:
    for start in range(0, len(entries), 2000):
        yield from describe(user, entries[start:start + 2000])


AUDIT_COLUMNS = [
    Column(_l("时间"), lambda r: r.entry.at),
    Column(_l("操作人账号"), lambda r: r.actor),
    Column(_l("操作人"), lambda r: r.entry.actor.display_name if r.entry.actor_id and r.entry.actor else ""),
    Column(_l("操作"), lambda r: r.action),
    Column(_l("对象类型"), lambda r: r.object_type),
    Column(_l("对象"), lambda r: r.object_name),
    Column(_l("对象编号"), lambda r: r.object_ref),
    Column(_l("说明"), lambda r: r.summary),
    Column(_l("区划代码"), lambda r: r.entry.region_code),
    Column(_l("区划"), lambda r: r.region),
    Column(_l("来源"), lambda r: r.channel),
    Column(_l("IP地址"), lambda r: r.entry.ip_address or ""),
    Column(_l("变更内容"), lambda r: mask_text(_changes_text(r))),
]


@audit_reader_required
def audit_log(request):
    form = forms.AuditFilterForm(request.GET, object_types=OBJECT_TYPES)
    if is_export(request, form):
        return _export(request, form.search(limit=EXPORT_MAX))
    context = list_page(request, form, search=queries.search_audit, count=queries.count_audit, sort=queries.audit_sort)
    context["rows"] = describe(request.user, list(context["page"]["rows"]))
    return render(request, "web/audit/log.html", context)


def _export(request, search: queries.AuditSearch):
    total = queries.count_audit(request.user, search)
    if total > EXPORT_MAX:
        return too_many(request, total)
    entries = queries.all_audit(request.user, search, limit=EXPORT_MAX)
    filters = {"actor": search.actor, "object_type": search.object_type, "object_id": search.object_id,
               "action": search.action,
               "date_from": search.date_from.isoformat() if isinstance(search.date_from, datetime.date) else "",
               "date_to": search.date_to.isoformat() if isinstance(search.date_to, datetime.date) else ""}
    # Identity numbers in the log are always masked (mask_text over every text column).
    return export_xlsx(request, rows=_described(request.user, entries), total=len(entries), columns=AUDIT_COLUMNS,
                       sheet=_("审计日志"), filename="audit", object_type="audit",
                       filters={k: v for k, v in filters.items() if v}, sort=queries.audit_sort(search),
                       summary=_("导出审计日志"), full_numbers=False)


__all__ = ["audit_log", "describe", "mask_text", "PAGE_SIZE"]


# policies: facts (补贴依据数据, issue 9 part "facts")
from jiuye.policies.models import (  # noqa: E402
    BenefitPeriod,
    EmployerInsuranceYear,
    GuaranteeLoan,
    Internship,
    LoanInterestPeriod,
    LoanRepayment,
    OnlineShop,
    PaymentAccount,
    TrainingEnrolment,
)

MODELS.update({
    "benefit_period": (BenefitPeriod,), "insurance_year": (EmployerInsuranceYear,), "guarantee_loan": (GuaranteeLoan,),
    "loan_repayment": (LoanRepayment,), "loan_interest": (LoanInterestPeriod,), "online_shop": (OnlineShop,),
    "internship": (Internship,), "training": (TrainingEnrolment,), "payment_account": (PaymentAccount,),
})
OBJECT_TYPES.update({
    "benefit_period": _l("失业保险金领取期"), "insurance_year": _l("单位参保年度数据"), "guarantee_loan": _l("创业担保贷款"),
    "loan_repayment": _l("贷款还款记录"), "loan_interest": _l("贷款计息期"), "online_shop": _l("网店开办"),
    "internship": _l("就业见习"), "training": _l("技能培训"), "payment_account": _l("收款账户"),
})
EXTRA.update({
    "closed_account": (_l("停用的原账户"), None),
    "replaced_by": (_l("新启用的账户编号"), None),
    "correction_reason": (_l("更正原因"), None),
})
# policies: screening (issue 9) — screening runs, the catalogue's export, pack loads
from jiuye.policies.models import ScreeningRun  # noqa: E402

MODELS.setdefault("screening_run", (ScreeningRun,))
for _type, _name in {"screening_run": _l("政策筛查"), "policy": _l("政策目录"), "policy_pack": _l("政策包")}.items():
    OBJECT_TYPES.setdefault(_type, _name)
# policies: payments (issue 9: budgets, payment batches, the ledger)
from jiuye.policies.models import Budget as _PolicyBudget, PaymentBatch as _PaymentBatch  # noqa: E402

MODELS.update({"policy_budget": (_PolicyBudget,), "payment_batch": (_PaymentBatch,)})
OBJECT_TYPES.update({"policy_budget": _l("补贴预算"), "payment_batch": _l("发放批次"), "ledger_entry": _l("补贴台账")})

# jobs: match (issue 10, item 5)
OBJECT_TYPES.update({"recommendation_run": _l("岗位推荐批次")})
# jobs: market (issue 10: 零工市场, 用工余缺调剂, 招聘活动)
OBJECT_TYPES.update({"gig_task": _l("零工任务"), "gig_take": _l("零工接单记录"), "sharing_offer": _l("用工余缺调剂信息"),
                     "sharing_placement": _l("用工调剂记录"), "recruitment_event": _l("招聘活动")})
EXTRA.update({"takes_cancelled": (_l("取消的接单"), None), "employer_added": (_l("参会单位"), "employer"),
              "vacancy_added": (_l("活动岗位"), None), "workers": (_l("调剂人数（实名）"), None),
              "booth": (_l("展位"), None), "reason": (_l("原因"), None)})
