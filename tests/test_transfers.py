"""迁入/迁出: request, accept, reject, withdraw; visibility before and after; households refreshed;
audit entries on both sides; no scope leaks; one pending transfer per person."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse

from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import OutOfScope
from jiuye.registry import events, queries, services, transfers
from jiuye.registry.models import Certificate, HouseholdMembership, Registration, Transfer, TransferStatus

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, _user

D = datetime.date


@pytest.fixture
def worker_b1(regions):
    return _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1, display_name="长乐社区协理员")


@pytest.fixture
def worker_a2(regions):
    return _user("cw_a2", Role.COMMUNITY_WORKER, COMMUNITY_A2, display_name="建设社区协理员")


def visible(user, person) -> bool:
    return queries.persons_visible_to(user).filter(pk=person.pk).exists()


def test_request_and_accept_moves_the_person_with_history(make_person, community_worker, worker_b1, district_officer):
    person = make_person()
    services.register_unemployment(actor=district_officer, person=person, effective_date=D(2024, 1, 1),
                                   unemployment_reason="resigned")
    cert = Certificate.objects.get(person=person)
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    assert transfer.status == TransferStatus.PENDING
    # Before acceptance: still the sender's, not yet the receiver's; the receiver sees the transfer.
    assert visible(community_worker, person) and not visible(worker_b1, person)
    lists = transfers.transfer_lists(worker_b1)
    assert [t.pk for t in lists.incoming] == [transfer.pk] and lists.incoming_pending == 1
    assert transfers.transfer_lists(community_worker).outgoing_pending == 1
    with pytest.raises(OutOfScope):  # the sender cannot accept on the receiver's behalf
        transfers.accept_transfer(actor=community_worker, transfer=transfer)
    transfers.accept_transfer(actor=worker_b1, transfer=transfer, note="已核实")
    person.refresh_from_db()
    transfer.refresh_from_db()
    assert person.region_id == COMMUNITY_B1
    assert (transfer.status, transfer.decided_by, transfer.decision_note) == (TransferStatus.ACCEPTED, worker_b1, "已核实")
    # After: the receiver's, no longer the sender's; the history and the certificate went with the person.
    assert visible(worker_b1, person) and not visible(community_worker, person)
    with pytest.raises(Http404):
        queries.get_person(community_worker, person.pk)
    assert [r.registered_in_id for r in Registration.objects.filter(person=person)] == [COMMUNITY_A1]
    assert Certificate.objects.get(person=person) == cert
    assert person.employment_status == "unemployed"
    # The sender still sees its own transfer record.
    assert [t.pk for t in transfers.transfer_lists(community_worker, status="accepted").outgoing] == [transfer.pk]


def test_audit_entries_on_both_sides(make_person, community_worker, worker_b1):
    person = make_person()
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    transfers.accept_transfer(actor=worker_b1, transfer=transfer)
    entries = AuditEntry.objects.filter(object_type="person", object_id=str(person.pk), changes__transfer=transfer.pk)
    assert sorted((e.actor.username, e.region_code) for e in entries) == sorted([
        ("cw_a1", COMMUNITY_A1), ("cw_a1", COMMUNITY_B1), ("cw_b1", COMMUNITY_A1), ("cw_b1", COMMUNITY_B1)])
    accepted = entries.filter(actor=worker_b1).first()
    assert (accepted.changes["from_region"], accepted.changes["to_region"]) == (COMMUNITY_A1, COMMUNITY_B1)


def test_reject_keeps_the_person_and_needs_a_reason(make_person, community_worker, worker_b1):
    person = make_person()
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    with pytest.raises(ValidationError) as exc:
        transfers.reject_transfer(actor=worker_b1, transfer=transfer, note=" ")
    assert "decision_note" in exc.value.message_dict
    transfers.reject_transfer(actor=worker_b1, transfer=transfer, note="查无此人")
    person.refresh_from_db()
    assert person.region_id == COMMUNITY_A1 and visible(community_worker, person)
    with pytest.raises(ValidationError):  # decided once
        transfers.accept_transfer(actor=worker_b1, transfer=transfer)
    assert AuditEntry.objects.filter(region_code=COMMUNITY_A1, summary__contains="查无此人").exists()
    # After a rejection a new request may be made.
    transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_A2, reason="再次申请")


def test_withdraw_by_the_sender(make_person, community_worker, worker_b1):
    person = make_person()
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    with pytest.raises(OutOfScope):
        transfers.cancel_transfer(actor=worker_b1, transfer=transfer)
    transfers.cancel_transfer(actor=community_worker, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_rules_of_a_request(make_person, community_worker, worker_b1):
    person = make_person()
    with pytest.raises(ValidationError) as exc:
        transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_A1, reason="x")
    assert "相同" in exc.value.message_dict["to_region"][0]
    with pytest.raises(ValidationError):  # a street, not a community
        transfers.request_transfer(actor=community_worker, person=person, to_region="610102002000", reason="x")
    with pytest.raises(ValidationError):  # a reason is needed
        transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason=" ")
    with pytest.raises(OutOfScope):  # the receiver cannot pull a person
        transfers.request_transfer(actor=worker_b1, person=person, to_region=COMMUNITY_B1, reason="x")
    transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    with pytest.raises(ValidationError) as exc:
        transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_A2, reason="又搬家")
    assert "待接收" in exc.value.message_dict["to_region"][0]
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database holds it too
        Transfer.objects.create(person=person, from_region_id=COMMUNITY_A1, to_region_id=COMMUNITY_A2, reason="x")


def test_household_membership_closed_and_both_households_refreshed(make_person, community_worker, worker_b1,
                                                                   district_officer):
    mover = make_person()
    stays = make_person()
    services.register_employment(actor=district_officer, person=mover, effective_date=D(2024, 1, 1),
                                 employment_form="flexible")
    services.register_unemployment(actor=district_officer, person=stays, effective_date=D(2024, 1, 1),
                                   unemployment_reason="resigned")
    household = services.create_household(actor=district_officer, number="H-1", region=COMMUNITY_A1)
    services.add_household_member(actor=district_officer, household=household, person=mover, relation="head")
    services.add_household_member(actor=district_officer, household=household, person=stays, relation="spouse")
    household.refresh_from_db()
    assert not household.is_zero_employment  # the mover works
    received = []

    def hook(sender, **kwargs):
        received.append(kwargs)

    events.persons_transferred.connect(hook, weak=False)
    try:
        transfer = transfers.request_transfer(actor=community_worker, person=mover, to_region=COMMUNITY_B1, reason="搬家")
        transfers.accept_transfer(actor=worker_b1, transfer=transfer)
    finally:
        events.persons_transferred.disconnect(hook)
    membership = HouseholdMembership.objects.get(person=mover)
    assert membership.left_on is not None
    household.refresh_from_db()
    assert household.is_zero_employment  # the one left behind is unemployed: the flag follows at once
    assert received and received[0]["person_ids"] == [mover.pk] and received[0]["to_region"] == COMMUNITY_B1
    assert AuditEntry.objects.filter(object_type="household", object_id=str(household.pk),
                                     changes__transfer=transfer.pk).exists()


def test_a_person_moved_meanwhile_cannot_be_accepted(make_person, community_worker, worker_b1, street_officer):
    person = make_person()
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    services.update_person(actor=street_officer, person=person, region=COMMUNITY_A2)
    with pytest.raises(ValidationError):
        transfers.accept_transfer(actor=worker_b1, transfer=transfer)


# ---------------------------------------------------------------------------------------------
# Web and API


def test_web_hand_over_and_accept(make_person, community_worker, worker_b1):
    person = make_person(name="迁移人")
    sender, receiver = Client(), Client()
    sender.force_login(community_worker)
    receiver.force_login(worker_b1)
    page = sender.get(reverse("web:person", args=[person.pk])).content.decode()
    assert reverse("web:transfer_request", args=[person.pk]) in page
    form = sender.get(reverse("web:transfer_request", args=[person.pk])).content.decode()
    assert "长乐社区" in form or COMMUNITY_B1 in form
    response = sender.post(reverse("web:transfer_request", args=[person.pk]), {"to_region": COMMUNITY_B1, "reason": "搬家"},
                           follow=True)
    assert "已提交迁出申请" in response.content.decode()
    transfer = Transfer.objects.get(person=person)
    listing = receiver.get(reverse("web:transfers")).content.decode()
    assert "迁移人" in listing and person.id_number not in listing
    assert reverse("web:transfer_decide", args=[transfer.pk]) in listing
    # The receiver cannot open the record before accepting.
    assert receiver.get(reverse("web:person", args=[person.pk])).status_code == 404
    response = receiver.post(reverse("web:transfer_decide", args=[transfer.pk]), {"decision": "accept", "note": ""},
                             follow=True)
    assert "已接收迁移人" in response.content.decode()
    assert receiver.get(reverse("web:person", args=[person.pk])).status_code == 200
    assert sender.get(reverse("web:person", args=[person.pk])).status_code == 404


def test_web_reject_needs_a_reason_shown_on_the_form(make_person, community_worker, worker_b1):
    person = make_person()
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    client = Client()
    client.force_login(worker_b1)
    response = client.post(reverse("web:transfer_decide", args=[transfer.pk]), {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "退回须填写原因" in response.content.decode()
    # A stranger neither sees nor decides it.
    stranger = Client()
    stranger.force_login(_user("cw_a2x", Role.COMMUNITY_WORKER, COMMUNITY_A2))
    assert stranger.get(reverse("web:transfer_decide", args=[transfer.pk])).status_code == 404
    assert "搬家" not in stranger.get(reverse("web:transfers")).content.decode()


def test_api_transfer_round_trip(make_person, community_worker, worker_b1):
    person = make_person()
    sender, receiver = Client(), Client()
    sender.force_login(community_worker)
    receiver.force_login(worker_b1)
    response = sender.post(f"/api/v1/persons/{person.pk}/transfers", {"to_region": COMMUNITY_B1, "reason": "搬家"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    tid = response.json()["id"]
    assert response.json()["id_number_masked"] != person.id_number
    same = sender.post(f"/api/v1/persons/{person.pk}/transfers", {"to_region": COMMUNITY_A2, "reason": "再搬"},
                       content_type="application/json")
    assert same.status_code == 422
    incoming = receiver.get("/api/v1/transfers").json()
    assert [t["id"] for t in incoming["incoming"]] == [tid] and incoming["incoming_pending"] == 1
    assert sender.post(f"/api/v1/transfers/{tid}/accept", {}, content_type="application/json").status_code == 403
    accepted = receiver.post(f"/api/v1/transfers/{tid}/accept", {"note": "好"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert sender.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert receiver.get(f"/api/v1/persons/{person.pk}").status_code == 200


def test_api_transfer_of_a_person_outside_scope_is_not_found(make_person, worker_b1):
    person = make_person()
    client = Client()
    client.force_login(worker_b1)
    response = client.post(f"/api/v1/persons/{person.pk}/transfers", {"to_region": COMMUNITY_B1, "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 404
    assert not Transfer.objects.exists()
    assert client.post("/api/v1/transfers/999999/accept", {}, content_type="application/json").status_code == 404




def test_the_audit_log_reads_the_transfer_in_chinese(make_person, community_worker, worker_b1, district_officer):
    person = make_person()
    services.register_unemployment(actor=district_officer, person=person, effective_date=D(2024, 1, 1),
                                   unemployment_reason="resigned")
    transfer = transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    transfers.accept_transfer(actor=worker_b1, transfer=transfer, note="已核实")
    client = Client()
    client.force_login(district_officer)
    page = client.get(reverse("web:audit") + f"?object_type=person&object_id={person.pk}").content.decode()
    for text in ("迁移原因", "搬家", "迁入社区", "长乐社区", "处理意见", "已核实", "待接收", "已接收", "就业创业证编号"):
        assert text in page, text
    for raw in ("transfer_reason", "to_region", "accepted", "household_left", "issued_by"):
        assert raw not in page, raw


def test_the_receiving_worker_home_page_says_transfers_wait(make_person, community_worker, worker_b1):
    person = make_person()
    client = Client()
    client.force_login(worker_b1)
    assert "待您接收" not in client.get(reverse("web:home")).content.decode()
    transfers.request_transfer(actor=community_worker, person=person, to_region=COMMUNITY_B1, reason="搬家")
    page = client.get(reverse("web:home")).content.decode()
    assert "有 1 人从其他社区迁入，待您接收" in page and reverse("web:transfers") in page
    sender = Client()
    sender.force_login(community_worker)
    assert "待您接收" not in sender.get(reverse("web:home")).content.decode()
