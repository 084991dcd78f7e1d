"""The synthetic demo city (jiuye seed), the demo users and `jiuye demo`."""
from __future__ import annotations

import datetime
import hashlib
import io
import json
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from stdnum.cn import ric, uscc

from jiuye.accounts.models import Role, User
from jiuye.registry.groups import is_zero_employment_household, zero_employment_households
from jiuye.registry.identity import parse_credit_code, parse_resident_id
from jiuye.registry.models import (
    Employer,
    EmploymentStatus,
    Household,
    HouseholdMembership,
    Person,
    Registration,
    RegistrationSource,
)
from jiuye.registry.retirement import retirement_date, working_age_start
from jiuye.registry.status import status_on

PERSONS = 1000
MODELS = [Employer, Person, Household, HouseholdMembership, Registration]


def seed(persons: int = PERSONS, seed: int = 7, **options) -> str:
    out = io.StringIO()
    call_command("seed", persons=persons, seed=seed, no_samples=True, stdout=out, **options)
    return out.getvalue()


def data_hash() -> str:
    digest = hashlib.sha256()
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def seeded(regions):
    seed()


@pytest.mark.django_db
def test_same_seed_gives_same_data(regions):
    seed(seed=7)
    first = data_hash()
    seed(seed=7, force=True)
    assert data_hash() == first
    seed(seed=8, force=True)
    assert data_hash() != first


@pytest.mark.django_db
def test_refuses_non_empty_registry_without_force(seeded):
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert Person.objects.count() == PERSONS


