# Audit entries: no index of the actor foreign key of its own (the (actor, at) index serves it), and
# the region code index as an explicit Meta index (no PostgreSQL "_like" index, which no query
# uses). Done in place: no table rebuild on SQLite.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from jiuye.migration_helpers import rehome_index


def forward(apps, schema_editor):
    table = "accounts_auditentry"
    rehome_index(schema_editor, table, "actor_id", "", drop_only=True)
    rehome_index(schema_editor, table, "region_code", "audit_region_code_idx")


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
