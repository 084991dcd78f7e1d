"""Communities and tasks part: the awarded title (designation) of a full-employment community."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("targets", "0003_targets")]
    operations = [
        migrations.AddField(
            model_name="communityassessment",
            name="designation",
            field=models.CharField(blank=True, choices=[("national", "国家级充分就业社区"), ("provincial_star", "省级充分就业星级社区"),
                                                        ("provincial", "省级充分就业社区"), ("municipal", "市级充分就业社区")],
                                   default="", max_length=16, verbose_name="认定称号"),
        ),
    ]