@pytest.mark.django_db
def test_summary_counts(regions):
    out = seed()
    assert "人员" in out and "registry_person" not in out and f"{PERSONS:,}" in out
    assert "employed" not in out and "当前就业状态：" in out
    assert "数据库大小" in out and "用时" in out
    assert Employer.objects.count() == max(20, PERSONS // 40)
    assert HouseholdMembership.objects.count() == PERSONS


@pytest.mark.django_db
def test_identity_numbers_and_credit_codes_are_valid(seeded):
    today = timezone.localdate()
    for p in Person.objects.all():
        assert ric.is_valid(p.id_number), p.pk
        ident = parse_resident_id(p.id_number)
        assert (ident.sex, ident.birth_date) == (p.sex, p.birth_date)
        assert p.retirement_date == retirement_date(p.birth_date, p.sex, p.female_retirement_base or 50)
        assert working_age_start(p.birth_date) <= today
        assert p.region_id.startswith("610102") and p.region.level == 5
        assert isinstance(p.skills, list) and isinstance(p.certificates, list)
        assert p.hukou_type in ("urban", "rural")
    for e in Employer.objects.all():
        assert uscc.is_valid(e.credit_code), e.credit_code
        assert parse_credit_code(e.credit_code) == e.credit_code
        assert e.region_id.startswith("610102")
    assert Person.objects.values("id_number").distinct().count() == PERSONS


@pytest.mark.django_db
def test_population_has_the_expected_groups(seeded):
    total = Person.objects.count()
    rural = Person.objects.filter(hukou_type="rural").count()
    assert 0.2 < rural / total < 0.4
    assert Person.objects.filter(is_veteran=True).exists()
    assert Person.objects.filter(has_disability=True).exists()
    assert Person.objects.filter(is_dibao=True).exists()
    assert Person.objects.exclude(poverty_status="none").exists()
    assert Person.objects.exclude(id_number__startswith="6101").exists()  # migrants from other counties
    this_year = timezone.localdate().year
    graduates = Person.objects.filter(school_type="university", graduation_date__year__gte=this_year - 5)
    assert graduates.exists()
    assert Person.objects.filter(birth_date__gt=timezone.localdate() - datetime.timedelta(days=18 * 365)).exists()


@pytest.mark.django_db
def test_registrations_are_plausible(seeded):
    today = timezone.localdate()
    births = dict(Person.objects.values_list("id", "birth_date"))
    kinds = Counter()
    for r in Registration.objects.all():
        kinds[r.kind] += 1
        assert r.source == RegistrationSource.SEED
        assert r.effective_date <= today, r.pk
        assert r.effective_date >= working_age_start(births[r.person_id]), r.pk
        assert r.recorded_at <= timezone.now()
        if r.kind == Registration.Kind.VOID or r.corrects_id:
            assert r.reason
        if r.kind == Registration.Kind.EMPLOYMENT:
            assert r.employment_form
            if r.employment_form in ("unit", "public_welfare"):
                assert r.employer_id
    assert kinds["employment"] and kinds["unemployment"] and kinds["ending"]
    assert Registration.objects.filter(ending_reason="retirement").exists()
    mix = Counter(Person.objects.values_list("employment_status", flat=True))
    registered = Registration.objects.values("person").distinct().count()
    assert registered < PERSONS  # some never registered
    assert 0.70 < mix[EmploymentStatus.EMPLOYED] / registered < 0.90
    assert 0.02 < mix[EmploymentStatus.UNEMPLOYED] / registered < 0.12


@pytest.mark.django_db
def test_some_entries_are_voided_or_corrected(regions):
    seed(persons=3000, seed=3)
    assert Registration.objects.filter(kind=Registration.Kind.VOID).exists()
    assert Registration.objects.exclude(kind=Registration.Kind.VOID).filter(corrects__isnull=False).exists()


@pytest.mark.django_db
def test_projection_equals_replay_for_every_person(seeded):
    today = timezone.localdate()
    entries = defaultdict(list)
    for r in Registration.objects.all():
        entries[r.person_id].append(r)
    checked = 0
    for p in Person.objects.all():
        st = status_on(entries[p.pk], today)
        assert (p.employment_status, p.status_since, p.current_employer_id, p.employment_form) == (
            st.status, st.since, st.employer_id, st.employment_form), p.pk
        checked += 1
    assert checked == PERSONS


@pytest.mark.django_db
def test_households(seeded):
    sizes = Counter()
    for h in Household.objects.prefetch_related("memberships"):
        members = list(h.memberships.all())
        assert 1 <= len(members) <= 6
        assert sum(m.relation == "head" for m in members) == 1
        assert all(m.person.region_id == h.region_id for m in members)
        sizes[len(members)] += 1
    assert set(sizes) == {1, 2, 3, 4, 5, 6}
    assert Household.objects.filter(has_business_income=True).exists()


@pytest.mark.django_db
def test_zero_employment_households_of_every_size(seeded):
    zero = list(zero_employment_households())
    sizes = Counter(h.memberships.count() for h in zero)
    for size in range(1, 7):
        assert sizes[size] >= 3, sizes
    assert all(is_zero_employment_household(h) for h in zero)
    zero_ids = {h.pk for h in zero}
    others = Household.objects.exclude(pk__in=zero_ids).order_by("pk")[:150]
    assert not any(is_zero_employment_household(h) for h in others)
    assert len(zero) < Household.objects.count() * 0.1


@pytest.mark.django_db
def test_rows_are_what_the_orm_stores(seeded):
    """Raw rows equal the ORM's own database representation of the loaded objects."""
    for model in MODELS:
        fields = list(model._meta.concrete_fields)
        qn = connection.ops.quote_name
        # On SQLite, date columns are cast to text so the driver's converters do not parse them.
        columns = ", ".join(
            f"CAST({qn(f.column)} AS TEXT)" if connection.vendor == "sqlite"
            and f.get_internal_type() in ("DateField", "DateTimeField") else qn(f.column)
            for f in fields
        )
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id LIMIT 40")
            raw_rows = cursor.fetchall()
        objs = list(model.objects.order_by("pk")[:40])
        assert len(objs) == len(raw_rows)
        for obj, raw in zip(objs, raw_rows):
            for f, stored in zip(fields, raw):
                value = getattr(obj, f.attname)
                if connection.vendor == "sqlite":
                    expected = f.get_db_prep_save(value, connection)
                    assert stored == expected, (model.__name__, f.name, stored, expected)
                else:
                    if f.get_internal_type() == "JSONField":
                        stored = json.loads(stored) if isinstance(stored, str) else stored
                    assert stored == value, (model.__name__, f.name, stored, value)


@pytest.mark.django_db
def test_samples_are_new_persons(seeded, tmp_path):
    call_command("seed", persons=PERSONS, seed=7, force=True, sample_dir=str(tmp_path), stdout=io.StringIO())
    names = {p.name for p in tmp_path.iterdir()}
    assert {"人员花名册.xlsx", "家庭户.xlsx", "用人单位.xlsx", "就业失业登记.xlsx", "README.txt"} <= names
    ws = load_workbook(tmp_path / "人员花名册.xlsx").active
    assert "劳动力资源花名册" in ws.cell(row=1, column=1).value
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["序号", "姓名", "公民身份号码"] and "求职意向工种" in headers
    ids = [str(ws.cell(row=r, column=3).value) for r in range(3, ws.max_row + 1)]
    valid = [i for i in ids if ric.is_valid(i)]
    assert len(valid) > 25
    assert not Person.objects.filter(id_number__in=valid).exists()
    households = load_workbook(tmp_path / "家庭户.xlsx").active
    assert households.merged_cells.ranges and len(households.merged_cells.ranges) > 1
    employers = load_workbook(tmp_path / "用人单位.xlsx").active
    codes = [employers.cell(row=r, column=1).value for r in range(3, employers.max_row + 1)]
    good = [c for c in codes if uscc.is_valid(c)]
    assert len(good) == len(codes) - 1
    assert not Employer.objects.filter(credit_code__in=good).exists()
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "校验位错误" in readme and "幸福里社区" in readme and "全角" in readme


@pytest.mark.django_db
def test_demo_prepares_everything_and_users_can_log_in(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, persons=PERSONS, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert "演示账号" in text
    assert Person.objects.count() == PERSONS
    assert (tmp_path / "samples" / "人员花名册.xlsx").exists()
    from jiuye.registry.demo.users import DEMO_USERS, ensure_demo_users
    from jiuye.registry.queries import linked_employer_id, linked_person_id

    assert {u.role for u in DEMO_USERS} == set(Role.values)
    for spec in DEMO_USERS:
        assert spec.username in text and spec.password in text
        assert Client().login(username=spec.username, password=spec.password), spec.username
    assert linked_employer_id(User.objects.get(username="demo_employer")) is not None
    resident = User.objects.get(username="demo_resident")
    assert linked_person_id(resident) is not None and resident.region_id == Person.objects.get(
        pk=linked_person_id(resident)).region_id
    assert User.objects.get(username="demo_community").region_id == "610102001001"
    # Idempotent: running again neither seeds nor duplicates users.
    out = io.StringIO()
    call_command("demo", no_serve=True, persons=PERSONS, stdout=out)
    assert "不再生成" in out.getvalue()
    assert Person.objects.count() == PERSONS
    assert User.objects.filter(username__startswith="demo_").count() == len(DEMO_USERS)
    assert ensure_demo_users()[0][0] == "demo_community"


@pytest.mark.django_db
def test_bulk_load_with_index_rebuild_keeps_schema_and_data(regions):
    from jiuye.registry.demo import writer

    sqlite = connection.vendor == "sqlite"
    before = writer._sqlite_secondary_indexes() if sqlite else None
    writer.seed_city(persons=PERSONS, seed=7, rebuild_indexes=True)
    if sqlite:
        assert before and writer._sqlite_secondary_indexes() == before
    rebuilt = data_hash()
    writer.seed_city(persons=PERSONS, seed=7, rebuild_indexes=False, force=True)
    assert data_hash() == rebuilt
