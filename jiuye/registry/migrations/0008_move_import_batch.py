# ImportBatch now belongs to the import engine (jiuye.imports, same table): remove it from the
# registry's state only; the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0007_registration_last_entry_index'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportBatch')],
            database_operations=[],
        ),
    ]
