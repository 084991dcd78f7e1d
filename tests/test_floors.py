"""The floors (docs/architecture.md): no model points upward, no app's migrations depend on a higher
app, and the links between accounts and registry records live on the registry's side.

Imports are checked by import-linter (`lint-imports`, run by scripts/test.sh); the floor order is read
from the same contract in pyproject.toml, so the two checks cannot drift apart."""
from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent

# Written before the floors were enforced; accounts' later migrations depend on nothing above it.
LEGACY_UPWARD_MIGRATION_DEPENDENCIES = {(("accounts", "0002_initial"), ("registry", "0001_initial"))}


def floors() -> dict[str, int]:
    """Module name → floor number, 0 the top (the import-linter layers contract, top to bottom)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "floors")
    out = {}
    for number, layer in enumerate(contract["layers"]):
        for module in re.split(r"[|:]", layer):
            out[module.strip().strip("()")] = number
    return out


def floor_of_app(app_name: str, table: dict[str, int]) -> int | None:
    return table.get(app_name)


def test_the_contract_lists_every_jiuye_app():
    table = floors()
    for config in apps.get_app_configs():
        if config.name.startswith("jiuye."):
            assert config.name in table, f"{config.name} has no floor in pyproject.toml's import-linter contract"


def test_no_model_points_to_a_higher_floor():
    table = floors()
    upward = []
    for model in apps.get_models():
        source = floor_of_app(model._meta.app_config.name, table)
        if source is None:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = floor_of_app(field.related_model._meta.app_config.name, table)
            if target is not None and target < source:
                upward.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert upward == []


def test_no_migration_depends_on_a_higher_app():
    table = floors()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    upward = []
    for (app_label, name), migration in loader.disk_migrations.items():
        config = apps.get_app_config(app_label)
        source = floor_of_app(config.name, table)
        if source is None:
            continue
        for dep_app, dep_name in migration.dependencies:
            if dep_app == "__setting__":
                continue
            try:
                target = floor_of_app(apps.get_app_config(dep_app).name, table)
            except LookupError:
                continue
            if target is not None and target < source:
                edge = ((app_label, name), (dep_app, dep_name))
                if edge not in LEGACY_UPWARD_MIGRATION_DEPENDENCIES:
                    upward.append(edge)
    assert upward == []


@pytest.mark.django_db(transaction=True)
def test_account_links_move_from_users_to_the_registry():
    """registry's AccountLink migration copies User.person/User.employer before accounts drops them."""
    from jiuye.regions.services import load_seed_regions
    from jiuye.registry.models import AccountLink

    before = [("accounts", "0002_initial"), ("registry", "0003_search_indexes_zero_employment_flag")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    load_seed_regions()
    Person, Employer, User = old.get_model("registry", "Person"), old.get_model("registry", "Employer"), \
        old.get_model("accounts", "User")
    person = Person.objects.create(id_number="610102199003070011", name="张三", sex="M",
                                   birth_date=datetime.date(1990, 3, 7), hukou_type="urban", region_id="610102001001",
                                   retirement_date=datetime.date(2053, 3, 7))
    employer = Employer.objects.create(credit_code="91610102123456789X", name="单位", region_id="610102001001")
    resident = User.objects.create(username="res", role="resident", person=person)
    employer_user = User.objects.create(username="emp", role="employer_user", employer=employer)
    User.objects.create(username="staff", role="district_officer", region_id="610102000000")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    links = {link.user_id: (link.person_id, link.employer_id) for link in AccountLink.objects.all()}
    assert links == {resident.pk: (person.pk, None), employer_user.pk: (None, employer.pk)}


def test_admin_edits_a_users_link_on_the_user_page(client, district_officer, make_person):
    """The user page of the admin carries the registry's AccountLink inline (added from registry.admin)."""
    from jiuye.accounts.models import User
    from jiuye.registry import queries, services

    person = make_person(name="张三")
    resident = User.objects.create_user("res", password="pass-12345678", role="resident")
    services.link_account(actor=None, user=resident, person=person)
    admin_user = User.objects.create_superuser("root", password="pass-12345678")
    client.force_login(admin_user)
    html = client.get(f"/admin/accounts/user/{resident.pk}/change/").content.decode()
    assert "registry_link" in html and "本人档案" in html
    assert queries.linked_person_id(User.objects.get(pk=resident.pk)) == person.pk


def test_link_account_is_audited_and_keeps_one_account_per_person(district_officer, make_person):
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiuye.accounts.models import AuditEntry, User
    from jiuye.registry import queries, services

    person = make_person(name="张三")
    first = User.objects.create_user("res1", password="pass-12345678", role="resident")
    second = User.objects.create_user("res2", password="pass-12345678", role="resident")
    services.link_account(actor=None, user=first, person=person)
    assert queries.linked_person_id(first) == person.pk and queries.linked_employer_id(first) is None
    entry = AuditEntry.objects.get(object_type="user", object_id=str(first.pk), action="update")
    assert entry.changes == {"person": [None, person.pk]}
    with pytest.raises(ValidationError):
        services.link_account(actor=None, user=second, person=person)
    with pytest.raises(PermissionDenied):
        services.link_account(actor=district_officer, user=second, person=None)
    services.link_account(actor=None, user=first, person=None)
    assert queries.linked_person_id(User.objects.get(pk=first.pk)) is None
