"""就业创业证: numbering, issue on first registration (service, web, API, import), reissue, print
(audited read of the full number), the ledger import and its report, no scope leaks."""
from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope
from jiuye.imports.services import run_import
from jiuye.registry import certificates, services
from jiuye.registry.models import Certificate, CertificateCounter, CertificateStatus

from .conftest import COMMUNITY_A1, COMMUNITY_B1, make_id
from .import_files import read_report, write_xlsx

D = datetime.date
TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def employ(actor, person, when=D(2024, 3, 1)):
    return services.register_employment(actor=actor, person=person, effective_date=when, employment_form="flexible")


def unemploy(actor, person, when=D(2024, 3, 1)):
    return services.register_unemployment(actor=actor, person=person, effective_date=when, unemployment_reason="resigned")


def current(person) -> Certificate | None:
    return Certificate.objects.filter(person=person, status=CertificateStatus.CURRENT).first()


# ---------------------------------------------------------------------------------------------
# Numbers


def test_numbers_are_county_year_sequence_unique_and_sequential(db):
    with transaction.atomic():
        first = certificates.next_numbers("610102", 2026, 3)
        second = certificates.next_numbers("610102", 2026, 2)
        other = certificates.next_numbers("610103", 2026, 1)
    assert first == ["61010220260000001", "61010220260000002", "61010220260000003"]
    assert second == ["61010220260000004", "61010220260000005"]
    assert other == ["61010320260000001"]
    assert CertificateCounter.objects.get(county_code="610102", year=2026).last == 5


def test_numbers_skip_a_number_an_old_ledger_already_uses(make_person, district_officer):
    person = make_person()
    Certificate.objects.create(person=person, number=f"610102{YEAR}0000001", issued_on=TODAY, issued_by_id=COMMUNITY_A1)
    with transaction.atomic():
        assert certificates.next_numbers("610102", YEAR, 1) == [f"610102{YEAR}0000002"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_never_draw_the_same_number(regions):
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing one in-memory SQLite database do not run concurrently")
    drawn: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def issuer():
        from django.db import connection as conn
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    drawn.extend(certificates.next_numbers("610102", 2030, 2))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=issuer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(drawn) == [f"6101022030{n:07d}" for n in range(1, 41)]


# ---------------------------------------------------------------------------------------------
# Issue on registration


def test_first_registration_issues_a_certificate_once(make_person, district_officer):
    person = make_person()
    assert current(person) is None
    unemploy(district_officer, person, D(2024, 1, 1))
    cert = current(person)
    assert cert is not None
    assert cert.number == f"610102{YEAR}0000001"
    assert (cert.issued_on, cert.issued_by_id, cert.operator) == (TODAY, COMMUNITY_A1, district_officer)
    employ(district_officer, person, D(2024, 6, 1))
    assert Certificate.objects.filter(person=person).count() == 1
    entry = AuditEntry.objects.filter(object_type="person", object_id=str(person.pk), summary__contains="就业创业证").get()
    assert entry.changes["certificate"] == cert.number and entry.actor == district_officer


def test_an_ending_alone_issues_nothing(make_person, district_officer):
    person = make_person()
    services.end_status(actor=district_officer, person=person, effective_date=D(2024, 1, 1), ending_reason="school")
    assert current(person) is None


def test_a_rolled_back_registration_leaves_no_certificate_and_no_gap(make_person, district_officer):
    person = make_person()
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            unemploy(district_officer, person)
            1 / 0
    assert not Certificate.objects.exists()
    unemploy(district_officer, person)
    assert current(person).number == f"610102{YEAR}0000001"


def test_web_registration_issues_and_the_person_page_shows_it(make_person, community_worker):
    person = make_person()
    client = Client()
    client.force_login(community_worker)
    response = client.post(reverse("web:register_employment", args=[person.pk]), {
        "effective_date": "2024-05-01", "employment_form": "flexible"}, follow=True)
    assert response.status_code == 200
    cert = current(person)
    assert cert is not None
    page = client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "就业创业证" in page and cert.number in page
    assert reverse("web:certificate_print", args=[person.pk]) in page


def test_api_registration_issues(make_person, community_worker):
    person = make_person()
    client = Client()
    client.force_login(community_worker)
    response = client.post(f"/api/v1/persons/{person.pk}/registrations", {
        "kind": "unemployment", "effective_date": "2024-05-01", "unemployment_reason": "resigned"},
        content_type="application/json")
    assert response.status_code in (200, 201), response.content
    listed = client.get(f"/api/v1/persons/{person.pk}/certificates").json()
    assert [c["number"] for c in listed["items"]] == [current(person).number]
    assert listed["items"][0]["status"] == "current"


def test_registration_import_issues_set_based(regions, district_officer, make_person, tmp_path, django_assert_max_num_queries):
    persons = [make_person() for _ in range(30)]
    rows = [["公民身份号码", "登记类型", "登记日期", "就业形式", "失业原因"]]
    rows += [[p.id_number, "失业登记", "2024-02-01", "", "本人辞职"] for p in persons]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=district_officer)
    assert (batch.imported, batch.rejected) == (30, 0)
    certs = Certificate.objects.filter(person__in=persons, status=CertificateStatus.CURRENT)
    assert certs.count() == 30
    assert sorted(c.number for c in certs) == [f"610102{YEAR}{n:07d}" for n in range(1, 31)]
    assert {c.operator_id for c in certs} == {district_officer.pk}
    # Set-based: issuing for a whole chunk costs a fixed number of queries, not one per person.
    more = [make_person() for _ in range(40)]
    entries = services.Registration.objects.bulk_create(
        services.Registration(person=p, kind="unemployment", effective_date=D(2024, 2, 1), unemployment_reason="resigned",
                              registered_in_id=p.region_id, operator=district_officer) for p in more)
    with django_assert_max_num_queries(12):
        with transaction.atomic():
            issued = certificates.issue_on_registrations([e.pk for e in entries])
    assert len(issued) == 40 and Certificate.objects.filter(person__in=more).count() == 40


