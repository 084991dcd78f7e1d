"""Import kind ``demand_survey`` (企业用工需求调查): one row per demand line (employer credit code, period,
survey date, employees/leavers/joiners, title, occupation code or name, headcount, wage range, education,
work type, needed by, urgent). Every rejected row is reported with row, column, value and reason; good rows
are kept. A survey is one per employer and period (``DemandSurvey``): its header figures come from the
first row that gives them; a line already present (same survey, title, headcount, wages, work type) is
counted unchanged. An employer outside the importer's scope is "outside" (the engine's guard)."""
from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.jobs.models import DemandLine, DemandSurvey, Occupation, WorkType
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.models import Education, Employer

PERIOD = re.compile(r"^(\d{4})(?:[-年]?(Q[1-4]|[0-1]?\d)(?:月|季度)?)?$")
EDUCATION_NAMES = {**{str(label): value for value, label in Education.choices}, **{v: v for v in Education.values},
                   "不限": "", "无": "", "小学": "primary", "中专": "vocational", "中职": "vocational", "技校": "vocational",
                   "硕士": "master", "研究生": "master", "博士": "doctor"}
WORK_TYPE_NAMES = {**{str(label): value for value, label in WorkType.choices}, **{v: v for v in WorkType.values},
                   "见习": "internship", "临时工": "gig", "小时工": "part_time"}
YES = {"是", "急需", "Y", "y", "1", "true", "TRUE", "√"}
NO = {"否", "", "N", "n", "0", "false", "FALSE"}


def _period(value):
    text = N.squeeze(N.as_text(value)).upper().replace("第", "").replace("季度", "").replace(" ", "")
    text = text.replace("一", "1").replace("二", "2").replace("三", "3").replace("四", "4")
    m = PERIOD.match(text)
    if not m:
        raise CellError(_("调查期“%s”应写作 2026、2026-Q4 或 2026-11") % text)
    year, part = m.group(1), m.group(2)
    if not part:
        return year
    if part.startswith("Q"):
        return f"{year}-{part}"
    month = int(part)
    if not 1 <= month <= 12:
        raise CellError(_("调查期“%s”的月份无效") % text)
    return f"{year}-{month:02d}"


def _choice(names, label):
    def convert(value):
        text = N.squeeze(N.as_text(value))
        if text in names:
            return names[text]
        raise CellError(_("%(l)s“%(v)s”无效") % {"l": label, "v": text})
    return convert


def _yes(value):
    text = N.squeeze(N.as_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("是否急需“%s”应填 是 或 否") % text)


