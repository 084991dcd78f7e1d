"""The dashboard part: kept KPI values (KpiSnapshot, kpis/cache.py)."""
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_region_urban_rural"), ("targets", "0004_tasks")]
    operations = [
        migrations.CreateModel(
            name="KpiSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("period", models.CharField(max_length=24, verbose_name="统计期")),
                ("period_start", models.DateField(verbose_name="统计期起")),
                ("period_end", models.DateField(db_index=True, verbose_name="统计期止")),
                ("kpi", models.CharField(max_length=48, verbose_name="指标")),
                ("value", models.CharField(blank=True, max_length=64, null=True, verbose_name="数值")),
                ("components", models.JSONField(blank=True, default=dict, verbose_name="构成")),
                ("source", models.CharField(default="registry", max_length=128, verbose_name="来源")),
                ("computed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="计算时间")),
                ("region", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="regions.region", verbose_name="区划")),
            ],
            options={
                "verbose_name": "指标缓存值",
                "verbose_name_plural": "指标缓存值",
                "constraints": [models.UniqueConstraint(fields=("region", "period", "kpi"), name="one_kpi_snapshot")],
            },
        ),
    ]
