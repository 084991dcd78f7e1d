"""Importing 就业创业证 from old ledgers (kind ``certificates``), idempotent through
``Certificate.import_key`` (a hash of the number).

Each good row becomes the person's current certificate: a certificate the person already holds (one
issued here on registration, or an earlier import) becomes ``replaced`` and the imported one names it
in ``replaces`` with the reason 导入旧台账. One row per person per file (a ledger's current
certificate); a second row for the same person is rejected. Rejected rows: a person not on record or
outside the importer's scope (one generic reason, so the report never tells which), a name that does
not match, a number already used by another certificate, a bad or future date, an unknown issuing
authority. Set-based per chunk: three lookups, one UPDATE, one bulk INSERT, bulk audit entries.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.registry.certificates import import_key
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import ID_ALIASES
from jiuye.registry.models import Certificate, CertificateStatus, Person, ReissueReason

#: The one reason for "no such person" and "outside your scope": the report does not tell them apart.
UNKNOWN_PERSON = _l("在您的管辖范围内没有该公民身份号码的人员档案（未建档或不在您的管辖范围内），请核实或联系上级")

CERTIFICATE_COLUMNS = [
    F("id_number", "公民身份号码", *ID_ALIASES, required=True),
    F("name", "姓名", "持证人", "持证人姓名"),
    F("number", "证书编号", "就业创业证编号", "就业创业证号", "证号", "证件编号", "就业失业登记证编号", "就业失业登记证号",
      required=True),
    F("issued_on", "发证日期", "发证时间", "领证日期", "办证日期", required=True),
    F("issued_by", "发证机构", "发证单位", "发证机关", "发证社区", "办证地点"),
    F(IGNORED, "序号", "备注", "说明"),
]


class CertificateImporter(RegistryImporter):
    kind = "certificates"
    label = _l("就业创业证")
    fields = CERTIFICATE_COLUMNS
    object_type = "person"
    diagnose_partial = False

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.persons_seen: dict[str, int] = {}

    def build_converters(self) -> dict[str, Converter]:
        return {
            "id_number": identity_cells.resident_id,
            "name": N.name_text,
            "number": N.text(Certificate._meta.get_field("number").max_length, label=_("证书编号")),
            "issued_on": N.date_converter(),
            "issued_by": lambda v: self.ctx.regions.resolve(v, community=False),
        }

    def check(self, record: Record) -> bool:
        values = record.values
        ok = True
        ident = values.get("id_number")
        if ident is not None:
            values["id_number"] = ident[0]
        number = (values.get("number") or "").strip().upper()
        values["number"] = number
        if "number" in values and not number:
            self.error(record, "number", _("证书编号不能为空"))
            ok = False
        date = values.get("issued_on")
        if date is not None and date > self.ctx.today:
            self.error(record, "issued_on", _("发证日期%(d)s晚于今天") % {"d": date.isoformat()})
            ok = False
        if number and self.duplicate(record, number, "number"):
            ok = False
        if self.errors and self.errors[-1].row == record.row:
            ok = False  # a cell of this row was refused already
        if ident is not None and ok:  # a row rejected for another reason does not hold the person's place
            first = self.persons_seen.get(values["id_number"])
            if first is not None and first != record.row:
                self.error(record, "id_number", _("同一人的就业创业证已在第%(n)d行导入；台账中每人只导入现持有的一张") % {"n": first})
                ok = False
            else:
                self.persons_seen[values["id_number"]] = record.row
        return ok

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        self.take_partial()
        numbers = [r.values["number"] for r in records]
        ids = list({r.values["id_number"] for r in records})
        persons: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            for row in Person.objects.filter(id_number__in=ids[start:start + 900]).values("pk", "id_number", "name", "region_id"):
                persons[row["id_number"]] = row
        existing: dict[str, dict[str, Any]] = {}
        for start in range(0, len(numbers), 900):
            for row in Certificate.objects.filter(number__in=numbers[start:start + 900]).values(
                    "pk", "number", "person_id", "issued_on"):
                existing[row["number"]] = row
        person_pks = [p["pk"] for p in persons.values()]
        current: dict[int, dict[str, Any]] = {}
        for start in range(0, len(person_pks), 900):
            for row in Certificate.objects.filter(person_id__in=person_pks[start:start + 900],
                                                  status=CertificateStatus.CURRENT).values("pk", "person_id", "number"):
                current[row["person_id"]] = row
        good = []
        for record in records:
            values = record.values
            person = persons.get(values["id_number"])
            if person is None:
                self.error(record, "id_number", str(UNKNOWN_PERSON))
                continue
            if not ctx.scope.contains(person["region_id"]):
                self.out_of_scope(record, "id_number")  # counted for the guard ...
                self.errors[-1].reason = str(UNKNOWN_PERSON)  # ... and worded like an unknown person
                continue
            if values.get("name") and values["name"] != person["name"]:
                self.error(record, "name", _("姓名与该公民身份号码的人员档案不符"))
                continue
            stored = existing.get(values["number"])
            if stored is not None:
                if stored["person_id"] == person["pk"] and stored["issued_on"] == values["issued_on"]:
                    ctx.unchanged += 1
                else:
                    self.error(record, "number", _("证书编号%(n)s已登记，不能重复使用") % {"n": values["number"]})
                continue
            good.append((record, person, current.get(person["pk"])))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        failed = self.write(self._write, good)
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted({item[0].row for item in failed}), "number")

    def _write(self, items: list) -> None:
        ctx = self.ctx
        operator_id = ctx.operator.pk if ctx.operator is not None else None
        olds = [old["pk"] for _r, _p, old in items if old is not None]
        for start in range(0, len(olds), 900):
            Certificate.objects.filter(pk__in=olds[start:start + 900]).update(status=CertificateStatus.REPLACED)
        now = db.now()
        certs = []
        for record, person, old in items:
            values = record.values
            certs.append(Certificate(
                person_id=person["pk"], number=values["number"], issued_on=values["issued_on"],
                issued_by_id=values.get("issued_by") or person["region_id"], operator_id=operator_id,
                status=CertificateStatus.CURRENT, replaces_id=old["pk"] if old else None,
                reissue_reason=ReissueReason.LEDGER_IMPORT if old else "", import_key=import_key(values["number"]),
                created_at=now,
            ))
        Certificate.objects.bulk_create(certs, batch_size=500)
        for cert, (_record, person, old) in zip(certs, items):
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type="person", object_id=person["pk"],
                          object_label=person["name"], region_code=person["region_id"],
                          changes={"certificate": cert.number, "issued_on": cert.issued_on,
                                   "issued_by": cert.issued_by_id, "replaces": old["number"] if old else None,
                                   "import_batch": ctx.batch.pk},
                          summary=_("批量导入：就业创业证"))
        ctx.audit.flush()