class DemandSurveyImporter(Importer):
    kind = "demand_survey"
    label = _l("企业用工需求调查")
    object_type = "demand_survey"
    key_field = "employer"
    fields = [
        F("employer", "统一社会信用代码", "用人单位统一社会信用代码", "单位信用代码", required=True),
        F("period", "调查期", "调查期别", "调查周期", required=True),
        F("surveyed_on", "调查日期", "填报日期", required=True),
        F("employees", "现有职工人数", "职工人数", "在岗职工"),
        F("leavers", "本期离职人数", "离职人数"),
        F("joiners", "本期入职人数", "入职人数"),
        F("title", "岗位名称", "需求岗位", "岗位", required=True),
        F("occupation", "职业代码", "职业", "职业名称", "职业（工种）"),
        F("headcount", "需求人数", "人数", "招聘人数", required=True),
        F("wage_min", "月薪下限", "薪酬下限", "工资下限"),
        F("wage_max", "月薪上限", "薪酬上限", "工资上限"),
        F("education", "学历要求", "最低学历", "学历"),
        F("work_type", "用工形式", "用工方式"),
        F("needed_by", "需求时间", "到岗时间", "需求日期"),
        F("urgent", "是否急需", "急需"),
        F(IGNORED, "序号", "单位名称", "用人单位", "备注"),
    ]

    def build_converters(self):
        return {
            "employer": identity_cells.credit_code,
            "period": _period,
            "surveyed_on": N.date_converter(),
            "employees": N.integer(0, 10_000_000, label=_("现有职工人数"), suffixes=("人",)),
            "leavers": N.integer(0, 10_000_000, label=_("本期离职人数"), suffixes=("人",)),
            "joiners": N.integer(0, 10_000_000, label=_("本期入职人数"), suffixes=("人",)),
            "title": N.text(64, label=_("岗位名称")),
            "occupation": N.text(128, label=_("职业")),
            "headcount": N.integer(1, 100_000, label=_("需求人数"), suffixes=("人", "名")),
            "wage_min": N.integer(0, 1_000_000, label=_("月薪下限"), suffixes=("元",)),
            "wage_max": N.integer(0, 1_000_000, label=_("月薪上限"), suffixes=("元",)),
            "education": _choice(EDUCATION_NAMES, _("学历要求")),
            "work_type": _choice(WORK_TYPE_NAMES, _("用工形式")),
            "needed_by": N.date_converter(),
            "urgent": _yes,
        }

    def check(self, record: Record) -> bool:
        v = record.values
        if v.get("wage_min") is not None and v.get("wage_max") is not None and v["wage_max"] < v["wage_min"]:
            self.error(record, "wage_max", _("月薪上限低于下限%d") % v["wage_min"], v["wage_max"])
            return False
        if v.get("surveyed_on") and v["surveyed_on"] > timezone.localdate():
            self.error(record, "surveyed_on", _("调查日期晚于今天"), v["surveyed_on"])
            return False
        return True

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        codes = {r.values["employer"] for r in records}
        employers = {e.credit_code: e for e in Employer.objects.filter(credit_code__in=codes)}
        names = {r.values.get("occupation") for r in records if r.values.get("occupation")}
        occ = {}
        if names:
            for o in Occupation.objects.filter(is_occupation=True).filter(code__in=names) | Occupation.objects.filter(
                    is_occupation=True, name__in=names):
                occ[o.code] = o
                occ[o.name] = o
        good = []
        for record in records:
            v = record.values
            employer = employers.get(v["employer"])
            if employer is None:
                self.error(record, "employer", _("没有该统一社会信用代码的用人单位，请先登记用人单位"))
                continue
            if ctx.operator is not None and not in_scope(ctx.operator, employer.region_id):
                self.out_of_scope(record, "employer")
                continue
            name = v.get("occupation") or ""
            if name and name not in occ:
                self.error(record, "occupation", _("职业“%s”不是职业分类大典中的职业代码或职业名称") % name)
                continue
            good.append((record, employer, occ.get(name)))
        if ctx.dry_run:
            ctx.imported += len(good)
            return

        def work(items):
            for record, employer, occupation in items:
                v = record.values
                survey, created = DemandSurvey.objects.get_or_create(
                    employer=employer, period=v["period"],
                    defaults=dict(surveyed_on=v["surveyed_on"], region_id=employer.region_id, employees=v.get("employees"),
                                  leavers=v.get("leavers"), joiners=v.get("joiners"), recorded_by=ctx.operator))
                if not created:
                    changed = [k for k in ("employees", "leavers", "joiners") if getattr(survey, k) is None and v.get(k) is not None]
                    for k in changed:
                        setattr(survey, k, v[k])
                    if changed:
                        survey.save(update_fields=changed)
                values = dict(title=v["title"], headcount=v["headcount"], wage_min=v.get("wage_min"), wage_max=v.get("wage_max"),
                              work_type=v.get("work_type") or WorkType.FULL_TIME)
                if DemandLine.objects.filter(survey=survey, **values).exists():
                    ctx.unchanged += 1
                    continue
                line = DemandLine.objects.create(survey=survey, occupation=occupation, education_min=v.get("education") or "",
                                                 needed_by=v.get("needed_by"), urgent=bool(v.get("urgent")), **values)
                ctx.imported += 1
                ctx.audit.add(AuditEntry.Action.IMPORT, object_type="demand_survey", object_id=survey.pk,
                              object_label=f"{employer.name} {survey.period}", region_code=survey.region_id,
                              changes={"line": line.pk, "title": line.title, "headcount": line.headcount,
                                       "import_batch": ctx.batch.pk}, summary=_("批量导入：企业用工需求调查"))
            ctx.audit.flush()

        failed = self.write(work, good)
        self.reject_failed(sorted(item[0].row for item in failed), "title")


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(DemandSurveyImporter)
