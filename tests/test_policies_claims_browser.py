"""The claims pages in a real browser at a phone width (360 px) and a desktop width: no page is wider than
the screen (staff pages, the printable publicity list, and the resident's portal pages)."""
from __future__ import annotations

import pytest

from jiuye.accounts.models import Role, User
from jiuye.policies.services import claims as services
from jiuye.registry import services as registry

from .policies_helpers import D, evidence_for, graduate_hire, media, shipped  # noqa: F401
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import assert_pages_fit, login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 800}, {"width": 1366, "height": 900}], ids=["phone", "desktop"])
def test_claim_pages_fit_the_screen(transactional_db, live_server, browser_page, viewport, shipped, media, monkeypatch,  # noqa: F811
                                    community_worker, street_officer, district_officer, make_person):
    monkeypatch.setattr(services, "current_date", lambda: D(2020, 10, 13))
    _grad, firm, reg = graduate_hire(district_officer, make_person)
    claim = services.submit_claim(community_worker, policy_code="xc2020-hiring-once", event_type="employment",
                                  event_id=reg.pk, evidence_files=evidence_for("xc2020-hiring-once"), on=D(2020, 9, 1))
    services.review_claim(street_officer, claim, approve=True)
    pub = services.publish(district_officer, [claim], title="2020年第3批一次性吸纳就业补助拟核准名单公示",
                           starts_on=D(2020, 9, 29))
    services.record_objection(street_officer, claim, "群众甲", "13800000000", "该毕业生实际未在岗", raised_on=D(2020, 9, 30))
    me = make_person(birth="19970506", education="bachelor", school_type="university", graduation_date=D(2019, 7, 1))
    flexible = registry.register_employment(actor=district_officer, person=me, effective_date=D(2020, 3, 2),
                                            employment_form="flexible", social_insurance=True)
    mine = services.submit_claim(community_worker, policy_code="xc2020-si-flexible", event_type="employment",
                                 event_id=flexible.pk, evidence_files=evidence_for("xc2020-si-flexible"), on=D(2020, 9, 1))
    resident = User.objects.create_user("res_b", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=resident, person=me)

    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "do_xc")
    assert_pages_fit(page, base, [
        "/policies/claims/", "/policies/claims/?queue=1", f"/policies/claims/{claim.pk}/",
        f"/policies/claims/new/?policy=xc2020-hiring-once&credit_code={firm.credit_code}",
        f"/policies/claims/new/?policy=xc2020-hiring-once&event_type=employment&event_id={reg.pk}",
        "/policies/publicity/", "/policies/publicity/new/", f"/policies/publicity/{pub.pk}/",
        f"/policies/publicity/{pub.pk}/print/"])
    login(page, base, "res_b")
    assert_pages_fit(page, base, ["/portal/claims/", f"/portal/claims/{mine.pk}/"])
