"""Import kinds of the targets app (see docs/imports.md):

- ``targets`` (目标任务): one row per target: 指标 (code or Chinese name), 区划代码, 规划名称, 依据, 起始年度,
  终止年度, 目标口径 (年度/累计/期末水平), 指标属性 (约束性/预期性), 目标值 (as written: 60, [60], ≥90, ＜5.5),
  基期年度, 基期值 (as written: 3.64, —, ≈6), 备注. A new target is created; a current target with the same
  KPI, region, years and scope is replaced by a new version when a value differs (修订原因 "批量导入").
- ``kpi_inputs`` (输入指标值): 指标, 区划代码, 统计期 (2026, 2026-Q4, 2026-11), 数值, 来源, 备注: each row through
  ``services.enter_input_value`` (a different value is a correction: a new version).

Every bad row is reported with its row, column, value and reason; good rows are kept. A region outside the
importer's scope is rejected with the engine's scope reason."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.models import TargetNature, TargetScope

NAMES = {k.name: k.code for k in KPIS.values()}
SCOPES = {"年度": TargetScope.ANNUAL, "累计": TargetScope.CUMULATIVE, "五年累计": TargetScope.CUMULATIVE,
          "期末水平": TargetScope.LEVEL, "期末": TargetScope.LEVEL, "水平": TargetScope.LEVEL}
NATURES = {"约束性": TargetNature.BINDING, "预期性": TargetNature.EXPECTED}


def _kpi(value) -> str:
    text = N.squeeze(N.as_text(value))
    if text in KPIS:
        return text
    if text in NAMES:
        return NAMES[text]
    raise CellError(_("指标“%s”不在指标目录中（填指标代码或目录中的中文名称）") % text)


def _choice(table: dict, label: str):
    def convert(value):
        text = N.squeeze(N.as_text(value))
        if not text:
            return ""
        if text in table.values():
            return text
        if text in table:
            return table[text]
        raise CellError(_("%(l)s“%(v)s”无效（可填：%(c)s）") % {"l": label, "v": text, "c": "、".join(table)})
    return convert


def _text(value) -> str:
    return N.squeeze(N.as_text(value))


def _period(value) -> str:
    """A period as written (2026, 2026-Q4, 2026-11, 2026年11月); an Excel date cell is its month."""
    import datetime

    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def _may(importer: Importer, record: Record) -> bool:
    """Only target managers (district and city officers; the shell without a user) import targets and inputs."""
    from jiuye.accounts import roles

    actor = importer.ctx.actor
    if actor is None or roles.can_manage_targets(actor):
        return True
    importer.error(record, "kpi", _("您的角色无权导入目标任务与输入指标（限区县、市人社局）"))
    return False


def _report(importer: Importer, record: Record, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        importer.error(record, name if name in importer.columns else importer.fallback, "；".join(messages))


class TargetImporter(Importer):
    kind = "targets"
    label = _l("目标任务")
    object_type = "target"
    key_field = "kpi"
    fallback = "value_text"
    fields = [
        F("kpi", "指标", "指标代码", "指标名称", required=True),
        F("region", "区划代码", "区划", "地区", required=True),
        F("plan", "规划名称", "规划", "计划", "规划/计划", required=True),
        F("basis", "依据", "文号"),
        F("start_year", "起始年度", "起始年", "开始年度", required=True),
        F("end_year", "终止年度", "终止年", "结束年度", required=True),
        F("scope", "目标口径", "口径"),
        F("nature", "指标属性", "属性"),
        F("value_text", "目标值", "目标", required=True),
        F("baseline_year", "基期年度", "基期年"),
        F("baseline_text", "基期值", "基数"),
        F("note", "备注", "说明"),
        F(IGNORED, "序号", "单位"),
    ]

    def build_converters(self):
        return {"kpi": _kpi, "region": lambda v: self.ctx.regions.resolve(v, community=False),
                "plan": _text, "basis": _text, "start_year": _text, "end_year": _text,
                "scope": _choice(SCOPES, _("目标口径")), "nature": _choice(NATURES, _("指标属性")),
                "value_text": _text, "baseline_year": _text, "baseline_text": _text, "note": _text}

    def _data(self, v: dict) -> dict:
        data = {k: v.get(k) or "" for k in ("kpi", "region", "plan", "basis", "start_year", "end_year", "scope",
                                             "nature", "value_text", "baseline_year", "baseline_text", "note")}
        if not data["scope"]:
            text = data["value_text"]
            data["scope"] = TargetScope.CUMULATIVE if any(m in text for m in "[〔") else TargetScope.LEVEL
        return data

    def check(self, record: Record) -> bool:
        from jiuye.targets.services import check_target

        v = record.values
        if any(v.get(n) in (None, "") for n in ("kpi", "region", "plan", "start_year", "end_year", "value_text")):
            return False
        if not _may(self, record):
            return False
        if not self.scope_check(record, "region", v["region"]):
            return False
        try:
            check_target(self._data(v))
        except ValidationError as exc:
            _report(self, record, exc)
            return False
        key = f"{v['kpi']}|{v['region']}|{v['start_year']}|{v['end_year']}|{self._data(v)['scope']}"
        return not self.duplicate(record, key, "kpi")

    def process(self, records: list[Record]) -> None:
        from jiuye.targets import services

        ctx = self.ctx
        if ctx.dry_run:
            ctx.imported += len(records)
            return

        def work(items):
            for record in items:
                data = self._data(record.values)
                try:
                    clean = services.check_target(data)
                    current = services._current_conflict(clean)
                    if current is None:
                        services.create_target(ctx.operator, data, source="import", authorised=True)
                        ctx.imported += 1
                    elif all(getattr(current, k) == clean[k] for k in ("value", "comparator", "nature", "plan",
                                                                      "value_text", "baseline_text", "basis")):
                        ctx.unchanged += 1
                    else:
                        services.replace_target(ctx.operator, current, data, reason=_("批量导入"), source="import",
                                                authorised=True)
                        ctx.updated += 1
                except ValidationError as exc:
                    _report(self, record, exc)

        failed = self.write(work, records)
        self.reject_failed(sorted(r.row for r in failed), "kpi")


class KpiInputImporter(Importer):
    kind = "kpi_inputs"
    label = _l("输入指标值")
    object_type = "kpi_input"
    key_field = "kpi"
    fallback = "value"
    fields = [
        F("kpi", "指标", "指标代码", "指标名称", required=True),
        F("region", "区划代码", "区划", "地区", required=True),
        F("period", "统计期", "期间", "月份", "年度", required=True),
        F("value", "数值", "数据", "指标值", required=True),
        F("source", "来源", "数据来源", required=True),
        F("note", "备注", "更正原因"),
        F(IGNORED, "序号", "单位"),
    ]

    def build_converters(self):
        def value(v):
            text = N.squeeze(N.as_text(v)).replace(",", "").replace("，", "").rstrip("%％")
            if not text:
                raise CellError(_("请填写数值"))
            return text

        return {"kpi": _kpi, "region": lambda v: self.ctx.regions.resolve(v, community=False),
                "period": _period, "value": value, "source": _text, "note": _text}

    def check(self, record: Record) -> bool:
        from jiuye.targets.services import check_input

        v = record.values
        if any(v.get(n) in (None, "") for n in ("kpi", "region", "period", "value", "source")):
            return False
        if not _may(self, record):
            return False
        if not self.scope_check(record, "region", v["region"]):
            return False
        try:
            _c, _r, period, _n, _s = check_input(kpi=v["kpi"], region_code=v["region"], period=v["period"],
                                                 value=v["value"], source=v["source"])
        except ValidationError as exc:
            _report(self, record, exc)
            return False
        return not self.duplicate(record, f"{v['kpi']}|{v['region']}|{period}", "period")

    def process(self, records: list[Record]) -> None:
        from jiuye.targets.services import enter_input_value

        ctx = self.ctx
        if ctx.dry_run:
            ctx.imported += len(records)
            return
        batch_id = getattr(ctx.batch, "pk", None)

        def work(items):
            for record in items:
                v = record.values
                try:
                    _row, what = enter_input_value(ctx.operator, kpi=v["kpi"], region_code=v["region"],
                                                   period=v["period"], value=v["value"], source=v["source"],
                                                   note=v.get("note") or "", import_batch=batch_id, authorised=True)
                except ValidationError as exc:
                    _report(self, record, exc)
                    continue
                if what == "created":
                    ctx.imported += 1
                elif what == "corrected":
                    ctx.updated += 1
                else:
                    ctx.unchanged += 1

        failed = self.write(work, records)
        self.reject_failed(sorted(r.row for r in failed), "kpi")


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(TargetImporter)
    kinds.register(KpiInputImporter)
