"""Finding 5: the audit log could be changed through the ORM and raw SQL. The database refuses now."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from jiuye.accounts import append_only, audit
from jiuye.accounts.models import AuditEntry

from .conftest import audit_log_bypass


@pytest.fixture
def entry(db):
    return audit.record(None, AuditEntry.Action.VIEW, object_type="person", object_id=1, summary="x")


def refused(fn):
    with pytest.raises((DatabaseError, PermissionDenied)):
        with transaction.atomic():
            fn()


def test_orm_update_delete_bulk_update_and_raw_sql_are_refused(entry):
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="changed"))
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    refused(lambda: AuditEntry.objects.all().delete())
    entry.summary = "changed"
    refused(lambda: AuditEntry.objects.bulk_update([entry], ["summary"]))
    refused(lambda: entry.save())
    refused(lambda: entry.delete())

    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    refused(lambda: raw(f"UPDATE {append_only.TABLE} SET summary = 'changed'"))
    refused(lambda: raw(f"DELETE FROM {append_only.TABLE}"))
    if connection.vendor == "postgresql":
        refused(lambda: raw(f"TRUNCATE {append_only.TABLE}"))
        refused(lambda: raw(f"TRUNCATE {append_only.TABLE} CASCADE"))
    assert AuditEntry.objects.get(pk=entry.pk).summary == "x"
    # Appending still works.
    audit.record(None, AuditEntry.Action.VIEW, object_type="person", object_id=2)
    assert AuditEntry.objects.count() == 2


def test_the_bypass_exists_only_in_the_test_suite(entry):
    with audit_log_bypass():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="again"))
    assert AuditEntry.objects.get(pk=entry.pk).summary == "changed"
    # The migration's triggers have no condition at all: nothing an application session can set.
    for vendor in ("sqlite", "postgresql"):
        sql = " ".join(append_only.trigger_sql(vendor))
        assert "WHEN" not in sql and "current_setting" not in sql and "IF " not in sql
    from importlib import import_module

    migration = import_module("jiuye.accounts.migrations.0005_audit_append_only")
    assert "guard" not in open(migration.__file__).read()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_the_log():
    audit.record(None, AuditEntry.Action.VIEW, object_type="person", object_id=3)
    assert AuditEntry.objects.count() == 1  # the flush after this test empties the table through the bypass


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_test_starts_empty():
    assert AuditEntry.objects.count() == 0
