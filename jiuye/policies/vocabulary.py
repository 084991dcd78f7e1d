"""The words a policy pack may use: events (what a subsidy is about, and whose date judges it) and
conditions (predicates over the facts of an event on its date). Each condition has two faces:

- ``explain(ctx, arg)`` for one event (Python, over the records themselves), returning (held, fact text,
  source record);
- ``q(ev, arg)`` for everyone (SQL, a filter over the event's rows that compares with the row's own date).

The two are held together by the property test tests/test_policies_agreement.py. Dates are compared as
date keys (``y*10000 + m*100 + d``): "N years after d" is ``key(d) + N*10000`` in both faces, so a
29 February counts the same way on SQLite, PostgreSQL and in Python.

Sex, ethnicity and household registration are not words here, except ``migrant_worker`` (农民工, a group a
policy may favour; it never screens anyone out of another policy's benefit).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThan, LessThanOrEqual

from jiuye.registry.models import (
    HIGHER_EDUCATION, ContractType, Education, EmploymentForm, EmploymentStatus, HukouType, PovertyStatus, SchoolType, SizeClass,
)
from jiuye.registry.status import counting_registrations, status_case

# ---------------------------------------------------------------------------------------------
# Date keys


def date_key(d: datetime.date | None) -> int | None:
    return None if d is None else d.year * 10000 + d.month * 100 + d.day


class DateKey(Func):
    """``y*10000 + m*100 + d`` of a date column, computed natively on SQLite and PostgreSQL."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(to_char(%(expressions)s, 'YYYYMMDD') AS INTEGER)", **extra)

    def as_sql(self, compiler, connection, function=None, template=None, **extra):
        if template is None:  # other databases: the portable arithmetic
            template = ("(EXTRACT(YEAR FROM %(expressions)s) * 10000 + EXTRACT(MONTH FROM %(expressions)s) * 100"
                        " + EXTRACT(DAY FROM %(expressions)s))")
        return super().as_sql(compiler, connection, function=function, template=template, **extra)


def fmt(d: datetime.date | None) -> str:
    return "—" if d is None else f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class Event:
    """What a policy is about. ``model`` rows are the candidates; ``date`` the field whose value is the
    event's date; ``person``/``employer`` the paths to whom it is about and (for employer subsidies) who is
    paid; ``borrower`` events pay whoever borrowed (a person or an employer)."""

    name: str
    label: str
    model: str  # "app_label.Model"
    date: str
    person: str | None
    employer: str | None
    beneficiaries: tuple[str, ...]
    base: Callable[[], Q] = lambda: Q()
    label_of: Callable[[Any], str] = lambda obj: str(obj.pk)
    pays_from_next_month: bool = False  # a monthly benefit starts the month after the event's

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def queryset(self, *, few: bool = False):
        """The candidate rows. ``few``: the caller narrows them to one person or employer (explain), so a
        correlated probe beats computing a list over the whole table."""
        qs = self.model_class().objects.filter(self.base()).filter(**{f"{self.date}__isnull": False})
        if self.name == "employment":
            # the registrations that count (registry.status.counting_registrations): not void (kind is
            # "employment" already) and not superseded; for everyone written so that the (kind, effective_date)
            # index bounds the scan and the superseded ids are one uncorrelated list
            from jiuye.registry.models import Registration

            superseding = Registration.objects.filter(corrects__isnull=False)
            if few:
                qs = qs.filter(~Exists(superseding.filter(corrects_id=OuterRef("pk"))))
            else:
                qs = qs.exclude(pk__in=superseding.values("corrects_id"))
        return qs


def _registration_label(r) -> str:
    employer = getattr(r, "employer", None)
    where = f"，{employer.name}" if employer is not None else ""
    return f"就业登记（{r.get_employment_form_display() or '就业'}{where}，{fmt(r.effective_date)}）"


