"""The unemployment part of issue 11: the statistics bureau's series (versions) and the stored forecasts."""
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_enterprises")]
    operations = [
        migrations.CreateModel(
            name='ForecastRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.CharField(choices=[('registered_rate', '城镇登记失业率'), ('surveyed_rate', '城镇调查失业率')], max_length=16, verbose_name='指标')),
                ('made_on', models.DateField(verbose_name='预测日期')),
                ('made_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='计算时间')),
                ('last_month', models.DateField(blank=True, null=True, verbose_name='最后一个实际月份')),
                ('observations', models.PositiveIntegerField(default=0, verbose_name='样本月数')),
                ('model_name', models.CharField(blank=True, max_length=64, verbose_name='模型')),
                ('points', models.JSONField(blank=True, default=list, verbose_name='预测值')),
                ('backtest', models.JSONField(blank=True, default=dict, verbose_name='回测')),
                ('limit', models.DecimalField(blank=True, decimal_places=3, max_digits=6, null=True, verbose_name='控制目标')),
                ('crossing', models.JSONField(blank=True, null=True, verbose_name='越限')),
                ('message', models.CharField(blank=True, max_length=255, verbose_name='说明')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='区划')),
            ],
            options={
                'verbose_name': '失业率预测',
                'verbose_name_plural': '失业率预测',
                'indexes': [models.Index(fields=['region', 'indicator', '-made_at'], name='forecast_run_latest_idx')],
            },
        ),
        migrations.CreateModel(
            name='StatSeriesValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.CharField(choices=[('urban_employed', '城镇从业人员数'), ('surveyed_rate', '城镇调查失业率')], max_length=16, verbose_name='指标')),
                ('month', models.DateField(verbose_name='月份')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='数值')),
                ('source', models.CharField(max_length=128, verbose_name='数据来源')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='版本')),
                ('is_current', models.BooleanField(default=True, verbose_name='现行版本')),
                ('reason', models.CharField(blank=True, max_length=255, verbose_name='更正原因')),
                ('via', models.CharField(choices=[('web', '页面录入'), ('api', '接口'), ('import', '导入'), ('demo', '示例数据')], default='web', max_length=8, verbose_name='录入方式')),
                ('entered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='录入时间')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='区划')),
            ],
            options={
                'verbose_name': '统计部门数据',
                'verbose_name_plural': '统计部门数据',
                'indexes': [models.Index(fields=['indicator', 'month', 'region'], name='stat_series_month_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('region', 'indicator', 'month'), name='stat_series_one_current'), models.UniqueConstraint(fields=('region', 'indicator', 'month', 'version'), name='stat_series_version')],
            },
        ),
    ]
