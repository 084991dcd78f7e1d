import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0004_registration_facts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="registered_in",
            field=models.ForeignKey(
                db_index=False, help_text="办理登记的社区/村，默认为登记时本人的居住社区",
                on_delete=django.db.models.deletion.PROTECT, related_name="registrations_made", to="regions.region",
                verbose_name="登记地",
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["registered_in", "effective_date"], name="registry_re_registe_30eaa5_idx"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(("former_employer__isnull", True), ("kind", "unemployment"), _connector="OR"),
                name="former_employer_only_on_unemployment",
            ),
        ),
    ]