EVENTS: dict[str, Event] = {e.name: e for e in [
    Event("employment", "就业登记（招用、灵活就业、创业）", "registry.Registration", "effective_date", "person", "employer",
          ("person", "employer"), base=lambda: Q(kind="employment"), label_of=_registration_label),
    Event("benefit_end", "失业保险金期满（或参保但不符合领取条件）", "policies.BenefitPeriod", "ends_on", "person", None,
          ("person",), label_of=lambda b: f"失业保险金领取期（{fmt(b.starts_on)}起{b.months_entitled}个月，{fmt(b.ends_on)}止）",
          pays_from_next_month=True),
    Event("insurance_year", "单位上年度参保缴费（次年1月1日起）", "policies.EmployerInsuranceYear", "settles_on", None, "employer",
          ("employer",), label_of=lambda y: f"{y.year}年度参保缴费数据"),
    Event("loan_interest", "创业担保贷款计息期（期满）", "policies.LoanInterestPeriod", "ends_on", "loan__borrower_person",
          "loan__borrower_employer", ("borrower",),
          label_of=lambda p: f"创业担保贷款{p.loan.contract_number}计息期（{fmt(p.starts_on)}至{fmt(p.ends_on)}）"),
    Event("online_shop", "扶持创业者开办网店", "policies.OnlineShop", "opened_on", "person", "platform", ("employer",),
          label_of=lambda s: f"网店“{s.shop_name}”（{fmt(s.opened_on)}开办）"),
    Event("internship_retention", "见习期内留用（签订劳动合同）", "policies.Internship", "hired_on", "person", "unit", ("employer",),
          label_of=lambda i: f"就业见习（{fmt(i.starts_on)}至{fmt(i.ends_on)}），{fmt(i.hired_on)}签订劳动合同"),
    Event("post_placement", "公益性岗位上岗", "assistance.Placement", "started_on", "person", "post__employer", ("employer",),
          label_of=lambda p: f"公益性岗位“{p.post.title}”（{fmt(p.started_on)}上岗）"),
    Event("training", "参加技能培训（结业）", "policies.TrainingEnrolment", "ends_on", "person", None, ("person",),
          label_of=lambda t: f"技能培训“{t.course}”（{fmt(t.starts_on)}至{fmt(t.ends_on)}）"),
    Event("graduation", "高校（院校）毕业", "registry.Person", "graduation_date", "", None, ("person",),
          label_of=lambda p: f"{fmt(p.graduation_date)}毕业"),
]}


def nullable_path(ev: Event, path: str | None) -> bool:
    """Whether following ``path`` from the event's row can end in NULL (a nullable foreign key on the way)."""
    if not path:
        return False
    model = ev.model_class()
    for part in path.split("__"):
        f = model._meta.get_field(part)
        if f.null:
            return True
        model = f.related_model
    return False


def _p(ev: Event, name: str) -> str:
    return name if ev.person == "" else f"{ev.person}__{name}"


def _person_id_ref(ev: Event) -> str:
    return "pk" if ev.person == "" else f"{ev.person}_id"


# ---------------------------------------------------------------------------------------------
# Conditions


@dataclass
class Ctx:
    """One event as the Python faces see it."""

    event: Any
    person: Any  # registry.Person or None
    employer: Any  # registry.Employer or None (the paid or concerned employer)
    on: datetime.date
    cache: dict = field(default_factory=dict)

    def status(self):
        if "status" not in self.cache:
            from jiuye.registry.status import status_on

            self.cache["status"] = status_on(list(self.person.registrations.all()), self.on)
        return self.cache["status"]

    def recognition(self):
        if "recognition" not in self.cache:
            from jiuye.assistance.queries.recognitions import recognised_on

            self.cache["recognition"] = recognised_on(self.person.pk, self.on)
        return self.cache["recognition"]


@dataclass(frozen=True)
class Condition:
    name: str
    label: str  # what the pack's reader sees ("毕业年度高校毕业生")
    arg: str  # "bool", "int", "decimal", "list:<choices>", "choice:<choices>"
    needs: str  # "person", "employer", or an event name
    explain: Callable[[Ctx, Any], tuple[bool, str, str]]
    q: Callable[[Event, Any], Q]
    choices: tuple[str, ...] = ()

    def applies_to(self, ev: Event) -> bool:
        if self.needs == "person":
            return ev.person is not None
        if self.needs == "employer":
            return ev.employer is not None
        return self.needs == ev.name


CONDITIONS: dict[str, Condition] = {}


def condition(name, label, arg, needs, choices=()):
    def register(pair):
        explain, q = pair
        CONDITIONS[name] = Condition(name, label, arg, needs, explain, q, tuple(choices))
        return pair
    return register


