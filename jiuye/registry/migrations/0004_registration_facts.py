"""登记地 (Registration.registered_in) and 失业前单位 (Registration.former_employer).

Existing registrations get the community their person lives in now (one set-based UPDATE): the best
answer the stored data holds. The column is added without its foreign-key constraint, filled, and
made NOT NULL with the constraint in 0005: on PostgreSQL a deferred constraint would queue one
trigger event per updated row, and a table cannot be altered in the transaction that updated its
rows under deferred foreign keys.
"""
import django.db.models.deletion
from django.db import migrations, models

FILL_REGISTERED_IN = """
UPDATE registry_registration
   SET registered_in_id = (SELECT p.region_id FROM registry_person p WHERE p.id = registry_registration.person_id)
 WHERE registered_in_id IS NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ("regions", "0002_region_urban_rural"),
        ("registry", "0003_search_indexes_zero_employment_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="registered_in",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, null=True, help_text="办理登记的社区/村，默认为登记时本人的居住社区",
                on_delete=django.db.models.deletion.PROTECT, related_name="registrations_made", to="regions.region",
                verbose_name="登记地",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="former_employer",
            field=models.ForeignKey(
                blank=True, help_text="失业登记时填写：失业前的工作单位", null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="former_employee_registrations",
                to="registry.employer", verbose_name="失业前单位",
            ),
        ),
        migrations.RunSQL(FILL_REGISTERED_IN, reverse_sql=migrations.RunSQL.noop),
    ]
