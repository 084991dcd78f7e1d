"""The audit log is append-only in the database too: triggers refuse UPDATE and DELETE on
``accounts_auditentry`` (and TRUNCATE on PostgreSQL), whatever issues them (the ORM's
``update()``/``delete()``/``bulk_update``, raw SQL, a database console).

Migration ``accounts.0005_audit_append_only`` installs ``trigger_sql(vendor)``: no condition, no way
out. The test suite replaces the triggers with ``trigger_sql(vendor, guard=...)`` so that its database
flushes can empty the table (tests/conftest.py); nothing in the application passes a guard. Keep the
unguarded SQL stable: the applied migration depends on it.

Trap: on SQLite a migration that rebuilds the table (Django's "remake table" for some AlterField
operations) drops its triggers; such a migration must run ``trigger_sql("sqlite")`` again afterwards.
"""
from __future__ import annotations

TABLE = "accounts_auditentry"
MESSAGE = "audit entries are append-only"
PG_FUNCTION = "jiuye_audit_append_only"
SQLITE_TRIGGERS = ("jiuye_audit_no_update", "jiuye_audit_no_delete")
PG_TRIGGERS = ("jiuye_audit_no_update_delete", "jiuye_audit_no_truncate")


def trigger_sql(vendor: str, guard: str | None = None) -> list[str]:
    """Statements creating the triggers; ``guard`` (tests only) is an SQL condition that lets a change through."""
    if vendor == "postgresql":
        let_through = ""
        if guard:
            let_through = (f"IF {guard} THEN IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; ELSIF TG_OP = 'DELETE' "
                           "THEN RETURN OLD; ELSE RETURN NEW; END IF; END IF; ")
        return [
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN "
            f"{let_through}RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $body$",
            f"CREATE TRIGGER {PG_TRIGGERS[0]} BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"CREATE TRIGGER {PG_TRIGGERS[1]} BEFORE TRUNCATE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    if vendor == "sqlite":
        when = f" WHEN NOT ({guard})" if guard else ""
        return [
            f"CREATE TRIGGER {name} BEFORE {op} ON {TABLE}{when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for name, op in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE"))
        ]
    return []


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in PG_TRIGGERS] + [
            f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    return []