# ---------------------------------------------------------------------------------------------
# Issue and reissue by hand


def test_reissue_replaces_the_old_certificate_with_a_new_number(make_person, community_worker, district_officer):
    person = make_person()
    unemploy(district_officer, person)
    old = current(person)
    new = certificates.reissue(actor=community_worker, person=person, reason="lost", note="本人遗失")
    old.refresh_from_db()
    assert old.status == CertificateStatus.REPLACED
    assert (new.status, new.replaces, new.reissue_reason) == (CertificateStatus.CURRENT, old, "lost")
    assert new.number != old.number
    entry = AuditEntry.objects.filter(object_id=str(person.pk), summary__contains="补发/换发").get()
    assert entry.changes["replaces"] == old.number and entry.changes["certificate"] == new.number
    with pytest.raises(ValidationError) as exc:
        certificates.reissue(actor=community_worker, person=person, reason="other")
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError):
        certificates.reissue(actor=community_worker, person=person, reason="ledger_import")


def test_reissue_and_issue_rules(make_person, community_worker, other_street_officer):
    person = make_person()
    with pytest.raises(ValidationError):  # nothing to replace
        certificates.reissue(actor=community_worker, person=person, reason="lost")
    with pytest.raises(ValidationError):  # no registration yet
        certificates.issue(actor=community_worker, person=person)
    services.Registration.objects.create(person=person, kind="unemployment", effective_date=D(2024, 1, 1),
                                         unemployment_reason="resigned")  # an old entry without a certificate
    cert = certificates.issue(actor=community_worker, person=person)
    assert cert.status == CertificateStatus.CURRENT
    with pytest.raises(ValidationError):  # already holds one
        certificates.issue(actor=community_worker, person=person)
    with pytest.raises(OutOfScope):
        certificates.reissue(actor=other_street_officer, person=person, reason="lost")


def test_web_reissue_form(make_person, community_worker, district_officer):
    person = make_person()
    unemploy(district_officer, person)
    old = current(person)
    client = Client()
    client.force_login(community_worker)
    url = reverse("web:certificate_reissue", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "damaged", "note": ""}, follow=True)
    assert response.status_code == 200
    assert current(person).replaces == old
    assert "已补发/换发就业创业证" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Print


