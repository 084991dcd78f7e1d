"""Reserved for the enterprises part of issue 11 (empty until that part needs a schema change)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_supply")]
    operations = []
