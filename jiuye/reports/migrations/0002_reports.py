"""Reserved for the reports part (a model change of that part goes here)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = []
