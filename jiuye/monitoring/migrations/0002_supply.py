"""The supply part of issue 11: the shortage-occupation catalogue (紧缺职业目录) and its frozen entries."""
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name='ShortageCatalogue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('published', '已发布'), ('replaced', '已被替代')], default='draft', max_length=10, verbose_name='状态')),
                ('title', models.CharField(max_length=128, verbose_name='目录名称')),
                ('parameters', models.JSONField(default=dict, verbose_name='计算参数')),
                ('totals', models.JSONField(blank=True, default=dict, verbose_name='总体情况')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='计算时间')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                ('replaced_at', models.DateTimeField(blank=True, null=True, verbose_name='替代时间')),
                ('computed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='计算人')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='发布区划')),
                ('replaced_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='monitoring.shortagecatalogue', verbose_name='替代目录')),
            ],
            options={
                'verbose_name': '紧缺职业目录',
                'verbose_name_plural': '紧缺职业目录',
            },
        ),
        migrations.CreateModel(
            name='ShortageEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rank', models.PositiveIntegerField(verbose_name='排名')),
                ('occupation_code', models.CharField(max_length=10, verbose_name='职业代码')),
                ('occupation_name', models.CharField(max_length=128, verbose_name='职业名称')),
                ('group_name', models.CharField(blank=True, max_length=128, verbose_name='所属大类')),
                ('openings', models.PositiveIntegerField(verbose_name='需求人数')),
                ('seekers', models.PositiveIntegerField(verbose_name='求职人数')),
                ('ratio', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='求人倍率')),
                ('months_short', models.PositiveSmallIntegerField(verbose_name='紧缺月数')),
                ('months_with_demand', models.PositiveSmallIntegerField(verbose_name='有需求月数')),
                ('catalogue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='monitoring.shortagecatalogue', verbose_name='目录')),
            ],
            options={
                'verbose_name': '紧缺职业',
                'verbose_name_plural': '紧缺职业',
                'ordering': ['catalogue', 'rank'],
            },
        ),
        migrations.AddIndex(
            model_name='shortagecatalogue',
            index=models.Index(fields=['region', 'year'], name='shortage_cat_region_idx'),
        ),
        migrations.AddConstraint(
            model_name='shortagecatalogue',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'published')), fields=('region', 'year'), name='shortage_cat_one_published'),
        ),
        migrations.AddConstraint(
            model_name='shortagecatalogue',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('region', 'year'), name='shortage_cat_one_draft'),
        ),
        migrations.AddConstraint(
            model_name='shortageentry',
            constraint=models.UniqueConstraint(fields=('catalogue', 'rank'), name='shortage_entry_rank'),
        ),
        migrations.AddConstraint(
            model_name='shortageentry',
            constraint=models.UniqueConstraint(fields=('catalogue', 'occupation_code'), name='shortage_entry_code'),
        ),
    ]
