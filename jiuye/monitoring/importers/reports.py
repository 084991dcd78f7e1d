"""Import kind ``ent_reports`` (企业用工月报): one row per enterprise and month.

Columns: the employer's credit code, the month (2026-10, 2026年10月 or a date), the headcount at the start and
(optionally) at the end of the month, one column per addition reason (新招用, 调入, 返岗复工, 其他增加) and per
reduction type (经济性裁员, 单位解除劳动合同, 劳动合同期满终止, 本人辞职, 退休, 调出, 死亡, 其他减少), the main
reduction reason (主要减员原因, for the layoffs and other reductions by the employer's decision; resignations,
retirements and contract ends carry their own reason), a note and a correction reason. Each row is checked by
the service's own ``check_report`` (balance with the difference, span, chaining, every field at once) and
written by ``write_report`` (a month already reported gets a new version; the old one is kept), so a row that
crosses the mass-layoff line raises its warning in the chunk's transaction. Rows are taken in month order
within an enterprise, so a file of several months chains from row to row. Good rows are kept, bad rows are
reported with row, column, value and reason. An employer outside the importer's scope is "outside".
"""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.monitoring.models import EnterpriseReport, MonitoredEnterprise, ReductionReason, ReportChannel
from jiuye.monitoring.periods import PeriodError, month_start, parse_period
from jiuye.monitoring.services.reports import ReportData, check_report, write_report
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.models import Employer

ADD_COLUMNS = {"new_hire": ("新招用", "新招用人数", "新增招用"), "transfer_in": ("调入", "调入人数"),
               "returned": ("返岗复工", "返岗"), "other": ("其他增加", "其他增加人数")}
RED_COLUMNS = {"economic_layoff": ("经济性裁员", "裁员人数", "经济性裁员人数"),
               "employer_termination": ("单位解除劳动合同", "单位解除", "解除劳动合同"),
               "contract_expired": ("劳动合同期满终止", "合同期满", "合同到期"),
               "resigned": ("本人辞职", "辞职", "辞职人数"), "retired": ("退休", "退休人数"),
               "transfer_out": ("调出", "调出人数"), "death": ("死亡",), "other": ("其他减少", "其他减少人数")}
OWN_REASON = {"resigned": "personal", "retired": "retirement", "contract_expired": "contract", "death": "other",
              "transfer_out": "other"}
REASON_NAMES = {**{str(label): value for value, label in ReductionReason.choices},
                **{v: v for v in ReductionReason.values}, "经营困难": "business_difficulty", "订单不足": "orders_down",
                "转产": "restructuring", "搬迁": "relocation", "破产": "closure", "关闭": "closure", "停业": "closure",
                "个人原因": "personal", "其他": "other"}


def _month(value):
    if isinstance(value, (datetime.date, datetime.datetime)) or isinstance(value, (int, float)):
        return month_start(N.parse_date(value, month_precision=True))
    text = N.squeeze(N.as_text(value))
    try:
        period = parse_period(text)
    except PeriodError as exc:
        try:
            return month_start(N.parse_date(text, month_precision=True))
        except CellError:
            raise CellError(str(exc)) from None
    if period.kind != "month":
        raise CellError(_("报告月份“%s”应为某一个月，如 2026-10") % text)
    return period.start


def _reason(value):
    text = N.squeeze(N.as_text(value))
    if not text:
        return ""
    if text in REASON_NAMES:
        return REASON_NAMES[text]
    raise CellError(_("减员原因“%(v)s”无效（可选：%(o)s）") % {
        "v": text, "o": "、".join(str(label) for _v, label in ReductionReason.choices)})


