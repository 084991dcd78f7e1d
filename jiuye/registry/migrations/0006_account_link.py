"""The links between user accounts and persons/employers move from accounts.User to registry.AccountLink.

Runs before accounts' migration that drops the two fields, so the links are copied first and the
accounts app's own migrations never depend on the registry (accounts sits on a lower floor)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_links_from_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AccountLink = apps.get_model("registry", "AccountLink")
    rows = User.objects.filter(models.Q(person__isnull=False) | models.Q(employer__isnull=False)).values_list(
        "pk", "person_id", "employer_id")
    AccountLink.objects.bulk_create(
        [AccountLink(user_id=pk, person_id=person_id, employer_id=employer_id) for pk, person_id, employer_id in rows],
        batch_size=1000)


def copy_links_back_to_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AccountLink = apps.get_model("registry", "AccountLink")
    for link in AccountLink.objects.all().iterator():
        User.objects.filter(pk=link.user_id).update(person_id=link.person_id, employer_id=link.employer_id)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_registration_facts_required"),
        ("accounts", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    run_before = [
        ("accounts", "0003_user_links_to_registry"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="registry_link",
                                              to=settings.AUTH_USER_MODEL, verbose_name="用户")),
                ("person", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                related_name="account_link", to="registry.person", verbose_name="本人档案")),
                ("employer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                               related_name="account_links", to="registry.employer",
                                               verbose_name="所属单位")),
            ],
            options={"verbose_name": "账号关联", "verbose_name_plural": "账号关联"},
        ),
        migrations.RunPython(copy_links_from_users, copy_links_back_to_users),
    ]
