"""Import kind ``seekers`` (求职登记): the sheets communities keep, through the shared import engine (same
error report, batches, audit). One row per person:

公民身份号码 (身份证号), 姓名, 求职登记日期, 意向职业/工种 (codes or names of the occupation table, 、-separated),
期望月薪 ("4000", "4000-6000", "5千"), 意向地点 (region names or codes, 、-separated), 用工形式 (全职、兼职、
零工、就业见习、公益性岗位), 技能/证书, 工作年限, 简历.

A row opens the person's seeker registration on its date (a person with an open one from the same date
counts unchanged, from another date is refused), and writes the profile fields the row fills through the
services' rule (``services.seekers.profile_errors``: the same messages as the forms and the API). A person
not on record is refused; one outside the importer's scope gets the engine's out-of-scope answer. Every
refused row is reported (row, column, value, reason); the good rows are kept.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.jobs.models import Occupation, SeekerProfile, SeekerRegistration, WorkType
from jiuye.jobs.services import seekers as services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers.columns import ID_ALIASES
from jiuye.registry.models import Person

UNKNOWN_PERSON = _l("没有该公民身份号码的人员档案，请先登记人员")
NAME_MISMATCH = _l("姓名与该公民身份号码的人员档案不符")
WORK_TYPE_ALIASES = {"full_time": ["全日制", "全职工作"], "part_time": ["非全日制", "小时工"], "gig": ["临时工", "灵活用工"],
                     "internship": ["见习"], "welfare_post": ["公益岗", "公益岗位"]}


def _id(value: Any) -> str:
    return identity_cells.resident_id(value)[0]


def _wage_range(value: Any) -> tuple[int, int | None]:
    """期望月薪: one amount (the lower bound) or a range "4000-6000"."""
    raw = N.squeeze(N.as_text(value)).replace(",", "")
    match = N._WAGE.match(raw)
    if not match or not match.group(3):
        return N.wage(value), None
    unit = {"万": 10000, "千": 1000, "k": 1000, "K": 1000}
    lo = float(match.group(1)) * unit.get(match.group(2) or match.group(4) or "", 1)
    hi = float(match.group(3)) * unit.get(match.group(4) or "", 1)
    if not 0 <= lo <= hi <= 1_000_000:
        raise CellError(_("期望月薪“%(v)s”的上限低于下限或超出范围") % {"v": raw})
    return int(round(lo)), int(round(hi))


class SeekerImporter(Importer):
    kind = "seekers"
    label = _l("求职登记")
    object_type = "person"
    masked_fields = {"id_number": mask_id_number}
    chunk_size = 1000
    fields = [
        F("id_number", "公民身份号码", *ID_ALIASES, required=True),
        F("name", "姓名", "人员姓名"),
        F("started_on", "求职登记日期", "登记日期", "求职日期", "求职登记时间", required=True),
        F("occupations", "意向职业/工种", "意向职业", "意向工种", "求职意向工种", "求职工种", "意向岗位"),
        F("wage", "期望月薪", "期望月薪（元）", "期望薪资", "期望工资"),
        F("regions", "意向地点", "意向工作地点", "期望工作地点", "求职地点"),
        F("work_types", "用工形式", "意向用工形式", "就业形式"),
        F("skills", "技能/证书", "技能特长", "技能", "证书", "职业资格"),
        F("experience_years", "工作年限", "工作经验", "工龄"),
        F("resume", "简历", "个人简历", "工作经历"),
        F(IGNORED, "序号", "备注", "性别", "民族", "联系电话", "文化程度", "居住社区"),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "started_on": N.date_converter(),
                "occupations": N.text_list(30, 64, label=_("意向职业")), "wage": _wage_range,
                "regions": N.text_list(30, 64, label=_("意向地点")),
                "work_types": lambda v: [self._work_type(x) for x in N.text_list(10, 16, label=_("用工形式"))(v)],
                "skills": N.text_list(30, 32, label=_("技能/证书")),
                "experience_years": N.integer(0, 60, label=_("工作年限"), suffixes=("年",)),
                "resume": N.text(services.MAX_RESUME, label=_("简历"))}

    _work_type = N.Choice(WorkType.choices, _l("用工形式"), WORK_TYPE_ALIASES)

    def check(self, record: Record) -> bool:
        started = record.values.get("started_on")
        if started and started > self.ctx.today:
            self.error(record, "started_on", _("求职登记日期%(d)s晚于今天") % {"d": started})
            return False
        return True

    def _occupation_codes(self, record: Record, names: list[str], by_name: dict, known: set) -> list[str] | None:
        codes = []
        for item in names:
            code = item if item in known else by_name.get(item)
            if code is None:
                self.error(record, "occupations", _("“%(v)s”不是职业分类大典中的职业代码或职业名称") % {"v": item})
                return None
            codes.append(code)
        return codes

    def _region_codes(self, record: Record, names: list[str]) -> list[str] | None:
        codes = []
        for item in names:
            try:
                codes.append(self.ctx.regions.resolve(item, community=False))
            except CellError as exc:
                self.error(record, "regions", str(exc))
                return None
        return codes

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        ids = list({r.values["id_number"] for r in records})
        persons = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).only("pk", "id_number", "name", "region_id")}
        words = {w for r in records for w in r.values.get("occupations") or []}
        occupations = list(Occupation.objects.filter(Q(code__in=words) | Q(name__in=words), is_occupation=True)
                           .values_list("code", "name"))
        known, by_name = {c for c, _n in occupations}, {n: c for c, n in occupations}
        pids = [p.pk for p in persons.values()]
        open_regs = {r.person_id: r for r in SeekerRegistration.objects.filter(person_id__in=pids, ended_on__isnull=True)}
        last_end = dict(SeekerRegistration.objects.filter(person_id__in=pids, ended_on__isnull=False)
                        .order_by("person_id", "ended_on").values_list("person_id", "ended_on"))
        profiles = {sp.person_id: sp for sp in SeekerProfile.objects.filter(person_id__in=pids)}
        good = []
        for record in records:
            v = record.values
            person = persons.get(v["id_number"])
            if person is None:
                self.error(record, "id_number", str(UNKNOWN_PERSON))
                continue
            if not ctx.scope.contains(person.region_id):
                self.out_of_scope(record, "id_number")
                continue
            if v.get("name") and v["name"] != person.name:
                self.error(record, "name", str(NAME_MISMATCH))
                continue
            if self.duplicate(record, v["id_number"], "id_number"):
                continue
            values: dict[str, Any] = {}
            if v.get("occupations"):
                codes = self._occupation_codes(record, v["occupations"], by_name, known)
                if codes is None:
                    continue
                values["occupations"] = codes
            if v.get("regions"):
                codes = self._region_codes(record, v["regions"])
                if codes is None:
                    continue
                values["regions"] = codes
            if v.get("wage"):
                values["wage_min"], values["wage_max"] = v["wage"]
            for name in ("work_types", "experience_years", "resume"):
                if v.get(name) not in (None, "", []):
                    values[name] = v[name]
            if v.get("skills"):
                values["skills"] = v["skills"]
            errors, clean = services.profile_errors(values)
            if errors:
                for field, messages in errors.items():
                    column = {"wage_min": "wage", "wage_max": "wage"}.get(field, field)
                    self.error(record, column if column in self.columns else "id_number", "；".join(messages))
                continue
            current = open_regs.get(person.pk)
            start = None
            if current is not None and current.started_on != v["started_on"]:
                self.error(record, "started_on", _("%(n)s已于%(d)s办理求职登记，尚未结束") % {"n": person.name, "d": current.started_on})
                continue
            if current is None:
                ended = last_end.get(person.pk)
                if ended and v["started_on"] < ended:
                    self.error(record, "started_on", _("求职登记日期%(d)s早于上一次求职登记的结束日期%(e)s") % {
                        "d": v["started_on"], "e": ended})
                    continue
                start = v["started_on"]
            held = profiles.get(person.pk)
            if held is not None:
                clean = {k: value for k, value in clean.items() if getattr(held, k) != value}
            if start is None and not clean:
                ctx.unchanged += 1
                continue
            good.append((record, person, start, clean))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        failed = self.write(self._write, good)
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted(item[0].row for item in failed), "id_number")

    def _write(self, items: list) -> None:
        ctx = self.ctx
        operator = ctx.operator
        SeekerRegistration.objects.bulk_create(
            [SeekerRegistration(person=p, started_on=start, registered_in_id=p.region_id, operator=operator)
             for _r, p, start, _c in items if start is not None], batch_size=500)
        with_profile = [(p, clean) for _r, p, _s, clean in items if clean]
        existing = {sp.person_id: sp for sp in SeekerProfile.objects.filter(person_id__in=[p.pk for p, _c in with_profile])}
        now = timezone.now()
        new, changed, fields = [], [], set()
        for person, clean in with_profile:
            profile = existing.get(person.pk)
            if profile is None:
                profile = SeekerProfile(person=person)
                new.append(profile)
            else:
                changed.append(profile)
            for k, value in clean.items():
                setattr(profile, k, value)
                fields.add(k)
            profile.updated_by, profile.updated_at = operator, now
        SeekerProfile.objects.bulk_create(new, batch_size=500)
        if changed:
            SeekerProfile.objects.bulk_update(changed, sorted(fields | {"updated_by", "updated_at"}), batch_size=500)
        for _record, person, start, clean in items:
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type="person", object_id=person.pk, object_label=person.name,
                          region_code=person.region_id,
                          changes={"started_on": start, "fields": sorted(clean), "import_batch": ctx.batch.pk},
                          summary=_("批量导入：求职登记"))
        ctx.audit.flush()


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(SeekerImporter)