def person_ref(ctx: Ctx) -> str:
    return f"人员档案#{ctx.person.pk}"


def _is_college(person) -> bool:
    """Same as ``registry.groups._is_college``: a university graduate or higher education."""
    return person.school_type == SchoolType.UNIVERSITY or person.education in HIGHER_EDUCATION


def _college_q(ev: Event) -> Q:
    return Q(**{_p(ev, "school_type"): SchoolType.UNIVERSITY}) | Q(**{f"{_p(ev, 'education')}__in": sorted(HIGHER_EDUCATION)})


# -- graduates --------------------------------------------------------------------------------

def _grad_year_explain(ctx, arg):
    p = ctx.person
    held = bool(_is_college(p) and p.graduation_date and p.graduation_date.year == ctx.on.year)
    if not p.graduation_date:
        return held is arg, "无毕业时间", person_ref(ctx)
    text = f"{p.get_education_display() or '学历未填'}，{fmt(p.graduation_date)}毕业；事件年度{ctx.on.year}年"
    return held is arg, text, person_ref(ctx)


def _grad_year_q(ev, arg):
    q = _college_q(ev) & Exact(DateKey(F(_p(ev, "graduation_date"))) / Value(10000), DateKey(F(ev.date)) / Value(10000))
    # without a graduation date the comparison is NULL: "not a graduating-year graduate" must still hold
    return q if arg else (Q(**{f"{_p(ev, 'graduation_date')}__isnull": True}) | ~q)


condition("graduating_year", "毕业年度高校毕业生（事件当年毕业）", "bool", "person")((_grad_year_explain, _grad_year_q))


def _grad_within_explain(ctx, years):
    p = ctx.person
    college = _is_college(p)
    if not p.graduation_date:
        return False, "无毕业时间", person_ref(ctx)
    g, e = date_key(p.graduation_date), date_key(ctx.on)
    held = bool(college and g <= e < g + years * 10000)
    return held, f"{p.get_education_display() or '学历未填'}，{fmt(p.graduation_date)}毕业，至{fmt(ctx.on)}", person_ref(ctx)


def _grad_within_q(ev, years):
    g, e = DateKey(F(_p(ev, "graduation_date"))), DateKey(F(ev.date))
    return (_college_q(ev) & LessThanOrEqual(g, e)
            & LessThan(e, g + Value(years * 10000)))


condition("graduated_within_years", "毕业（离校）不满N年的高校毕业生（含毕业当日）", "int", "person")((_grad_within_explain, _grad_within_q))


def _education_explain(ctx, values):
    v = ctx.person.education
    return v in values, f"文化程度：{ctx.person.get_education_display() or '未填'}", person_ref(ctx)


def _education_q(ev, values):
    return Q(**{f"{_p(ev, 'education')}__in": list(values)})


condition("education", "文化程度属于", "list:education", "person", [c for c, _l in Education.choices])((_education_explain, _education_q))


def _school_explain(ctx, values):
    v = ctx.person.school_type
    return v in values, f"毕业院校类型：{ctx.person.get_school_type_display() or '未填'}", person_ref(ctx)


def _school_q(ev, values):
    return Q(**{f"{_p(ev, 'school_type')}__in": list(values)})


condition("school_type", "毕业院校类型属于", "list:school_type", "person", [c for c, _l in SchoolType.choices])((_school_explain, _school_q))


# -- groups and flags -------------------------------------------------------------------------

def _flag(attr, true_text, false_text):
    def explain(ctx, arg):
        v = bool(getattr(ctx.person, attr))
        return v is arg, (true_text if v else false_text), person_ref(ctx)

    def q(ev, arg):
        return Q(**{_p(ev, attr): bool(arg)})
    return explain, q


condition("veteran", "退役军人", "bool", "person")(_flag("is_veteran", "退役军人", "非退役军人"))
condition("disabled", "残疾人", "bool", "person")(_flag("has_disability", "残疾人", "非残疾人"))
condition("dibao", "低保家庭成员", "bool", "person")(_flag("is_dibao", "低保家庭成员", "非低保家庭成员"))


