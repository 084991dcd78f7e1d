"""An index the screening needs (docs/policies/packs.md, "Performance"): the employment event of every
policy reads registrations by kind and date with the columns its conditions test. Covering them lets SQLite
(and PostgreSQL, index-only) bound the scan to the policy's dates without reading the registrations' rows.
The table is the registry's: the index is created with plain SQL (the same on SQLite and PostgreSQL)."""
from django.db import migrations

# id last: PostgreSQL needs it in the index for an index-only scan (SQLite has the rowid in every index)
COLUMNS = "kind, effective_date, person_id, employer_id, employment_form, social_insurance, contract_type, contract_months, id"


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("registry", "0011_certificates_transfers"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS policies_employment_event_idx ON registry_registration ({COLUMNS})",
            "DROP INDEX IF EXISTS policies_employment_event_idx",
        ),
    ]
