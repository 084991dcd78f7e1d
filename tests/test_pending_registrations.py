"""Contract dates on employment registrations, pending registrations applied by the daily job (待生效),
and online self-service registration (网上自助) through the services."""
from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from stdnum.cn import uscc

from jiuye import parameters
from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.accounts.scoping import OutOfScope
from jiuye.registry import queries, services
from jiuye.registry.models import EmploymentStatus, PendingRegistration, Person, Registration, RegistrationSource

from .conftest import COMMUNITY_A1, COMMUNITY_B1, _user

D = datetime.date


def credit_code(body9: str = "123456789", region6: str = "610102") -> str:
    body = f"91{region6}{body9}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=credit_code(), name="西安示例机械有限公司",
                                    region=COMMUNITY_A1)


@pytest.fixture
def person(make_person):
    return make_person(name="王五", region=COMMUNITY_A1)


@pytest.fixture
def resident(person):
    user = User.objects.create_user(username="res_w", password="pass-12345678", role=Role.RESIDENT)
    services.link_account(actor=None, user=user, person=person)
    return user


@pytest.fixture
def immediate(tmp_path):
    """A jurisdiction (新城区) whose parameter lets self-registrations take effect at once."""
    (tmp_path / "610102.yaml").write_text(
        'jurisdiction: "610102"\nparameters:\n  registry.self_registration.requires_confirmation:\n'
        "    - {since: open, value: false, basis: {document: 测试文件, article: 第一条}}\n", encoding="utf-8")
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        parameters.clear_cache()
        yield
    parameters.clear_cache()


# ---------------------------------------------------------------------------------------------
# Contract dates


def test_contract_months_are_derived_from_the_dates_whole_months_rounded_down():
    assert services.contract_months_between(D(2024, 1, 1), D(2026, 12, 31)) == 36
    assert services.contract_months_between(D(2024, 3, 15), D(2025, 3, 14)) == 12
    assert services.contract_months_between(D(2024, 1, 15), D(2024, 3, 10)) == 1  # 1 month and 24 days


def test_employment_registration_records_contract_dates_and_derives_months(person, employer, community_worker):
    entry = services.register_employment(actor=community_worker, person=person, effective_date=D(2024, 1, 1),
                                         employment_form="unit", employer=employer, contract_type="fixed",
                                         contract_start=D(2024, 1, 1), contract_end=D(2026, 12, 31))
    entry.refresh_from_db()
    assert (entry.contract_start, entry.contract_end, entry.contract_months) == (D(2024, 1, 1), D(2026, 12, 31), 36)


@pytest.mark.parametrize("kwargs, field, words", [
    ({"contract_type": "fixed", "contract_start": D(2024, 1, 1), "contract_end": D(2023, 12, 31)}, "contract_end", "早于合同起始日期"),
    ({"contract_type": "fixed", "contract_start": D(2024, 1, 1), "contract_end": D(2026, 12, 31), "contract_months": 24},
     "contract_months", "共36个月"),
    ({"contract_type": "fixed", "contract_start": D(2024, 1, 1)}, "contract_end", "须填写合同终止日期"),
    ({"contract_type": "open_ended", "contract_start": D(2024, 1, 1), "contract_end": D(2026, 12, 31)}, "contract_end",
     "没有终止日期"),
    ({"contract_type": "none", "contract_start": D(2024, 1, 1)}, "contract_type", "未签订"),
    ({"contract_start": D(2024, 1, 1), "contract_end": D(2026, 12, 31)}, "contract_type", "请选择劳动合同类型"),
    ({"contract_type": "task", "contract_start": D(2023, 1, 1), "contract_end": D(2023, 6, 30)}, "contract_end", "早于就业日期"),
])
def test_contract_dates_that_do_not_fit_are_refused_naming_the_field(person, employer, community_worker, kwargs, field, words):
    with pytest.raises(ValidationError) as caught:
        services.register_employment(actor=community_worker, person=person, effective_date=D(2024, 1, 1),
                                     employment_form="unit", employer=employer, **kwargs)
    assert field in caught.value.message_dict and words in caught.value.message_dict[field][0]
    assert not Registration.objects.filter(person=person).exists()


