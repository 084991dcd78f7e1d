# The audit log is append-only in the database: triggers refuse UPDATE and DELETE (and TRUNCATE on
# PostgreSQL) on accounts_auditentry (jiuye/accounts/append_only.py).

from django.db import migrations

from jiuye.accounts import append_only


def forward(apps, schema_editor):
    for sql in append_only.trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in append_only.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_audit_indexes'),
    ]

    operations = [migrations.RunPython(forward, backward)]
