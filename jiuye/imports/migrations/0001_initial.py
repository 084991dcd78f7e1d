# ImportBatch moves here from registry. The table ``registry_importbatch`` stays (created by
# registry's migration 0002), so this migration only changes Django's state; registry's migration
# that removes the model from its state depends on this one.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=16, verbose_name='导入类型')),
                        ('file_name', models.CharField(max_length=255, verbose_name='文件名')),
                        ('region_code', models.CharField(blank=True, db_index=True, max_length=12, verbose_name='操作人区划')),
                        ('dry_run', models.BooleanField(default=False, verbose_name='仅校验')),
                        ('status', models.CharField(choices=[('running', '进行中'), ('ok', '全部导入'), ('partial', '部分行被拒绝'), ('unusable', '文件无法使用')], default='running', max_length=12, verbose_name='结果')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='数据行数')),
                        ('imported', models.PositiveIntegerField(default=0, verbose_name='新增')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='更新')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='未变化')),
                        ('rejected', models.PositiveIntegerField(default=0, verbose_name='拒绝')),
                        ('error_message', models.TextField(blank=True, verbose_name='错误信息')),
                        ('report_file', models.CharField(blank=True, help_text='相对于 MEDIA_ROOT 的路径', max_length=255, verbose_name='错误报告文件')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                    ],
                    options={
                        'verbose_name': '导入批次',
                        'verbose_name_plural': '导入批次',
                        'ordering': ['-started_at', '-id'],
                        'db_table': 'registry_importbatch',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
