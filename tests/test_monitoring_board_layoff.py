"""Mass-layoff warnings raised by unemployment registrations naming one former employer (失业前单位), through
the registry's services and through an import: 19 vs 20 in the window, resignations never count, 31 days
apart are not together, later registrations are linked, the share of a small employer's headcount."""
from __future__ import annotations

import datetime

import pytest

from jiuye.imports.services import run_import
from jiuye.monitoring.models import Warning, WarningLink, WarningStatus
from jiuye.monitoring.services import warnings as warning_services
from jiuye.registry import services as registry
from jiuye.registry.models import Registration
from tests.monitoring_helpers import make_employer, make_enterprise, make_report

from .conftest import COMMUNITY_A1, make_id
from .import_files import write_xlsx

D = datetime.date


@pytest.fixture
def employer(district_officer):
    return make_employer(district_officer, n=11, name="西安裁员测试机械厂", industry_code="34")


@pytest.fixture
def unemploy(make_person, district_officer, employer):
    def register(day, reason="dismissed", who=None, former=None):
        person = who or make_person()
        return registry.register_unemployment(actor=district_officer, person=person, effective_date=day,
                                              unemployment_reason=reason, former_employer=former or employer)
    return register


def _warnings(employer):
    return list(Warning.objects.filter(employer=employer, kind="mass_layoff"))


def test_nineteen_in_the_window_is_no_warning_and_the_twentieth_raises_it(unemploy, employer):
    for i in range(19):
        unemploy(D(2026, 3, 1) + datetime.timedelta(days=i))
    assert _warnings(employer) == []
    twentieth = unemploy(D(2026, 3, 25))
    [warning] = _warnings(employer)
    assert warning.status == WarningStatus.OPEN and warning.region_id == COMMUNITY_A1
    assert warning.facts["registrations"] == 20 and warning.since == D(2026, 3, 1)
    assert "20人" in warning.detail and "第四十一条" in warning.detail
    assert WarningLink.objects.filter(warning=warning).count() == 20
    assert WarningLink.objects.filter(warning=warning, registration=twentieth).exists()


def test_resignations_and_contracts_running_out_never_count(unemploy, employer):
    for i in range(15):
        unemploy(D(2026, 3, 1) + datetime.timedelta(days=i))
    for i in range(10):
        unemploy(D(2026, 3, 2), reason="resigned" if i % 2 else "contract_ended")
    assert _warnings(employer) == []


def test_thirty_one_days_apart_are_not_together_thirty_are(unemploy, employer):
    for _ in range(10):
        unemploy(D(2026, 1, 1))
    for _ in range(10):
        unemploy(D(2026, 2, 1))  # 31 days later
    assert _warnings(employer) == []
    unemploy(D(2026, 1, 31))  # [01-01, 01-31] and [01-02, 02-01] hold 11 each
    assert _warnings(employer) == []
    for _ in range(9):
        unemploy(D(2026, 1, 31))  # now 10 on 01-01 and 10 on 01-31: thirty days apart
    [warning] = _warnings(employer)
    assert warning.facts["window_start"] == "2026-01-01" and warning.facts["window_end"] in ("2026-01-31", "2026-02-01")


def test_share_of_a_small_employers_headcount_counts(make_person, district_officer, unemploy, employer):
    employer.employee_count = 50
    employer.save(update_fields=["employee_count"])
    for _ in range(4):
        unemploy(D(2026, 5, 4))
    assert _warnings(employer) == []
    unemploy(D(2026, 5, 5))  # 5 of 50 = 10%
    [warning] = _warnings(employer)
    assert warning.facts["headcount"] == 50 and "10.0%" in warning.detail


def test_the_sample_report_headcount_comes_before_the_employers_own_figure(unemploy, employer):
    employer.employee_count = 1000
    employer.save(update_fields=["employee_count"])
    make_report(make_enterprise(employer), D(2026, 4, 1), 60)
    for _ in range(6):
        unemploy(D(2026, 5, 4))
    [warning] = _warnings(employer)
    assert warning.facts["headcount"] == 60 and "月报" in warning.facts["headcount_source"]


