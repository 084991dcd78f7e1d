"""The gig market (零工市场): posting with every error at once, taking until the start with the headcount
cap, done/no-show with pay, a person's history, scope, and the board as residents, employers and staff
see it."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role
from jiuye.jobs.models import GigStatus, GigTake, GigTakeStatus, GigTask
from jiuye.jobs.queries import gigs as queries
from jiuye.jobs.services import gigs as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from tests.jobs_helpers import make_employer

T = datetime.time


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def resident(make_person):
    person = make_person(name="李零工", region=COMMUNITY_A1)
    user = _user("res_gig", Role.RESIDENT, COMMUNITY_A1)
    registry.link_account(actor=None, user=user, person=person)
    return user


@pytest.fixture
def employer_user(district_officer):
    employer = make_employer(district_officer, n=41, name="家政服务公司")
    user = _user("emp_gig", Role.EMPLOYER_USER, COMMUNITY_A1)
    registry.link_account(actor=None, user=user, employer=employer)
    return user


def post(actor, tomorrow, **kw):
    fields = dict(title="搬家装卸", work_date=tomorrow, start_time=T(8), end_time=T(17), daily_pay="260",
                  region=COMMUNITY_A1, headcount=2, poster_name="张女士", contact_phone="13800138000")
    fields.update(kw)
    return services.post_gig(actor=actor, **fields)


def test_posting_reports_every_error_at_once(street_officer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        post(street_officer, yesterday, start_time=T(17), end_time=T(8), daily_pay="0", poster_name="", title="")
    errors = exc.value.message_dict
    assert {"title", "work_date", "end_time", "daily_pay", "poster_name"} <= set(errors)
    assert "已过" in errors["work_date"][0] and "应晚于开始时间" in errors["end_time"][0]
    assert not GigTask.objects.exists()


def test_take_until_full_then_taken_and_outcomes(street_officer, make_person, tomorrow, resident):
    task = post(street_officer, tomorrow)
    a, b = make_person(name="甲"), make_person(name="乙")
    services.take_gig(actor=street_officer, task=task, person=a)
    with pytest.raises(ValidationError, match="已接过"):
        services.take_gig(actor=street_officer, task=task, person=a)
    services.take_gig(actor=street_officer, task=task, person=b)
    task.refresh_from_db()
    assert task.status == GigStatus.TAKEN
    with pytest.raises(ValidationError, match="已接满"):
        services.take_gig(actor=resident, task=task)
    # not before it starts
    take_a, take_b = GigTake.objects.filter(task=task).order_by("pk")
    with pytest.raises(ValidationError, match="开始后才能登记"):
        services.record_outcome(actor=street_officer, take=take_a, outcome="done", paid="260")
    started = services.starts_at(task) + datetime.timedelta(hours=9)
    with pytest.raises(ValidationError, match="实发报酬"):
        services.record_outcome(actor=street_officer, take=take_a, outcome="done", now=started)
    services.record_outcome(actor=street_officer, take=take_a, outcome="done", paid="260", now=started)
    task.refresh_from_db()
    assert task.status == GigStatus.TAKEN  # b still open
    services.record_outcome(actor=street_officer, take=take_b, outcome="no_show", now=started)
    task.refresh_from_db()
    assert task.status == GigStatus.DONE
    history = queries.gigs_of_person(street_officer, a.pk)
    assert history["done"] == 1 and history["paid"] == Decimal("260.00")
    assert queries.gigs_of_person(street_officer, b.pk)["no_show"] == 1
    assert AuditEntry.objects.filter(object_type="gig_take").count() == 4


def test_no_take_once_started(street_officer, resident, tomorrow):
    task = post(street_officer, tomorrow)
    with pytest.raises(ValidationError, match="不能再接单"):
        services.take_gig(actor=resident, task=task, now=services.starts_at(task))


def test_cancel_take_reopens_and_cancel_task(street_officer, resident, tomorrow):
    task = post(street_officer, tomorrow, headcount=1)
    take = services.take_gig(actor=resident, task=task)
    task.refresh_from_db()
    assert task.status == GigStatus.TAKEN
    services.cancel_take(actor=resident, take=take)
    task.refresh_from_db()
    assert task.status == GigStatus.OPEN
    services.take_gig(actor=resident, task=task)  # may take again after cancelling
    services.cancel_gig(actor=street_officer, task=task, reason="天气")
    assert GigTake.objects.filter(task=task, status=GigTakeStatus.TAKEN).count() == 0


def test_scope_other_street_neither_sees_nor_takes_for_outsiders(street_officer, other_street_officer, make_person,
                                                                 tomorrow):
    task = post(street_officer, tomorrow)
    assert queries.count_gigs(other_street_officer, queries.GigSearch()) == 0
    with pytest.raises(Exception):
        queries.get_gig(other_street_officer, task.pk)
    outsider = make_person(name="外街道", region=COMMUNITY_B1)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.take_gig(actor=street_officer, task=task, person=outsider)
    with pytest.raises(PermissionDenied):
        services.cancel_gig(actor=other_street_officer, task=task)


def test_employer_posts_for_itself_and_sees_its_takers(employer_user, resident, tomorrow, street_officer):
    task = post(employer_user, tomorrow, poster_name="", contact_phone="", region=COMMUNITY_B1)
    assert task.employer_id is not None
    services.take_gig(actor=resident, task=task)
    page = client_for(employer_user).get(f"/jobs/gigs/{task.pk}/")
    assert page.status_code == 200
    assert "李零工" in page.content.decode()
    # a resident sees the board but not other takers' identity numbers
    board = client_for(resident).get("/jobs/gigs/")
    assert board.status_code == 200 and "搬家装卸" in board.content.decode() and "我的零工" in board.content.decode()


def test_resident_takes_from_the_portal(street_officer, resident, tomorrow):
    task = post(street_officer, tomorrow)
    web = client_for(resident)
    assert "接单" in web.get(f"/jobs/gigs/{task.pk}/").content.decode()
    r = web.post(f"/jobs/gigs/{task.pk}/take/")
    assert r.status_code == 302
    assert GigTake.objects.filter(task=task).count() == 1
    assert "您已接单" in web.get(f"/jobs/gigs/{task.pk}/").content.decode()


def test_staff_board_count_filters_export_and_outcome_form(street_officer, make_person):
    today = timezone.localdate()
    past = GigTask.objects.create(title="发传单", region_id=COMMUNITY_A1, work_date=today - datetime.timedelta(days=2),
                                  start_time=T(9), end_time=T(12), daily_pay=Decimal("120"), status=GigStatus.TAKEN)
    person = make_person(name="丙")
    take = GigTake.objects.create(task=past, person=person)
    post(street_officer, today + datetime.timedelta(days=3), title="仓库理货")
    web = client_for(street_officer)
    page = web.get("/jobs/gigs/")
    html = page.content.decode()
    assert 'data-total="2"' in html and html.index("仓库理货") < html.index("发传单")  # upcoming open first
    assert 'data-total="1"' in web.get("/jobs/gigs/", {"status": "taken"}).content.decode()
    xlsx = web.get("/jobs/gigs/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    r = web.post(f"/jobs/gigs/{past.pk}/outcome/", {"take": take.pk, "outcome": "done", "paid": "120"})
    assert r.status_code == 302
    take.refresh_from_db()
    assert take.status == GigTakeStatus.DONE and take.paid == Decimal("120.00")


def test_employer_posts_from_the_web_form_with_errors_next_to_fields(employer_user, tomorrow):
    web = client_for(employer_user)
    form = web.get("/jobs/gigs/new/").content.decode()
    assert "poster_name" not in form and "credit_code" not in form  # its own employer only
    bad = web.post("/jobs/gigs/new/", {"title": "门店促销", "work_date": tomorrow.isoformat(), "start_time": "17:00",
                                       "end_time": "09:00", "daily_pay": "200", "headcount": "2", "region": COMMUNITY_A1})
    assert bad.status_code == 200 and "应晚于开始时间" in bad.content.decode()
    ok = web.post("/jobs/gigs/new/", {"title": "门店促销", "work_date": tomorrow.isoformat(), "start_time": "09:00",
                                      "end_time": "17:00", "daily_pay": "200", "headcount": "2", "region": COMMUNITY_A1})
    assert ok.status_code == 302
    task = GigTask.objects.get(title="门店促销")
    assert task.employer.name == "家政服务公司"
