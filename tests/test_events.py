"""Domain events: every registry service announces its change inside its own transaction."""
from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from jiuye.accounts.models import AuditEntry
from jiuye.registry import events, services
from jiuye.registry.models import Household, HouseholdMembership, Person, Registration

from .conftest import COMMUNITY_A1, COMMUNITY_B1

D = datetime.date
SIGNALS = {name: getattr(events, name) for name in (
    "registrations_recorded", "registrations_corrected", "registrations_voided", "persons_created", "persons_changed",
    "memberships_opened", "memberships_closed", "households_changed", "employers_changed")}


def credit_code(body9: str = "123456789") -> str:
    body = f"91610102{body9}"
    return body + uscc.calc_check_digit(body)


class Recorder:
    """Connects to every registry signal and records (signal name, kwargs) in order."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []
        self._receivers = []
        for name, signal in SIGNALS.items():
            def receiver(sender, _name=name, **kwargs):
                kwargs.pop("signal", None)
                self.sent.append((_name, {"sender": sender, **kwargs}))
            signal.connect(receiver, weak=False)
            self._receivers.append((signal, receiver))

    def take(self) -> list[tuple[str, dict]]:
        sent, self.sent = self.sent, []
        return sent

    def disconnect(self):
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)


@pytest.fixture
def recorder():
    rec = Recorder()
    yield rec
    rec.disconnect()


def test_each_service_sends_exactly_the_expected_signal(recorder, make_person, district_officer):
    officer = district_officer
    person = make_person(region=COMMUNITY_A1)
    assert recorder.take() == [("persons_created", {"sender": Person, "ids": [person.pk], "via": "service"})]

    services.update_person(actor=officer, person=person, phone="13800000000", address="西一路1号")
    assert recorder.take() == [("persons_changed", {"sender": Person, "ids": [person.pk], "fields": ["address", "phone"],
                                                    "via": "service"})]
    services.update_person(actor=officer, person=person, phone="13800000000")  # nothing changes: nothing sent
    assert recorder.take() == []

    employer = services.create_employer(actor=officer, credit_code=credit_code(), name="甲公司", region=COMMUNITY_A1)
    assert recorder.take() == [("employers_changed", {"sender": type(employer), "ids": [employer.pk], "created": True,
                                                      "fields": ["credit_code", "name", "region"], "via": "service"})]
    services.update_employer(actor=officer, employer=employer, employee_count=30)
    assert recorder.take() == [("employers_changed", {"sender": type(employer), "ids": [employer.pk], "created": False,
                                                      "fields": ["employee_count"], "via": "service"})]

    entry = services.register_employment(actor=officer, person=person, effective_date=D(2023, 1, 1),
                                         employment_form="unit", employer=employer)
    assert recorder.take() == [("registrations_recorded", {"sender": Registration, "ids": [entry.pk],
                                                           "person_ids": [person.pk], "via": "service"})]
    lost = services.register_unemployment(actor=officer, person=person, effective_date=D(2024, 1, 1),
                                          unemployment_reason="dismissed", former_employer=employer)
    ended = services.end_status(actor=officer, person=person, effective_date=D(2024, 6, 1), ending_reason="other")
    assert [(n, k["ids"]) for n, k in recorder.take()] == [("registrations_recorded", [lost.pk]),
                                                           ("registrations_recorded", [ended.pk])]
    fixed = services.correct_registration(actor=officer, registration=ended, reason="日期错误", effective_date=D(2024, 6, 2))
    assert recorder.take() == [("registrations_corrected", {"sender": Registration, "ids": [fixed.pk],
                                                            "corrected_ids": [ended.pk], "person_ids": [person.pk],
                                                            "via": "service"})]
    void = services.void_registration(actor=officer, registration=fixed, reason="误登记")
    assert recorder.take() == [("registrations_voided", {"sender": Registration, "ids": [void.pk],
                                                         "voided_ids": [fixed.pk], "person_ids": [person.pk],
                                                         "via": "service"})]

    household = services.create_household(actor=officer, number="H1", region=COMMUNITY_A1)
    assert recorder.take() == [("households_changed", {
        "sender": Household, "ids": [household.pk], "created": True,
        "fields": ["number", "region", "address", "has_business_income", "note"], "via": "service"})]
    services.update_household(actor=officer, household=household, address="西一路2号")
    assert [(n, k["ids"], k["fields"]) for n, k in recorder.take() if n == "households_changed" and k["via"] == "service"
            and k["fields"] != ["is_zero_employment"]] == [("households_changed", [household.pk], ["address"])]

    membership = services.add_household_member(actor=officer, household=household, person=person, relation="head")
    sent = [item for item in recorder.take() if item[0].startswith("memberships")]
    assert sent == [("memberships_opened", {"sender": HouseholdMembership, "ids": [membership.pk],
                                            "household_ids": [household.pk], "person_ids": [person.pk],
                                            "via": "service"})]
    other = services.create_household(actor=officer, number="H2", region=COMMUNITY_A1)
    recorder.take()
    moved = services.add_household_member(actor=officer, household=other, person=person, relation="head", move=True)
    sent = [(n, k["ids"], k["household_ids"]) for n, k in recorder.take() if n.startswith("memberships")]
    assert sent == [("memberships_closed", [membership.pk], [household.pk]),
                    ("memberships_opened", [moved.pk], [other.pk])]
    services.remove_household_member(actor=officer, household=other, person=person)
    sent = [(n, k["ids"], k["person_ids"]) for n, k in recorder.take() if n.startswith("memberships")]
    assert sent == [("memberships_closed", [moved.pk], [person.pk])]


@pytest.fixture
def writing_receiver():
    """A receiver in a 'higher app': writes a row whenever a registration is recorded."""
    def receiver(sender, ids, person_ids, **kwargs):
        AuditEntry.objects.create(action=AuditEntry.Action.UPDATE, object_type="test_case", object_id=str(ids[0]),
                                  actor_name="receiver", summary="case opened")

    events.registrations_recorded.connect(receiver, weak=False, dispatch_uid="test_writing_receiver")
    yield
    events.registrations_recorded.disconnect(dispatch_uid="test_writing_receiver")


def _register(person, officer):
    return services.register_unemployment(actor=officer, person=person, effective_date=D(2024, 1, 1),
                                          unemployment_reason="dismissed")


def _receiver_rows():
    return AuditEntry.objects.filter(object_type="test_case")


def test_a_failing_receiver_rolls_back_the_change_and_the_other_receivers_writes(
        writing_receiver, make_person, district_officer):
    person = make_person()

    def fail(sender, **kwargs):
        raise RuntimeError("receiver failed")

    events.registrations_recorded.connect(fail, weak=False, dispatch_uid="test_failing_receiver")
    try:
        with pytest.raises(RuntimeError):
            _register(person, district_officer)
    finally:
        events.registrations_recorded.disconnect(dispatch_uid="test_failing_receiver")
    assert not Registration.objects.exists() and not _receiver_rows().exists()
    person.refresh_from_db()
    assert person.employment_status == "none"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REGISTER).exists()


def test_a_service_failing_after_the_signal_rolls_back_the_receivers_writes(
        writing_receiver, make_person, district_officer, monkeypatch):
    person = make_person()
    original = events.registrations_recorded.send

    def send_then_fail(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("failure after the signal, inside the service's transaction")

    monkeypatch.setattr(events.registrations_recorded, "send", send_then_fail)
    with pytest.raises(RuntimeError):
        _register(person, district_officer)
    assert not Registration.objects.exists() and not _receiver_rows().exists()


@pytest.mark.django_db(transaction=True)
def test_a_successful_service_commits_both(writing_receiver, regions, make_person, district_officer):
    person = make_person()
    entry = _register(person, district_officer)
    assert not transaction.get_connection().in_atomic_block  # really committed, not a test savepoint
    assert Registration.objects.filter(pk=entry.pk).exists()
    assert list(_receiver_rows().values_list("object_id", flat=True)) == [str(entry.pk)]


def test_refresh_projections_announces_the_flipped_households_once(recorder, make_person, district_officer):
    old = make_person(birth="19700101")
    household = services.create_household(actor=district_officer, number="H9", region=COMMUNITY_B1)
    services.add_household_member(actor=district_officer, household=household, person=old, relation="head")
    services.register_unemployment(actor=district_officer, person=old, effective_date=D(2024, 1, 1),
                                   unemployment_reason="dismissed")
    Household.objects.filter(pk=household.pk).update(is_zero_employment=False)  # as if the flag were stale
    recorder.take()
    call_command("refresh_projections", stdout=open("/dev/null", "w"))
    assert recorder.take() == [("households_changed", {"sender": Household, "ids": [household.pk], "created": False,
                                                       "fields": ["is_zero_employment"], "via": "refresh"})]
    call_command("refresh_projections", stdout=open("/dev/null", "w"))
    assert recorder.take() == []  # nothing flipped: nothing announced


def test_registry_never_imports_a_listener():
    """Registry sends; higher apps listen. No module of registry names an app above it (the floors of
    the import-linter contract; utilities outside the floors, such as paging, are allowed)."""
    from .test_floors import floors

    table = floors()
    above = {module for module, floor in table.items() if floor < table["jiuye.registry"]}
    root = Path(__file__).resolve().parents[1] / "jiuye" / "registry"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if "." in node.module else [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "jiuye" and len(parts) > 1 and f"jiuye.{parts[1]}" in above:
                    offenders.append(f"{path.relative_to(root)}: {name}")
    assert offenders == []
