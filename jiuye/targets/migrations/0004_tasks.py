"""Reserved for the communities and tasks part (a model change of that part goes here)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("targets", "0003_targets")]
    operations = []
