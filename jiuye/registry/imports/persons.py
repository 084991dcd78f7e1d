"""Importing persons (实名制人员花名册)."""
from __future__ import annotations

import calendar
import datetime
import json
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from jiuye.accounts.models import AuditEntry
from jiuye.registry import rules as rule_config
from jiuye.registry.imports import choices as C
from jiuye.registry.imports import db
from jiuye.registry.imports import normalise as N
from jiuye.registry.imports.base import Converter, Importer, Record
from jiuye.registry.models import Person, Sex
from jiuye.registry.retirement import retirement_age_months

# Fields an import may set (services.PERSON_EDITABLE_FIELDS minus female_retirement_base).
IMPORT_FIELDS = [
    "name", "ethnicity", "phone", "hukou_type", "hukou_place", "region", "address", "education", "graduation_date",
    "school_type", "school_name", "major", "is_veteran", "veteran_kind", "has_disability", "disability_grade",
    "is_dibao", "poverty_status", "is_land_lost_farmer", "is_released_or_rehabilitated", "skills", "certificates",
    "able_to_work", "willing_to_work", "preferred_occupation", "preferred_industry", "preferred_wage_min",
    "preferred_work_place",
]
ATTNAME = {"region": "region_id"}

_SEX = {"男": "M", "女": "F", "m": "M", "f": "F", "男性": "M", "女性": "F", "1": "M", "2": "F"}


@lru_cache(maxsize=4096)
def _female_base(region_code: str) -> int:
    return int(rule_config.rules_for(region_code)["female_retirement_base"])


_retirement_cache: dict[tuple[datetime.date, str, int], datetime.date] = {}


def _retirement(birth: datetime.date, sex: str, base: int) -> datetime.date:
    """retirement.retirement_date (birth + statutory age in months, clamped to the month's end), cached."""
    key = (birth, sex, base)
    found = _retirement_cache.get(key)
    if found is None:
        months = birth.month - 1 + retirement_age_months(birth, sex, base)
        year, month = birth.year + months // 12, months % 12 + 1
        found = datetime.date(year, month, min(birth.day, calendar.monthrange(year, month)[1]))
        if len(_retirement_cache) < 100_000:
            _retirement_cache[key] = found
    return found


def _max_length(name: str) -> int:
    return Person._meta.get_field(name).max_length