def test_print_shows_the_card_and_is_an_audited_read_of_the_full_number(make_person, community_worker, district_officer):
    person = make_person(ethnicity="汉族", address="西一路1号", hukou_place="陕西省西安市")
    unemploy(district_officer, person, D(2024, 1, 1))
    employ(district_officer, person, D(2024, 6, 1))
    client = Client()
    client.force_login(community_worker)
    page = client.get(reverse("web:certificate_print", args=[person.pk])).content.decode()
    cert = current(person)
    for text in (cert.number, person.name, person.id_number, "男", "汉族", "西一路1号", "陕西省西安市", "失业登记", "就业登记",
                 "certificate_print.css"):
        assert text in page, text
    entry = AuditEntry.objects.filter(object_id=str(person.pk), summary__contains="打印就业创业证").get()
    assert entry.action == "view" and entry.changes["fields"] == ["id_number"] and entry.actor == community_worker


def test_print_refused_to_roles_without_full_numbers_and_outside_scope(make_person, city_officer, other_street_officer,
                                                                      district_officer):
    person = make_person()
    unemploy(district_officer, person)
    for user in (city_officer, other_street_officer):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("web:certificate_print", args=[person.pk]))
        assert response.status_code in (403, 404)
        assert person.id_number not in response.content.decode()
    assert not AuditEntry.objects.filter(summary__contains="打印就业创业证").exists()


# ---------------------------------------------------------------------------------------------
# Import from old ledgers


def test_import_certificates_report_and_current(regions, district_officer, street_officer, make_person, tmp_path):
    a = make_person(name="甲")
    b = make_person(name="乙")
    c = make_person(name="丙")
    outside = make_person(name="丁", region=COMMUNITY_B1)
    unemploy(district_officer, a)  # holds a certificate issued here: the imported one replaces it
    issued_here = current(a)
    unknown = make_id("610102", "19880101", "123")
    rows = [
        ["序号", "公民身份号码", "姓名", "就业创业证编号", "发证日期", "发证机构"],
        [1, a.id_number, "甲", "6101020150001", "2015-03-02", "西一路街道"],
        [2, b.id_number, "乙", "6101020150002", "2016/4/5", ""],
        [3, c.id_number, "丙", "6101020150001", "2016-04-05", ""],  # duplicate number in the file
        [4, unknown, "某", "6101020150003", "2016-04-05", ""],  # no such person
        [5, outside.id_number, "丁", "6101020150004", "2016-04-05", ""],  # outside the importer's scope
        [6, c.id_number, "丙", "6101020150005", "2016-13-45", ""],  # bad date
        [7, c.id_number, "错名", "6101020150006", "2016-04-05", ""],  # name does not match
    ]
    batch = run_import(kind="certificates", path=write_xlsx(tmp_path / "c.xlsx", rows), actor=street_officer)
    assert (batch.imported, batch.rejected) == (2, 5)
    report = read_report(settings.MEDIA_ROOT / batch.report_file)
    by_row = {r[0]: r for r in report}
    assert set(by_row) == {4, 5, 6, 7, 8}
    assert "6101020150001" in str(by_row[4][2]) and "重复" in by_row[4][3]
    assert by_row[5][3] == by_row[6][3]  # unknown and out of scope: one generic reason
    assert "丁" not in by_row[6][3] and COMMUNITY_B1 not in by_row[6][3]
    assert by_row[7][1] == "发证日期"
    assert "不符" in by_row[8][3]
    now_a = current(a)
    assert (now_a.number, now_a.issued_on, now_a.issued_by_id) == ("6101020150001", D(2015, 3, 2), "610102001000")
    assert now_a.replaces == issued_here and now_a.reissue_reason == "ledger_import"
    issued_here.refresh_from_db()
    assert issued_here.status == CertificateStatus.REPLACED
    assert current(b).issued_by_id == b.region_id
    # Importing the same ledger again changes nothing.
    again = run_import(kind="certificates", path=write_xlsx(tmp_path / "c2.xlsx", rows[:3]), actor=street_officer)
    assert (again.imported, again.unchanged, again.rejected) == (0, 2, 0)


def test_import_refuses_a_number_used_by_someone_else(regions, district_officer, make_person, tmp_path):
    a = make_person()
    b = make_person()
    unemploy(district_officer, a)
    rows = [["公民身份号码", "证书编号", "发证日期"], [b.id_number, current(a).number, "2020-01-01"]]
    batch = run_import(kind="certificates", path=write_xlsx(tmp_path / "c.xlsx", rows), actor=district_officer)
    assert (batch.imported, batch.rejected) == (0, 1)
    assert current(b) is None


# ---------------------------------------------------------------------------------------------
# Scope