def test_open_ended_and_task_contracts_need_no_end_and_old_terms_in_months_still_fit(person, employer, community_worker):
    entry = services.register_employment(actor=community_worker, person=person, effective_date=D(2024, 1, 1),
                                         employment_form="unit", employer=employer, contract_type="open_ended",
                                         contract_start=D(2024, 1, 1))
    assert entry.contract_months is None and entry.contract_end is None
    fixed = services.correct_registration(actor=community_worker, registration=entry, reason="合同类型录错",
                                          contract_type="fixed", contract_start=None, contract_months=24)
    assert fixed.contract_months == 24  # a term without dates (old ledgers) is kept as given
    corrected = services.correct_registration(actor=community_worker, registration=fixed, reason="补录合同起止日期",
                                              contract_start=D(2024, 1, 1), contract_end=D(2025, 6, 30))
    assert (corrected.contract_end, corrected.contract_months) == (D(2025, 6, 30), 18)  # derived anew


# ---------------------------------------------------------------------------------------------
# Pending hires (待生效录用) and the daily job


def test_a_future_date_is_refused_for_a_direct_entry_but_can_be_scheduled(person, employer, community_worker):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.register_employment(actor=community_worker, person=person, effective_date=tomorrow,
                                     employment_form="unit", employer=employer)
    pending = services.schedule_registration(actor=community_worker, person=person, kind="employment",
                                             effective_date=tomorrow, employment_form="unit", employer=employer,
                                             contract_type="fixed", contract_start=tomorrow,
                                             contract_end=tomorrow + datetime.timedelta(days=364))
    assert pending.status == PendingRegistration.Status.SCHEDULED and pending.values["contract_months"] == 12
    assert [p.pk for p in queries.open_pending_of(person)] == [pending.pk]
    assert AuditEntry.objects.filter(object_type="person", object_id=str(person.pk),
                                     changes__pending_registration=pending.pk).exists()
    with pytest.raises(ValidationError) as caught:  # the rules of a new entry apply when scheduling
        services.schedule_registration(actor=community_worker, person=person, kind="employment",
                                       effective_date=tomorrow, employment_form="unit")
    assert "employer" in caught.value.message_dict
    with pytest.raises(ValidationError):  # today or earlier: register directly
        services.schedule_registration(actor=community_worker, person=person, kind="employment",
                                       effective_date=timezone.localdate(), employment_form="flexible")


def test_the_daily_job_applies_a_pending_hire_on_its_date(person, employer, community_worker):
    start = timezone.localdate() + datetime.timedelta(days=3)
    pending = services.schedule_registration(actor=community_worker, person=person, kind="employment",
                                             effective_date=start, employment_form="unit", employer=employer)
    assert services.apply_due_pending(start - datetime.timedelta(days=1)) == {"applied": 0, "rejected": 0}
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.SCHEDULED
    # On the day (the job runs with the real clock; here the clock is moved to the start date).
    with _today(start):
        out = StringIO()
        call_command("refresh_projections", stdout=out)
        assert "待生效登记：生效 1 条，未通过 0 条" in out.getvalue()
    pending.refresh_from_db()
    entry = pending.registration
    assert pending.status == PendingRegistration.Status.APPLIED
    assert (entry.kind, entry.effective_date, entry.employer, entry.operator) == ("employment", start, employer,
                                                                                  community_worker)
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.EMPLOYED


def test_a_pending_entry_that_no_longer_fits_is_rejected_with_the_reason(person, community_worker):
    start = timezone.localdate() + datetime.timedelta(days=5)
    pending = services.schedule_registration(actor=community_worker, person=person, kind="unemployment",
                                             effective_date=start, unemployment_reason="graduate")
    # Meanwhile the person is registered unemployed (dated today): a second unemployment registration
    # does not fit the history on the day.
    services.register_unemployment(actor=community_worker, person=person, effective_date=timezone.localdate(),
                                   unemployment_reason="resigned")
    with _today(start):
        assert services.apply_due_pending() == {"applied": 0, "rejected": 1}
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.REJECTED and "已是登记失业" in pending.decision_reason
    assert pending.registration is None
    assert Registration.objects.filter(person=person).count() == 1


# ---------------------------------------------------------------------------------------------
# Online self-service registration (网上自助)


def test_self_registration_waits_for_the_worker_by_default_and_the_worker_confirms(resident, person, community_worker):
    pending = services.submit_self_registration(actor=resident, kind="unemployment", effective_date=D(2024, 5, 1),
                                                unemployment_reason="resigned")
    assert pending.status == PendingRegistration.Status.WAITING_CONFIRMATION
    assert not Registration.objects.filter(person=person).exists()
    assert [p.pk for p in queries.self_registrations_waiting(community_worker)] == [pending.pk]
    with pytest.raises(ValidationError):  # one waiting request at a time
        services.submit_self_registration(actor=resident, kind="unemployment", effective_date=D(2024, 5, 2),
                                          unemployment_reason="resigned")
    entry = services.confirm_self_registration(actor=community_worker, pending=pending)
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.APPLIED and pending.decided_by == community_worker
    assert (entry.source, entry.operator, entry.kind) == (RegistrationSource.ONLINE, community_worker, "unemployment")
    assert AuditEntry.objects.filter(actor=community_worker, changes__pending_registration=pending.pk,
                                     summary="确认网上自助登记").exists()
    with pytest.raises(ValidationError):  # decided once
        services.confirm_self_registration(actor=community_worker, pending=pending)