def test_later_registrations_are_linked_and_update_the_figures(unemploy, employer, district_officer):
    for _ in range(20):
        unemploy(D(2026, 3, 2))
    [warning] = _warnings(employer)
    late = unemploy(D(2026, 6, 20))  # outside the window but the warning is active
    assert WarningLink.objects.filter(warning=warning, registration=late).exists()
    resigned = unemploy(D(2026, 6, 21), reason="resigned")
    assert not WarningLink.objects.filter(registration=resigned).exists()
    for _ in range(20):
        unemploy(D(2026, 3, 3))
    warning.refresh_from_db()
    assert warning.facts["registrations"] == 40 and warning.level == "red"
    assert len(_warnings(employer)) == 1


def test_a_report_warning_of_the_employer_takes_the_linked_registrations(unemploy, employer):
    report_warning, _ = warning_services.raise_warning(
        kind="mass_layoff", key=f"employer:{employer.pk}:2026-03", region_id=employer.region_id, level="orange",
        title="月报裁员", since=D(2026, 3, 1), employer_id=employer.pk)
    regs = [unemploy(D(2026, 3, 5)) for _ in range(21)]
    assert _warnings(employer) == [report_warning]
    assert WarningLink.objects.filter(warning=report_warning).count() == len(regs)


def test_after_closing_the_same_registrations_do_not_raise_it_again(unemploy, employer, district_officer):
    for _ in range(20):
        unemploy(D(2026, 3, 2))
    [warning] = _warnings(employer)
    warning_services.acknowledge(district_officer, warning)
    warning_services.close(district_officer, warning, "已约谈企业并制定分流安置方案")
    unemploy(D(2026, 3, 4))
    assert [w.status for w in _warnings(employer)] == ["closed"]


def test_an_import_in_one_chunk_raises_the_warning(db, make_person, employer, tmp_path):
    people = [make_person(seq=f"{2 * i + 101:03d}") for i in range(20)]
    rows = [["公民身份号码", "姓名", "登记类型", "登记日期", "失业原因", "原工作单位"]]
    rows += [[p.id_number, p.name, "失业", "2026-04-0%d" % (1 + i % 9), "被解除劳动合同", employer.credit_code]
             for i, p in enumerate(people)]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert batch.imported == 20, batch.__dict__
    [warning] = _warnings(employer)
    assert warning.facts["registrations"] == 20
    assert WarningLink.objects.filter(warning=warning).count() == 20


def test_a_registration_without_former_employer_or_elsewhere_changes_nothing(unemploy, make_person, district_officer):
    other = make_employer(district_officer, n=12, industry_code="34")
    for _ in range(19):
        unemploy(D(2026, 3, 2))
    unemploy(D(2026, 3, 2), former=other)
    registry.register_unemployment(actor=district_officer, person=make_person(), effective_date=D(2026, 3, 2),
                                   unemployment_reason="dismissed")
    assert Warning.objects.count() == 0
    assert make_id  # the helper stays importable for other tests


def test_a_bulk_loaded_demo_is_judged_once_on_registry_loaded(make_person, employer):
    from jiuye.registry import events

    people = [make_person() for _ in range(20)]
    Registration.objects.bulk_create([
        Registration(person=p, kind="unemployment", effective_date=D(2026, 11, 2), unemployment_reason="dismissed",
                     former_employer=employer, registered_in_id=p.region_id) for p in people])
    assert _warnings(employer) == []
    events.registry_loaded.send(sender=None, today=D(2026, 11, 30), demo=False)
    assert _warnings(employer) == []
    lines = [line for _r, line in events.registry_loaded.send(sender=None, today=D(2026, 11, 30), demo=True) if line]
    assert any("规模性裁员预警 1 条" in str(line) for line in lines)
    [warning] = _warnings(employer)
    assert WarningLink.objects.filter(warning=warning).count() == 20
