"""Reserved for the kpis part (a model change of that part goes here)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]
    operations = []
