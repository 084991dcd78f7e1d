# Person's identity number, name and phone indexes as explicit Meta indexes / a UniqueConstraint
# instead of unique=True / db_index=True on the fields: on PostgreSQL the field options also create
# varchar_pattern_ops "_like" indexes that no query uses (prefixes are searched as ranges) and that
# every insert pays for. The database work is done in place (no table rebuild on SQLite, renames on
# PostgreSQL): on SQLite the column's own UNIQUE index stays and stands for the constraint.

from django.db import migrations, models

from jiuye.migration_helpers import constraints_of, rehome_index, single_column_indexes


def forward(apps, schema_editor):
    table = "registry_person"
    rehome_index(schema_editor, table, "name", "person_name_idx")
    rehome_index(schema_editor, table, "phone", "person_phone_idx")
    q = schema_editor.quote_name
    constraints = constraints_of(schema_editor, table)
    for name in single_column_indexes(constraints, "id_number", like=True):
        schema_editor.execute(f"DROP INDEX {q(name)}")
    if schema_editor.connection.vendor == "postgresql" and "person_id_number_unique" not in constraints:
        old = single_column_indexes(constraints, "id_number", unique=True)
        if old:
            schema_editor.execute(f"ALTER TABLE {q(table)} RENAME CONSTRAINT {q(old[0])} TO person_id_number_unique")
        else:
            schema_editor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT person_id_number_unique UNIQUE (id_number)")


def backward(apps, schema_editor):
    q = schema_editor.quote_name
    table = "registry_person"
    for name in ("person_name_idx", "person_phone_idx"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {q(name)}")
    schema_editor.execute(f"CREATE INDEX registry_person_name_2a560b73 ON {q(table)} (name)")
    schema_editor.execute(f"CREATE INDEX registry_person_phone_812471c7 ON {q(table)} (phone)")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {q(table)} RENAME CONSTRAINT person_id_number_unique TO registry_person_id_number_key")


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('registry', '0008_move_import_batch'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='person',
                    name='id_number',
                    field=models.CharField(max_length=18, verbose_name='公民身份号码'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='name',
                    field=models.CharField(max_length=64, verbose_name='姓名'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='phone',
                    field=models.CharField(blank=True, max_length=20, verbose_name='联系电话'),
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(fields=['name'], name='person_name_idx'),
                ),
                migrations.AddIndex(
                    model_name='person',
                    index=models.Index(fields=['phone'], name='person_phone_idx'),
                ),
                migrations.AddConstraint(
                    model_name='person',
                    constraint=models.UniqueConstraint(fields=('id_number',), name='person_id_number_unique'),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
