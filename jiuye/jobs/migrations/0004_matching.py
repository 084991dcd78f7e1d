"""The matching's reads of what changed since its snapshot (matching.load.seekers_now / vacancies_now): indexes
on the registration's recording time, the profile's and the vacancy's update time."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_seekers")]
    operations = [
        migrations.AddIndex(
            model_name="seekerprofile",
            index=models.Index(fields=["updated_at"], name="seeker_profile_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="seekerregistration",
            index=models.Index(fields=["recorded_at"], name="seeker_recorded_idx"),
        ),
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(fields=["updated_at"], name="vacancy_updated_idx"),
        ),
    ]
