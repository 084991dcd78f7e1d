# The audit log is append-only in the database: triggers refuse UPDATE and DELETE (and TRUNCATE on
# PostgreSQL) on accounts_auditentry (jiuye/accounts/append_only.py); the action "lockout" (django-axes).

from django.db import migrations, models

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

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('view', '查看'), ('create', '新增'), ('update', '修改'), ('delete', '删除'), ('register', '登记'), ('correct', '更正'), ('import', '导入'), ('export', '导出'), ('login', '登录'), ('login_failed', '登录失败'), ('logout', '退出'), ('lockout', '登录锁定')], max_length=16, verbose_name='操作'),
        ),
    ]
