"""Reads of the facts the rules need (benefit periods, insurance years, loans, repayments, interest
periods, online shops, internships, trainings, payment accounts).

Every list is scoped by the region of the person or employer the fact is about (a loan: its borrower; a
repayment or interest period: its loan's borrower); a fact outside the scope is "not found" like one
that does not exist. Per kind: a search dataclass, ``search_x`` / ``count_x`` / ``x_of_search`` and
``X_SORTS`` (docs/architecture.md, "Lists and exports"); the web lists, their exports and the API call
the same functions (``search_facts(kind, ...)`` and friends underneath).
"""
from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope, region_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.policies.models import (
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
from jiuye.regions.queries import under_code_q


def payment_accounts_on(*, person_ids=(), employer_ids=(), on: datetime.date) -> dict[tuple[str, int], PaymentAccount]:
    """The accounts payments go to on ``on``, one query for many: {("P", person id) | ("E", employer id): account},
    the one valid then (the latest started if several)."""
    qs = PaymentAccount.objects.filter(valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    qs = qs.filter(Q(person_id__in=list(person_ids)) | Q(employer_id__in=list(employer_ids)))
    out: dict[tuple[str, int], PaymentAccount] = {}
    for account in qs.order_by("-valid_from", "-pk"):
        key = ("P", account.person_id) if account.person_id else ("E", account.employer_id)
        out.setdefault(key, account)
    return out


def payment_account_for(*, person=None, employer=None, on: datetime.date) -> PaymentAccount | None:
    """The account payments to ``person`` (社保卡) or ``employer`` (bank account) go to on ``on``."""
    if person is not None:
        return payment_accounts_on(person_ids=[person.pk], on=on).get(("P", person.pk))
    return payment_accounts_on(employer_ids=[employer.pk], on=on).get(("E", employer.pk))


# ---------------------------------------------------------------------------------------------
# Scoped lists of each kind (web lists, exports and the API call the same functions)

NOT_FOUND = "记录不存在或不在您的管辖范围内"  # the API's one 404 text

#: Owner paths of each kind: ("person", path) or ("employer", path), in the order they are tried.
_OWNER_PATHS = {
    "benefit_periods": (("person", "person"),),
    "insurance_years": (("employer", "employer"),),
    "loans": (("person", "borrower_person"), ("employer", "borrower_employer")),
    "loan_repayments": (("person", "loan__borrower_person"), ("employer", "loan__borrower_employer")),
    "loan_interest": (("person", "loan__borrower_person"), ("employer", "loan__borrower_employer")),
    "online_shops": (("person", "person"),),
    "internships": (("person", "person"),),
    "trainings": (("person", "person"),),
    "payment_accounts": (("person", "person"), ("employer", "employer")),
}
_MODELS = {
    "benefit_periods": BenefitPeriod, "insurance_years": EmployerInsuranceYear, "loans": GuaranteeLoan,
    "loan_repayments": LoanRepayment, "loan_interest": LoanInterestPeriod, "online_shops": OnlineShop,
    "internships": Internship, "trainings": TrainingEnrolment, "payment_accounts": PaymentAccount,
}
_DATE_FIELDS = {
    "benefit_periods": "starts_on", "insurance_years": "settles_on", "loans": "starts_on", "loan_repayments": "due_on",
    "loan_interest": "starts_on", "online_shops": "opened_on", "internships": "starts_on", "trainings": "starts_on",
    "payment_accounts": "valid_from",
}
_RELATED = {
    "benefit_periods": ("person__region__parent",), "insurance_years": ("employer__region__parent",),
    "loans": ("borrower_person__region__parent", "borrower_employer__region__parent"),
    "loan_repayments": ("loan__borrower_person__region__parent", "loan__borrower_employer__region__parent"),
    "loan_interest": ("loan__borrower_person__region__parent", "loan__borrower_employer__region__parent"),
    "online_shops": ("person__region__parent", "platform"), "internships": ("person__region__parent", "unit"),
    "trainings": ("person__region__parent",), "payment_accounts": ("person__region__parent", "employer__region__parent"),
}


def _owner_sort(kind: str) -> tuple[str, ...]:
    fields = []
    for _who, path in _OWNER_PATHS[kind]:
        fields.append(f"{path}__name")
    return tuple(fields)


def _region_sort(kind: str) -> tuple[str, ...]:
    return tuple(f"{path}__region_id" for _who, path in _OWNER_PATHS[kind])


#: The sort whitelists (key -> fields), one per kind; the default is the kind's date, newest first.
BENEFIT_PERIOD_SORTS = {"name": _owner_sort("benefit_periods"), "region": _region_sort("benefit_periods"),
                        "starts_on": ("starts_on",), "months_entitled": ("months_entitled", "starts_on"),
                        "ends_on": ("ends_on",), "monthly_amount": ("monthly_amount", "starts_on")}
INSURANCE_YEAR_SORTS = {"name": _owner_sort("insurance_years"), "region": _region_sort("insurance_years"),
                        "year": ("year",), "insured_staff_year_end": ("insured_staff_year_end",),
                        "premiums_employer": ("premiums_employer",), "layoffs": ("layoffs",)}
LOAN_SORTS = {"name": _owner_sort("loans"), "region": _region_sort("loans"), "contract_number": ("contract_number",),
              "lender": ("lender", "contract_number"), "amount": ("amount",), "starts_on": ("starts_on",),
              "ends_on": ("ends_on",), "jobs_created": ("jobs_created",), "status": ("status", "starts_on")}
LOAN_REPAYMENT_SORTS = {"name": _owner_sort("loan_repayments"), "contract_number": ("loan__contract_number", "due_on"),
                        "due_on": ("due_on",), "amount": ("amount",), "paid_on": ("paid_on",)}
LOAN_INTEREST_SORTS = {"name": _owner_sort("loan_interest"), "contract_number": ("loan__contract_number", "starts_on"),
                       "starts_on": ("starts_on",), "ends_on": ("ends_on",), "interest": ("interest",)}
ONLINE_SHOP_SORTS = {"name": ("person__name",), "region": ("person__region_id",), "shop_name": ("shop_name",),
                     "platform": ("platform__name",), "opened_on": ("opened_on",), "attested_on": ("attested_on",)}
INTERNSHIP_SORTS = {"name": ("person__name",), "region": ("person__region_id",), "unit": ("unit__name",),
                    "starts_on": ("starts_on",), "ends_on": ("ends_on",), "hired_on": ("hired_on",)}
TRAINING_SORTS = {"name": ("person__name",), "region": ("person__region_id",), "course": ("course",),
                  "provider": ("provider",), "starts_on": ("starts_on",), "ends_on": ("ends_on",),
                  "completed": ("completed", "starts_on")}
PAYMENT_ACCOUNT_SORTS = {"name": _owner_sort("payment_accounts"), "region": _region_sort("payment_accounts"),
                         "kind": ("kind",), "bank": ("bank",), "valid_from": ("valid_from",),
                         "valid_until": ("valid_until",)}
SORTS = {
    "benefit_periods": BENEFIT_PERIOD_SORTS, "insurance_years": INSURANCE_YEAR_SORTS, "loans": LOAN_SORTS,
    "loan_repayments": LOAN_REPAYMENT_SORTS, "loan_interest": LOAN_INTEREST_SORTS, "online_shops": ONLINE_SHOP_SORTS,
    "internships": INTERNSHIP_SORTS, "trainings": TRAINING_SORTS, "payment_accounts": PAYMENT_ACCOUNT_SORTS,
}
DEFAULT_SORTS = {
    "benefit_periods": "-starts_on", "insurance_years": "-year", "loans": "-starts_on", "loan_repayments": "-due_on",
    "loan_interest": "-starts_on", "online_shops": "-opened_on", "internships": "-starts_on", "trainings": "-starts_on",
    "payment_accounts": "-valid_from",
}
KINDS = tuple(_MODELS)


@dataclass
class FactSearch:
    """The filters every list of facts has: text (a name prefix, an identity number or credit code, or
    for loans a contract number), street/community of the person or employer, a date range on the
    kind's date, the sort, the page."""

    text: str = ""
    region_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


@dataclass
class BenefitPeriodSearch(FactSearch):
    months: int | None = None  # only periods of this many months (0: refused)


@dataclass
class InsuranceYearSearch(FactSearch):
    year: int | None = None


@dataclass
class LoanSearch(FactSearch):
    status: str = ""


@dataclass
class LoanRepaymentSearch(FactSearch):
    late: bool = False  # paid after the due date, or unpaid past it


@dataclass
class LoanInterestSearch(FactSearch):
    pass


@dataclass
class OnlineShopSearch(FactSearch):
    pass


@dataclass
class InternshipSearch(FactSearch):
    retained: bool = False  # hired by the unit (留用)


@dataclass
class TrainingSearch(FactSearch):
    completed: bool = False


@dataclass
class PaymentAccountSearch(FactSearch):
    current: bool = False  # only accounts valid today


SEARCHES = {
    "benefit_periods": BenefitPeriodSearch, "insurance_years": InsuranceYearSearch, "loans": LoanSearch,
    "loan_repayments": LoanRepaymentSearch, "loan_interest": LoanInterestSearch, "online_shops": OnlineShopSearch,
    "internships": InternshipSearch, "trainings": TrainingSearch, "payment_accounts": PaymentAccountSearch,
}


def scope_q(kind: str, user) -> Q:
    """Facts of ``kind`` whose person or employer lies in the user's region."""
    q = Q(pk__in=[])
    for _who, path in _OWNER_PATHS[kind]:
        part = region_q(user, f"{path}__region")
        if not part:  # the whole tree
            return Q()
        q |= part
    return q


def facts_visible_to(kind: str, user) -> QuerySet:
    model = _MODELS[kind]
    if not roles.can_read_registry(user):
        return model.objects.none()
    return model.objects.filter(scope_q(kind, user))


def _text_q(kind: str, text: str) -> Q:
    text = "".join(unicodedata.normalize("NFKC", text or "").split()).upper()
    if not text:
        return Q()
    q = Q(pk__in=[])
    for who, path in _OWNER_PATHS[kind]:
        if who == "person":
            q |= Q(**{f"{path}__id_number__startswith": text}) if text[:6].isdigit() else Q(**{f"{path}__name__startswith": text})
        else:
            q |= Q(**{f"{path}__credit_code": text}) | Q(**{f"{path}__name__contains": text})
    if kind == "loans":
        q |= Q(contract_number=text)
    elif kind in ("loan_repayments", "loan_interest"):
        q |= Q(loan__contract_number=text)
    elif kind == "online_shops":
        q |= Q(shop_name__contains=text)
    return q


def _region_filter_q(kind: str, code: str) -> Q:
    q = Q(pk__in=[])
    for _who, path in _OWNER_PATHS[kind]:
        try:
            q |= under_code_q(code.strip(), f"{path}__region")
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": code}) from None
    return q


def _facts(kind: str, user, s: FactSearch) -> QuerySet:
    qs = facts_visible_to(kind, user)
    if s.text:
        qs = qs.filter(_text_q(kind, s.text))
    if s.region_code:
        qs = qs.filter(_region_filter_q(kind, s.region_code))
    field = _DATE_FIELDS[kind]
    if s.date_from:
        qs = qs.filter(**{f"{field}__gte": s.date_from})
    if s.date_to:
        qs = qs.filter(**{f"{field}__lte": s.date_to})
    if isinstance(s, BenefitPeriodSearch) and s.months is not None:
        qs = qs.filter(months_entitled=s.months)
    if isinstance(s, InsuranceYearSearch) and s.year:
        qs = qs.filter(year=s.year)
    if isinstance(s, LoanSearch) and s.status:
        qs = qs.filter(status=s.status)
    if isinstance(s, LoanRepaymentSearch) and s.late:
        qs = qs.filter(Q(paid_on__gt=F("due_on")) | Q(paid_on__isnull=True, due_on__lt=timezone.localdate()))
    if isinstance(s, InternshipSearch) and s.retained:
        qs = qs.filter(hired_on__isnull=False)
    if isinstance(s, TrainingSearch) and s.completed:
        qs = qs.filter(completed=True)
    if isinstance(s, PaymentAccountSearch) and s.current:
        today = timezone.localdate()
        qs = qs.filter(valid_from__lte=today).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return qs


def fact_sort(kind: str, s: FactSearch) -> str:
    return sort_key(SORTS[kind], s.sort, DEFAULT_SORTS[kind])


def facts_of_search(kind: str, user, s: FactSearch) -> QuerySet:
    """Every fact of the list, in its order (the export)."""
    return sorted_by(_facts(kind, user, s).select_related(*_RELATED[kind]), SORTS[kind], s.sort, DEFAULT_SORTS[kind])


def search_facts(kind: str, user, s: FactSearch) -> tuple[list, bool]:
    return page(facts_of_search(kind, user, s), s.limit, s.offset)


def count_facts(kind: str, user, s: FactSearch) -> int:
    return _facts(kind, user, s).count()


def get_fact(kind: str, user, pk: int):
    """One fact within the user's scope; Http404 for one that does not exist and one outside alike."""
    fact = facts_visible_to(kind, user).select_related(*_RELATED[kind]).filter(pk=pk).first()
    if fact is None:
        raise Http404(_(NOT_FOUND))
    return fact


def fact_counts(user) -> dict[str, int]:
    """How many facts of each kind the user may see (the facts home)."""
    return {kind: facts_visible_to(kind, user).count() for kind in KINDS}


def _bind(kind: str):
    return (lambda user, s: search_facts(kind, user, s), lambda user, s: count_facts(kind, user, s),
            lambda user, s: facts_of_search(kind, user, s))


# Per kind: search_x (a page), count_x (the total), x_of_search (every row, the export).
search_benefit_periods, count_benefit_periods, benefit_periods_of_search = _bind("benefit_periods")
search_insurance_years, count_insurance_years, insurance_years_of_search = _bind("insurance_years")
search_loans, count_loans, loans_of_search = _bind("loans")
search_loan_repayments, count_loan_repayments, loan_repayments_of_search = _bind("loan_repayments")
search_loan_interest, count_loan_interest, loan_interest_of_search = _bind("loan_interest")
search_online_shops, count_online_shops, online_shops_of_search = _bind("online_shops")
search_internships, count_internships, internships_of_search = _bind("internships")
search_trainings, count_trainings, trainings_of_search = _bind("trainings")
search_payment_accounts, count_payment_accounts, payment_accounts_of_search = _bind("payment_accounts")


# ---------------------------------------------------------------------------------------------
# Panels: the facts about one person or one employer


PANEL_LIMIT = 50


def facts_of_person(user, person) -> dict[str, list]:
    """The facts about ``person`` the user may see, per kind (the person page's panel); {} when the
    person lies outside the user's scope."""
    if not roles.can_read_registry(user) or not in_scope(user, person.region_id):
        return {}
    return {
        "benefit_periods": list(BenefitPeriod.objects.filter(person=person).order_by("-starts_on", "-pk")[:PANEL_LIMIT]),
        "loans": list(GuaranteeLoan.objects.filter(borrower_person=person).order_by("-starts_on", "-pk")[:PANEL_LIMIT]),
        "online_shops": list(OnlineShop.objects.filter(person=person).select_related("platform")
                             .order_by("-opened_on", "-pk")[:PANEL_LIMIT]),
        "internships": list(Internship.objects.filter(person=person).select_related("unit")
                            .order_by("-starts_on", "-pk")[:PANEL_LIMIT]),
        "trainings": list(TrainingEnrolment.objects.filter(person=person).order_by("-starts_on", "-pk")[:PANEL_LIMIT]),
        "payment_accounts": list(PaymentAccount.objects.filter(person=person).order_by("-valid_from", "-pk")[:PANEL_LIMIT]),
    }


def facts_of_employer(user, employer) -> dict[str, list]:
    """The facts about ``employer`` the user may see, per kind (the employer page's panel)."""
    if not roles.can_read_registry(user) or not in_scope(user, employer.region_id):
        return {}
    return {
        "insurance_years": list(EmployerInsuranceYear.objects.filter(employer=employer).order_by("-year")[:PANEL_LIMIT]),
        "loans": list(GuaranteeLoan.objects.filter(borrower_employer=employer).order_by("-starts_on", "-pk")[:PANEL_LIMIT]),
        "payment_accounts": list(PaymentAccount.objects.filter(employer=employer).order_by("-valid_from", "-pk")[:PANEL_LIMIT]),
    }
