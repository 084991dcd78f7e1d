"""Claims in the browser: the worker's claim form, the list with 待我审核, the claim page with its trace,
publicity (printable, masked), approval, and the portal's own claims."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.policies.models import Claim, ClaimStatus, LedgerEntry
from jiuye.policies.services import claims as services
from jiuye.registry import services as registry
from tests.policies_helpers import (  # noqa: F401
    D, evidence_for, graduate_hire, media, pdf, shipped,
)


@pytest.fixture
def clock(monkeypatch):
    """The services' today, settable (the 2020 pack's claim window is 12 months)."""
    state = {"today": D(2020, 9, 1)}
    monkeypatch.setattr(services, "current_date", lambda: state["today"])
    return state


def _login(client, user):
    client.force_login(user)
    return client


def _submit(actor, reg, code="xc2020-hiring-once", on=D(2020, 9, 1)):
    return services.submit_claim(actor, policy_code=code, event_type="employment", event_id=reg.pk,
                                 evidence_files=evidence_for(code), on=on)


def test_worker_finds_the_entitlement_and_submits_with_evidence_and_a_paper_original(
        client, shipped, media, clock, community_worker, district_officer, make_person):
    _grad, firm, reg = graduate_hire(district_officer, make_person)
    _login(client, community_worker)
    page = client.get(reverse("web:claim_new"), {"policy": "xc2020-hiring-once", "credit_code": firm.credit_code})
    assert page.status_code == 200
    text = page.content.decode()
    assert "符合条件" in text and "1000.00" in text
    url = reverse("web:claim_new") + f"?policy=xc2020-hiring-once&event_type=employment&event_id={reg.pk}"
    form = client.get(url)
    assert "劳动合同" in form.content.decode() and "已核验纸质原件：毕业证书" in form.content.decode()
    # one item missing: the error names it, nothing is written
    bad = client.post(url, {"policy": "xc2020-hiring-once", "event_type": "employment", "event_id": reg.pk,
                            "evidence_0": pdf(), "evidence_1": pdf()})
    assert bad.status_code == 400 and "缺少材料“毕业证书”" in bad.content.decode()
    assert not Claim.objects.exists()
    ok = client.post(url, {"policy": "xc2020-hiring-once", "event_type": "employment", "event_id": reg.pk,
                           "evidence_0": pdf(), "evidence_1": pdf(), "paper_2": "on"})
    claim = Claim.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("web:claim", args=[claim.pk])
    detail = client.get(ok["Location"]).content.decode()
    assert "待审核" in detail and "已核验纸质原件：毕业证书" in detail
    assert 'data-testid="trace"' in detail and "新政发〔2020〕28号" in detail  # the basis of the parameter
    assert claim.channel == "worker"


def test_list_with_review_queue_and_export(client, shipped, media, clock, community_worker, street_officer,
                                           district_officer, make_person):
    _g, _f, reg = graduate_hire(district_officer, make_person)
    _g2, _f2, reg2 = graduate_hire(district_officer, make_person, n=2)
    mine = _submit(street_officer, reg)
    theirs = _submit(community_worker, reg2)
    _login(client, street_officer)
    everything = client.get(reverse("web:claims")).content.decode()
    assert 'data-total="2"' in everything
    queue = client.get(reverse("web:claims"), {"queue": "1"}).content.decode()
    assert 'data-total="1"' in queue and theirs.number in queue and mine.number not in queue
    export = client.get(reverse("web:claims"), {"queue": "1", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "申领编号" and rows[1][0] == theirs.number and len(rows) == 2
    assert "*" in rows[1][4]  # identity number masked
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=street_officer, object_type="claim").exists()
    # the street filter takes the street's 12-digit code and finds the claims of its communities
    from tests.conftest import STREET_A, STREET_B
    _login(client, district_officer)
    assert 'data-total="2"' in client.get(reverse("web:claims"), {"region": STREET_A}).content.decode()
    assert 'data-total="0"' in client.get(reverse("web:claims"), {"region": STREET_B}).content.decode()


def test_review_publicity_print_and_approval_in_the_browser(client, shipped, media, clock, community_worker, street_officer,
                                                             district_officer, make_person):
    grad, _f, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, reg)
    _login(client, street_officer)
    r = client.post(reverse("web:claim_review", args=[claim.pk]), {"decision": "reject"})
    assert r.status_code == 400 and "不予核准须填写原因" in r.content.decode()
    r = client.post(reverse("web:claim_review", args=[claim.pk]), {"decision": "pass", "reason": ""})
    assert r.status_code == 302
    assert "审核通过待公示" in client.get(reverse("web:claim", args=[claim.pk])).content.decode()

    clock["today"] = D(2020, 9, 29)
    _login(client, district_officer)
    r = client.post(reverse("web:publicity_new"), {"title": "2020年第3批补贴公示", "claims": [str(claim.pk)]})
    assert r.status_code == 302
    pub_url = r["Location"]
    page = client.get(pub_url).content.decode()
    assert "2020-09-29 — 2020-10-12" in page and "期满后方可核准" in page
    printed = client.get(reverse("web:publicity_print", args=[Claim.objects.get().publicity_id]))
    text = printed.content.decode()
    assert grad.id_number not in text and grad.id_number[:6] in text and "2020年10月12日" in text

    clock["today"] = D(2020, 10, 13)
    r = client.post(pub_url, {"override_reason": ""})
    assert r.status_code == 200 and "核准 1 件；未通过 0 件" in r.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and LedgerEntry.objects.filter(claim=claim).exists()


def test_another_streets_officer_gets_not_found(client, shipped, media, clock, community_worker, other_street_officer,
                                                district_officer, make_person):
    _g, _f, reg = graduate_hire(district_officer, make_person)
    claim = _submit(community_worker, reg)
    _login(client, other_street_officer)
    assert client.get(reverse("web:claim", args=[claim.pk])).status_code == 404
    assert client.post(reverse("web:claim_review", args=[claim.pk]), {"decision": "pass"}).status_code == 404
    assert 'data-total="0"' in client.get(reverse("web:claims")).content.decode()


def test_resident_sees_only_their_own_claims_and_claims_in_the_portal(client, shipped, media, clock, community_worker,
                                                                      district_officer, make_person):
    # two graduates working flexibly since March 2020 (graduated 2019): the person's social insurance subsidy
    me = make_person(birth="19970506", education="bachelor", school_type="university", graduation_date=D(2019, 7, 1))
    other = make_person(birth="19970606", education="bachelor", school_type="university", graduation_date=D(2019, 7, 1))
    regs = {p.pk: registry.register_employment(actor=district_officer, person=p, effective_date=D(2020, 3, 2),
                                               employment_form="flexible", social_insurance=True) for p in (me, other)}
    resident = User.objects.create_user("res_me", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=resident, person=me)
    theirs = _submit(community_worker, regs[other.pk], code="xc2020-si-flexible")
    _login(client, resident)
    url = reverse("web:my_claim_new") + f"?policy=xc2020-si-flexible&event_type=employment&event_id={regs[me.pk].pk}"
    page = client.get(url).content.decode()
    assert "社会保险缴费记录" in page and "已核验纸质原件" not in page  # only a worker may tick the paper original
    r = client.post(url, {"policy": "xc2020-si-flexible", "event_type": "employment", "event_id": regs[me.pk].pk,
                          "evidence_0": pdf()})
    mine = Claim.objects.get(person=me)
    assert r.status_code == 302 and mine.channel == "portal" and mine.submitted_by == resident
    listing = client.get(reverse("web:my_claims")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert client.get(reverse("web:my_claim", args=[theirs.pk])).status_code == 404
    # nor may a resident claim someone else's entitlement, nor reach the workbench list
    other_url = reverse("web:my_claim_new") + f"?policy=xc2020-si-flexible&event_type=employment&event_id={regs[other.pk].pk}"
    assert client.get(other_url).status_code == 404
    assert client.get(reverse("web:claims")).status_code == 403
    # the resident withdraws their own claim
    r = client.post(reverse("web:my_claim_withdraw", args=[mine.pk]), {"note": "暂不申领"})
    mine.refresh_from_db()
    assert r.status_code == 302 and mine.status == ClaimStatus.WITHDRAWN


def test_publicity_page_reports_which_claims_were_refused_and_why(client, shipped, media, clock, community_worker,
                                                                  street_officer, district_officer, make_person):
    from jiuye.policies.models import Internship
    from tests.policies_helpers import make_employer

    grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
    firm = make_employer(district_officer, 1, size="micro")
    internship = Internship.objects.create(person=grad, unit=firm, starts_on=D(2020, 3, 1), ends_on=D(2020, 8, 31),
                                           hired_on=D(2020, 7, 1))
    claim = services.submit_claim(community_worker, policy_code="xc2020-internship-retention",
                                  event_type="internship_retention", event_id=internship.pk,
                                  evidence_files=evidence_for("xc2020-internship-retention"), on=D(2020, 9, 1))
    services.review_claim(street_officer, claim, approve=True)
    pub = services.publish(district_officer, [claim], title="见习留用补贴公示", starts_on=D(2020, 9, 1))
    clock["today"] = D(2020, 9, 30)
    _login(client, district_officer)
    page = client.post(reverse("web:publicity", args=[pub.pk]), {"override_reason": ""}).content.decode()
    assert "核准 0 件；未通过 1 件" in page and claim.number in page and "未设置" in page
    detail = client.get(reverse("web:claim", args=[claim.pk])).content.decode()
    assert "核准未通过" in detail and "公示中" in detail
