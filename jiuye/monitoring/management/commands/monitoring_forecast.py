"""jiuye monitoring_forecast [--region CODE] [--on DATE]: refit the unemployment-rate forecasts of the
districts and streets (under CODE when given), store them, raise the forecast warnings, and evaluate the
warning levels of the latest month. Prints one line per series, then ``runs=N warnings=M`` last."""
from __future__ import annotations

import datetime

from django.core.management.base import CommandError

from jiuye.accounts import audit
from jiuye.cli import Command as JiuyeCommand
from jiuye.monitoring.models import RateIndicator
from jiuye.regions.codes import pad, significant_prefix
from jiuye.regions.models import Region


class Command(JiuyeCommand):
    help = "重新计算各区县、街道的失业率预测（含预测区间和回测误差），并评估失业率预警等级"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="只计算该区划（区县或街道代码）及其下属街道")
        parser.add_argument("--on", help="以该日期为计算日（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        from django.db import transaction
        from django.utils import timezone

        from jiuye.monitoring.services import forecasts, series

        prefix = ""
        if options.get("region"):
            try:
                code = pad(options["region"])
            except ValueError:
                raise CommandError(f"区划代码无效：{options['region']}") from None
            if not Region.objects.filter(code=code).exists():
                raise CommandError(f"区划不存在：{options['region']}")
            prefix = significant_prefix(code)
        today = timezone.localdate()
        if options.get("on"):
            try:
                today = datetime.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"日期无效：{options['on']}（应为 YYYY-MM-DD）") from None
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            runs = forecasts.run_forecasts(prefix, today=today)
            with transaction.atomic():
                raised = series.evaluate_levels(today=today)
        finally:
            audit.reset_context(token)
        for run in runs:
            name = RateIndicator(run.indicator).label
            if run.message:
                self.stdout.write(f"{run.region.name} {name}：{run.message}")
                continue
            bt = run.backtest or {}
            risk = f"；预计{run.crossing['month']}越限" if run.crossing else ""
            self.stdout.write(f"{run.region.name} {name}：{run.model_name}，{run.observations}个月，"
                              f"回测MAE {bt.get('mae', '—')}，MAPE {bt.get('mape', '—')}%{risk}")
        warned = sum(1 for r in runs if r.crossing)
        self.stdout.write(f"runs={len(runs)} warnings={warned + len(raised)}")
