"""User.person and User.employer pointed up to the registry; the links now live in
registry.AccountLink (its migration copies them first: it declares run_before this one)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="employer"),
        migrations.RemoveField(model_name="user", name="person"),
    ]
