"""Reports: kept runs are reproducible as known on a moment, scoped to the user's region, audited on
download; schedules make their runs and move on; the command line writes the file."""
from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope
from jiuye.registry import services as registry
from jiuye.reports import services
from jiuye.reports.models import ReportRun, ReportSchedule, RunStatus
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(make_person, district_officer):
    people = [make_person(region=COMMUNITY_A1 if i % 2 else COMMUNITY_B1) for i in range(4)]
    for p in people:
        registry.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2020, 5, 4),
                                       unemployment_reason="dismissed")
    for p in people[:2]:
        registry.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2020, 6, 8),
                                     employment_form="flexible")
    return people


def test_regenerated_as_known_on_the_same_moment_gives_the_same_figures(district_officer, people):
    first = services.generate(district_officer, "monthly", XINCHENG, "2020-06", "xlsx")
    assert first.summary["figures"]["employment_registrations"] == 2
    # the registry changes afterwards: a late employment registration for June and a void of one
    for p in people[2:]:
        registry.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2020, 6, 20),
                                     employment_form="flexible")
    june = people[0].registrations.get(kind="employment")
    registry.void_registration(actor=district_officer, registration=june, reason="录入错误")
    again = services.regenerate(district_officer, first, background=False)
    assert again.pk != first.pk and again.known_on == first.known_on
    assert again.summary["figures"] == first.summary["figures"]
    assert again.summary["lines"] == first.summary["lines"]
    now = services.generate(district_officer, "monthly", XINCHENG, "2020-06", "xlsx")
    assert now.summary["figures"]["employment_registrations"] == 3  # +2 late, -1 void
    assert now.summary["figures"]["registrations_12m"]["employment"][-1] == 3
    assert first.summary["figures"]["registrations_12m"]["employment"][-1] == 2
    late = services.generate(district_officer, "stats_form", XINCHENG, "2020-06", "xlsx")
    kept = services.generate(district_officer, "stats_form", XINCHENG, "2020-06", "xlsx", known_on=first.known_on)
    assert (late.summary["figures"]["rows"][-2][2], kept.summary["figures"]["rows"][-2][2]) == (3, 2)


def test_a_known_on_in_the_future_is_refused(district_officer):
    with pytest.raises(ValidationError) as e:
        services.generate(district_officer, "monthly", XINCHENG, "2020-06", "xlsx",
                          known_on=timezone.now() + datetime.timedelta(days=1))
    assert "known_on" in e.value.message_dict


@pytest.mark.parametrize("kind,period,field", [("monthly", "2020", "period"), ("weekly", "2020-W60", "period"),
                                               ("annual", "2020-06", "period"), ("nonsense", "2020", "kind")])
def test_bad_requests_name_field_and_reason(district_officer, kind, period, field):
    with pytest.raises(ValidationError) as e:
        services.generate(district_officer, kind, XINCHENG, period, "xlsx")
    assert field in e.value.message_dict


def test_street_officer_cannot_generate_another_streets_report(street_officer):
    with pytest.raises(OutOfScope) as outside:
        services.generate(street_officer, "monthly", STREET_B, "2020-06", "xlsx")
    with pytest.raises(OutOfScope) as missing:
        services.generate(street_officer, "monthly", "610102099000", "2020-06", "xlsx")
    assert str(outside.value) == str(missing.value)  # nothing revealed
    run = services.generate(street_officer, "monthly", STREET_A, "2020-06", "xlsx")
    assert run.status == RunStatus.DONE


def test_community_worker_may_not_make_reports(community_worker):
    with pytest.raises(OutOfScope):
        services.generate(community_worker, "monthly", COMMUNITY_A1, "2020-06", "xlsx")


def test_web_scope_download_audit(client, street_officer, other_street_officer, people):
    run_b = services.generate(other_street_officer, "monthly", STREET_B, "2020-06", "xlsx")
    client.force_login(street_officer)
    assert client.get(reverse("web:report", args=[run_b.pk])).status_code == 404
    assert client.get(reverse("web:report_download", args=[run_b.pk])).status_code == 404
    missing = client.get(reverse("web:report", args=[run_b.pk + 1000]))
    assert missing.status_code == 404
    page = client.get(reverse("web:reports"))
    assert page.status_code == 200 and b'data-total="0"' in page.content
    # a new report through the form, then its page, download (audited) and reproduction
    r = client.post(reverse("web:report_new"), {"kind": "monthly", "region": STREET_A, "period": "2020-06",
                                                "format": "xlsx"})
    assert r.status_code == 302
    run = ReportRun.objects.exclude(pk=run_b.pk).get()
    detail = client.get(r["Location"])
    assert "数据截至".encode() in detail.content and "重新生成（同一数据时点）".encode() in detail.content
    download = client.get(reverse("web:report_download", args=[run.pk]))
    assert download.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb.worksheets[0]["A1"].value.startswith("西一路街道")
    assert AuditEntry.objects.filter(action="export", object_type="report_run", object_id=str(run.pk)).exists()
    again = client.post(reverse("web:report_regenerate", args=[run.pk]), {"format": "pdf"})
    assert again.status_code == 302
    new = ReportRun.objects.latest("id")
    assert new.format == "pdf" and new.known_on == run.known_on and new.status == RunStatus.DONE
    listing = client.get(reverse("web:reports"), {"format": "pdf"})
    assert b'data-total="1"' in listing.content
    export = client.get(reverse("web:reports"), {"format": "xlsx"})  # the list's own export (the filter "format" is
    assert export.status_code == 200  # taken as the export switch, like every list)


