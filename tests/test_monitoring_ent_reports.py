"""Monthly reports of monitored enterprises: balance, versions, the mass-layoff line at its edges, scope."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.models import EnterpriseReport, EnterpriseReportLine, Warning, WarningLink
from jiuye.monitoring.services import enterprises as ent_services
from jiuye.monitoring.services import reports as services
from jiuye.monitoring.services.reports import ReportData
from tests.conftest import COMMUNITY_B1
from tests.monitoring_helpers import make_employer

D = datetime.date
TODAY = D(2026, 11, 20)


@pytest.fixture
def enterprise(district_officer):
    employer = make_employer(district_officer, 1, industry_code="13")
    return ent_services.enrol(district_officer, employer_id=employer.pk, joined_on=D(2026, 1, 1),
                              contact_name="王会计", contact_phone="13800000000", today=TODAY)


def data(month=D(2026, 10, 1), start=200, end=None, adds=None, reds=None, note="", reason=""):
    return ReportData(month=month, start_headcount=start, end_headcount=end, additions=adds or {},
                      reductions=reds or {}, note=note, correction_reason=reason)


def submit(user, enterprise, d):
    return services.submit_report(user, enterprise, d, today=TODAY)


def test_unbalanced_report_is_refused_with_the_difference_and_nothing_stored(enterprise, community_worker):
    with pytest.raises(ValidationError) as exc:
        submit(community_worker, enterprise, data(end=195, adds={"new_hire": 3},
                                                  reds={("resigned", "personal"): 5, ("retired", "retirement"): 2}))
    message = exc.value.message_dict["end_headcount"][0]
    assert "月末人数应为196" in message and "填报为195" in message and "相差-1" in message
    assert EnterpriseReport.objects.count() == 0 and EnterpriseReportLine.objects.count() == 0


def test_every_field_is_checked_at_once(enterprise, community_worker):
    with pytest.raises(ValidationError) as exc:
        submit(community_worker, enterprise, data(month=D(2026, 12, 1), start=-1, reds={("economic_layoff", ""): 3}))
    assert {"month", "start_headcount", "red_economic_layoff_reason"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        submit(community_worker, enterprise, data(month=D(2025, 12, 1)))
    assert "早于纳入监测月份" in exc.value.message_dict["month"][0]


def test_a_correction_is_a_new_version_and_the_old_is_kept(enterprise, community_worker):
    first = submit(community_worker, enterprise, data(end=200)).report
    with pytest.raises(ValidationError) as exc:
        submit(community_worker, enterprise, data(start=210, end=210))
    assert "更正原因" in exc.value.message_dict["correction_reason"][0]
    second = submit(community_worker, enterprise, data(start=200, end=198, reds={("resigned", "personal"): 2},
                                                       reason="漏报两名辞职人员")).report
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version, second.supersedes_id) == (False, True, 2, first.pk)
    assert EnterpriseReport.objects.filter(enterprise=enterprise).count() == 2


def test_start_must_chain_to_the_previous_end_unless_a_note_explains(enterprise, community_worker):
    submit(community_worker, enterprise, data(month=D(2026, 9, 1), start=200, end=200))
    with pytest.raises(ValidationError) as exc:
        submit(community_worker, enterprise, data(start=230, end=230))
    assert "上月月末人数200" in exc.value.message_dict["start_headcount"][0]
    assert submit(community_worker, enterprise, data(start=230, end=230, note="9月底并入分厂30人")).report.pk


@pytest.mark.parametrize("start,layoffs,crossed", [
    (1000, 19, False), (1000, 20, True),  # 20 people
    (100, 9, False), (100, 10, True),  # 10% of the headcount at the start of the month
    (91, 9, False), (90, 9, True),
])
def test_the_mass_layoff_line_at_its_edges(enterprise, community_worker, start, layoffs, crossed):
    result = submit(community_worker, enterprise, data(start=start, reds={("economic_layoff", "orders_down"): layoffs}))
    assert result.report.layoffs == layoffs
    assert (result.warning is not None) == crossed
    assert Warning.objects.filter(kind="mass_layoff").count() == (1 if crossed else 0)


def test_resignations_retirements_and_contract_ends_never_count(enterprise, community_worker):
    result = submit(community_worker, enterprise, data(start=100, reds={
        ("resigned", "personal"): 30, ("retired", "retirement"): 20, ("contract_expired", "contract"): 25,
        ("transfer_out", "other"): 10}))
    assert result.report.layoffs == 0 and result.warning is None and result.report.reductions == 85


def test_warning_level_and_a_lower_correction_keeps_the_warning_open(enterprise, community_worker):
    result = submit(community_worker, enterprise, data(start=500, reds={("economic_layoff", "orders_down"): 120}))
    assert result.warning_action == "raised" and result.warning.level == "orange"
    assert "已发出橙色预警" in result.message
    again = submit(community_worker, enterprise, data(start=500, reds={("economic_layoff", "orders_down"): 5},
                                                      reason="误将调岗计入裁员"))
    w = Warning.objects.get()
    assert again.warning.pk == w.pk and w.status == "open" and w.facts["layoffs"] == 5 and w.facts["below_line"]
    assert w.report_id == again.report.pk


def test_registrations_naming_the_employer_are_linked(enterprise, community_worker, district_officer, make_person):
    from jiuye.registry import services as registry

    person = make_person()
    registry.register_unemployment(actor=district_officer, person=person, effective_date=D(2026, 10, 12),
                                   unemployment_reason="dismissed", former_employer=enterprise.employer)
    result = submit(community_worker, enterprise, data(start=100, reds={("economic_layoff", "orders_down"): 20}))
    assert result.linked == 1 and WarningLink.objects.filter(warning=result.warning).count() == 1


def test_scope_employer_cannot_report_for_another_and_staff_out_of_scope_gets_not_found(
        enterprise, other_street_officer, district_officer):
    other = make_employer(district_officer, 2, region=COMMUNITY_B1, industry_code="52")
    with pytest.raises(OutOfScope) as exc:
        submit(other_street_officer, enterprise, data())
    assert "不存在" in str(exc.value)
    from jiuye.accounts.models import Role, User
    from jiuye.registry import services as registry

    user = User.objects.create_user("emp2", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, employer=other)
    with pytest.raises(OutOfScope):
        submit(user, enterprise, data())
    own = ent_services.enrol(district_officer, employer_id=other.pk, joined_on=D(2026, 1, 1), contact_name="李",
                             today=TODAY)
    assert submit(user, own, data(end=200)).report.channel == "portal"