def _migrant_explain(ctx, arg):
    v = ctx.person.hukou_type == HukouType.RURAL
    return v is arg, ("农村户籍劳动者（农民工）" if v else "非农村户籍"), person_ref(ctx)


def _migrant_q(ev, arg):
    q = Q(**{_p(ev, "hukou_type"): HukouType.RURAL})
    return q if arg else ~q


condition("migrant_worker", "农民工（农村户籍劳动者）", "bool", "person")((_migrant_explain, _migrant_q))


def _poverty_explain(ctx, values):
    v = ctx.person.poverty_status
    return v in values, f"脱贫/监测状态：{ctx.person.get_poverty_status_display() or '无'}", person_ref(ctx)


def _poverty_q(ev, values):
    return Q(**{f"{_p(ev, 'poverty_status')}__in": list(values)})


condition("poverty", "脱贫人口/防返贫监测对象等", "list:poverty", "person", [c for c, _l in PovertyStatus.choices if c])(
    (_poverty_explain, _poverty_q))


def _recognised_explain(ctx, arg):
    act = ctx.recognition()
    held = act is not None
    text = (f"{fmt(ctx.on)}为经认定的就业困难人员（认定{act.number if hasattr(act, 'number') else act.pk}，{fmt(act.valid_from)}起）"
            if held else f"{fmt(ctx.on)}未经认定为就业困难人员")
    return held is arg, text, (f"就业困难人员认定#{act.pk}" if held else person_ref(ctx))


def _recognised_q(ev, arg):
    from jiuye.assistance.models import Recognition
    from jiuye.assistance.queries.recognitions import in_force_q

    # the recognition fact's own rule, on each row's date
    acts = Recognition.objects.filter(in_force_q(OuterRef(ev.date)), person_id=OuterRef(_person_id_ref(ev)))
    q = Q(Exists(acts))
    return q if arg else ~q


condition("recognised_hard_to_employ", "经认定的就业困难人员（事件日在认定有效期内）", "bool", "person")((_recognised_explain, _recognised_q))


# -- age, retirement, status ------------------------------------------------------------------

def _age_explain_factory(under: bool):
    def explain(ctx, years):
        b, e = date_key(ctx.person.birth_date), date_key(ctx.on)
        age = (e - b) // 10000
        held = (e - b < years * 10000) if under else (e - b >= years * 10000)
        return held, f"{fmt(ctx.on)}时{age}周岁", person_ref(ctx)
    return explain


def _age_q_factory(under: bool):
    def q(ev, years):
        diff = DateKey(F(ev.date)) - DateKey(F(_p(ev, "birth_date")))
        return LessThan(diff, Value(years * 10000)) if under else GreaterThanOrEqual(diff, Value(years * 10000))
    return q


condition("age_under", "事件日未满N周岁", "int", "person")((_age_explain_factory(True), _age_q_factory(True)))
condition("age_at_least", "事件日年满N周岁", "int", "person")((_age_explain_factory(False), _age_q_factory(False)))


def _retire_explain(ctx, years):
    r, e = date_key(ctx.person.retirement_date), date_key(ctx.on)
    held = e < r < e + years * 10000
    return held, f"法定退休日期{fmt(ctx.person.retirement_date)}，事件日{fmt(ctx.on)}", person_ref(ctx)


def _retire_q(ev, years):
    r, e = DateKey(F(_p(ev, "retirement_date"))), DateKey(F(ev.date))
    return LessThan(e, r) & LessThan(r, e + Value(years * 10000))


condition("years_to_retirement_under", "事件日距法定退休年龄不足N年", "int", "person")((_retire_explain, _retire_q))


def _status_explain(ctx, values):
    from jiuye.registry.status import status_label

    st = ctx.status()
    src = f"就业失业登记#{st.registration_id}" if st.registration_id else person_ref(ctx)
    return st.status in values, f"{fmt(ctx.on)}的就业状态：{status_label(st.status, st.since)}", src


def _status_q(ev, values):
    last = (counting_registrations().filter(person_id=OuterRef(_person_id_ref(ev)), effective_date__lte=OuterRef(ev.date))
            .order_by("-effective_date", "-recorded_at", "-id").annotate(_st=status_case("kind", "ending_reason")).values("_st")[:1])
    from django.db.models.functions import Coalesce
    from django.db.models.lookups import In

    return Q(In(Coalesce(Subquery(last), Value(EmploymentStatus.NONE)), list(values)))


