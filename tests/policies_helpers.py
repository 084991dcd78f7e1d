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
