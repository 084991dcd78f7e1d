"""Hard-to-employ recognition (就业困难人员认定): the act, the automatic proposals and cases, the daily
work and the reconcile, as a worker and a decider notice them."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import CapacityKind, Case, CaseKind, CaseStatus, ExitReason, Recognition, RecognitionOrigin, RecognitionStatus
from jiuye.assistance.queries import recognitions as rq
from jiuye.assistance.services import zero
from jiuye.assistance.services import recognitions
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def older_woman(make_person):
    # 46 years old on TODAY (2026): the older-worker category for women (40+)
    return make_person(birth="19800101", seq="002", name="王秀英")


@pytest.fixture
def young_man(make_person):
    return make_person(birth="19950101", seq="011", name="李强")


def unemployed(officer, person, on=D(2026, 1, 5)):
    return registry.register_unemployment(actor=officer, person=person, effective_date=on, unemployment_reason="dismissed")


def employed(officer, person, on):
    return registry.register_employment(actor=officer, person=person, effective_date=on, employment_form="flexible")


def proposed(person, applied_on):
    """The system's proposal for ``person``, dated back to ``applied_on`` (a history that began then)."""
    act = Recognition.objects.get(person=person, status=RecognitionStatus.PROPOSED)
    Recognition.objects.filter(pk=act.pk).update(applied_on=applied_on)
    act.refresh_from_db()
    return act


def hte_case(person):
    return Case.objects.filter(kind=CaseKind.HARD_TO_EMPLOY, person=person).order_by("-pk").first()


def test_registration_opens_the_proposal_and_the_case_in_the_same_transaction(district_officer, older_woman, community_worker):
    unemployed(district_officer, older_woman)
    act = Recognition.objects.get(person=older_woman)
    assert act.status == RecognitionStatus.PROPOSED and act.origin == RecognitionOrigin.PROPOSED
    assert act.categories == ["older_worker"]
    case = hte_case(older_woman)
    assert case.status == CaseStatus.OPEN and case.recognition_id == act.pk and case.assigned_to == community_worker
    assert AuditEntry.objects.filter(object_type="recognition", object_id=str(act.pk), action="create").exists()