class EnterpriseReportImporter(Importer):
    kind = "ent_reports"  # (ImportBatch.kind holds 16 characters: "enterprise_reports" would not fit)
    label = _l("企业用工月报")
    object_type = "enterprise_report"
    key_field = "employer"
    streaming = False  # rows are taken together, in month order per enterprise (a file chains its months)
    fields = [
        F("employer", "统一社会信用代码", "用人单位统一社会信用代码", "单位信用代码", "信用代码", required=True),
        F("month", "报告月份", "月份", "所属月份", "统计月份", required=True),
        F("start", "月初职工人数", "月初人数", "期初人数", required=True),
        F("end", "月末职工人数", "月末人数", "期末人数"),
        *[F(f"add_{k}", *names) for k, names in ADD_COLUMNS.items()],
        *[F(f"red_{k}", *names) for k, names in RED_COLUMNS.items()],
        F("reason", "主要减员原因", "减员原因", "裁员原因"),
        F("note", "备注", "说明"),
        F("correction_reason", "更正原因"),
        F(IGNORED, "序号", "单位名称", "企业名称", "用人单位"),
    ]

    def build_converters(self):
        count = {f"add_{k}": N.integer(0, 1_000_000, label=names[0], suffixes=("人",)) for k, names in ADD_COLUMNS.items()}
        count.update({f"red_{k}": N.integer(0, 1_000_000, label=names[0], suffixes=("人",))
                      for k, names in RED_COLUMNS.items()})
        return {
            "employer": identity_cells.credit_code, "month": _month,
            "start": N.integer(0, 1_000_000, label=_("月初职工人数"), suffixes=("人",)),
            "end": N.integer(0, 1_000_000, label=_("月末职工人数"), suffixes=("人",)),
            "reason": _reason, "note": N.text(255, label=_("备注")),
            "correction_reason": N.text(255, label=_("更正原因")), **count,
        }

    def check(self, record: Record) -> bool:
        v = record.values
        if "employer" not in v or "month" not in v:
            return False
        if self.duplicate(record, f"{v['employer']}|{v['month']:%Y-%m}", "month"):
            return False
        return True

    def _data(self, v) -> ReportData:
        reductions = {}
        for kind in RED_COLUMNS:
            n = v.get(f"red_{kind}") or 0
            if n:
                reductions[(kind, OWN_REASON.get(kind) or v.get("reason") or "")] = n
        return ReportData(month=v["month"], start_headcount=v["start"], end_headcount=v.get("end"),
                          additions={k: v.get(f"add_{k}") or 0 for k in ADD_COLUMNS if v.get(f"add_{k}")},
                          reductions=reductions, note=v.get("note") or "",
                          correction_reason=v.get("correction_reason") or "")

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        codes = {r.values["employer"] for r in records}
        employers = {e.credit_code: e for e in Employer.objects.filter(credit_code__in=codes)}
        spans: dict[int, list[MonitoredEnterprise]] = {}
        for span in MonitoredEnterprise.objects.filter(employer__in=employers.values()).select_related("employer"):
            spans.setdefault(span.employer_id, []).append(span)
        ordered = sorted(records, key=lambda r: (r.values["employer"], r.values["month"], r.row))
        known_ends: dict = {}
        good = []
        for record in ordered:
            v = record.values
            employer = employers.get(v["employer"])
            if employer is None:
                self.error(record, "employer", _("没有该统一社会信用代码的用人单位，请先登记用人单位"))
                continue
            if ctx.operator is not None and not in_scope(ctx.operator, employer.region_id):
                self.out_of_scope(record, "employer")
                continue
            month = v["month"]
            enterprise = next((s for s in spans.get(employer.pk, []) if s.joined_on <= month
                               and (s.left_on is None or month < s.left_on)), None)
            if enterprise is None:
                self.error(record, "month", _("%(n)s在%(m)s不在监测企业名单中") % {"n": employer.name, "m": f"{month:%Y-%m}"})
                continue
            data = self._data(v)
            errors = check_report(enterprise, data, today=ctx.today, correction_required=False, known_ends=known_ends)
            if errors:
                for name, messages in errors.items():
                    column = name if name in self.columns else {"start_headcount": "start", "end_headcount": "end"}.get(
                        name, "reason" if name.endswith("_reason") and name.startswith("red_") else "employer")
                    if column not in self.columns:
                        column = "employer"
                    for message in messages:
                        self.error(record, column, message)
                continue
            current = EnterpriseReport.objects.filter(enterprise=enterprise, month=month, is_current=True).first()
            end = data.start_headcount + sum(data.additions.values()) - sum(data.reductions.values())
            known_ends[(enterprise.pk, month)] = end
            if current is not None and _same(current, data):
                ctx.unchanged += 1
                continue
            if current is not None and not data.correction_reason:
                data.correction_reason = _("批量导入更正")
            good.append((record, enterprise, data))
        if ctx.dry_run:
            ctx.imported += len(good)
            return

        def work(items):
            for record, enterprise, data in items:
                result = write_report(enterprise, data, actor=ctx.operator, channel=ReportChannel.IMPORT, audited=False)
                report = result.report
                ctx.imported += 1
                ctx.audit.add(AuditEntry.Action.IMPORT, object_type="enterprise_report", object_id=report.pk,
                              object_label=f"{enterprise.employer.name} {report.month:%Y-%m}",
                              region_code=report.region_id,
                              changes={"month": f"{report.month:%Y-%m}", "version": report.version,
                                       "layoffs": report.layoffs, "import_batch": ctx.batch.pk,
                                       **({"warning": result.warning.pk} if result.warning else {})},
                              summary=_("批量导入：企业用工月报"))
            ctx.audit.flush()

        failed = self.write(work, good)
        self.reject_failed(sorted(item[0].row for item in failed), "month")


def _same(report: EnterpriseReport, data: ReportData) -> bool:
    lines = {(line.direction, line.kind, line.reason, line.count) for line in report.lines.all()}
    wanted = {("add", k, "", n) for k, n in data.additions.items() if n}
    wanted |= {("reduce", k, r, n) for (k, r), n in data.reductions.items() if n}
    return report.start_headcount == data.start_headcount and lines == wanted and report.note == data.note


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(EnterpriseReportImporter)