def test_new_report_form_refuses_another_street(client, street_officer):
    client.force_login(street_officer)
    r = client.post(reverse("web:report_new"), {"kind": "monthly", "region": STREET_B, "period": "2020-06",
                                                "format": "xlsx"})
    assert r.status_code == 200 and not ReportRun.objects.exists()


def test_leader_reads_and_makes_reports_department_user_reads_only(client, leader, department_user):
    run = services.generate(leader, "monthly", XINCHENG, "2020-06", "docx")
    client.force_login(department_user)
    assert client.get(reverse("web:report", args=[run.pk])).status_code == 200
    assert client.get(reverse("web:report_new")).status_code == 403


def test_due_schedule_makes_its_run_and_advances(district_officer):
    s = services.create_schedule(district_officer, "monthly", XINCHENG, "xlsx",
                                 next_run_on=datetime.date(2020, 7, 1))
    assert s.cadence == ReportSchedule.Cadence.MONTHLY
    assert services.run_due_schedules(datetime.date(2020, 6, 30)) == []
    runs = services.run_due_schedules(datetime.date(2020, 7, 1))
    assert len(runs) == 1 and runs[0].period == "2020-06" and runs[0].status == RunStatus.DONE
    assert runs[0].schedule_id == s.pk
    s.refresh_from_db()
    assert s.next_run_on == datetime.date(2020, 8, 1)
    assert services.run_due_schedules(datetime.date(2020, 7, 2)) == []
    services.set_schedule_active(district_officer, s, False)
    assert services.run_due_schedules(datetime.date(2020, 9, 1)) == []


def test_weekly_schedule_reports_last_week(district_officer):
    services.create_schedule(district_officer, "weekly", XINCHENG, "pdf", next_run_on=datetime.date(2020, 6, 15))
    out = io.StringIO()
    call_command("report", due=True, on="2020-06-15", stdout=out)
    run = ReportRun.objects.get()
    assert run.period == "2020-W24" and run.format == "pdf" and "runs=1" in out.getvalue()


def test_schedule_pages(client, district_officer, street_officer):
    client.force_login(district_officer)
    for name in ("web:report_new", "web:report_schedule_new", "web:report_schedules", "web:reports"):
        page = client.get(reverse(name))
        assert page.status_code == 200 and "统计期".encode() in page.content or name != "web:report_new"
    bad = client.post(reverse("web:report_new"), {"kind": "monthly", "region": XINCHENG, "period": "2020",
                                                  "format": "xlsx"})
    assert bad.status_code == 200 and "YYYY-MM".encode() in bad.content
    r = client.post(reverse("web:report_schedule_new"), {"kind": "weekly", "region": XINCHENG, "format": "xlsx"})
    assert r.status_code == 302
    s = ReportSchedule.objects.get()
    assert s.next_run_on.weekday() == 0
    assert "重点工作周报".encode() in client.get(reverse("web:report_schedules")).content
    client.force_login(street_officer)
    assert client.post(reverse("web:report_schedule_pause", args=[s.pk]), {"active": "0"}).status_code == 404
    client.force_login(district_officer)
    client.post(reverse("web:report_schedule_pause", args=[s.pk]), {"active": "0"})
    s.refresh_from_db()
    assert not s.is_active


def test_command_writes_the_file_that_opens_with_charts(regions, people, tmp_path):
    out_file = tmp_path / "m.xlsx"
    out = io.StringIO()
    call_command("report", "monthly", region="610102", period="2020-06", format="xlsx", out=str(out_file), stdout=out)
    wb = load_workbook(out_file)
    assert sum(len(ws._charts) for ws in wb.worksheets) >= 2
    assert "sha256" in out.getvalue()
    run = ReportRun.objects.get()
    assert run.requested_by is None and run.status == RunStatus.DONE


def test_key_groups_in_one_pass_equal_the_groups_one_by_one(people, make_person, district_officer):
    from jiuye.reports.builders import figures

    make_person(region=COMMUNITY_A1, birth="19600307", has_disability=True)
    make_person(region=COMMUNITY_B1, birth="20000101", is_veteran=True)
    for on in (datetime.date(2020, 5, 31), datetime.date(2020, 6, 30), timezone.localdate()):
        assert figures.key_groups(XINCHENG, on) == figures.key_groups_one_by_one(XINCHENG, on)
        assert figures.key_groups(STREET_A, on) == figures.key_groups_one_by_one(STREET_A, on)
    counts = dict((c, n) for c, _l, n in figures.key_groups(XINCHENG, datetime.date(2020, 5, 31)))
    assert counts["disabled"] == 1 and counts["veteran"] == 1
