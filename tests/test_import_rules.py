"""Rules the import applies in its own, faster way are held to the rule they copy.

- RegistrationImporter.check: the checks of services._validate_entry that need no history (a date in
  the future, under 16 on the date, the employment form and the employer it needs).
- PersonImporter: IMPORT_FIELDS is services.PERSON_EDITABLE_FIELDS minus female_retirement_base, and
  the import's retirement date (persons._retirement, calendar arithmetic) is retirement.retirement_date.
The identity-number check is held to identity.parse_resident_id in tests/test_import_identity.py.
"""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from jiuye.imports.base import Context, Record
from jiuye.imports.columns import HeaderFinder
from jiuye.imports.db import AuditWriter
from jiuye.imports.lookups import RegionIndex, Scope
from jiuye.imports.models import ImportBatch
from jiuye.registry import services
from jiuye.registry.importers import persons as person_import
from jiuye.registry.importers.registrations import RegistrationImporter
from jiuye.registry.models import EmploymentForm, Registration
from jiuye.registry.retirement import retirement_date

ACME = "91610102MA6U00001" + uscc.calc_check_digit("91610102MA6U00001")


@pytest.fixture
def importer(regions):
    scope = Scope(None)
    ctx = Context(actor=None, scope=scope, regions=RegionIndex(scope), dry_run=True,
                  batch=ImportBatch.objects.create(kind="registrations", file_name="r.csv"), audit=AuditWriter(None))
    layout = HeaderFinder("registrations").find([(1, ["公民身份号码", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式",
                                                      "失业原因", "终止原因"])])
    return RegistrationImporter(ctx, layout)


@pytest.fixture
def people(make_person):
    return [make_person(name="成年", birth="19900615", seq="011"), make_person(name="少年", birth="20100301", seq="013")]


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=ACME, name="西安甲公司", region="610102001000")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 1),
       kind=st.sampled_from([Registration.Kind.EMPLOYMENT, Registration.Kind.UNEMPLOYMENT, Registration.Kind.ENDING]),
       days=st.integers(-30 * 365, 10), form=st.sampled_from(["", *EmploymentForm.values]), with_employer=st.booleans())
def test_registration_checks_agree_with_the_service_rule(importer, people, employer, which, kind, days, form,
                                                         with_employer):
    person = people[which]
    date = timezone.localdate() + datetime.timedelta(days=days)
    values = {"id_number": (person.id_number, person.birth_date, person.sex), "kind": kind, "effective_date": date,
              "unemployment_reason": "dismissed", "ending_reason": "new_job"}
    if form:
        values["employment_form"] = form
    if with_employer:
        values["employer"] = ACME
    importer.seen.clear()
    importer.ctx.errors.clear()
    accepted = importer.check(Record(2, values, []))
    try:
        services._validate_entry(person, kind, date, employer=employer if with_employer else None, employment_form=form)
    except ValidationError:
        allowed = False
    else:
        allowed = True
    assert accepted == allowed, [e.reason for e in importer.ctx.errors]


def test_import_fields_are_the_editable_fields_but_the_retirement_base():
    assert person_import.IMPORT_FIELDS == [f for f in services.PERSON_EDITABLE_FIELDS if f != "female_retirement_base"]


@settings(max_examples=500)
@given(birth=st.dates(datetime.date(1900, 1, 1), datetime.date(2030, 12, 31)), sex=st.sampled_from(["M", "F"]),
       base=st.sampled_from([50, 55]))
def test_the_import_retirement_date_is_the_rule(birth, sex, base):
    assert person_import._retirement(birth, sex, base) == retirement_date(birth, sex, base)
