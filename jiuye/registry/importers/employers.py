"""Importing employers (用人单位), keyed by 统一社会信用代码."""
from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Record
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers import choices as C
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import EMPLOYER_COLUMNS
from jiuye.registry.industries import SECTIONS, section_of  # noqa: F401  (GB/T 4754-2017, one table)
from jiuye.registry.models import Employer
from jiuye.registry.services import EMPLOYER_EDITABLE_FIELDS

IMPORT_FIELDS = list(EMPLOYER_EDITABLE_FIELDS)  # the rule: what a user may edit of an employer
ATTNAME = {"region": "region_id"}

_INDUSTRY = re.compile(r"^([A-T])?(\d{1,4})$")


def industry_code(value: Any) -> str:
    """GB/T 4754 division ("13"), or section letter + division ("C13"); 3-4 digit groups/classes are kept.

    Stores the digits (the division is the first two).
    """
    raw = N.as_text(value)
    text = N.squeeze(raw).upper()
    match = _INDUSTRY.match(text)
    if not match:
        raise N.CellError(_("行业代码“%(v)s”无效（应为GB/T 4754的2位大类代码，如13或C13）") % {"v": raw})
    letter, digits = match.groups()
    if len(digits) == 1:
        digits = "0" + digits  # Excel dropped the leading zero (01 农业 ...)
    division = int(digits[:2])
    section = section_of(division)
    if section is None:
        raise N.CellError(_("行业代码“%(v)s”无效：GB/T 4754中没有%(d)s大类") % {"v": raw, "d": digits[:2]})
    if letter and letter != section:
        raise N.CellError(_("行业代码“%(v)s”的门类与大类不符（%(d)s大类属于%(s)s门类）") % {"v": raw, "d": digits[:2], "s": section})
    return digits




class EmployerImporter(RegistryImporter):
    kind = "employers"
    label = _l("用人单位")
    fields = EMPLOYER_COLUMNS
    object_type = "employer"
    key_field = "credit_code"

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.present = [name for name in IMPORT_FIELDS if name in self.columns]
        fields = [f for f in Employer._meta.concrete_fields if not f.primary_key]
        self.insert_table = db.Table(Employer, [f.attname for f in fields])
        self.model_fields = fields

    def build_converters(self) -> dict[str, Converter]:
        regions = self.ctx.regions
        length = lambda name: Employer._meta.get_field(name).max_length  # noqa: E731
        return {
            "credit_code": identity_cells.credit_code,
            "name": N.text(length("name"), label=_("单位名称")),
            "industry_code": industry_code,
            "size_class": C.SIZE_CLASS,
            "ownership": C.OWNERSHIP,
            "region": lambda v: regions.resolve(v, community=False),
            "address": N.text(length("address"), label=_("单位地址")),
            "contact_name": N.text(length("contact_name"), label=_("联系人")),
            "contact_phone": identity_cells.phone,
            "employee_count": N.integer(0, 10_000_000, label=_("职工人数"), suffixes=("人",)),
        }

    def check(self, record: Record) -> bool:
        ok = True
        values = record.values
        if "credit_code" in values and self.duplicate(record, values["credit_code"], "credit_code"):
            ok = False
        if "region" in values and not self.scope_check(record, "region", values["region"]):
            ok = False
        return ok

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        codes = [r.values["credit_code"] for r in records]
        wanted = ["pk", "credit_code", "region_id", "name"] + [ATTNAME.get(n, n) for n in self.present]
        existing: dict[str, dict[str, Any]] = {}
        for start in range(0, len(codes), 900):
            for row in Employer.objects.filter(credit_code__in=codes[start : start + 900]).values(*set(wanted)):
                existing[row["credit_code"]] = row
        creates, updates = [], []
        for record in records:
            current = existing.get(record.values["credit_code"])
            if current is None:
                creates.append(record)
                continue
            if not ctx.scope.contains(current["region_id"]):
                self.out_of_scope(record, "credit_code")
                continue
            changes = {}
            for name in self.present:
                attname = ATTNAME.get(name, name)
                if name in record.values and record.values[name] != current[attname]:
                    changes[attname] = [current[attname], record.values[name]]
            if changes:
                updates.append((record, current, changes))
            else:
                ctx.unchanged += 1
        if ctx.dry_run:
            ctx.imported += len(creates)
            ctx.updated += len(updates)
            return
        items = [("c", r) for r in creates] + [("u", u) for u in updates]
        failed = self.write(self._write, items)
        failed_rows = {item[1].row if item[0] == "c" else item[1][0].row for item in failed}
        ctx.imported += sum(1 for r in creates if r.row not in failed_rows)
        ctx.updated += sum(1 for u in updates if u[0].row not in failed_rows)
        self.reject_failed(sorted(failed_rows), "credit_code")

    def _write(self, items: list) -> None:
        ctx = self.ctx
        audit = ctx.audit
        creates = [item[1] for item in items if item[0] == "c"]
        updates = [item[1] for item in items if item[0] == "u"]
        now = db.now()
        if creates:
            runs = len(creates) >= db.RUN_ENTRIES_FROM
            if runs:  # by region, then key: the ids of one region's employers are consecutive
                creates = sorted(creates, key=lambda r: (r.values["region"], r.values["credit_code"]))
            rows = []
            for record in creates:
                values = record.values
                row = []
                for f in self.model_fields:
                    name = f.name
                    if name in ("created_at", "updated_at"):
                        row.append(now)
                    elif name in values:
                        row.append(values[name])
                    elif f.has_default():
                        row.append(f.get_default())
                    else:
                        row.append(None if f.null else "")
                rows.append(row)
            self.insert_table.insert(rows)
            ids = db.ids_by(Employer, "credit_code", [r.values["credit_code"] for r in creates])
            if runs:
                fields = [f.name for f in self.model_fields if any(f.name in r.values for r in creates)]
                audit.add_runs(AuditEntry.Action.CREATE, object_type="employer", summary=_("批量导入：新建用人单位"),
                               label=_("批量新建%(n)d家用人单位"), ids=[ids[r.values["credit_code"]] for r in creates],
                               regions=[r.values["region"] for r in creates], rows=[r.row for r in creates],
                               changes={"import_batch": ctx.batch.pk, "fields": fields})
            else:
                for record in creates:
                    values = record.values
                    audit.add(AuditEntry.Action.CREATE, object_type="employer", object_id=ids[values["credit_code"]],
                              object_label=values["name"], region_code=values["region"],
                              changes={**values, "import_batch": ctx.batch.pk}, summary=_("批量导入：新建用人单位"))
            self.touched.add("employers_created", ids.values())
        if updates:
            db.Table(Employer, ["id"]).update("id", (
                (current["pk"], {**{k: v[1] for k, v in changes.items()}, "updated_at": now})
                for _r, current, changes in updates
            ))
            for record, current, changes in updates:
                audit.add(AuditEntry.Action.UPDATE, object_type="employer", object_id=current["pk"],
                          object_label=record.values.get("name") or current["name"],
                          region_code=changes.get("region_id", [None, current["region_id"]])[1],
                          changes={**changes, "import_batch": ctx.batch.pk}, summary=_("批量导入：修改单位信息"))
                self.touched.add("employers_changed", [current["pk"]],
                                 [name for name, attname in ((n, ATTNAME.get(n, n)) for n in IMPORT_FIELDS) if attname in changes])
        audit.flush()
