"""The kpis part: a covering index for ``avg_schooling_years`` (劳动年龄人口平均受教育年限).

The KPI groups every working-age person by community and education; without this index that is a scan of
the whole (wide) person table (8 s for 1,000,000 persons on SQLite), with it a scan of the index alone
(0.4 s). Created by SQL so that the registry's model state is unchanged (the registry owns the table; the
index serves only this query). Same statement on SQLite and PostgreSQL."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial"), ("registry", "0011_certificates_transfers")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS kpi_person_schooling_idx ON registry_person "
            "(region_id, education, birth_date, retirement_date)",
            "DROP INDEX IF EXISTS kpi_person_schooling_idx",
        ),
    ]