class PersonImporter(Importer):
    kind = "persons"
    object_type = "person"
    parallel = True
    chunk_size = 5000

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        _female_base.cache_clear()
        self.present = [name for name in IMPORT_FIELDS if name in self.columns]
        fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
        self.insert_table = db.Table(Person, [f.attname for f in fields])
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.adapters = {f.name: db.adapter_for(f) for f in fields}
        self.adapters = {k: v for k, v in self.adapters.items() if v is not None}
        now = db.now()
        template: list[Any] = []
        for f in fields:
            if f.name in ("created_at", "updated_at"):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                value = ""
            adapt = self.adapters.get(f.name)
            template.append(adapt(value) if adapt is not None and value is not None else value)
        self.template = template
        self._field_lists: dict[tuple, tuple[str, str]] = {}
        self._present_lists: dict[tuple, tuple[str, ...]] = {}
        self.decoders = {name: self._decoder(Person._meta.get_field(name)) for name in IMPORT_FIELDS}
        self._create_summary = _("批量导入：新建人员档案")
        # name in the converted values -> (column index, adapter or None)
        self.slots = {name: (self.index[ATTNAME.get(name, name)], self.adapters.get(name))
                      for name in ["id_number", *IMPORT_FIELDS]}
        self.now = now
        ops = db.connection.ops
        self.adapt_date = ops.adapt_datefield_value

    @staticmethod
    def _decoder(field):
        """Back from the adapted (database) form to the Python value of a field."""
        if isinstance(field, models.JSONField):
            return json.loads
        if isinstance(field, models.DateField):
            return lambda v: v if isinstance(v, datetime.date) else datetime.date.fromisoformat(v)
        return lambda v: v

    def build_converters(self) -> dict[str, Converter]:
        regions = self.ctx.regions
        text = lambda name, label: N.text(_max_length(name), label=label)  # noqa: E731
        return {
            "name": N.person_name,
            "id_number": N.resident_id,
            "ethnicity": text("ethnicity", _("民族")),
            "phone": N.phone,
            "hukou_type": C.HUKOU,
            "hukou_place": text("hukou_place", _("户籍地")),
            "region": lambda v: regions.resolve(v, community=True),
            "address": text("address", _("居住地址")),
            "education": C.EDUCATION,
            "graduation_date": N.date_converter(month_precision=True),
            "school_type": C.SCHOOL_TYPE,
            "school_name": text("school_name", _("毕业院校")),
            "major": text("major", _("专业")),
            "is_veteran": N.yes_no(_("是否退役军人")),
            "veteran_kind": C.VETERAN_KIND,
            "has_disability": N.yes_no(_("是否残疾人")),
            "disability_grade": N.integer(1, 4, label=_("残疾等级"), suffixes=("级",)),
            "is_dibao": N.yes_no(_("是否低保")),
            "poverty_status": C.POVERTY_STATUS,
            "is_land_lost_farmer": N.yes_no(_("是否失地农民")),
            "is_released_or_rehabilitated": N.yes_no(_("是否刑满释放或戒毒康复人员")),
            "skills": N.text_list(label=_("技能特长")),
            "certificates": N.text_list(label=_("职业资格证书")),
            "able_to_work": N.yes_no(_("有无劳动能力")),
            "willing_to_work": N.yes_no(_("有无就业意愿")),
            "preferred_occupation": text("preferred_occupation", _("求职意向工种")),
            "preferred_industry": text("preferred_industry", _("求职意向行业")),
            "preferred_wage_min": N.wage,
            "preferred_work_place": text("preferred_work_place", _("期望工作地点")),
            "_sex": lambda v: v,
            "_birth_date": N.date_converter(),
        }

    def check(self, record: Record) -> bool:
        values = record.values
        ok = True
        ident = values.get("id_number")
        if ident is not None:
            number, birth, sex = ident
            values["id_number"] = number
            values["_derived"] = (birth, sex)
            if self.duplicate(record, number, "id_number"):
                ok = False
            if "_sex" in values:
                given = _SEX.get(N.squeeze(N.as_text(values.pop("_sex"))).casefold())
                if given != sex:
                    self.error(record, "_sex", _("性别与公民身份号码不符（按号码应为%(s)s）") % {"s": Sex(sex).label})
                    ok = False
            if "_birth_date" in values:
                given_birth = values.pop("_birth_date")
                if given_birth != birth:
                    self.error(record, "_birth_date", _("出生日期与公民身份号码不符（按号码应为%(d)s）") % {"d": birth.isoformat()})
                    ok = False
        region = values.get("region")
        if region is not None and not self.scope_check(record, "region", region):
            ok = False
        if values.get("is_veteran") is False and values.get("veteran_kind"):
            self.error(record, "veteran_kind", _("填写了退役类别，但“是否退役军人”为否"))
            ok = False
        elif values.get("veteran_kind") and "is_veteran" not in values:
            values["is_veteran"] = True
        if values.get("has_disability") is False and values.get("disability_grade"):
            self.error(record, "disability_grade", _("填写了残疾等级，但“是否残疾人”为否"))
            ok = False
        elif values.get("disability_grade") and "has_disability" not in values:
            values["has_disability"] = True
        return ok

    # ------------------------------------------------------------------------------------------

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        found = db.ids_by(Person, "id_number", [r.values["id_number"] for r in records])
        existing: dict[str, dict[str, Any]] = {}
        if found:
            wanted = ["pk", "id_number", "region_id", "female_retirement_base", "retirement_date", "name"]
            wanted += [ATTNAME.get(n, n) for n in self.present if ATTNAME.get(n, n) not in wanted]
            pks = list(found.values())
            for start in range(0, len(pks), 900):
                for row in Person.objects.filter(pk__in=pks[start : start + 900]).values(*wanted):
                    existing[row["id_number"]] = row
        creates: list[Record] = []
        updates: list[tuple[Record, dict[str, Any], dict[str, list]]] = []
        for record in records:
            current = existing.get(record.values["id_number"]) if existing else None
            if current is None:
                creates.append(record)
                continue
            if not ctx.scope.contains(current["region_id"]):
                self.error(record, "id_number", _("该人员档案属于%(r)s，不在您的管辖范围内") % {
                    "r": ctx.regions.display(current["region_id"])})
                continue
            if "_compact" in record.values:
                self._expand(record)
            changes = self._changes(record.values, current)
            if changes:
                updates.append((record, current, changes))
            else:
                ctx.unchanged += 1
        if ctx.dry_run:
            ctx.imported += len(creates)
            ctx.updated += len(updates)
            return
        failed = self.write(self._write, [("c", r) for r in creates] + [("u", u) for u in updates])
        failed_rows = [item[1].row if item[0] == "c" else item[1][0].row for item in failed]
        failed_set = set(failed_rows)
        ctx.imported += sum(1 for r in creates if r.row not in failed_set)
        ctx.updated += sum(1 for u in updates if u[0].row not in failed_set)
        self.reject_failed(failed_rows, "id_number")

    def _expand(self, record: Record) -> None:
        """The converted values of a record that came packed from the producer process (see ``pack``)."""
        values = record.values
        row = values["_row"]
        number, birth, sex = N.resident_id(values["id_number"])
        values["_derived"] = (birth, sex)
        for name in values["_present"]:
            index, adapt = self.slots[name]
            value = row[index]
            if adapt is not None and value is not None:
                value = self.decoders[name](value)
            values[name] = value

    def pack(self, record: Record) -> tuple:
        values = record.values
        raws = {c.index: record.cells[c.index] for c in (self.columns.get("id_number"), self.columns.get("region"))
                if c is not None and c.index < len(record.cells)}
        return (record.row, values["id_number"], values["_row"], values["_audit"], values["_present"], raws)

    def unpack(self, packed: tuple) -> Record:
        row, number, insert_row, audit_row, present, raws = packed
        return Record(row, {"id_number": number, "_row": insert_row, "_audit": audit_row, "_present": present,
                            "name": insert_row[self.index["name"]], "region": insert_row[self.index["region_id"]],
                            "_compact": True}, raws)

    def _changes(self, values: dict[str, Any], current: dict[str, Any]) -> dict[str, list]:
        changes: dict[str, list] = {}
        for name in self.present:
            if name not in values:
                continue  # a blank cell keeps the stored value
            attname = ATTNAME.get(name, name)
            new = values[name]
            old = current[attname]
            if new != old:
                changes[attname] = [old, new]
        if "region_id" in changes and current["female_retirement_base"] is None:
            birth, sex = values["_derived"]
            new_date = _retirement(birth, sex, _female_base(changes["region_id"][1]) if sex == "F" else 60)
            if new_date != current["retirement_date"]:
                changes["retirement_date"] = [current["retirement_date"], new_date]
        return changes

    def _new_row(self, values: dict[str, Any]) -> list[Any]:
        row = self.template[:]
        slots = self.slots
        for name, value in values.items():
            slot = slots.get(name)
            if slot is not None:
                index, adapt = slot
                row[index] = value if adapt is None else adapt(value)
        birth, sex = values["_derived"]
        index = self.index
        row[index["sex"]] = sex
        row[index["birth_date"]] = self.adapt_date(birth)
        base = _female_base(values["region"]) if sex == "F" else 60
        row[index["retirement_date"]] = self.adapt_date(_retirement(birth, sex, base))
        return row

    def prepare(self, record: Record) -> None:
        """The row to insert and its audit entry, built before we know whether the person is new."""
        values = record.values
        values["_row"] = self._new_row(values)
        names = tuple(values)
        json_parts = self._field_lists.get(names)
        if json_parts is None:
            fields = ["id_number", *(n for n in names if n[0] != "_" and n != "id_number")]
            # The audit changes {"import_batch": id, "row": n, "fields": [...]} as JSON text, built by
            # pasting the row number between two constant parts (json.dumps per row costs more).
            head, tail = json.dumps({"import_batch": self.ctx.batch.pk, "row": 0, "fields": fields}).split('"row": 0')
            json_parts = self._field_lists[names] = (head + '"row": ', tail)
            self._present_lists[names] = tuple(n for n in IMPORT_FIELDS if n in values)
        values["_present"] = self._present_lists[names]
        values["_audit"] = self.ctx.audit.prebuilt_json(
            AuditEntry.Action.CREATE, object_type="person", object_label=values["name"], region_code=values["region"],
            changes_json=f"{json_parts[0]}{record.row}{json_parts[1]}", summary=self._create_summary)

    def _write(self, items: list) -> None:
        ctx = self.ctx
        creates = [item[1] for item in items if item[0] == "c"]
        updates = [item[1] for item in items if item[0] == "u"]
        audit = ctx.audit
        batch_id = ctx.batch.pk
        if creates:
            # In key order: the unique index on id_number is filled from left to right (a little faster).
            creates.sort(key=lambda r: r.values["id_number"])
            ids = db.insert_returning_ids(self.insert_table, [r.values["_row"] for r in creates], "id_number")
            complete = audit.complete
            for pk, record in zip(ids, creates):
                complete(record.values["_audit"], pk)
        if updates:
            now = db.now()
            db.Table(Person, ["id"]).update("id", (
                (current["pk"], {**{k: v[1] for k, v in changes.items()}, "updated_at": now})
                for _record, current, changes in updates
            ))
            summary = _("批量导入：修改人员信息")
            for record, current, changes in updates:
                audit.add(AuditEntry.Action.UPDATE, object_type="person", object_id=current["pk"],
                          object_label=record.values.get("name") or current["name"],
                          region_code=changes.get("region_id", [None, current["region_id"]])[1],
                          changes={**changes, "import_batch": batch_id, "row": record.row}, summary=summary)
        audit.flush()