def test_self_registration_takes_effect_at_once_when_the_parameter_says_so(resident, person, immediate):
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    assert pending.status == PendingRegistration.Status.APPLIED
    assert (pending.registration.source, pending.registration.operator) == (RegistrationSource.ONLINE, resident)
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.EMPLOYED


def test_self_registration_waits_anyway_for_a_person_marked_unwilling_to_work(resident, person, immediate,
                                                                                community_worker):
    # Marked 无就业意愿 (on the record only through a capacity mark, assistance.services.zero.mark_capacity).
    Person.objects.filter(pk=person.pk).update(willing_to_work=False)
    pending = services.submit_self_registration(actor=resident, kind="unemployment", effective_date=D(2024, 5, 1),
                                                unemployment_reason="resigned")
    assert pending.status == PendingRegistration.Status.WAITING_CONFIRMATION


def test_self_registration_follows_the_staff_rules(resident, person, community_worker):
    services.register_unemployment(actor=community_worker, person=person, effective_date=D(2024, 1, 1),
                                   unemployment_reason="resigned")
    with pytest.raises(ValidationError) as caught:
        services.submit_self_registration(actor=resident, kind="unemployment", effective_date=D(2024, 5, 1),
                                          unemployment_reason="resigned")
    assert "已是登记失业" in caught.value.message_dict["effective_date"][0]
    with pytest.raises(ValidationError) as caught:
        services.submit_self_registration(actor=resident, kind="employment",
                                          effective_date=timezone.localdate() + datetime.timedelta(days=1),
                                          employment_form="flexible")
    assert "晚于今天" in caught.value.message_dict["effective_date"][0]
    with pytest.raises(ValidationError) as caught:
        services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2023, 6, 1),
                                          employment_form="flexible")
    assert "早于本人最近一次登记" in caught.value.message_dict["effective_date"][0]


def test_only_a_linked_resident_may_self_register(community_worker, regions):
    with pytest.raises(OutOfScope):
        services.submit_self_registration(actor=community_worker, kind="employment", effective_date=D(2024, 5, 1),
                                          employment_form="flexible")
    lonely = User.objects.create_user(username="res_x", password="pass-12345678", role=Role.RESIDENT)
    with pytest.raises(OutOfScope):
        services.submit_self_registration(actor=lonely, kind="employment", effective_date=D(2024, 5, 1),
                                          employment_form="flexible")


def test_reject_needs_a_reason_and_the_resident_sees_it(resident, person, community_worker):
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    with pytest.raises(ValidationError) as caught:
        services.reject_pending_registration(actor=community_worker, pending=pending, reason="  ")
    assert "reason" in caught.value.message_dict
    services.reject_pending_registration(actor=community_worker, pending=pending, reason="经核实本人仍在校")
    [mine] = queries.own_pending_registrations(resident)
    assert (mine.status, mine.decision_reason) == (PendingRegistration.Status.REJECTED, "经核实本人仍在校")


def test_a_worker_outside_the_region_cannot_see_or_decide_and_gets_no_hint(resident, person, regions):
    other = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    assert queries.self_registrations_waiting(other) == []
    with pytest.raises(queries.NotFound) as outside:
        queries.get_pending_for_change(other, pending.pk)
    with pytest.raises(queries.NotFound) as missing:
        queries.get_pending_for_change(other, pending.pk + 1000)
    assert str(outside.value) == str(missing.value)
    with pytest.raises(OutOfScope):
        services.confirm_self_registration(actor=other, pending=pending)
    with pytest.raises(OutOfScope):
        services.reject_pending_registration(actor=other, pending=pending, reason="x")


def test_the_resident_may_withdraw_a_waiting_request(resident, person):
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    services.withdraw_self_registration(actor=resident, pending=pending)
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.WITHDRAWN


class _today:
    """Moves ``timezone.localdate`` (as the services and the job read it) to ``day``."""

    def __init__(self, day):
        self.day = day

    def __enter__(self):
        from unittest import mock

        now = datetime.datetime.combine(self.day, datetime.time(1, 0), tzinfo=timezone.get_current_timezone())
        self._patch = mock.patch("django.utils.timezone.now", return_value=now)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()
