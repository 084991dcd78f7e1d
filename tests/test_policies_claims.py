"""Claims (补贴申领): submit → review → publicity → approve, and every refusal a user meets on the way."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiuye.accounts.models import AuditEntry
from jiuye.policies.models import Claim, ClaimStatus, LedgerEntry
from jiuye.policies.queries import claims as queries
from jiuye.policies.services import claims as services
from jiuye.registry import services as registry
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_B1
from tests.policies_helpers import (  # noqa: F401
    D, evidence_for, graduate_hire, hire, make_employer, media, pdf, policy_reviewer, shipped,
)


def _submit(actor, code, reg, on=D(2020, 9, 1), **kw):
    kw.setdefault("evidence_files", evidence_for(code))
    return services.submit_claim(actor, policy_code=code, event_type="employment", event_id=reg.pk, on=on, **kw)


def _through_publicity(worker, reviewer, approver, claim, starts_on=D(2020, 9, 29)):
    services.review_claim(reviewer, claim, approve=True)
    return services.publish(approver, [claim], title="2020年第3批一次性吸纳就业补助公示", starts_on=starts_on)


def test_whole_path_submit_review_publicity_across_national_day_approve_with_ledger_entry(
        shipped, media, community_worker, street_officer, district_officer, make_person):
    grad, firm, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, "xc2020-hiring-once", reg)
    assert claim.number.startswith("BZ2020") and claim.status == ClaimStatus.SUBMITTED
    assert claim.beneficiary_key == f"E{firm.pk}" and claim.region_id == firm.region_id
    assert claim.total == Decimal("1000") and claim.evidence.count() == 3
    assert claim in queries.review_queue(street_officer) and claim not in queries.review_queue(community_worker)

    services.review_claim(street_officer, claim, approve=True)
    claim.refresh_from_db()
    assert services.stage_label(claim) == "审核通过待公示"
    assert claim.decision_policy.code == "xc2020-hiring-once" and claim.decision_trace["eligible"] is True

    # published on Tuesday 2020-09-29 for 5 working days: 29, 30 September, then 1–8 October is the
    # National Day and Mid-Autumn holiday, 9 October (Fri), 10 October (a make-up Saturday), 12 October.
    pub = services.publish(district_officer, [claim], title="公示", starts_on=D(2020, 9, 29))
    assert pub.working_days == 5 and pub.ends_on == D(2020, 10, 12) and pub.number.startswith("GS2020")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLICITY

    with pytest.raises(ValidationError, match="公示期至2020-10-12，期满后方可核准"):
        services.approve_publicity(district_officer, pub, today=D(2020, 10, 12))
    result = services.approve_publicity(district_officer, pub, today=D(2020, 10, 13))
    assert [c.pk for c in result.approved] == [claim.pk] and not result.refused
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.approved_by == district_officer
    entry = LedgerEntry.objects.get(claim=claim)
    assert entry.kind == "commitment" and entry.amount == Decimal("1000") and entry.reviewer == street_officer
    assert entry.policy == claim.decision_policy and entry.facts["eligible"] is True
    pub.refresh_from_db()
    assert pub.closed_at is not None
    # every step audited, and in the timeline
    actions = list(claim.events.values_list("action", flat=True))
    assert actions == ["submitted", "evidence", "review_passed", "published", "approved"]
    entries = AuditEntry.objects.filter(object_type="claim", object_id=str(claim.pk))
    assert entries.count() >= 4 and set(entries.values_list("region_code", flat=True)) == {claim.region_id}


def test_reviewer_may_not_be_the_submitter(shipped, media, street_officer, make_person, district_officer):
    _grad, _firm, reg = graduate_hire(district_officer, make_person)
    claim = _submit(street_officer, "xc2020-hiring-once", reg)
    with pytest.raises(PermissionDenied, match="由您本人提交，须由其他工作人员审核"):
        services.review_claim(street_officer, claim, approve=True)
    assert claim not in queries.review_queue(street_officer)
    services.review_claim(district_officer, claim, approve=True)


def test_reevaluation_at_review_catches_a_registration_voided_after_submission(
        shipped, media, community_worker, street_officer, district_officer, make_person):
    _grad, _firm, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, "xc2020-hiring-once", reg)
    registry.void_registration(actor=district_officer, registration=reg, reason="录入错误")
    with pytest.raises(ValidationError, match="依据事件记录已被撤销或更正"):
        services.review_claim(street_officer, claim, approve=True)
    services.review_claim(street_officer, claim, approve=False, reason="就业登记已撤销")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.rejection_reason == "就业登记已撤销"


def test_rejection_needs_a_reason(shipped, media, community_worker, street_officer, district_officer, make_person):
    _grad, _firm, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, "xc2020-hiring-once", reg)
    with pytest.raises(ValidationError, match="不予核准须填写原因"):
        services.review_claim(street_officer, claim, approve=False)


def test_ineligible_submission_is_refused_naming_the_failed_condition(shipped, media, community_worker, district_officer,
                                                                       make_person):
    grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
    firm = make_employer(district_officer, 1, size="micro")
    reg = hire(district_officer, grad, firm, D(2020, 8, 3), si=False)
    with pytest.raises(ValidationError) as exc:
        _submit(community_worker, "xc2020-hiring-once", reg)
    text = "；".join(exc.value.messages)
    assert "不符合一次性吸纳就业补助的条件" in text and "社会保险" in text
    assert not Claim.objects.exists()


def test_missing_evidence_is_named_and_a_worker_may_tick_the_paper_original(shipped, media, community_worker,
                                                                              district_officer, make_person):
    _grad, _firm, reg = graduate_hire(district_officer, make_person)
    with pytest.raises(ValidationError, match="缺少材料“毕业证书”"):
        _submit(community_worker, "xc2020-hiring-once", reg,
                evidence_files={"劳动合同": [pdf()], "社会保险缴费记录": [pdf()]})
    claim = _submit(community_worker, "xc2020-hiring-once", reg,
                    evidence_files={"劳动合同": [pdf()], "社会保险缴费记录": [pdf()]}, paper_checked=["毕业证书"])
    assert claim.events.filter(action="paper_checked", note="毕业证书").exists()


def test_one_live_claim_per_entitlement(shipped, media, community_worker, district_officer, make_person):
    _grad, _firm, reg = graduate_hire(district_officer, make_person)
    first = _submit(community_worker, "xc2020-hiring-once", reg)
    with pytest.raises(ValidationError, match=f"该补贴已有申领{first.number}（待审核），不能重复申领"):
        _submit(community_worker, "xc2020-hiring-once", reg)
    services.withdraw_claim(community_worker, first)
    assert _submit(community_worker, "xc2020-hiring-once", reg).pk != first.pk


def test_amount_not_set_can_be_submitted_and_reviewed_but_approval_is_refused(
        shipped, media, community_worker, street_officer, district_officer, make_person):
    from jiuye.policies.models import Internship

    grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
    firm = make_employer(district_officer, 1, size="micro")
    internship = Internship.objects.create(person=grad, unit=firm, starts_on=D(2020, 3, 1), ends_on=D(2020, 8, 31),
                                           hired_on=D(2020, 7, 1))
    claim = services.submit_claim(community_worker, policy_code="xc2020-internship-retention", event_type="internship_retention",
                                  event_id=internship.pk, evidence_files=evidence_for("xc2020-internship-retention"),
                                  on=D(2020, 9, 1))
    assert claim.amount is None and claim.total is None
    services.review_claim(street_officer, claim, approve=True)
    pub = services.publish(district_officer, [claim], title="见习留用补贴公示", starts_on=D(2020, 9, 1))
    result = services.approve_publicity(district_officer, pub, today=D(2020, 9, 30))
    assert not result.approved and len(result.refused) == 1
    assert "未设置" in result.refused[0][1]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLICITY
    assert "未设置" in claim.events.get(action="approval_refused").note
    assert not LedgerEntry.objects.filter(claim=claim).exists()
    with pytest.raises(ValidationError, match="未设置"):
        services.approve_claim(district_officer, claim, today=D(2020, 9, 30))


def test_employer_and_flexible_social_insurance_for_the_same_months_exclude_each_other(
        shipped, media, community_worker, street_officer, district_officer, make_person):
    # graduated 2019: flexible employment from March 2020 with social insurance (the person's subsidy) …
    grad = make_person(birth="19970506", education="bachelor", school_type="university", graduation_date=D(2019, 7, 1))
    flexible = hire(district_officer, grad, None, D(2020, 3, 2), form="flexible", contract=None)
    # … then hired by an employer in August 2020 (the employer's subsidy for the same person)
    firm = make_employer(district_officer, 1, size="micro")
    unit = hire(district_officer, grad, firm, D(2020, 8, 3))
    mine = _submit(community_worker, "xc2020-si-flexible", flexible)
    theirs = _submit(community_worker, "xc2020-si-employer", unit)
    for c in (mine, theirs):
        services.review_claim(street_officer, c, approve=True)
    pub = services.publish(district_officer, [mine, theirs], title="社会保险补贴公示", starts_on=D(2020, 9, 29))
    result = services.approve_publicity(district_officer, pub, today=D(2020, 10, 13))
    assert [c.pk for c in result.approved] == [mine.pk]
    (refused, why), = result.refused
    assert refused.pk == theirs.pk
    assert "同一人员同一月份已享受同类补贴" in why and "2020-08" in why


def test_same_graduate_twice_refused_second_graduate_of_the_same_employer_approved(
        shipped, media, community_worker, street_officer, district_officer, make_person):
    grad, firm, reg = graduate_hire(district_officer, make_person)
    # the graduate leaves and is hired again by the same employer: a second hire, the same graduate
    again = hire(district_officer, grad, firm, D(2020, 9, 1))
    grad2, _f, reg2 = graduate_hire(district_officer, make_person, firm=firm, on=D(2020, 8, 10))
    claims = [_submit(community_worker, "xc2020-hiring-once", r, on=D(2020, 9, 2)) for r in (reg, again, reg2)]
    for c in claims:
        services.review_claim(street_officer, c, approve=True)
    pub = services.publish(district_officer, claims, title="一次性吸纳就业补助公示", starts_on=D(2020, 9, 29))
    result = services.approve_publicity(district_officer, pub, today=D(2020, 10, 13))
    assert sorted(c.pk for c in result.approved) == sorted([claims[0].pk, claims[2].pk])
    (refused, why), = result.refused
    assert refused.pk == claims[1].pk and "已享受过同类一次性补贴" in why


def test_objection_upheld_rejects_dismissed_returns_to_publicity(shipped, media, community_worker, street_officer,
                                                                  district_officer, make_person):
    _g, _f, reg = graduate_hire(district_officer, make_person)
    _g2, _f2, reg2 = graduate_hire(district_officer, make_person, n=2)
    a = _submit(community_worker, "xc2020-hiring-once", reg)
    b = _submit(community_worker, "xc2020-hiring-once", reg2)
    for c in (a, b):
        services.review_claim(street_officer, c, approve=True)
    pub = services.publish(district_officer, [a, b], title="公示", starts_on=D(2020, 9, 29))
    o1 = services.record_objection(street_officer, a, "群众甲", "13800000000", "该毕业生实际未在岗", raised_on=D(2020, 9, 30))
    o2 = services.record_objection(street_officer, b, "群众乙", "", "合同期限不足一年", raised_on=D(2020, 9, 30))
    a.refresh_from_db()
    assert a.status == ClaimStatus.OBJECTED
    # an open objection holds the claim back at approval
    services.resolve_objection(district_officer, o1, True, "经核查该毕业生未实际在岗")
    a.refresh_from_db()
    assert a.status == ClaimStatus.REJECTED and "经核查该毕业生未实际在岗" in a.rejection_reason
    result = services.approve_publicity(district_officer, pub, today=D(2020, 10, 13))
    assert [c.pk for c in result.waiting] == [b.pk] and not result.approved
    services.resolve_objection(district_officer, o2, False, "劳动合同为期两年，异议不成立")
    b.refresh_from_db()
    assert b.status == ClaimStatus.PUBLICITY
    result = services.approve_publicity(district_officer, pub, today=D(2020, 10, 13))
    assert [c.pk for c in result.approved] == [b.pk]
    # every step audited, on the claim, in its region
    summaries = list(AuditEntry.objects.filter(object_type="claim", object_id=str(a.pk)).values_list("summary", flat=True))
    assert any("公示异议" in t for t in summaries) and any("异议成立" in t for t in summaries)
    assert AuditEntry.objects.filter(object_type="publicity_list", object_id=str(pub.pk)).count() == 3  # published, 2 approvals


def test_another_streets_officer_finds_nothing(shipped, media, community_worker, other_street_officer, district_officer,
                                               make_person):
    _g, _f, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, "xc2020-hiring-once", reg)
    with pytest.raises(NotFound):
        queries.get_claim(other_street_officer, claim.pk)
    with pytest.raises(NotFound):
        services.review_claim(other_street_officer, claim, approve=True)
    assert queries.count_claims(other_street_officer, queries.ClaimSearch()) == 0
    # nor may a worker submit for someone outside their community
    firm_b = make_employer(district_officer, 3, region=COMMUNITY_B1)
    _gb, _fb, reg_b = graduate_hire(district_officer, make_person, firm=firm_b, region=COMMUNITY_B1)
    with pytest.raises(NotFound):
        _submit(community_worker, "xc2020-hiring-once", reg_b)


def test_budget_exceeded_is_refused_unless_a_budget_officer_records_an_override(
        shipped, media, community_worker, street_officer, district_officer, policy_reviewer, make_person):
    from jiuye.policies.models import Budget

    Budget.objects.create(year=2020, region_id="610102000000", policy_code="xc2020-hiring-once", amount=Decimal("500"))
    _g, _f, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, "xc2020-hiring-once", reg)
    services.review_claim(street_officer, claim, approve=True)
    pub = services.publish(policy_reviewer, [claim], title="公示", starts_on=D(2020, 9, 29))
    result = services.approve_publicity(policy_reviewer, pub, today=D(2020, 10, 13))
    assert "超出2020年度预算" in result.refused[0][1]
    with pytest.raises(ValidationError, match="只有区县、市人社局工作人员可以批准超预算核准"):
        services.approve_publicity(policy_reviewer, pub, today=D(2020, 10, 13), override_reason="年底资金已追加")
    services.approve_claim(district_officer, claim, today=D(2020, 10, 13), override_reason="年底资金已追加")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.budget_overrides.get().reason == "年底资金已追加"


def test_employer_user_claims_only_as_their_own_employer(shipped, media, community_worker, district_officer, make_person):
    from jiuye.accounts.models import Role, User

    _g, firm, reg = graduate_hire(district_officer, make_person)
    _g2, _other_firm, other_reg = graduate_hire(district_officer, make_person, n=2)
    user = User.objects.create_user("emp_1", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, person=None, employer=firm)
    with pytest.raises(ValidationError, match="只有经办人员可以核验纸质原件"):
        _submit(user, "xc2020-hiring-once", reg, paper_checked=["毕业证书"])
    claim = _submit(user, "xc2020-hiring-once", reg)
    assert claim.channel == "portal" and claim.beneficiary_key == f"E{firm.pk}"
    with pytest.raises(NotFound):
        _submit(user, "xc2020-hiring-once", other_reg)
    other = _submit(community_worker, "xc2020-hiring-once", other_reg)
    assert list(queries.own_claims(user)) == [claim]
    with pytest.raises(NotFound):
        queries.get_claim(user, other.pk)
    services.withdraw_claim(user, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