condition("status_on_event", "事件日的就业状态属于", "list:status", "person", [c for c, _l in EmploymentStatus.choices])(
    (_status_explain, _status_q))


# -- employer ---------------------------------------------------------------------------------

def _size_explain(ctx, values):
    e = ctx.employer
    if e is None:
        return False, "无单位", ""
    return e.size_class in values, f"{e.name}：企业规模{e.get_size_class_display() or '未填'}", f"用人单位#{e.pk}"


def _size_q(ev, values):
    return Q(**{f"{ev.employer}__size_class__in": list(values)})


condition("employer_size", "单位规模属于", "list:size", "employer", [c for c, _l in SizeClass.choices])((_size_explain, _size_q))


# -- employment registrations -----------------------------------------------------------------

def _form_explain(ctx, values):
    r = ctx.event
    return r.employment_form in values, f"就业形式：{r.get_employment_form_display() or '未填'}", f"就业失业登记#{r.pk}"


def _form_q(ev, values):
    return Q(employment_form__in=list(values))


condition("employment_form", "就业形式属于", "list:form", "employment", [c for c, _l in EmploymentForm.choices])((_form_explain, _form_q))


def _contract_explain(ctx, months):
    r = ctx.event
    if r.contract_type == ContractType.OPEN_ENDED:
        return True, "无固定期限劳动合同", f"就业失业登记#{r.pk}"
    m = r.contract_months  # the registry derives it from the contract dates (services.contract_terms)
    held = r.contract_type in (ContractType.FIXED, ContractType.TASK) and m is not None and m >= months
    text = f"合同：{r.get_contract_type_display() or '未填'}" + (f"，{m}个月" if m is not None else "")
    return held, text, f"就业失业登记#{r.pk}"


def _contract_q(ev, months):
    # contract_months is filled from the dates when the registry records a fixed-term contract with dates
    return Q(contract_type=ContractType.OPEN_ENDED) | Q(contract_type__in=[ContractType.FIXED, ContractType.TASK],
                                                        contract_months__gte=months)


condition("contract_months_at_least", "劳动合同期限不少于N个月（无固定期限合同亦可）", "int", "employment")(
    (_contract_explain, _contract_q))


def _si_explain(ctx, arg):
    r = ctx.event
    v = r.social_insurance is True
    return v is arg, ("已缴纳社会保险" if v else "未登记缴纳社会保险"), f"就业失业登记#{r.pk}"


def _si_q(ev, arg):
    return Q(social_insurance=True) if arg else ~Q(social_insurance=True)


condition("social_insurance", "缴纳社会保险", "bool", "employment")((_si_explain, _si_q))


def _has_employer_explain(ctx, arg):
    r = ctx.event
    return (r.employer_id is not None) is arg, (f"就业单位：{r.employer.name}" if r.employer_id else "无就业单位"), f"就业失业登记#{r.pk}"


condition("has_employer", "有就业单位", "bool", "employment")(
    (_has_employer_explain, lambda ev, arg: Q(employer__isnull=not arg)))


# -- benefit periods, insurance years, loans, internships, placements, training ---------------

def _benefit_months_explain(ctx, n):
    b = ctx.event
    return b.months_entitled >= n, f"应领失业保险金{b.months_entitled}个月", f"失业保险金领取期#{b.pk}"


condition("benefit_months_at_least", "应领失业保险金不少于N个月", "int", "benefit_end")(
    (_benefit_months_explain, lambda ev, n: Q(months_entitled__gte=n)))


def _rate_ratio(rate) -> tuple[int, int]:
    """The rate as a fraction of integers, so that both faces compare exactly (SQLite has no exact decimals)."""
    return Decimal(str(rate)).as_integer_ratio()


def _layoff_explain(ctx, rate):
    y = ctx.event
    n, d = _rate_ratio(rate)
    ok = y.insured_staff_year_end > 0 and y.layoffs * d <= y.insured_staff_year_end * n
    return ok, f"{y.year}年末参保{y.insured_staff_year_end}人，年内裁员{y.layoffs}人", f"单位参保年度数据#{y.pk}"


