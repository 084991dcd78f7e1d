"""Shared fixtures: the seed region tree and one user per role."""
from __future__ import annotations

from pathlib import Path

import contextlib

import pytest
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.signals import connection_created

from jiuye.accounts import append_only
from jiuye.accounts.models import Role, User
from jiuye.regions import services as region_services
from jiuye.regions.services import load_seed_regions

# The tests run on a test tree: 新城区's real streets with the synthetic communities they were written
# against (tests/data/xincheng_test_tree.yaml), loaded by the `regions` fixture in place of the shipped
# real list. 610102001002 (建设社区) exists only there; tests/test_regions.py checks the real list.
TEST_TREE = Path(__file__).resolve().parent / "data" / "xincheng_test_tree.yaml"

# Codes of the test tree.
XINCHENG = "610102000000"
STREET_A = "610102001000"  # 西一路街道
STREET_B = "610102002000"  # 长乐中路街道
COMMUNITY_A1 = "610102001001"
COMMUNITY_A2 = "610102001002"
COMMUNITY_B1 = "610102002001"
XIAN = "610100000000"

# Valid identity numbers (checksums correct): born 1990-03-07 male, 1985-07-15 female, etc.
from stdnum.cn import ric as _ric  # noqa: E402


def make_id(region6: str, birth: str, seq: str) -> str:
    """A valid 18-character identity number: region code, birth date YYYYMMDD, 3-digit sequence."""
    body = f"{region6}{birth}{seq}"
    return body + _ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


# ---------------------------------------------------------------------------------------------
# The audit log's triggers (jiuye/accounts/append_only.py) refuse every UPDATE/DELETE/TRUNCATE. The
# test database gets a guarded copy of them, so that its flushes (transactional tests) and the few
# tests that empty the log on purpose can do so: the bypass exists only here, in the test suite.
_AUDIT_BYPASS = {"on": False}
PG_GUARD = "current_setting('jiuye.test_audit_bypass', true) = 'on'"
SQLITE_GUARD = "jiuye_test_audit_bypass()"


def _register_sqlite_guard(sender=None, connection=None, **kwargs):
    if connection is not None and connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function("jiuye_test_audit_bypass", 0, lambda: int(_AUDIT_BYPASS["on"]))


connection_created.connect(_register_sqlite_guard, dispatch_uid="jiuye_test_audit_bypass")


@contextlib.contextmanager
def audit_log_bypass(conn=None):
    """Lets this test empty or change the audit log (tests only)."""
    conn = conn or connection
    _AUDIT_BYPASS["on"] = True
    try:
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET jiuye.test_audit_bypass = 'on'")
        yield
    finally:
        _AUDIT_BYPASS["on"] = False
        if conn.vendor == "postgresql" and conn.connection is not None:
            with conn.cursor() as cursor:
                cursor.execute("RESET jiuye.test_audit_bypass")


_execute_sql_flush = BaseDatabaseOperations.execute_sql_flush


def _guarded_trigger_sql(vendor):
    guard = PG_GUARD if vendor == "postgresql" else SQLITE_GUARD
    return append_only.drop_sql(vendor) + append_only.trigger_sql(vendor, guard)


def _flush_with_bypass(self, sql_list):
    # A test that migrated backwards and forwards again has the unguarded triggers: guard them anew.
    vendor = self.connection.vendor
    _register_sqlite_guard(connection=self.connection)
    sql_list = _guarded_trigger_sql(vendor) + list(sql_list)
    if vendor == "postgresql":
        sql_list = ["SET LOCAL jiuye.test_audit_bypass = 'on'", *sql_list]
    _AUDIT_BYPASS["on"] = True
    try:
        _execute_sql_flush(self, sql_list)
    finally:
        _AUDIT_BYPASS["on"] = False


