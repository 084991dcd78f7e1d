"""Helpers for migrations that move indexes in place (no table rebuild on SQLite, renames on
PostgreSQL). A utility outside the floors, like ``paging``: it imports nothing of Jiuye, so migrations
of any app may use it. Keep its behaviour stable: applied migrations depend on it."""
from __future__ import annotations


def constraints_of(schema_editor, table):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def single_column_indexes(constraints, column, *, unique=False, like=False):
    """Names of the indexes (or unique constraints) on exactly ``column``."""
    return sorted(
        name for name, c in constraints.items()
        if c["columns"] == [column] and not c["primary_key"] and not c["foreign_key"] and not c["check"]
        and bool(c["unique"]) == unique and (c["index"] or c["unique"]) and name.endswith("_like") == like
    )


def rehome_index(schema_editor, table, column, new_name, *, drop_only=False):
    """Drop the "_like" index of ``column`` and give its plain index the explicit name (or drop it)."""
    q = schema_editor.quote_name
    constraints = constraints_of(schema_editor, table)
    for name in single_column_indexes(constraints, column, like=True):
        schema_editor.execute(f"DROP INDEX {q(name)}")
    old = [n for n in single_column_indexes(constraints, column) if n != new_name]
    if drop_only:
        for name in old:
            schema_editor.execute(f"DROP INDEX {q(name)}")
        return
    if new_name in constraints:
        return
    if schema_editor.connection.vendor == "postgresql" and old:
        schema_editor.execute(f"ALTER INDEX {q(old[0])} RENAME TO {q(new_name)}")
        old = old[1:]
    else:
        schema_editor.execute(f"CREATE INDEX {q(new_name)} ON {q(table)} ({q(column)})")
    for name in old:
        schema_editor.execute(f"DROP INDEX {q(name)}")
