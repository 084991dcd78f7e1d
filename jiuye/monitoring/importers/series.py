"""Import kind ``stat_series`` (统计部门数据): one row per region, month and indicator with its value and source
(城镇从业人员数 in persons, 城镇调查失业率 in percent). Headers are matched by their usual names (区划/地区/
区划代码, 月份/统计月份, 指标, 数值/数据, 数据来源/来源, 更正原因); a month is "2026-10", "2026年10月" or an
Excel date. Each row goes through ``services.series.enter_value`` (a value already entered and different is a
correction: a new version, and needs 更正原因); the warning levels of the regions touched are evaluated once
at the end. A region outside the importer's scope is rejected with the engine's scope reason."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.monitoring.models import SeriesIndicator, StatSeriesValue
from jiuye.monitoring.periods import MONTH, PeriodError, parse_period

INDICATOR_NAMES = {
    "城镇从业人员数": SeriesIndicator.URBAN_EMPLOYED, "城镇从业人员": SeriesIndicator.URBAN_EMPLOYED,
    "从业人员数": SeriesIndicator.URBAN_EMPLOYED, "从业人员": SeriesIndicator.URBAN_EMPLOYED,
    "urban_employed": SeriesIndicator.URBAN_EMPLOYED,
    "城镇调查失业率": SeriesIndicator.SURVEYED_RATE, "调查失业率": SeriesIndicator.SURVEYED_RATE,
    "surveyed_rate": SeriesIndicator.SURVEYED_RATE,
}


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = N.squeeze(N.as_text(value))
    try:
        period = parse_period(text)
    except PeriodError:
        try:
            return N.date_converter(month_precision=True)(value).replace(day=1)
        except CellError:
            raise CellError(_("月份“%s”应写作 2026-10 或 2026年10月") % text) from None
    if period.kind != MONTH:
        raise CellError(_("月份“%s”应为某一个月（如 2026-10），不是季度或年度") % text)
    return period.start


def _indicator(value) -> str:
    text = N.squeeze(N.as_text(value))
    if text in INDICATOR_NAMES:
        return INDICATOR_NAMES[text]
    raise CellError(_("指标“%s”无效（可填：城镇从业人员数、城镇调查失业率）") % text)


def _value(value) -> str:
    text = N.squeeze(N.as_text(value)).replace(",", "").replace("，", "").rstrip("%％").removesuffix("人")
    if not text:
        raise CellError(_("请填写数值"))
    return text


class StatSeriesImporter(Importer):
    kind = "stat_series"
    label = _l("统计部门数据")
    object_type = "stat_series"
    key_field = "region"
    fields = [
        F("region", "区划", "区划代码", "地区", "区域", "行政区划", required=True),
        F("month", "月份", "统计月份", "统计期", "时间", required=True),
        F("indicator", "指标", "指标名称", required=True),
        F("value", "数值", "数据", "指标值", required=True),
        F("source", "数据来源", "来源", "资料来源", required=True),
        F("reason", "更正原因", "备注"),
        F(IGNORED, "序号", "单位"),
    ]

    def build_converters(self):
        return {
            "region": lambda v: self.ctx.regions.resolve(v, community=False),
            "month": _month, "indicator": _indicator, "value": _value,
            "source": N.text(128, label=_("数据来源")), "reason": N.text(255, label=_("更正原因")),
        }

    def check(self, record: Record) -> bool:
        from jiuye.monitoring.services.series import check_fields

        v = record.values
        if any(v.get(name) in (None, "") for name in ("region", "month", "indicator", "value", "source")):
            return False  # a cell already rejected (its reason is reported)
        if not self.scope_check(record, "region", v["region"]):
            return False
        try:
            check_fields(region_code=v["region"], indicator=v["indicator"], month=v["month"], value=v["value"],
                         source=v["source"], reason=v.get("reason") or "", today=timezone.localdate())
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.error(record, name if name in self.columns else "value", "；".join(messages))
            return False
        key = f"{v['region']}|{v['indicator']}|{v['month']}"
        return not self.duplicate(record, key, "month")

    def process(self, records: list[Record]) -> None:
        from jiuye.monitoring.services.series import enter_value

        ctx = self.ctx
        if ctx.dry_run:
            ctx.imported += len(records)
            return
        self.regions_touched = getattr(self, "regions_touched", set())

        def work(items):
            for record in items:
                v = record.values
                try:
                    _row, what = enter_value(ctx.operator, region_code=v["region"], indicator=v["indicator"], month=v["month"],
                                             value=v["value"], source=v["source"], reason=v.get("reason") or "",
                                             via=StatSeriesValue.Via.IMPORT, evaluate=False, authorised=True)
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        self.error(record, name if name in self.columns else "value", "；".join(messages))
                    continue
                if what == "created":
                    ctx.imported += 1
                elif what == "corrected":
                    ctx.updated += 1
                else:
                    ctx.unchanged += 1
                self.regions_touched.add(v["region"])

        failed = self.write(work, records)
        self.reject_failed(sorted(r.row for r in failed), "region")

    def finish(self) -> None:
        from django.db import transaction

        from jiuye.monitoring.services.series import evaluate_levels

        touched = getattr(self, "regions_touched", set())
        if touched and not self.ctx.dry_run:
            with transaction.atomic():
                evaluate_levels(region_codes=sorted(touched), actor=self.ctx.operator)


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(StatSeriesImporter)
