"""Reserved for the market part of issue 10 (empty until that part needs a schema change)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_matching")]
    operations = []
