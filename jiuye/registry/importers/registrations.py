"""Importing registrations (就业登记 / 失业登记 / 终止), idempotent through ``Registration.import_key``."""
from __future__ import annotations

import hashlib
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Record
from jiuye.registry import services
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers import choices as C
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import REGISTRATION_COLUMNS
from jiuye.registry.models import (
    EmploymentForm,
    EmploymentStatus,
    Employer,
    Person,
    Registration,
    RegistrationSource,
)
from jiuye.registry.retirement import working_age_start
from jiuye.registry.status import status_on

KIND = Registration.Kind
DETAIL_FIELDS = ["contract_type", "contract_months", "social_insurance", "occupation", "contract_start", "contract_end"]
INSERT_COLUMNS = ["person_id", "kind", "effective_date", "employer_id", "employment_form", "contract_type",
                  "contract_months", "contract_start", "contract_end", "social_insurance", "occupation", "unemployment_reason", "ending_reason",
                  "corrects_id", "reason", "operator_id", "source", "recorded_at", "import_key", "registered_in_id",
                  "former_employer_id"]
_MONTHS = re.compile(r"^(\d+(?:\.\d+)?)(个月|月|年)?$")


def contract_months(value: Any) -> int:
    """合同期限（月）: "36", "36个月", "3年" (= 36)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        unit = ""
    else:
        raw = N.squeeze(N.as_text(value))
        match = _MONTHS.match(raw)
        if not match:
            raise N.CellError(_("合同期限“%(v)s”不是月数（如36或3年）") % {"v": raw})
        number, unit = float(match.group(1)), match.group(2) or ""
    if unit == "年":
        number *= 12
    if not number.is_integer() or not 0 <= number <= 600:
        raise N.CellError(_("合同期限应为0到600之间的整月数"))
    return int(number)


def import_key(id_number: str, kind: str, effective_date, employer_code: str, form: str, unemployment_reason: str,
               ending_reason: str) -> str:
    """A stable hash of what identifies a registration row: re-importing the same row finds it again."""
    text = "|".join([id_number, kind, effective_date.isoformat(), employer_code, form, unemployment_reason, ending_reason])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RegistrationImporter(RegistryImporter):
    kind = "registrations"
    label = _l("就业失业登记")
    fields = REGISTRATION_COLUMNS
    object_type = "person"
    diagnose_partial = True

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.table = db.Table(Registration, INSERT_COLUMNS)
        self.pending: dict[int, list[Registration]] = {}  # dry run: entries of earlier chunks, not stored

    def build_converters(self) -> dict[str, Converter]:
        return {
            "id_number": identity_cells.resident_id,
            "name": N.name_text,
            "kind": C.REGISTRATION_KIND,
            "effective_date": N.date_converter(),
            "employer": identity_cells.credit_code,
            "former_employer": identity_cells.credit_code,  # 失业前单位 (unemployment rows only; ignored on others)
            "employment_form": C.EMPLOYMENT_FORM,
            "contract_type": C.CONTRACT_TYPE,
            "contract_months": contract_months,
            "contract_start": N.date_converter(),  # 合同起始日期
            "contract_end": N.date_converter(),  # 合同终止日期: the contract's last day
            "social_insurance": N.yes_no(_("是否缴纳社保")),
            "occupation": N.text(Registration._meta.get_field("occupation").max_length, label=_("工种")),
            "unemployment_reason": C.UNEMPLOYMENT_REASON,
            "ending_reason": C.ENDING_REASON,
        }

    def check(self, record: Record) -> bool:
        """The checks of services._validate_entry that need no history, row by row (a copy of that
        rule for speed, held to it by tests/test_import_rules.py), and the import's own: a reason for
        unemployment and ending, no duplicate row."""
        values = record.values
        ok = True
        ident = values.get("id_number")
        birth = None
        if ident is not None:
            values["id_number"], birth, _sex = ident
        kind = values.get("kind")
        date = values.get("effective_date")
        if date is not None and date > self.ctx.today:
            self.error(record, "effective_date", _("生效日期%(d)s晚于今天，不能预先登记") % {"d": date.isoformat()})
            ok = False
        if date is not None and birth is not None and kind in (KIND.EMPLOYMENT, KIND.UNEMPLOYMENT) \
                and date < working_age_start(birth):
            self.error(record, "effective_date", _("生效日期%(d)s时本人未满16周岁") % {"d": date.isoformat()})
            ok = False
        if kind == KIND.EMPLOYMENT:
            form = values.get("employment_form")
            if not form and "employment_form" not in self._bad_columns(record):
                self.error(record, "employment_form", _("就业登记须填写就业形式"))
                ok = False
            elif form and form not in services.FORMS_WITHOUT_EMPLOYER and "employer" not in values \
                    and "employer" not in self._bad_columns(record):
                self.error(record, "employer", _("“%(f)s”须填写就业单位的统一社会信用代码") % {"f": EmploymentForm(form).label})
                ok = False
            # 合同起止日期: the services' rule (services.contract_error); the months derived from the dates.
            bad = self._bad_columns(record)
            if not bad & {"contract_type", "contract_start", "contract_end", "contract_months"}:
                start, end = values.get("contract_start"), values.get("contract_end")
                error = services.contract_error(values.get("contract_type", ""), start, end,
                                                values.get("contract_months"), date)
                if error:
                    self.error(record, error[0], error[1])
                    ok = False
                elif start and end:
                    values["contract_months"] = services.contract_months_between(start, end)
        elif kind == KIND.UNEMPLOYMENT:
            if not values.get("unemployment_reason") and "unemployment_reason" not in self._bad_columns(record):
                self.error(record, "unemployment_reason", _("失业登记须填写失业原因"))
                ok = False
        elif kind == KIND.ENDING:
            if not values.get("ending_reason") and "ending_reason" not in self._bad_columns(record):
                self.error(record, "ending_reason", _("终止登记须填写终止原因"))
                ok = False
        if ok and kind and date and ident is not None:
            values["_key"] = self._key(values)
            if self.duplicate(record, values["_key"], "id_number"):
                ok = False
        return ok

    def _bad_columns(self, record: Record) -> set[str]:
        """Fields of this row that already have an error (so a missing value is not reported twice)."""
        headers = set()
        for error in reversed(self.errors):
            if error.row != record.row:
                break
            headers.add(error.column)
        return {name for name, column in self.columns.items() if column.header in headers}

    def _relevant(self, values: dict[str, Any]) -> dict[str, Any]:
        kind = values["kind"]
        out = {"employer": "", "employment_form": "", "contract_type": "", "contract_months": None,
               "contract_start": None, "contract_end": None, "social_insurance": None, "occupation": "", "unemployment_reason": "", "ending_reason": "",
               "former_employer": ""}
        if kind == KIND.EMPLOYMENT:
            for name in ("employer", "employment_form", "contract_type", "contract_months", "contract_start",
                         "contract_end", "social_insurance", "occupation"):
                if name in values:
                    out[name] = values[name]
        elif kind == KIND.UNEMPLOYMENT:
            out["unemployment_reason"] = values.get("unemployment_reason", "")
            out["former_employer"] = values.get("former_employer", "")
        else:
            out["ending_reason"] = values.get("ending_reason", "")
        return out

    def _key(self, values: dict[str, Any]) -> str:
        rel = self._relevant(values)
        return import_key(values["id_number"], values["kind"], values["effective_date"], rel["employer"],
                          rel["employment_form"], rel["unemployment_reason"], rel["ending_reason"])

    def duplicate(self, record: Record, key: str, name: str) -> bool:
        first = self.seen.get(key)
        if first is not None:
            self.error(record, name, _("与第%(n)d行是同一条登记（重复）") % {"n": first})
            return True
        self.seen[key] = record.row
        return False

    # ------------------------------------------------------------------------------------------

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        partial = self.take_partial()
        numbers = list({r.values["id_number"] for r in [*records, *partial]})
        persons: dict[str, dict[str, Any]] = {}
        for start in range(0, len(numbers), 900):
            for row in Person.objects.filter(id_number__in=numbers[start : start + 900]).values(
                    "pk", "id_number", "name", "region_id", "birth_date"):
                persons[row["id_number"]] = row
        codes = list({r.values[f] for r in [*records, *partial] for f in ("employer", "former_employer") if r.values.get(f)})
        employers = db.ids_by(Employer, "credit_code", codes)
        self._diagnose(partial, persons, employers)
        keys = [r.values["_key"] for r in records]
        existing_keys: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 900):
            for row in Registration.objects.filter(import_key__in=keys[start : start + 900]).values("import_key", "former_employer_id", *DETAIL_FIELDS):
                existing_keys[row["import_key"]] = row
        person_ids = [p["pk"] for p in persons.values()]
        history: dict[int, list[Registration]] = {pk: [] for pk in person_ids}
        for start in range(0, len(person_ids), 900):
            for entry in Registration.objects.filter(person_id__in=person_ids[start : start + 900]).only(
                    "id", "person_id", "kind", "effective_date", "recorded_at", "employer_id", "employment_form",
                    "ending_reason", "corrects_id"):
                history[entry.person_id].append(entry)
        for pk, entries in self.pending.items():
            if pk in history:
                history[pk].extend(entries)
        now = db.now()
        good: list[tuple[Record, dict[str, Any], Registration]] = []
        for record in records:
            values = record.values
            person = persons.get(values["id_number"])
            if person is None:
                self.error(record, "id_number", _("该公民身份号码尚未建立人员档案，请先导入人员"))
                continue
            ok = True
            if not ctx.scope.contains(person["region_id"]):
                self.out_of_scope(record, "id_number")  # and not whether the name matches
                ok = False
            elif values.get("name") and values["name"] != person["name"]:
                self.error(record, "name", _("姓名与该公民身份号码的人员档案不符"))
                ok = False
            rel = self._relevant(values)
            employer_id = None
            if rel["employer"]:
                employer_id = employers.get(rel["employer"])
                if employer_id is None:
                    self.error(record, "employer", _("统一社会信用代码%(c)s的单位尚未登记，请先导入用人单位") % {"c": rel["employer"]})
                    ok = False
            former_id = None
            if rel["former_employer"]:
                former_id = employers.get(rel["former_employer"])
                if former_id is None:
                    self.error(record, "former_employer", _("失业前单位（统一社会信用代码%(c)s）尚未登记，请先导入用人单位")
                               % {"c": rel["former_employer"]})
                    ok = False
            if not ok:
                continue
            stored = existing_keys.get(values["_key"])
            if stored is not None:
                if any(stored[f] != rel[f] for f in DETAIL_FIELDS if f in values):
                    self.error(record, "", _("该登记已导入过，但合同类型、期限、社保或工种与已导入的不同；已登记的信息请在登记页面更正"), value="")
                elif former_id is not None and stored["former_employer_id"] != former_id:
                    self.error(record, "former_employer", _("该登记已导入过，但失业前单位与已导入的不同；已登记的信息请在登记页面更正"))
                else:
                    ctx.unchanged += 1
                continue
            entry = Registration(
                person_id=person["pk"], kind=values["kind"], effective_date=values["effective_date"], employer_id=employer_id,
                employment_form=rel["employment_form"], contract_type=rel["contract_type"],
                contract_months=rel["contract_months"], contract_start=rel["contract_start"],
                contract_end=rel["contract_end"], social_insurance=rel["social_insurance"],
                occupation=rel["occupation"], unemployment_reason=rel["unemployment_reason"],
                ending_reason=rel["ending_reason"], recorded_at=now, import_key=values["_key"],
                registered_in_id=person["region_id"],  # 登记地: the person's community at import time
                former_employer_id=former_id,
            )
            entries = history.setdefault(person["pk"], [])
            before = status_on(entries, values["effective_date"])
            if before.status == EmploymentStatus.DECEASED:
                self.error(record, "effective_date", _("本人已于%(d)s登记死亡") % {"d": before.since.isoformat()})
                continue
            # A ledger's older rows may be inserted where they fit the history (the batch is the recorded
            # reason, in the audit); a second unemployment registration does not fit anywhere.
            history_error = services.history_error(entries, values["kind"], values["effective_date"])
            if history_error:
                self.error(record, "effective_date", history_error)
                continue
            entries.append(entry)
            good.append((record, person, entry))
        if ctx.dry_run:
            ctx.imported += len(good)
            for _record, person, entry in good:
                self.pending.setdefault(person["pk"], []).append(entry)
            return
        failed = self.write(self._write, good)
        failed_rows = {item[0].row for item in failed}
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted(failed_rows), "id_number")

    def _diagnose(self, partial: list[Record], persons: dict, employers: dict) -> None:
        """The checks that need the database, for rows already rejected for a cell (nothing is written)."""
        for record in partial:
            values = record.values
            person = persons.get(values["id_number"])
            if person is None:
                self.error(record, "id_number", _("该公民身份号码尚未建立人员档案，请先导入人员"))
            else:
                if not self.ctx.scope.contains(person["region_id"]):
                    self.out_of_scope(record, "id_number")  # and not whether the name matches
                elif values.get("name") and values["name"] != person["name"]:
                    self.error(record, "name", _("姓名与该公民身份号码的人员档案不符"))
            if values.get("employer") and values["employer"] not in employers:
                self.error(record, "employer", _("统一社会信用代码%(c)s的单位尚未登记，请先导入用人单位") % {"c": values["employer"]})
            if values.get("kind") == KIND.UNEMPLOYMENT and values.get("former_employer") \
                    and values["former_employer"] not in employers:
                self.error(record, "former_employer", _("失业前单位（统一社会信用代码%(c)s）尚未登记，请先导入用人单位")
                           % {"c": values["former_employer"]})

    def _write(self, items: list) -> None:
        ctx = self.ctx
        operator_id = ctx.operator.pk if ctx.operator is not None else None
        rows = []
        for _record, _person, e in items:
            rows.append([e.person_id, e.kind, e.effective_date, e.employer_id, e.employment_form, e.contract_type,
                         e.contract_months, e.contract_start, e.contract_end, e.social_insurance, e.occupation, e.unemployment_reason, e.ending_reason,
                         None, "", operator_id, RegistrationSource.IMPORT, e.recorded_at, e.import_key,
                         e.registered_in_id, e.former_employer_id])
        self.table.insert(rows)
        ids = db.ids_by(Registration, "import_key", [e.import_key for _r, _p, e in items])
        for record, person, e in items:
            changes = {"registration": ids[e.import_key], "kind": e.kind, "effective_date": e.effective_date,
                       "import_batch": ctx.batch.pk}
            changes["registered_in"] = e.registered_in_id
            for name in ("employer_id", "employment_form", "contract_type", "contract_months", "contract_start",
                         "contract_end", "social_insurance",
                         "occupation", "unemployment_reason", "ending_reason", "former_employer_id"):
                value = getattr(e, name)
                if value not in (None, ""):
                    changes[name.removesuffix("_id")] = value
            ctx.audit.add(AuditEntry.Action.REGISTER, object_type="person", object_id=person["pk"],
                          object_label=person["name"], region_code=person["region_id"], changes=changes,
                          summary=_("批量导入：%(k)s") % {"k": KIND(e.kind).label})
        ctx.audit.flush()
        person_ids = {p["pk"] for _r, p, _e in items}
        self.touched.add("registrations_recorded", ids.values())
        self.touched.add("registrations_recorded:person_ids", person_ids)
        services.refresh_status(person_ids, today=ctx.today)
