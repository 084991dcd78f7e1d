"""Importing historic hard-to-employ recognition ledgers (kind ``recognitions``): 身份证号, 姓名, 认定类别
(Chinese labels or codes, several separated by 、/，), 认定日期, 有效期至, 认定单位/意见.

Each good row becomes a RECOGNISED act (origin 批量导入) valid from 认定日期 to 有效期至 (empty: until
exit); a row whose validity already ended becomes an act EXITED "expired" the day after, so that the
history of the fact is kept. A pending system proposal of the person is withdrawn (the ledger decides).
Idempotent through ``Recognition.import_key`` (a hash of the identity number and the date). Rejected
rows, each with its reason: a person not on record or outside the importer's scope (one generic reason),
a name that does not match, an unknown category, a bad or future date, a validity end before the date,
the person already recognised (another act open), a second row for one person. After each chunk the
persons' hard-to-employ cases are brought in step (``services.recognitions.sync``)."""
from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import ExitReason, Recognition, RecognitionOrigin, RecognitionStatus
from jiuye.assistance.services import recognitions as services
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import ID_ALIASES
from jiuye.registry.models import Person

UNKNOWN_PERSON = _l("在您的管辖范围内没有该公民身份号码的人员档案（未建档或不在您的管辖范围内），请核实或联系上级")

RECOGNITION_COLUMNS = [
    F("id_number", "公民身份号码", *ID_ALIASES, required=True),
    F("name", "姓名"),
    F("categories", "认定类别", "困难类别", "人员类别", "就业困难类别", "类别", required=True),
    F("valid_from", "认定日期", "认定时间", "认定生效日期", required=True),
    F("valid_until", "有效期至", "有效期", "有效期截止", "认定有效期至"),
    F("note", "认定单位/意见", "认定单位", "认定意见", "认定机构"),
    F(IGNORED, "序号", "备注", "说明"),
]


def import_key(id_number: str, valid_from: datetime.date) -> str:
    return "rec:" + hashlib.sha256(f"{id_number}|{valid_from.isoformat()}".encode()).hexdigest()[:56]


