"""jiuye kpi --region CODE --period P [--json] [--known-on T] [--user NAME]: every KPI of a region for a
period with its value, target, progress and status (``targets.queries.overview``).

P is ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``; T a date (``YYYY-MM-DD``: known by the end of that day) or an
ISO date-time. The command reads as a system account with the whole tree in scope (an operator at the
server), or as ``--user`` with that account's scope and role. "—" where a figure is unknown."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand


def _known_on(text: str | None):
    if not text:
        return None
    try:
        if len(text) <= 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"数据截至时间无效：{text}（应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM）") from None


def _actor(username: str | None):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not username:
        # the operator at the server: a system account with the whole tree in scope (never saved)
        return User(username="system", display_name="系统", is_superuser=True, is_active=True)
    user = User.objects.select_related("region").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return str(value)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Command(JiuyeCommand):
    help = "显示某区划某统计期的全部指标：数值、目标、进度与状态"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码（市、区县、街道或社区）")
        parser.add_argument("--period", required=True, help="统计期：YYYY、YYYY-Qn 或 YYYY-MM")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--known-on", dest="known_on", help="按该时间已录入的数据计算（YYYY-MM-DD 或 ISO 时间）")
        parser.add_argument("--user", help="以该用户的权限和管辖范围查询（默认：系统，全部区划）")

    def handle(self, *args, **options):
        from jiuye.accounts.scoping import OutOfScope
        from jiuye.monitoring.periods import PeriodError, parse_period
        from jiuye.regions.codes import pad
        from jiuye.regions.models import Region
        from jiuye.targets import queries

        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        try:
            code = pad(options["region"])
        except ValueError:
            raise CommandError(f"区划代码无效：{options['region']}") from None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"区划不存在：{options['region']}")
        known_on = _known_on(options.get("known_on"))
        user = _actor(options.get("user"))
        try:
            rows = queries.overview(user, code, period, known_on=known_on)
        except OutOfScope as exc:
            raise CommandError(str(exc) or "区划不在您的管辖范围内") from None

        if options["json"]:
            out = {
                "region": {"code": region.code, "name": region.name}, "period": period.code,
                "known_on": known_on.isoformat() if known_on else None,
                "kpis": [{
                    "code": s.kpi.code, "name": s.kpi.name, "unit": s.kpi.unit, "value": _plain(s.value),
                    "components": _plain(s.components), "source": s.source, "target": _plain(s.target_value),
                    "actual": _plain(s.actual), "elapsed_share": _plain(s.elapsed_share),
                    "progress": _plain(s.progress), "status": s.status, "status_label": s.status_label,
                    "status_text": s.status_text,
                } for s in rows],
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{region.name}（{region.code}） {period.label}"
                          + (f"，数据截至 {known_on.isoformat()}" if known_on else ""))
        self.stdout.write("指标\t数值\t单位\t目标\t进度\t序时进度\t状态")
        for s in rows:
            progress = "—" if s.progress is None else f"{(s.progress * 100).quantize(Decimal('0.1'))}%"
            elapsed = "—" if s.elapsed_share is None else f"{(s.elapsed_share * 100).quantize(Decimal('0.1'))}%"
            status = s.status_label + (f"（{s.status_text}）" if s.status_text else "")
            self.stdout.write(f"{s.kpi.name}\t{_num(s.value)}\t{s.kpi.unit}\t{_num(s.target_value)}\t{progress}\t"
                              f"{elapsed}\t{status}")
