from django.db import connection
from django.utils import timezone

from jiuye.cli import Command as JiuyeCommand
from jiuye.registry import events
from jiuye.registry.services import apply_due_pending, refresh_zero_employment


class Command(JiuyeCommand):
    # Apply the pending registrations due today (待生效), then recompute the stored projections that
    # depend on today's date (zero-employment household flags: members leave working age as time
    # passes). Run daily, e.g. from cron at 01:00.
    help = ("先使到期的待生效登记生效，再重新计算随日期变化的存储结果（零就业家庭标记：成员会随时间超出劳动年龄）。"
            "每天运行一次，例如用 cron 在 01:00 运行。")

    def handle(self, *args, **options):
        pending = apply_due_pending()
        self.stdout.write(f"待生效登记：生效 {pending['applied']} 条，未通过 {pending['rejected']} 条")
        changed = refresh_zero_employment(via=events.VIA_REFRESH)
        self.stdout.write(f"零就业家庭标记已重新计算：{changed} 户有变化")
        for _receiver, line in events.daily_refresh.send(sender=None, today=timezone.localdate()):
            if line:
                self.stdout.write(str(line))
        with connection.cursor() as cursor:  # keep the query planner's statistics current
            cursor.execute("ANALYZE")