BaseDatabaseOperations.execute_sql_flush = _flush_with_bypass


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database, with the audit log's triggers replaced by their guarded copy."""
    with django_db_blocker.unblock():
        connection.ensure_connection()
        _register_sqlite_guard(connection=connection)
        with connection.cursor() as cursor:
            for sql in _guarded_trigger_sql(connection.vendor):
                cursor.execute(sql)
        from jiuye.jobs.services.occupations import ensure_loaded

        ensure_loaded()  # the occupation table (reference data, like the migrations' own rows)


@pytest.fixture
def regions(db, monkeypatch):
    monkeypatch.setattr(region_services, "SEED_DISTRICT_FILES", [TEST_TREE])
    load_seed_regions()


def _user(username: str, role: str, region: str | None, **extra) -> User:
    # Fixture users are the test's setting, not an account change under test: no audit entry
    # (accounts.signals audits every other creation).
    user = User(username=username, role=role, region_id=region, **extra)
    user.set_password("pass-12345678")
    user._audited = True
    user.save()
    return user


@pytest.fixture
def community_worker(regions):
    return _user("cw_a1", Role.COMMUNITY_WORKER, COMMUNITY_A1, display_name="社区协理员")


@pytest.fixture
def street_officer(regions):
    return _user("so_a", Role.STREET_OFFICER, STREET_A, display_name="西一路街道干部")


@pytest.fixture
def other_street_officer(regions):
    return _user("so_b", Role.STREET_OFFICER, STREET_B, display_name="长乐中路街道干部")


@pytest.fixture
def district_officer(regions):
    return _user("do_xc", Role.DISTRICT_OFFICER, XINCHENG, display_name="新城区人社局")


@pytest.fixture
def city_officer(regions):
    return _user("co_xa", Role.CITY_OFFICER, XIAN, display_name="西安市人社局")


@pytest.fixture
def auditor(regions):
    return _user("au_xc", Role.AUDITOR, XINCHENG, display_name="审计员")


@pytest.fixture
def leader(regions):
    """District leadership (新城区): reads figures, targets and reports of the district, no person records."""
    return _user("ld_xc", Role.LEADER, XINCHENG, display_name="新城区领导")


@pytest.fixture
def city_leader(regions):
    return _user("ld_xa", Role.LEADER, XIAN, display_name="西安市领导")


@pytest.fixture
def department_user(regions):
    """A responsible department's liaison of the district (linked to a Department by the test that needs it)."""
    return _user("dp_xc", Role.DEPARTMENT_USER, XINCHENG, display_name="区财政局联络员")


@pytest.fixture
def make_person(district_officer):
    """Create a person through the service, as the district officer."""
    from jiuye.registry import services

    counter = {"n": 0}

    def factory(*, birth: str = "19900307", seq: str | None = None, region: str = COMMUNITY_A1, name: str | None = None,
                hukou_type: str = "urban", **fields):
        counter["n"] += 1
        seq = seq or f"{(counter['n'] * 2 + 1) % 1000:03d}"  # odd: male; pass an even seq for female
        return services.create_person(
            actor=district_officer, id_number=make_id("610102", birth, seq), name=name or f"测试{counter['n']}",
            region=region, hukou_type=hukou_type, **fields,
        )

    return factory


@pytest.fixture
def fake_kpis(monkeypatch):
    """KPI values chosen by the test: ``fake_kpis[(region, kpi, period code)] = Decimal``; every other value is
    None (not computed). Replaces ``targets.kpis.compute.compute`` for the queries, the kept values and reports."""
    from jiuye.targets.kpis import cache
    from jiuye.targets.kpis import compute as compute_module
    from jiuye.targets.kpis.compute import KpiValue

    values: dict = {}

    def compute(region_codes, period, *, codes=None, known_on=None):
        from jiuye.targets.kpis.catalogue import KPIS
        wanted = list(codes) if codes is not None else list(KPIS)
        return {(r, c): KpiValue(c, r, period.code, values.get((r, c, period.code))) for r in region_codes for c in wanted}

    monkeypatch.setattr(compute_module, "compute", compute)
    monkeypatch.setattr(cache, "compute", compute)
    return values
