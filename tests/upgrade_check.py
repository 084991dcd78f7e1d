"""Run by tests/test_upgrade.py in a subprocess on an empty database (JIUYE_DATABASE_URL):
`python -m tests.upgrade_check`.

1. migrate to the previous release's state: the migrations as they were at git commit d72e2d9
   (regions 0001; accounts 0001, 0002; registry 0001–0003);
2. load a little data with the models of that state (historical models, not today's);
3. `migrate` to the latest, as `jiuye migrate` does on an upgrade;
4. check the data with today's models, print "upgrade ok".
"""
from __future__ import annotations

import datetime
import os

PREVIOUS_RELEASE = {  # app -> migrations applied by the previous release (d72e2d9)
    "regions": ["0001_initial"],
    "accounts": ["0001_initial", "0002_initial"],
    "registry": ["0001_initial", "0002_import_batch", "0003_search_indexes_zero_employment_flag"],
}
PERSON_ID = "610102199003070016"
EMPLOYER_CODE = "91610102MA6TXXXX0X"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder
    from django.utils import timezone
    from stdnum.cn import ric

    assert ric.is_valid(PERSON_ID), "fix the test's identity number"
    targets = [(app, names[-1]) for app, names in PREVIOUS_RELEASE.items()]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    applied = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    for app, names in PREVIOUS_RELEASE.items():
        assert sorted(applied[app]) == names, (app, applied[app])
    assert not set(applied) - set(PREVIOUS_RELEASE) - {"contenttypes", "auth"}, applied

    old = MigrationExecutor(connection).loader.project_state(targets).apps
    Region = old.get_model("regions", "Region")
    now = timezone.now()
    parent = None
    for code, name, level in [("610000000000", "陕西省", 1), ("610100000000", "西安市", 2), ("610102000000", "新城区", 3),
                              ("610102001000", "西一路街道", 4), ("610102001001", "长乐社区", 5)]:
        parent = Region.objects.create(code=code, name=name, level=level, parent=parent)
    community = parent
    User = old.get_model("accounts", "User")
    Person = old.get_model("registry", "Person")
    Employer = old.get_model("registry", "Employer")
    Household = old.get_model("registry", "Household")
    Membership = old.get_model("registry", "HouseholdMembership")
    Registration = old.get_model("registry", "Registration")
    ImportBatch = old.get_model("registry", "ImportBatch")
    AuditEntry = old.get_model("accounts", "AuditEntry")
    officer = User.objects.create(username="so_a", password="!", role="street_officer", region_id="610102001000")
    person = Person.objects.create(id_number=PERSON_ID, name="张三", sex="M", birth_date=datetime.date(1990, 3, 7),
                                   hukou_type="urban", retirement_date=datetime.date(2053, 3, 7), region=community)
    employer = Employer.objects.create(credit_code=EMPLOYER_CODE, name="长乐商贸有限公司", region=community)
    resident = User.objects.create(username="resident", password="!", role="resident", region_id="610102001001",
                                   person=person)
    household = Household.objects.create(number="XC0001", region=community)
    Membership.objects.create(household=household, person=person, relation="head", joined_on=datetime.date(2020, 1, 1))
    Registration.objects.create(person=person, kind="unemployment", effective_date=datetime.date(2024, 1, 2),
                                unemployment_reason="contract_ended", source="manual", operator=officer)
    Registration.objects.create(person=person, kind="employment", effective_date=datetime.date(2024, 6, 1),
                                employer=employer, employment_form="unit", source="manual", operator=officer)
    ImportBatch.objects.create(kind="persons", file_name="花名册.xlsx", actor=officer, region_code="610102001000",
                               status="partial", imported=1, rejected=2, finished_at=now)
    AuditEntry.objects.create(actor=officer, actor_name="so_a", action="create", object_type="person",
                              object_id=str(person.pk), region_code="610102001001", changes={}, summary="新增人员")

    call_command("migrate", interactive=False, verbosity=0)

    from jiuye.accounts.models import AuditEntry as AuditNow
    from jiuye.accounts.models import User as UserNow
    from jiuye.imports.models import ImportBatch as BatchNow
    from jiuye.registry import queries
    from jiuye.registry.models import Person as PersonNow
    from jiuye.registry.models import Registration as RegistrationNow
    from jiuye.registry.status import status_on

    plan = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert plan == [], plan
    person_now = PersonNow.objects.get(id_number=PERSON_ID)
    assert (person_now.name, person_now.region_id, person_now.birth_date) == ("张三", "610102001001", datetime.date(1990, 3, 7))
    assert RegistrationNow.objects.filter(person=person_now).count() == 2
    assert status_on(list(person_now.registrations.all()), datetime.date(2024, 7, 1)).status == "employed"
    assert person_now.household_memberships.get().household.number == "XC0001"
    assert queries.linked_person_id(UserNow.objects.get(username="resident")) == person_now.pk  # moved to AccountLink
    batch = BatchNow.objects.get()
    assert (batch.file_name, batch.status, batch.imported, batch.rejected, batch.actor.username) == (
        "花名册.xlsx", "partial", 1, 2, "so_a")
    assert AuditNow.objects.filter(object_type="person", object_id=str(person_now.pk)).count() == 1
    print("upgrade ok", flush=True)


if __name__ == "__main__":
    main()