def _layoff_q(ev, rate):
    from django.db.models import ExpressionWrapper

    n, d = _rate_ratio(rate)
    layoffs = ExpressionWrapper(F("layoffs") * Value(d), output_field=IntegerField())
    bound = ExpressionWrapper(F("insured_staff_year_end") * Value(n), output_field=IntegerField())
    return Q(insured_staff_year_end__gt=0) & LessThanOrEqual(layoffs, bound)


condition("layoff_rate_at_most", "年内裁员人数不超过年末参保职工的比例", "decimal", "insurance_year")((_layoff_explain, _layoff_q))


def _repaid_explain(ctx, arg):
    p = ctx.event
    late = [r for r in p.loan.repayments.all() if r.due_on <= ctx.on and (r.paid_on is None or r.paid_on > r.due_on)]
    held = not late
    text = "截至计息期满按期还款" if held else f"有{len(late)}期未按期还款（首期应还{fmt(late[0].due_on)}）"
    return held is arg, text, f"创业担保贷款#{p.loan_id}"


def _repaid_q(ev, arg):
    from jiuye.policies.models import LoanRepayment

    late = LoanRepayment.objects.filter(loan_id=OuterRef("loan_id"), due_on__lte=OuterRef("ends_on")).filter(
        Q(paid_on__isnull=True) | Q(paid_on__gt=F("due_on")))
    q = ~Exists(late)
    return q if arg else ~q


condition("loan_repaid_on_time", "按期还款（计息期满前的各期均按期归还）", "bool", "loan_interest")((_repaid_explain, _repaid_q))


def _jobs_explain(ctx, n):
    loan = ctx.event.loan
    return loan.jobs_created >= n, f"带动就业{loan.jobs_created}人", f"创业担保贷款#{loan.pk}"


condition("jobs_created_at_least", "带动就业不少于N人", "int", "loan_interest")(
    (_jobs_explain, lambda ev, n: Q(loan__jobs_created__gte=n)))


def _retained_explain(ctx, arg):
    i = ctx.event
    held = i.hired_on is not None and i.hired_on <= i.ends_on
    return held is arg, f"见习期满{fmt(i.ends_on)}，签订劳动合同{fmt(i.hired_on)}", f"就业见习#{i.pk}"


def _retained_q(ev, arg):
    q = Q(hired_on__isnull=False, hired_on__lte=F("ends_on"))
    return q if arg else ~q


condition("retained_before_end", "见习期未满即签订劳动合同", "bool", "internship_retention")((_retained_explain, _retained_q))


def _post_explain(ctx, values):
    pl = ctx.event
    return pl.category in values, f"岗位类别：{pl.get_category_display()}", f"公益性岗位安置#{pl.pk}"


def _post_choices():
    from jiuye.assistance.models import PostCategory

    return [c for c, _l in PostCategory.choices]


condition("post_category", "公益性岗位类别属于", "list:post", "post_placement", _post_choices())(
    (_post_explain, lambda ev, values: Q(category__in=list(values))))


def _completed_explain(ctx, arg):
    t = ctx.event
    return bool(t.completed) is arg, ("已结业" if t.completed else "未结业"), f"技能培训#{t.pk}"


condition("training_completed", "培训已结业", "bool", "training")(
    (_completed_explain, lambda ev, arg: Q(completed=bool(arg))))


# ---------------------------------------------------------------------------------------------
# Facts an amount may multiply by (``{fact: NAME}`` in a benefit expression)

FACTS: dict[str, tuple[str, str, Callable[[Any], Decimal], Callable[[], Any]]] = {
    # name: (label, event, python getter, SQL expression over the event's rows)
    "premiums_total": ("上年度单位及职工缴纳失业保险费合计", "insurance_year",
                       lambda y: Decimal(y.premiums_employer) + Decimal(y.premiums_staff),
                       lambda: F("premiums_employer") + F("premiums_staff")),
    "insured_staff_year_end": ("年末参保职工人数", "insurance_year", lambda y: Decimal(y.insured_staff_year_end),
                               lambda: F("insured_staff_year_end")),
    "loan_interest": ("计息期应付利息", "loan_interest", lambda p: Decimal(p.interest), lambda: F("interest")),
}