def test_a_failing_receiver_rolls_back_the_registration(district_officer, older_woman, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("receiver failed")

    monkeypatch.setattr(recognitions.cases, "open_cases_bulk", boom)
    with pytest.raises(RuntimeError):
        unemployed(district_officer, older_woman)
    assert not older_woman.registrations.exists()
    assert not Recognition.objects.filter(person=older_woman).exists()


def test_no_category_no_proposal(district_officer, young_man):
    unemployed(district_officer, young_man)
    assert not Recognition.objects.filter(person=young_man).exists()
    assert hte_case(young_man) is None


def test_employment_puts_the_case_in_follow_up_and_relapse_reopens_it(district_officer, older_woman):
    unemployed(district_officer, older_woman)
    case = hte_case(older_woman)
    employed(district_officer, older_woman, D(2026, 3, 2))
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP and case.employed_on == D(2026, 3, 2)
    assert case.resolved_by is not None
    # The proposal of a person now employed is withdrawn.
    assert Recognition.objects.get(person=older_woman).status == RecognitionStatus.WITHDRAWN
    unemployed(district_officer, older_woman, D(2026, 4, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.reopen_count == 1
    assert Recognition.objects.filter(person=older_woman, status=RecognitionStatus.PROPOSED).count() == 1


def test_retirement_closes_the_case_and_exits_the_recognition(district_officer, street_officer, older_woman):
    unemployed(district_officer, older_woman)
    act = proposed(older_woman, D(2026, 1, 5))
    recognitions.decide(actor=street_officer, act=act, recognised=True, valid_from=D(2026, 2, 1))
    registry.end_status(actor=district_officer, person=older_woman, effective_date=D(2026, 5, 1), ending_reason="retirement")
    act.refresh_from_db()
    assert act.status == RecognitionStatus.EXITED and act.exit_reason == ExitReason.RETIRED
    assert act.exited_on == D(2026, 5, 1)
    case = hte_case(older_woman)
    assert case.status == CaseStatus.CLOSED and case.close_kind == "no_longer_qualifies"
    assert "退休" in case.close_note


def test_marked_unwilling_closes_the_case_and_withdraws_the_proposal(district_officer, older_woman, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unemployed(district_officer, older_woman)
    zero.mark_capacity(district_officer, older_woman, CapacityKind.UNWILLING, "本人书面声明暂无就业意愿",
                       [SimpleUploadedFile("声明.pdf", b"%PDF-1.4 test", content_type="application/pdf")])
    assert Recognition.objects.get(person=older_woman).status == RecognitionStatus.WITHDRAWN
    assert hte_case(older_woman).status == CaseStatus.CLOSED


def test_decision_needs_the_right_role_and_scope(district_officer, community_worker, street_officer, other_street_officer,
                                                older_woman):
    unemployed(district_officer, older_woman)
    act = proposed(older_woman, D(2026, 1, 5))
    with pytest.raises(PermissionDenied):
        recognitions.decide(actor=community_worker, act=act, recognised=True)
    with pytest.raises(Http404) as outside:
        recognitions.decide(actor=other_street_officer, act=act, recognised=True)
    with pytest.raises(Http404) as missing:
        rq.get_recognition(other_street_officer, act.pk + 1000)
    assert str(outside.value) == str(missing.value)
    with pytest.raises(ValidationError) as exc:
        recognitions.decide(actor=street_officer, act=act, recognised=False)
    assert "note" in exc.value.message_dict
    recognitions.decide(actor=street_officer, act=act, recognised=True, valid_from=D(2026, 2, 1), note="材料齐全")
    act.refresh_from_db()
    assert act.status == RecognitionStatus.RECOGNISED and act.valid_until is None and act.decided_by == street_officer
    assert rq.recognised_on(older_woman.pk, D(2026, 2, 1)) == act
    assert rq.recognised_on(older_woman.pk, D(2026, 1, 31)) is None


def test_rejection_is_not_proposed_again_while_still_unemployed(district_officer, street_officer, older_woman):
    unemployed(district_officer, older_woman)
    act = Recognition.objects.get(person=older_woman)
    recognitions.decide(actor=street_officer, act=act, recognised=False, note="不符合条件")
    recognitions.sync([older_woman.pk])
    assert list(Recognition.objects.filter(person=older_woman).values_list("status", flat=True)) == ["rejected"]


def test_application_with_evidence_checklist(district_officer, community_worker, young_man):
    unemployed(district_officer, young_man)
    with pytest.raises(ValidationError) as exc:
        recognitions.propose(actor=community_worker, person=young_man, categories=[])
    assert "categories" in exc.value.message_dict
    card = SimpleUploadedFile("残疾证.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    act = recognitions.propose(actor=community_worker, person=young_man, categories=["disability"],
                               files=[card], file_kind="残疾人证")
    assert act.origin == RecognitionOrigin.APPLIED and "凭证明材料" in act.reasons["disability"]
    items, others = recognitions.evidence_checklist(act)
    assert [(i.name, i.uploaded) for i in items] == [("居民身份证", False), ("残疾人证", True)]
    assert recognitions.missing_evidence(act) == ["居民身份证"]
    assert hte_case(young_man).status == CaseStatus.OPEN
    with pytest.raises(ValidationError):  # one open act per person
        recognitions.propose(actor=community_worker, person=young_man, categories=["disability"])
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        recognitions.upload_evidence(actor=community_worker, act=act, files=[bad], kind="居民身份证")
    assert "病毒.exe" in str(exc.value)


def test_application_refused_for_someone_not_unemployed(community_worker, young_man):
    with pytest.raises(ValidationError) as exc:
        recognitions.propose(actor=community_worker, person=young_man, categories=["disability"])
    assert "失业登记" in str(exc.value)


def test_application_outside_scope_refused(make_person, community_worker, district_officer):
    other = make_person(birth="19800101", seq="004", region=COMMUNITY_B1)
    unemployed(district_officer, other)
    with pytest.raises(PermissionDenied):
        recognitions.propose(actor=community_worker, person=other, categories=["older_worker"])


def test_exit_on_six_months_of_continuous_employment(district_officer, street_officer, older_woman):
    unemployed(district_officer, older_woman, D(2025, 9, 1))
    act = proposed(older_woman, D(2025, 9, 1))
    recognitions.decide(actor=street_officer, act=act, recognised=True, valid_from=D(2025, 9, 1))
    employed(district_officer, older_woman, D(2026, 3, 31))
    act.refresh_from_db()
    assert act.status == RecognitionStatus.RECOGNISED  # employed, not yet stably
    recognitions.daily(D(2026, 9, 29))
    act.refresh_from_db()
    assert act.status == RecognitionStatus.RECOGNISED
    recognitions.daily(D(2026, 9, 30))  # 31 March + 6 months = 30 September
    act.refresh_from_db()
    assert act.status == RecognitionStatus.EXITED and act.exit_reason == ExitReason.STABLY_EMPLOYED
    assert act.exited_on == D(2026, 9, 30)
    assert rq.recognised_on(older_woman.pk, D(2026, 9, 29)) == act
    assert rq.recognised_on(older_woman.pk, D(2026, 9, 30)) is None


def test_validity_from_the_parameters_and_expiry(district_officer, street_officer, older_woman, monkeypatch):
    unemployed(district_officer, older_woman)
    act = proposed(older_woman, D(2026, 1, 5))
    monkeypatch.setattr(recognitions, "validity_end", lambda region, start: D(2026, 6, 30))
    recognitions.decide(actor=street_officer, act=act, recognised=True, valid_from=D(2026, 2, 1))
    recognitions.daily(D(2026, 7, 1))
    act.refresh_from_db()
    assert act.status == RecognitionStatus.EXITED and act.exit_reason == ExitReason.EXPIRED
    assert act.exited_on == D(2026, 7, 1)
    assert rq.recognised_on(older_woman.pk, D(2026, 6, 30)) == act


def test_manual_exit_by_a_worker(district_officer, street_officer, community_worker, older_woman):
    unemployed(district_officer, older_woman)
    act = proposed(older_woman, D(2026, 1, 5))
    recognitions.decide(actor=street_officer, act=act, recognised=True, valid_from=D(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        recognitions.exit_recognition(actor=community_worker, act=act, reason=ExitReason.OTHER, on=D(2026, 3, 1))
    assert "note" in exc.value.message_dict
    recognitions.exit_recognition(actor=community_worker, act=act, reason=ExitReason.NO_LONGER_QUALIFIES,
                                  on=D(2026, 3, 1), note="核查不符")
    act.refresh_from_db()
    assert act.status == RecognitionStatus.EXITED and act.exited_by == community_worker


def test_long_term_unemployment_reached_by_time_is_proposed_by_the_daily_work(district_officer, young_man):
    unemployed(district_officer, young_man, D(2026, 1, 10))
    assert not Recognition.objects.filter(person=young_man).exists()
    recognitions.daily(D(2027, 1, 9))
    assert not Recognition.objects.filter(person=young_man).exists()
    counts = recognitions.daily(D(2027, 1, 10))
    act = Recognition.objects.get(person=young_man)
    assert "long_term_unemployed" in act.categories and counts["proposed"] >= 1


def test_reconcile_opens_missing_and_closes_stale(district_officer, older_woman, young_man):
    unemployed(district_officer, older_woman)
    unemployed(district_officer, young_man, D(2026, 6, 1))
    Case.objects.filter(person=older_woman).delete()  # a case lost (e.g. data before this app)
    stale = recognitions.cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=COMMUNITY_A1, person=young_man,
                                         opened_on=TODAY)
    dry = recognitions.reconcile_hard_to_employ(fix=False)
    assert dry["cases_opened"] == 1 and dry["cases_closed"] == 1
    assert hte_case(older_woman) is None
    done = recognitions.reconcile_hard_to_employ()
    assert done["cases_opened"] == 1 and done["cases_closed"] == 1
    assert hte_case(older_woman).status == CaseStatus.OPEN
    stale.refresh_from_db()
    assert stale.status == CaseStatus.CLOSED
    again = recognitions.reconcile_hard_to_employ()
    assert again["cases_opened"] == again["cases_closed"] == again["proposed"] == 0


def test_reconcile_command_prints_counts_in_chinese(district_officer, older_woman):
    from io import StringIO

    from django.core.management import call_command

    unemployed(district_officer, older_woman)
    out = StringIO()
    call_command("reconcile_hard_to_employ", "--dry-run", stdout=out)
    assert "就业困难人员" in out.getvalue() and "未修改" in out.getvalue()


def test_an_open_act_follows_the_person_who_moves(district_officer, other_street_officer, older_woman):
    from jiuye.registry import transfers

    unemployed(district_officer, older_woman)
    t = transfers.request_transfer(actor=district_officer, person=older_woman, to_region=COMMUNITY_B1, reason="搬家")
    transfers.accept_transfer(actor=other_street_officer, transfer=t, note="")
    act = Recognition.objects.get(person=older_woman)
    assert act.region_id == COMMUNITY_B1 and recognitions.may_decide(other_street_officer, act)


def test_an_imported_chunk_of_registrations_proposes_and_opens_cases_set_based(district_officer, make_person, settings,
                                                                            tmp_path):
    from django.db import transaction

    from jiuye.imports.services import run_import
    from jiuye.registry import events
    from jiuye.registry.models import Registration

    from .import_files import write_xlsx

    settings.MEDIA_ROOT = tmp_path / "media"
    older = [make_person(birth="19700101", name=f"大龄{i}") for i in range(12)]
    young = [make_person(birth="19990101", name=f"青年{i}") for i in range(5)]
    rows = [["公民身份号码", "登记类型", "登记日期", "就业形式", "失业原因"]]
    rows += [[p.id_number, "失业登记", "2026-02-01", "", "本人辞职"] for p in older + young]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=district_officer)
    assert batch.imported == 17
    assert Recognition.objects.filter(person__in=older, status=RecognitionStatus.PROPOSED).count() == 12
    assert Case.objects.filter(person__in=older, kind=CaseKind.HARD_TO_EMPLOY, status=CaseStatus.OPEN).count() == 12
    assert not Recognition.objects.filter(person__in=young).exists()
    # The receivers' cost does not grow with the number of persons in the event.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiuye.registry.services import refresh_status

    def announce(n: int) -> int:
        more = [make_person(birth="19700101", name=f"再{n}-{i}") for i in range(n)]
        entries = Registration.objects.bulk_create(
            Registration(person=p, kind="unemployment", effective_date=D(2026, 2, 1), unemployment_reason="resigned",
                         registered_in_id=p.region_id, operator=district_officer) for p in more)
        with transaction.atomic():
            refresh_status([p.pk for p in more])
            with CaptureQueriesContext(connection) as queries:
                events.registrations_recorded.send(sender=Registration, ids=[e.pk for e in entries],
                                                   person_ids=[p.pk for p in more], via=events.VIA_IMPORT)
        assert Case.objects.filter(person__in=more, status=CaseStatus.OPEN).count() == n
        return len(queries)

    assert announce(40) <= announce(3) + 2
