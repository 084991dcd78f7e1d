"""Reserved for the dashboard part (a model change of that part goes here)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("targets", "0004_tasks")]
    operations = []