class RecognitionImporter(RegistryImporter):
    kind = "recognitions"
    label = _l("就业困难人员认定")
    fields = RECOGNITION_COLUMNS
    object_type = "recognition"
    diagnose_partial = False

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.persons_seen: dict[str, int] = {}

    def build_converters(self) -> dict[str, Converter]:
        def categories(value: Any) -> list[str]:
            codes, unknown = services.parse_categories(N.as_text(value))
            if unknown:
                raise N.CellError(_("认定类别“%(c)s”不存在（可填：%(all)s）") % {
                    "c": "、".join(unknown), "all": services.categories_text(services.CATEGORY_CODES)})
            if not codes:
                raise N.CellError(_("认定类别不能为空"))
            return codes

        return {
            "id_number": identity_cells.resident_id,
            "name": N.name_text,
            "categories": categories,
            "valid_from": N.date_converter(),
            "valid_until": N.date_converter(),
            "note": N.text(255, label=_("认定单位/意见")),
        }

    def check(self, record: Record) -> bool:
        values = record.values
        ok = True
        ident = values.get("id_number")
        if ident is not None:
            values["id_number"] = ident[0]
        start, end = values.get("valid_from"), values.get("valid_until")
        if start is not None and start > self.ctx.today:
            self.error(record, "valid_from", _("认定日期%(d)s晚于今天") % {"d": start.isoformat()})
            ok = False
        if start is not None and end is not None and end < start:
            self.error(record, "valid_until", _("有效期至%(e)s早于认定日期%(d)s") % {"e": end.isoformat(), "d": start.isoformat()})
            ok = False
        if self.errors and self.errors[-1].row == record.row:
            ok = False
        if ident is not None and ok:
            first = self.persons_seen.get(values["id_number"])
            if first is not None and first != record.row:
                self.error(record, "id_number", _("同一人的认定已在第%(n)d行导入；台账中每人只导入一条（最近一次认定）") % {"n": first})
                ok = False
            else:
                self.persons_seen[values["id_number"]] = record.row
        return ok

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        self.take_partial()
        ids = list({r.values["id_number"] for r in records})
        persons: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            for row in Person.objects.filter(id_number__in=ids[start:start + 900]).values("pk", "id_number", "name", "region_id"):
                persons[row["id_number"]] = row
        keys = [import_key(r.values["id_number"], r.values["valid_from"]) for r in records]
        known = set()
        for start in range(0, len(keys), 900):
            known.update(Recognition.objects.filter(import_key__in=keys[start:start + 900]).values_list("import_key", flat=True))
        pks = [p["pk"] for p in persons.values()]
        open_acts: dict[int, dict[str, Any]] = {}
        for start in range(0, len(pks), 900):
            for row in Recognition.objects.filter(person_id__in=pks[start:start + 900],
                                                  status__in=(RecognitionStatus.PROPOSED, RecognitionStatus.RECOGNISED)).values(
                    "pk", "person_id", "status"):
                open_acts[row["person_id"]] = row
        good = []
        for record, key in zip(records, keys):
            values = record.values
            person = persons.get(values["id_number"])
            if person is None:
                self.error(record, "id_number", str(UNKNOWN_PERSON))
                continue
            if not ctx.scope.contains(person["region_id"]):
                self.out_of_scope(record, "id_number")
                self.errors[-1].reason = str(UNKNOWN_PERSON)
                continue
            if values.get("name") and values["name"] != person["name"]:
                self.error(record, "name", _("姓名与该公民身份号码的人员档案不符"))
                continue
            if key in known:
                ctx.unchanged += 1
                continue
            expired = values.get("valid_until") is not None and values["valid_until"] < ctx.today
            current = open_acts.get(person["pk"])
            if not expired and current is not None and current["status"] == RecognitionStatus.RECOGNISED:
                self.error(record, "valid_from", _("该人员已有已认定的记录，须先在系统中办理退出"))
                continue
            good.append((record, person, key, expired, current if not expired else None))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        failed = self.write(self._write, good)
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted({item[0].row for item in failed}), "id_number")

    def _write(self, items: list) -> None:
        ctx = self.ctx
        operator_id = ctx.operator.pk if ctx.operator is not None else None
        now = db.now()
        proposals = [current["pk"] for *_x, current in items if current is not None]
        for start in range(0, len(proposals), 900):
            Recognition.objects.filter(pk__in=proposals[start:start + 900], status=RecognitionStatus.PROPOSED).update(
                status=RecognitionStatus.WITHDRAWN, exit_note=_("导入历史认定台账"), exited_at=now)
        acts = []
        for record, person, key, expired, _current in items:
            v = record.values
            act = Recognition(
                person_id=person["pk"], region_id=person["region_id"], categories=v["categories"],
                origin=RecognitionOrigin.IMPORTED, applied_on=v["valid_from"], valid_from=v["valid_from"],
                valid_until=v.get("valid_until"), decided_at=now, decided_by_id=operator_id, proposed_by_id=operator_id,
                decision_note=(v.get("note") or "")[:255], import_key=key, created_at=now,
                status=RecognitionStatus.EXITED if expired else RecognitionStatus.RECOGNISED,
            )
            if expired:
                act.exited_on = v["valid_until"] + datetime.timedelta(days=1)
                act.exit_reason, act.exit_note, act.exited_at = ExitReason.EXPIRED, _("认定有效期届满"), now
            acts.append(act)
        Recognition.objects.bulk_create(acts, batch_size=500)
        for act, (_record, person, *_rest) in zip(acts, items):
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type="recognition", object_id=act.pk or "",
                          object_label=person["name"], region_code=person["region_id"],
                          changes={"categories": act.categories, "valid_from": act.valid_from,
                                   "valid_until": act.valid_until, "status": act.status, "import_batch": ctx.batch.pk},
                          summary=_("批量导入：就业困难人员认定"))
        ctx.audit.flush()
        services.sync([person["pk"] for _r, person, *_rest in items], today=ctx.today, actor=ctx.actor)


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(RecognitionImporter)
