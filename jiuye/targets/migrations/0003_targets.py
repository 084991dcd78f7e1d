"""Reserved for the targets part (a model change of that part goes here)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("targets", "0002_kpis")]
    operations = []
