"""Labour sharing (用工余缺调剂): offers and requests, "可对接" by occupation major group and overlapping
period, a placement between two different firms within both periods, matched when covered; scope."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from jiuye.accounts.models import Role
from jiuye.jobs.models import Occupation, SharingStatus, SharingWorker
from jiuye.jobs.queries import sharing as queries
from jiuye.jobs.services import sharing as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from tests import jobs_helpers
from tests.jobs_helpers import make_employer

occupations = jobs_helpers.occupations  # the fixture

D = datetime.date


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def firms(district_officer):
    return make_employer(district_officer, n=61, name="电子厂"), make_employer(district_officer, n=62, name="物流公司")


def offer_of(actor, employer, kind="offer", code="6-18-02-04", **kw):
    fields = dict(kind=kind, employer=employer, title="电焊工", headcount=5, starts_on=D(2026, 12, 1),
                  ends_on=D(2027, 2, 28), occupation=Occupation.objects.filter(code=code).first())
    fields.update(kw)
    return services.create_offer(actor=actor, **fields)


def test_matchable_and_placement(street_officer, firms, occupations, make_person):
    idle, short = firms
    offer = offer_of(street_officer, idle)
    request = offer_of(street_officer, short, kind="request", headcount=3, starts_on=D(2027, 1, 1), ends_on=D(2027, 3, 31))
    offer_of(street_officer, short, kind="request", code="2-02-07-04", title="软件工程师")  # another major group
    rows, _more = queries.search_offers(street_officer, queries.SharingSearch(matchable=True))
    assert {r.pk for r in rows} == {offer.pk, request.pk}
    assert [c.pk for c in queries.counterparts(street_officer, offer)] == [request.pk]
    worker = make_person(name="借调工")
    with pytest.raises(ValidationError) as exc:
        services.record_placement(actor=street_officer, offer=offer, request=request, from_employer=None,
                                  to_employer=None, headcount=4, starts_on=D(2027, 1, 1), ends_on=D(2027, 3, 31))
    text = str(exc.value.message_dict["starts_on"])
    assert "不在共享信息" in text and "2027-02-28" in text
    with pytest.raises(ValidationError, match="尚余3人"):
        services.record_placement(actor=street_officer, offer=offer, request=request, from_employer=None,
                                  to_employer=None, headcount=4, starts_on=D(2027, 1, 1), ends_on=D(2027, 2, 28))
    placement = services.record_placement(actor=street_officer, offer=offer, request=request, from_employer=None,
                                          to_employer=None, headcount=3, starts_on=D(2027, 1, 1),
                                          ends_on=D(2027, 2, 28), terms="工资由调入单位支付",
                                          worker_id_numbers=[worker.id_number])
    request.refresh_from_db()
    offer.refresh_from_db()
    assert request.status == SharingStatus.MATCHED and offer.status == SharingStatus.OPEN
    assert SharingWorker.objects.filter(placement=placement, person=worker).exists()


def test_two_firms_must_differ_and_workers_in_scope(street_officer, firms, make_person):
    idle, _short = firms
    outsider = make_person(name="外街道", region=COMMUNITY_B1)
    with pytest.raises(ValidationError) as exc:
        services.record_placement(actor=street_officer, from_employer=idle, to_employer=idle, headcount=1,
                                  starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31), worker_id_numbers=[outsider.id_number])
    errors = exc.value.message_dict
    assert "不能是同一家" in errors["to_employer"][0] and "不在您的管辖范围内" in errors["workers"][0]
    assert outsider.id_number not in str(errors)


def test_board_page_count_export_and_employer_user(street_officer, other_street_officer, firms, occupations):
    idle, short = firms
    offer_of(street_officer, idle)
    offer_of(street_officer, short, kind="request")
    web = client_for(street_officer)
    html = web.get("/jobs/sharing/").content.decode()
    assert 'data-total="2"' in html and "可对接" in html
    assert web.get("/jobs/sharing/", {"format": "xlsx"}).status_code == 200
    user = _user("emp_sh", Role.EMPLOYER_USER, COMMUNITY_A1)
    registry.link_account(actor=None, user=user, employer=idle)
    emp = client_for(user)
    r = emp.post("/jobs/sharing/new/", {"kind": "request", "title": "叉车司机", "headcount": "2",
                                        "starts_on": "2027-01-01", "ends_on": "2027-01-31"})
    assert r.status_code == 302
    assert queries.offers_visible_to(user).filter(title="叉车司机", employer=idle).exists()
    r = emp.post("/jobs/sharing/new/", {"kind": "request", "title": "叉车司机", "headcount": "2",
                                        "starts_on": "2027-02-01", "ends_on": "2027-01-31"})
    assert "早于开始日期" in r.content.decode()
