from django.core.management.base import BaseCommand
from django.db import connection, transaction

from jiuye.registry import events
from jiuye.registry.groups import refresh_zero_employment
from jiuye.registry.models import Household


def _flagged_ids() -> set[int]:
    return set(Household.objects.filter(is_zero_employment=True).values_list("pk", flat=True))


class Command(BaseCommand):
    help = ("Recompute the stored projections that depend on today's date (zero-employment household flags: "
            "members leave working age as time passes). Run daily, e.g. from cron at 01:00.")

    def handle(self, *args, **options):
        # One committed chunk: the refresh and its announcement (events.households_changed, via="refresh",
        # with the ids of the households whose flag flipped) share one transaction.
        with transaction.atomic():
            before = _flagged_ids()
            changed = refresh_zero_employment()
            flipped = sorted(before ^ _flagged_ids())
            if flipped:
                events.households_changed.send(sender=Household, ids=flipped, created=False,
                                               fields=["is_zero_employment"], via=events.VIA_REFRESH)
        self.stdout.write(f"zero-employment households changed={changed}")
        with connection.cursor() as cursor:  # keep the query planner's statistics current
            cursor.execute("ANALYZE")
