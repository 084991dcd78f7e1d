from django.core.management.base import BaseCommand
from django.db import connection

from jiuye.registry import events
from jiuye.registry.services import apply_due_pending, refresh_zero_employment


class Command(BaseCommand):
    help = ("Apply the pending registrations due today (待生效), then recompute the stored projections that depend "
            "on today's date (zero-employment household flags: members leave working age as time passes). "
            "Run daily, e.g. from cron at 01:00.")

    def handle(self, *args, **options):
        pending = apply_due_pending()
        self.stdout.write(f"pending registrations applied={pending['applied']} rejected={pending['rejected']}")
        changed = refresh_zero_employment(via=events.VIA_REFRESH)
        self.stdout.write(f"zero-employment households changed={changed}")
        with connection.cursor() as cursor:  # keep the query planner's statistics current
            cursor.execute("ANALYZE")
