"""Quarter codes of demand surveys in the project's one written form: "2026Q4" → "2026-Q4"."""
import re

from django.db import migrations

OLD = re.compile(r"^(\d{4})Q([1-4])$")


def forwards(apps, schema_editor):
    DemandSurvey = apps.get_model("jobs", "DemandSurvey")
    for survey in DemandSurvey.objects.filter(period__regex=r"^[0-9]{4}Q[1-4]$").only("pk", "period"):
        m = OLD.match(survey.period)
        if m:
            DemandSurvey.objects.filter(pk=survey.pk).update(period=f"{m.group(1)}-Q{m.group(2)}")


class Migration(migrations.Migration):
    dependencies = [("jobs", "0005_market")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