def test_certificates_of_a_person_outside_scope_are_not_found(make_person, district_officer, other_street_officer):
    person = make_person()
    unemploy(district_officer, person)
    client = Client()
    client.force_login(other_street_officer)
    response = client.get(f"/api/v1/persons/{person.pk}/certificates")
    assert response.status_code == 404
    assert current(person).number not in response.content.decode()
    response = client.post(f"/api/v1/persons/{person.pk}/certificates/reissue", {"reason": "lost"},
                           content_type="application/json")
    assert response.status_code in (403, 404)
    assert Certificate.objects.filter(person=person).count() == 1


def test_api_issue_and_reissue(make_person, community_worker):
    person = make_person()
    services.Registration.objects.create(person=person, kind="unemployment", effective_date=D(2024, 1, 1),
                                         unemployment_reason="resigned")
    client = Client()
    client.force_login(community_worker)
    issued = client.post(f"/api/v1/persons/{person.pk}/certificates", {}, content_type="application/json")
    assert issued.status_code == 201, issued.content
    first = issued.json()["number"]
    again = client.post(f"/api/v1/persons/{person.pk}/certificates", {}, content_type="application/json")
    assert again.status_code == 422
    re = client.post(f"/api/v1/persons/{person.pk}/certificates/reissue", {"reason": "damaged"},
                     content_type="application/json")
    assert re.status_code == 201, re.content
    assert re.json()["replaces"] == first and re.json()["number"] != first
    bad = client.post(f"/api/v1/persons/{person.pk}/certificates/reissue", {"reason": "nonsense"},
                      content_type="application/json")
    assert bad.status_code == 422




def test_web_issue_button_and_scope_of_the_forms(make_person, community_worker, other_street_officer):
    person = make_person()
    services.Registration.objects.create(person=person, kind="employment", effective_date=D(2024, 1, 1),
                                         employment_form="flexible")  # registered before certificates were kept
    client = Client()
    client.force_login(community_worker)
    page = client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert reverse("web:certificate_issue", args=[person.pk]) in page and "发放就业创业证" in page
    response = client.post(reverse("web:certificate_issue", args=[person.pk]), follow=True)
    assert current(person) is not None and "已发放就业创业证" in response.content.decode()
    stranger = Client()
    stranger.force_login(other_street_officer)
    for name in ("certificate_reissue", "certificate_issue", "certificate_print", "transfer_request"):
        response = stranger.post(reverse(f"web:{name}", args=[person.pk]), {"reason": "lost"})
        assert response.status_code == 404, name
    assert Certificate.objects.filter(person=person).count() == 1


def test_the_backfill_issues_once_to_everyone_registered_without_a_certificate(db, regions, district_officer,
                                                                              make_person):
    """A registry kept before certificates were issued here: `jiuye issue_certificates` gives every person
    with a counting employment or unemployment registration one certificate, and a second run none."""
    from io import StringIO

    from django.core.management import call_command

    from jiuye.registry.models import Certificate, Registration

    registered = [make_person(name=f"补发{i}") for i in range(3)]
    never = make_person(name="未登记")
    for p in registered:
        services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2024, 3, 1),
                                       unemployment_reason="contract_ended")
    Certificate.objects.all().delete()  # as if the registrations came before this feature
    voided = make_person(name="作废")
    entry = Registration.objects.create(person=voided, kind="unemployment", effective_date=datetime.date(2024, 3, 1),
                                        unemployment_reason="contract_ended")
    Registration.objects.create(person=voided, kind="void", effective_date=entry.effective_date, corrects=entry,
                                reason="录错")
    corrected = make_person(name="更正")  # its only counting entry is a correction
    wrong = Registration.objects.create(person=corrected, kind="unemployment", effective_date=datetime.date(2024, 3, 1),
                                        unemployment_reason="contract_ended")
    Registration.objects.create(person=corrected, kind="unemployment", effective_date=datetime.date(2024, 3, 8),
                                unemployment_reason="contract_ended", corrects=wrong, reason="日期录错")
    registered.append(corrected)
    out = StringIO()
    call_command("issue_certificates", stdout=out)
    assert "已发放就业创业证 4 本" in out.getvalue()
    assert set(Certificate.objects.values_list("person_id", flat=True)) == {p.pk for p in registered}
    assert not Certificate.objects.filter(person=never).exists()
    out = StringIO()
    call_command("issue_certificates", stdout=out)
    assert "已发放就业创业证 0 本" in out.getvalue()
