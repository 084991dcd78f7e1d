"""jiuye kpi_refresh [--period P ...] [--region CODE]: compute every KPI of every region (or of CODE and the
regions under it) for the periods given (default: what the dashboard shows: the last 12 full months, the
running month, quarter and year, and the year to date of each)
and keep the values (kpis/cache.py), so the dashboard answers from kept values. The daily refresh
(``jiuye refresh_projections``) and ``jiuye demo`` do the same; run it after a bulk load or from cron."""
from __future__ import annotations

import time

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "预先计算并保存各区划的指标值（默认近12个月、本月、本季度、本年度及其年初累计），供看板和大屏快速显示"

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[],
                            help="统计期：2026-11、2026-Q4 或 2026（可重复；默认近12个月、本月、本季度、本年度及其年初累计）")
        parser.add_argument("--region", help="只计算该区划及其下属区划")

    def handle(self, *args, **options):
        from jiuye.monitoring.periods import PeriodError, parse_period
        from jiuye.regions.codes import pad, significant_prefix
        from jiuye.regions.models import Region
        from jiuye.regions.queries import within_q
        from jiuye.targets.kpis.cache import current_periods, refresh

        try:
            periods = [parse_period(p) for p in options["period"]] or current_periods()
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        regions = None
        if options.get("region"):
            try:
                code = pad(options["region"])
            except ValueError:
                raise CommandError(f"区划代码无效：{options['region']}") from None
            if not Region.objects.filter(code=code).exists():
                raise CommandError(f"区划不存在：{options['region']}")
            regions = list(Region.objects.filter(within_q(significant_prefix(code), "code"))
                           .order_by("code").values_list("code", flat=True))
        total = 0
        for period in periods:
            started = time.monotonic()
            kept = refresh([period], regions)
            total += kept
            self.stdout.write(f"{period.label}（{period.code}）：{kept} 项，用时 {time.monotonic() - started:.1f} 秒")
        self.stdout.write(f"kept={total}")
