"""Reserved for the board, rural transfer and home part of issue 11 (empty until that part needs a schema change)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_unemployment")]
    operations = []
