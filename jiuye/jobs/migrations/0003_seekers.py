"""Reserved for the seekers part of issue 10 (empty until that part needs a schema change)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_vacancies")]
    operations = []
