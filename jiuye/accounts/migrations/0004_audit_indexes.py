# Audit entries: no index of the actor foreign key of its own (the (actor, at) index serves it), and
# the region code index as an explicit Meta index (no PostgreSQL "_like" index, which no query
# uses). Done in place: no table rebuild on SQLite.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _constraints(schema_editor, table):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _single_column(constraints, column, *, unique=False, like=False):
    """Names of the indexes (or unique constraints) on exactly ``column``."""
    return sorted(
        name for name, c in constraints.items()
        if c["columns"] == [column] and not c["primary_key"] and not c["foreign_key"] and not c["check"]
        and bool(c["unique"]) == unique and (c["index"] or c["unique"]) and name.endswith("_like") == like
    )


def _rehome_index(schema_editor, table, column, new_name, *, drop_only=False):
    """Drop the "_like" index of ``column`` and give its plain index the explicit name (or drop it)."""
    q = schema_editor.quote_name
    constraints = _constraints(schema_editor, table)
    for name in _single_column(constraints, column, like=True):
        schema_editor.execute(f"DROP INDEX {q(name)}")
    old = [n for n in _single_column(constraints, column) if n != new_name]
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


def forward(apps, schema_editor):
    table = "accounts_auditentry"
    _rehome_index(schema_editor, table, "actor_id", "", drop_only=True)
    _rehome_index(schema_editor, table, "region_code", "audit_region_code_idx")


def backward(apps, schema_editor):
    q = schema_editor.quote_name
    table = "accounts_auditentry"
    schema_editor.execute(f"DROP INDEX IF EXISTS {q('audit_region_code_idx')}")
    schema_editor.execute(f"CREATE INDEX accounts_auditentry_region_code_idx_old ON {q(table)} (region_code)")
    schema_editor.execute(f"CREATE INDEX accounts_auditentry_actor_id_idx_old ON {q(table)} (actor_id)")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_links_to_registry'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
                ),
                migrations.AlterField(
                    model_name='auditentry',
                    name='region_code',
                    field=models.CharField(blank=True, max_length=12, verbose_name='对象所属区划'),
                ),
                migrations.AddIndex(
                    model_name='auditentry',
                    index=models.Index(fields=['region_code'], name='audit_region_code_idx'),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
