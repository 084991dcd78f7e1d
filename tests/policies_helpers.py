"""Shared helpers for the policies tests: the shipped packs loaded, employers, hires."""
import datetime

import pytest
from stdnum.cn import uscc

from jiuye.policies import engine
from jiuye.policies.models import Policy
from jiuye.policies.services import packs
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1

D = datetime.date


def credit_code(n: int = 0) -> str:
    body = f"91610102MA6U8PX{n:02d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def shipped(db, regions):
    """Both shipped packs, loaded as version 1."""
    engine.clear_tables()
    return packs.load_shipped()


def policy(code: str) -> Policy:
    return Policy.objects.filter(code=code).order_by("-version__number").select_related("version__pack").first()


def make_employer(officer, n=1, size="micro", region=COMMUNITY_A1, name=None):
    return registry.create_employer(actor=officer, credit_code=credit_code(n), name=name or f"测试企业{n}", region=region,
                                    size_class=size)


def hire(officer, person, employer, on, *, months=12, si=True, form="unit", contract="fixed"):
    kwargs = {}
    if contract == "fixed":
        kwargs = dict(contract_type="fixed", contract_start=on, contract_end=on.replace(year=on.year + months // 12)
                      - datetime.timedelta(days=1)) if months % 12 == 0 else dict(contract_type="fixed", contract_months=months)
    elif contract:
        kwargs = dict(contract_type=contract)
    return registry.register_employment(actor=officer, person=person, effective_date=on, employment_form=form,
                                        employer=employer, social_insurance=si, **kwargs)


def explain_one(code, as_of, **who):
    results = engine.explain(policy(code), as_of, **who)
    assert len(results) == 1, results
    return results[0]


# ---------------------------------------------------------------------------------------------
# claims (helper "claims"): reviewers, evidence files, a graduate's hire, a claim through review


def pdf(name="材料.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def evidence_for(code: str) -> dict:
    """One file for every evidence item policy ``code`` asks for."""
    return {name: [pdf(f"{i}.pdf")] for i, name in enumerate(policy(code).spec.get("evidence") or [])}


@pytest.fixture
def policy_reviewer(regions):
    from jiuye.accounts.models import Role
    from tests.conftest import XINCHENG, _user

    return _user("pr_xc", Role.POLICY_REVIEWER, XINCHENG, display_name="新城区补贴审核员")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def graduate_hire(officer, make_person, n=1, firm=None, on=None, **person):
    """A 2020 graduate hired by a micro enterprise on a 12-month contract with social insurance."""
    fields = dict(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
    fields.update(person)
    grad = make_person(**fields)
    firm = firm or make_employer(officer, n, size="micro")
    reg = hire(officer, grad, firm, on or D(2020, 8, 3))
    return grad, firm, reg
# payments part: approved claims without the claims workflow (the claim row created directly, the
# ledger's one door called with the engine's re-evaluated entitlement, as an approval does)

import itertools  # noqa: E402

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from jiuye.policies.models import Claim, ClaimChannel, PaymentAccount  # noqa: E402
from jiuye.policies.services import ledger  # noqa: E402

_claim_numbers = itertools.count(1)


def claim_for(ent, *, actor, status="publicity") -> Claim:
    """A claim row for entitlement ``ent`` (no workflow)."""
    policy = ent.policy
    return Claim.objects.create(
        number=f"T{next(_claim_numbers):06d}-{timezone.now().strftime('%H%M%S%f')}", policy=policy,
        policy_code=policy.code, kind=policy.kind, beneficiary=ent.beneficiary, person_id=ent.person_id,
        employer_id=ent.employer_id, beneficiary_key=ent.beneficiary_key, region_id=ent.region_id,
        event_type=ent.event_type, event_id=ent.event_id, event_date=ent.event_date, unit=ent.unit, amount=ent.amount,
        months=ent.months, first_month=ent.first_month, total=ent.total, status=status, channel=ClaimChannel.WORKER,
        submitted_by=actor, reviewer=actor, reviewed_at=timezone.now(), decision_policy=policy, decision_trace=ent.trace)


def approve(code, event, *, actor, as_of, on=None, override_reason="", override_by=None) -> Claim:
    """Approve ``event`` (a model instance, or (event_type, event_id)) under policy ``code`` as of ``as_of``:
    the claim created, ``ledger.commit`` with ``engine.reevaluate``'s entitlement, status approved; all in one
    transaction (a refusal raises ``ledger.LedgerRefused`` and leaves nothing)."""
    from jiuye.policies.vocabulary import EVENTS

    if isinstance(event, tuple):
        event_type, event_id = event
    else:
        event_type = EVENTS[policy(code).event].name
        event_id = event.pk
    ent = engine.reevaluate(code, event_type, event_id, as_of)
    with transaction.atomic():
        claim = claim_for(ent, actor=actor)
        ledger.commit(claim, ent, ent.policy, actor=actor, trace=ent.trace, on=on, override_reason=override_reason,
                      override_by=override_by)
        claim.status, claim.approved_by, claim.approved_at = "approved", actor, timezone.now()
        claim.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return claim


def si_card(person, *, number=None, on=datetime.date(2020, 1, 1)) -> PaymentAccount:
    return PaymentAccount.objects.create(person=person, kind="si_card", bank="中国工商银行西安分行",
                                         account_number=number or f"6217{person.pk:012d}", account_name=person.name,
                                         valid_from=on)


def bank_account(employer, *, number=None, on=datetime.date(2020, 1, 1)) -> PaymentAccount:
    return PaymentAccount.objects.create(employer=employer, kind="bank", bank="中国建设银行西安新城支行",
                                         account_number=number or f"6100{employer.pk:012d}", account_name=employer.name,
                                         valid_from=on)
