"""Demo facts on a small seeded city: every kind present, consistent with the rules."""
import io

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone

from jiuye.policies import demo
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
from jiuye.policies.queries.facts import payment_account_for

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_seed_facts_on_a_small_city(regions):
    call_command("seed", persons=2000, seed=7, no_samples=True, stdout=io.StringIO())
    counts = demo.seed_facts(TODAY, rng_seed=1)
    assert all(counts[k] > 0 for k in counts), counts
    assert counts["loans"] >= 10 and counts["payment_accounts"] >= counts["loans"]
    assert counts == {
        "benefit_periods": BenefitPeriod.objects.count(), "insurance_years": EmployerInsuranceYear.objects.count(),
        "loans": GuaranteeLoan.objects.count(), "loan_repayments": LoanRepayment.objects.count(),
        "loan_interest": LoanInterestPeriod.objects.count(), "online_shops": OnlineShop.objects.count(),
        "internships": Internship.objects.count(), "trainings": TrainingEnrolment.objects.count(),
        "payment_accounts": PaymentAccount.objects.count()}
    # Benefit periods: some 0-month, ends derived, 2020's standard 1620.
    assert BenefitPeriod.objects.filter(months_entitled=0, ends_on=F("starts_on")).exists()
    assert set(BenefitPeriod.objects.filter(starts_on__year=2020, months_entitled__gt=0)
               .values_list("monthly_amount", flat=True)) <= {1620}
    # Insurance years up to last year, settled on 1 January after.
    assert EmployerInsuranceYear.objects.filter(year=TODAY.year - 1).exists()
    assert not EmployerInsuranceYear.objects.filter(year__gte=TODAY.year).exists()
    assert not EmployerInsuranceYear.objects.exclude(settles_on__year=F("year") + 1).exists()
    # Some repayments late, some interns retained before the end.
    assert LoanRepayment.objects.filter(paid_on__gt=F("due_on")).exists()
    assert Internship.objects.filter(hired_on__lt=F("ends_on")).exists()
    # Every person and employer with a fact has an account on the day of their fact.
    for bp in BenefitPeriod.objects.all()[:50]:
        account = payment_account_for(person=bp.person, on=bp.starts_on)
        assert account is not None and account.kind == "si_card"
    for loan in GuaranteeLoan.objects.filter(borrower_employer__isnull=False):
        assert payment_account_for(employer=loan.borrower_employer, on=loan.starts_on).kind == "bank"
    # Replaced accounts: closed the day before the next one.
    assert PaymentAccount.objects.filter(valid_until__isnull=False).exists()
    assert not PaymentAccount.objects.filter(Q(valid_until__lt=F("valid_from"))).exists()
    # Same seed, same facts.
    first = list(BenefitPeriod.objects.order_by("pk").values_list("person_id", "starts_on", "months_entitled"))
    demo.wipe_facts()
    assert not GuaranteeLoan.objects.exists() and not LoanRepayment.objects.exists()
    assert demo.seed_facts(TODAY, rng_seed=1) == counts
    assert list(BenefitPeriod.objects.order_by("pk").values_list("person_id", "starts_on", "months_entitled")) == first
