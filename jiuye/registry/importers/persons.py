"""Importing persons (实名制人员花名册)."""
from __future__ import annotations

import calendar
import datetime
import json
import unicodedata
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Importer, Record, RowError
from jiuye.imports.lookups import NeedsDatabase
from jiuye.imports.normalise import CellError
from jiuye.parameters import params
from jiuye.registry.identity import is_mobile_fast
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers import choices as C
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import PERSON_COLUMNS
from jiuye.registry.models import Person, Sex
from jiuye.registry.retirement import minor_born_after, retirement_age_months, under_working_age_notice
from jiuye.registry import events
from jiuye.registry.services import (
    PERSON_EDITABLE_FIELDS,
    WORK_FLAGS,
    graduation_date_error,
    refresh_households_of,
    work_flag_lowered_error,
)

# Fields an import may set: the rule services.PERSON_EDITABLE_FIELDS minus female_retirement_base
# (which only a user decides; the import derives the retirement date from the region's base).
IMPORT_FIELDS = [name for name in PERSON_EDITABLE_FIELDS if name != "female_retirement_base"]
ATTNAME = {"region": "region_id"}
FIELD_OF = {"region_id": "region"}

_SEX = {"男": "M", "女": "F", "m": "M", "f": "F", "男性": "M", "女性": "F", "1": "M", "2": "F"}


@lru_cache(maxsize=4096)
def _female_base(region_code: str) -> int:
    return int(params(region_code)["registry.female_retirement_base"])  # in force today


_retirement_cache: dict[tuple[datetime.date, str, int], datetime.date] = {}


def _retirement(birth: datetime.date, sex: str, base: int) -> datetime.date:
    """A copy of the rule retirement.retirement_date for speed (birth + the rule's statutory age in
    months, clamped to the month's end, with calendar arithmetic instead of relativedelta, which
    costs half a second per 30,000 birth dates), cached. tests/test_import_rules.py holds it to
    the rule."""
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


# Markers a column's memo gives instead of a value: the cell is blank (after cleaning); the cell has a
# problem (the generic path reports it); the value needs the database (a producer process has none).
BLANK = object()
BAD = object()
REDO = object()
MEMO_LIMIT = 20_000  # distinct raw text cells remembered per column
_HAD_BLANK, _HAD_BAD, _HAD_REDO = 1, 2, 4


class _Memo(dict):
    """Raw cell -> converted (adapted) value of one column; a missing key is converted and remembered.

    ``flags`` says which markers it has given (so that columns without any are not scanned for them).
    Only text cells are remembered (1, 1.0 and True are equal as dict keys).
    """

    __slots__ = ("compute", "default", "flags")

    def __init__(self, compute, default):
        super().__init__()
        self.compute = compute
        self.default = default  # the insert row's value for a blank cell (BLANK: keep the marker)
        self.flags = 0

    def __missing__(self, raw):
        result = self.compute(raw)
        if result is BLANK:
            self.flags |= _HAD_BLANK
        elif result is BAD:
            self.flags |= _HAD_BAD
        elif result is REDO:
            self.flags |= _HAD_REDO
            return result
        if raw.__class__ is str and len(self) < MEMO_LIMIT:
            self[raw] = result
        return result
# Bits of the "present" mask past those of IMPORT_FIELDS: a flag set because of another column.
_VETERAN_DERIVED = 1 << len(IMPORT_FIELDS)
_DISABILITY_DERIVED = 1 << (len(IMPORT_FIELDS) + 1)
_BIT = {name: 1 << i for i, name in enumerate(IMPORT_FIELDS)}
_DETAIL = {"is_veteran": "veteran_kind", "has_disability": "disability_grade"}


def _graduation(convert, today: datetime.date | None = None):
    """The graduation date cell: a date (month precision) that passes services.graduation_date_error."""

    def check(value):
        date = convert(value)
        message = graduation_date_error(date, today=today)
        if message:
            raise CellError(message)
        return date

    return check


class PersonImporter(RegistryImporter):
    """Persons: a compiled plan per file (chosen once from the header) converts the cells of a row
    straight into the row to insert.

    ``convert`` returns a packed record ``(row, id_number, insert_row, mask, raw_id_cell)``:
    ``insert_row`` holds the adapted values of ``insert_table``'s columns and ``mask`` has a bit per
    field given in the row (a blank cell keeps the stored value on update). Each column remembers the
    result for each distinct raw cell (community sheets repeat communities, choices, yes/no, dates).
    A row with any problem (or anything unusual) goes through the generic ``Importer.convert`` and
    ``check``, which report every problem of the row with the same messages as always.
    """

    kind = "persons"
    label = _l("人员")
    fields = PERSON_COLUMNS
    object_type = "person"
    parallel = True
    # Large chunks: on a large registry each new person lands on a random page of every person
    # index, so a chunk dirties (and commits) a share of each index whatever its size; 40,000 rows
    # per transaction instead of 10,000 write 100,000 persons into a 1,000,000-person SQLite
    # registry in 2.6 s instead of 3.9 s (bench/bench_import.py --into 1m).
    chunk_size = 40000

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        _female_base.cache_clear()
        self.present = [name for name in IMPORT_FIELDS if name in self.columns]
        fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in fields}
        ops = db.connection.ops
        self.adapt_date = ops.adapt_datefield_value
        now = db.now()
        defaults: dict[str, Any] = {}  # attname -> adapted value of a new person
        adapters: dict[str, Any] = {}
        for f in fields:
            if f.name in ("created_at", "updated_at"):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                value = ""
            adapt = db.adapter_for(f)
            if adapt is not None:
                adapters[f.name] = adapt
            defaults[f.attname] = adapt(value) if adapt is not None and value is not None else value
        # The columns set per row; the others are the same for every new person of this file.
        variable = ["id_number", "name", "sex", "birth_date", "retirement_date", "region"]
        variable += [n for n in self.present if n not in variable]
        variable += [flag for flag in WORK_FLAGS if flag not in variable]  # False for a minor (person_rules)
        if "veteran_kind" in self.columns and "is_veteran" not in variable:
            variable.append("is_veteran")
        if "disability_grade" in self.columns and "has_disability" not in variable:
            variable.append("has_disability")
        attnames = [ATTNAME.get(n, n) for n in variable]
        self.insert_table = db.Table(Person, attnames,
                                     constants={a: v for a, v in defaults.items() if a not in attnames})
        self.slot = {name: i for i, name in enumerate(variable)}
        self.template = [defaults[a] for a in attnames]
        self.adapters = adapters
        self.decoders = {name: self._decoder(by_name[name]) for name in IMPORT_FIELDS if name in adapters}
        self.now = now
        self.today = datetime.date.today()  # as normalise.resident_id has it
        self.minor_after = minor_born_after(self.today)  # born after it: under 16 today, a note
        self._minor_rows: set[int] = set()
        self._create_summary = _("批量导入：新建人员档案")
        self._audit_json: dict[int, tuple[str, str]] = {}
        self._present_names: dict[int, tuple[str, ...]] = {}
        self._births: dict[str, list] = {}
        self._addresses: dict[str, tuple[bool, int]] = {}
        self._bases: dict[str, int] = {}
        self.flag_checks = "veteran_kind" in self.columns or "disability_grade" in self.columns
        self.changed_persons: set[int] = set()  # their households' zero-employment flag is refreshed at the end
        self._compile()

    def finish(self) -> None:
        """Ability, willingness and the retirement date of members decide the zero-employment flag:
        refresh the households of the persons that changed (not every household)."""
        if self.changed_persons and not self.ctx.dry_run:
            refresh_households_of(sorted(self.changed_persons), via=events.VIA_IMPORT)

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
            "id_number": identity_cells.resident_id,
            "ethnicity": text("ethnicity", _("民族")),
            "phone": identity_cells.phone,
            "hukou_type": C.HUKOU,
            "hukou_place": text("hukou_place", _("户籍地")),
            "region": lambda v: regions.resolve(v, community=True),
            "address": text("address", _("居住地址")),
            "education": C.EDUCATION,
            "graduation_date": _graduation(N.date_converter(month_precision=True)),
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

    # -- the compiled plan ---------------------------------------------------------------------

    def _compile(self) -> None:
        """A memo per column of the file and the order of the insert row's columns, chosen from the header."""
        self.width = 1 + max(c.index for c in self.columns.values())
        plan = []  # (cell index, memo, slot in the insert row, bit)
        for name, column in self.columns.items():
            if name in ("id_number", "_sex", "_birth_date"):
                continue
            # A blank 是否退役军人 / 是否残疾人 is told apart from 否 when the detail column is there too.
            keep_blank = _DETAIL.get(name) in self.columns
            memo = _Memo(self._computer(name, column.field.required),
                         default=BLANK if keep_blank else self.template[self.slot[name]])
            plan.append((column.index, memo, self.slot[name], _BIT[name]))
        plan.sort(key=lambda item: item[0])
        self.plan_columns = plan
        self.field_order = [name for name in sorted(self.columns, key=lambda n: self.columns[n].index)
                            if name not in ("id_number", "_sex", "_birth_date")]  # as the values of a row
        self.full_mask = sum(bit for _i, _m, _s, bit in plan)
        self.id_index = self.columns["id_number"].index
        specials = []
        for name, convert in (("_sex", lambda v: _SEX.get(N.squeeze(N.as_text(v)).casefold())),
                              ("_birth_date", self.converters["_birth_date"])):
            column = self.columns.get(name)
            if column is not None:
                specials.append((name, column.index, _Memo(self._plain(convert), default=BLANK)))
        self.specials = specials
        indices = [self.id_index, *(index for index, *_rest in plan), *(index for _n, index, _m in specials)]
        self.pick = itemgetter(*indices)
        self.region_slot = self.slot["region"]

    def _plain(self, convert):
        def compute(raw):
            value = N.clean(raw)
            if value == "":
                return BLANK
            try:
                return convert(value)
            except CellError:
                return BAD

        return compute

    def _computer(self, name: str, required: bool):
        """The function that converts a raw cell of column ``name`` into its adapted value or a marker."""
        convert = self.converters[name]
        adapt = self.adapters.get(name)
        clean = N.clean
        if name == "region":
            contains = self.ctx.scope.contains

            def convert(value, _resolve=convert):  # noqa: F811 - scope checked once per distinct value
                code = _resolve(value)
                if not contains(code):
                    raise CellError("")
                return code

        def compute(raw):
            value = clean(raw)
            if value == "":
                return BAD if required else BLANK
            try:
                result = convert(value)
            except CellError:
                return BAD
            except NeedsDatabase:
                return REDO
            return adapt(result) if adapt is not None and result is not None else result

        # Names and mobile numbers rarely repeat: the usual cell is accepted as it is, as the converter
        # would (letters only, already NFKC, not too long / 11 ASCII digits starting with 1).
        if name == "name":
            normalized = unicodedata.is_normalized

            def compute_name(raw, _compute=compute):
                if raw.__class__ is str and raw.isalpha() and len(raw) <= 64 and normalized("NFKC", raw):
                    return raw
                return _compute(raw)

            return compute_name
        if name == "phone":

            def compute_phone(raw, _compute=compute, _fast=is_mobile_fast):
                if _fast(raw):  # identity.parse_phone would return it unchanged
                    return raw
                return _compute(raw)

            return compute_phone
        return compute

    def convert(self, row: int, cells: list[Any]):
        records, redo = self.convert_many([(row, cells)])
        if redo:
            raise NeedsDatabase(row)
        return records[0] if records else None

    def convert_many(self, rows: list[tuple[int, list[Any]]]) -> tuple[list[tuple], list[tuple[int, list[Any]]]]:
        """Packed records of the good rows, and the rows to redo where the database can be reached.

        Column by column: each distinct raw cell is converted once (memo), the common case runs in C
        (``map`` over the memo, ``zip`` to turn columns into rows). The identity number is checked row
        by row in file order (first occurrence wins for duplicates). Rows with a problem go through the
        generic ``Importer.convert``, which reports every problem of the row.
        """
        width = self.width
        cells_list = [cells if len(cells) >= width else [*cells, *([""] * (width - len(cells)))] for _row, cells in rows]
        if not cells_list:
            return [], []
        numbers = [row for row, _cells in rows]
        columns = list(zip(*map(self.pick, cells_list)))
        raw_ids = columns[0]
        count = len(rows)
        # Rows with a control character go the generic way, which rejects the cell (one search per chunk).
        bad: set[int] = set(N.control_rows(cells_list))
        redo: set[int] = set()
        missing: list[int] | None = None
        out = list(self.template_columns(count))
        for k, (_index, memo, slot, bit) in enumerate(self.plan_columns, start=1):
            values = list(map(memo.__getitem__, columns[k]))
            if memo.flags:
                if memo.flags & _HAD_BAD:
                    bad.update(i for i, v in enumerate(values) if v is BAD)
                if memo.flags & _HAD_REDO:
                    redo.update(i for i, v in enumerate(values) if v is REDO)
                    memo.flags &= ~_HAD_REDO
                if memo.flags & _HAD_BLANK and memo.default is not BLANK and BLANK in values:
                    if missing is None:
                        missing = [0] * count
                    default = memo.default
                    for i, v in enumerate(values):
                        if v is BLANK:
                            values[i] = default
                            missing[i] |= bit
            out[slot] = values
        k = len(self.plan_columns) + 1
        given = {}
        for name, _index, memo in self.specials:
            given[name] = list(map(memo.__getitem__, columns[k]))
            k += 1
        # Identity numbers, in file order: identity_cells.check_resident_id inline (a copy of the rule
        # identity.parse_resident_id, held to it by tests/test_import_identity.py), with the date, its
        # adapted forms and the retirement dates cached per birth date (YYYYMMDD).
        today = self.today
        minor_after = self.minor_after
        seen = self.seen
        births = self._births
        addresses = self._addresses
        sequences = identity_cells.SEQUENCE_SUM
        check_character = identity_cells.CHECK_CHARACTER
        regions = out[self.region_slot]
        ids, sexes, birth_dates, retirements = [None] * count, [None] * count, [None] * count, [None] * count
        dates = [None] * count
        minors: list[int] = []
        for i, raw in enumerate(raw_ids):
            if raw.__class__ is not str or (redo and i in redo):
                bad.add(i)
                continue
            if len(raw) == 18 and raw.isascii() and raw.isalnum():
                number = raw if raw[17] != "x" else raw.upper()
            else:
                number = N.squeeze(N.clean(raw))
                if number[-1:] == "x":
                    number = number.upper()
                if len(number) != 18:
                    bad.add(i)
                    continue
            sequence = sequences.get(number[14:17])
            entry = births.get(number[6:14])
            if entry is None:
                entry = self._birth_entry(number[6:14])
            address = addresses.get(number[:6])
            if address is None:
                address = addresses[number[:6]] = identity_cells.id_address(number[:6])
            if (sequence is None or entry[0] is None or entry[0] > today or not address[0]
                    or check_character[(address[1] + entry[1] + sequence) % 11] != number[17]):
                bad.add(i)
                continue
            row = numbers[i]
            if seen.setdefault(number, row) != row:
                bad.add(i)  # a duplicate
                continue
            ids[i] = number
            dates[i] = entry[0]
            if entry[0] > minor_after:
                self._minor_note(row, raw, entry[0])
                minors.append(i)
            birth_dates[i] = entry[2]
            if number[16] in "13579":
                sexes[i] = "M"
                retirement = entry[3]
                if retirement is None:
                    retirement = entry[3] = self.adapt_date(_retirement(entry[0], "M", 60))
            else:
                sexes[i] = "F"
                region = regions[i]
                if region is BAD or region is REDO:
                    continue
                retirement = entry[4].get(region)
                if retirement is None:
                    retirement = entry[4][region] = self.adapt_date(_retirement(entry[0], "F", self._base(region)))
            retirements[i] = retirement
        out[0], out[2], out[3], out[4] = ids, sexes, birth_dates, retirements
        # Under 16 the work flags do not apply (services.person_rules): stored as not given.
        for flag in WORK_FLAGS:
            column, value = out[self.slot[flag]], self._false(flag)
            for i in minors:
                column[i] = value
        # A 性别 or 出生日期 column must agree with the number.
        if "_sex" in given:
            bad.update(i for i, (g, s) in enumerate(zip(given["_sex"], sexes)) if g is not BLANK and g != s)
        if "_birth_date" in given:
            bad.update(i for i, (g, d) in enumerate(zip(given["_birth_date"], dates)) if g is not BLANK and g != d)
        masks = None
        if self.flag_checks:
            masks = self._cross_checks(out, count, bad, missing)
        elif missing is not None:
            full = self.full_mask
            masks = [full & ~m for m in missing]
        packed = list(zip(numbers, ids, zip(*out), masks or repeat(self.full_mask), raw_ids))
        if bad or redo:
            packed = [p for i, p in enumerate(packed) if i not in bad and i not in redo]
            for i in sorted(bad - redo):
                row, cells = rows[i]
                errors, rejected = self.errors, self.rejected
                mark = len(errors)
                try:
                    record = Importer.convert(self, row, cells)  # reports every problem of the row
                except NeedsDatabase:
                    del errors[mark:]
                    rejected.discard(row)
                    redo.add(i)
                    continue
                if record is not None:
                    packed.append(self._pack(record))
        return packed, [rows[i] for i in sorted(redo)]

    def _minor_note(self, row: int, raw: Any, birth: datetime.date) -> None:
        """A 提示 line for a person under 16 today: accepted, but said (retirement.under_working_age_notice)."""
        if row in self._minor_rows:  # a row the fast path passed to the full check after all
            return
        self._minor_rows.add(row)
        self.notes.append(RowError(row, self.header("id_number"), raw, under_working_age_notice(birth, self.today),
                                   self.col("id_number")))

    def _birth_entry(self, digits: str) -> list:
        """[date or None, weighted sum, adapted date, a man's retirement date, {region: a woman's}] (adapted)."""
        birth, total = identity_cells.id_birth(digits)
        entry = [birth, total, None if birth is None else self.adapt_date(birth), None, {}]
        if len(self._births) < 100_000:
            self._births[digits] = entry
        return entry

    def _false(self, flag: str):
        adapt = self.adapters.get(flag)
        return adapt(False) if adapt is not None else False

    def template_columns(self, count: int):
        for value in self.template:
            yield [value] * count

    def _base(self, region: str) -> int:
        base = self._bases.get(region)
        if base is None:
            base = self._bases[region] = _female_base(region)
        return base

    def _cross_checks(self, out: list, count: int, bad: set[int], missing: list[int] | None) -> list[int]:
        """退役类别 needs 是否退役军人 not 否 (a blank one becomes 是); the same for 残疾等级 and 是否残疾人."""
        full = self.full_mask
        masks = [full] * count if missing is None else [full & ~m for m in missing]
        for flag, detail, derived in (("is_veteran", "veteran_kind", _VETERAN_DERIVED),
                                      ("has_disability", "disability_grade", _DISABILITY_DERIVED)):
            if detail not in self.columns:
                continue
            slot = self.slot[flag]
            if flag in self.columns:
                flags = out[slot]  # with BLANK for blank cells
            else:
                flags = out[slot] = [BLANK] * count
            details = out[self.slot[detail]]
            default = self.template[slot]
            bit = _BIT[flag]
            for i in range(count):
                value = flags[i]
                if details[i]:
                    if value is False:
                        bad.add(i)
                    elif value is BLANK:
                        flags[i] = True
                        masks[i] = masks[i] & ~bit | derived
                elif value is BLANK:
                    flags[i] = default
                    masks[i] &= ~bit
        return masks

    def _pack(self, record: Record) -> tuple:
        """The packed form of a record that the generic path found valid."""
        values = record.values
        out = self.template[:]
        mask = 0
        for name, value in values.items():
            slot = self.slot.get(name)
            if slot is None or name == "id_number":
                continue
            adapt = self.adapters.get(name)
            out[slot] = adapt(value) if adapt is not None and value is not None else value
            mask |= _BIT[name]
        if values.pop("_veteran_derived", False):
            mask = mask & ~_BIT["is_veteran"] | _VETERAN_DERIVED
        if values.pop("_disability_derived", False):
            mask = mask & ~_BIT["has_disability"] | _DISABILITY_DERIVED
        birth, sex = values["_derived"]
        number = values["id_number"]
        out[0], out[2], out[3] = number, sex, self.adapt_date(birth)
        out[4] = self.adapt_date(_retirement(birth, sex, self._base(values["region"]) if sex == "F" else 60))
        return (record.row, number, tuple(out), mask, self.raw(record, "id_number"))

    def check(self, record: Record) -> bool:
        values = record.values
        ok = True
        ident = values.get("id_number")
        if ident is not None:
            number, birth, sex = ident
            values["id_number"] = number
            values["_derived"] = (birth, sex)
            if birth > self.minor_after:
                self._minor_note(record.row, self.raw(record, "id_number"), birth)
                values.update({flag: False for flag in WORK_FLAGS})  # services.person_rules
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
            values["_veteran_derived"] = True
        if values.get("has_disability") is False and values.get("disability_grade"):
            self.error(record, "disability_grade", _("填写了残疾等级，但“是否残疾人”为否"))
            ok = False
        elif values.get("disability_grade") and "has_disability" not in values:
            values["has_disability"] = True
            values["_disability_derived"] = True
        return ok

    # ------------------------------------------------------------------------------------------

    def _names(self, mask: int) -> tuple[str, ...]:
        """The fields given in a row (file column order; flags set because of another column last)."""
        names = self._present_names.get(mask)
        if names is None:
            names = [n for n in self.field_order if mask & _BIT[n]]
            if mask & _VETERAN_DERIVED:
                names.append("is_veteran")
            if mask & _DISABILITY_DERIVED:
                names.append("has_disability")
            names = self._present_names[mask] = tuple(names)
        return names

    def _values(self, packed: tuple) -> dict[str, Any]:
        """The Python values given in a packed row (for comparing with the stored person)."""
        _row, number, out, mask, _raw = packed
        values: dict[str, Any] = {}
        for name in self._names(mask):
            value = out[self.slot[name]]
            decode = self.decoders.get(name)
            values[name] = decode(value) if decode is not None and value is not None else value
        birth = identity_cells.id_birth(number[6:14])[0]
        values["_derived"] = (birth, "M" if number[16] in "13579" else "F")
        return values

    def _reject(self, packed: tuple, reason: str) -> None:
        self.error(packed[0], "id_number", reason, value=packed[4])

    def process(self, records: list[tuple]) -> None:
        ctx = self.ctx
        found = db.ids_by(Person, "id_number", [r[1] for r in records])
        creates: list[tuple] = records
        updates: list[tuple[tuple, dict[str, Any], dict[str, list], dict[str, Any]]] = []
        if found:
            existing: dict[str, dict[str, Any]] = {}
            wanted = ["pk", "id_number", "region_id", "female_retirement_base", "retirement_date", "name"]
            wanted += [ATTNAME.get(n, n) for n in self.present if ATTNAME.get(n, n) not in wanted]
            pks = list(found.values())
            for start in range(0, len(pks), 900):
                for row in Person.objects.filter(pk__in=pks[start : start + 900]).values(*wanted):
                    existing[row["id_number"]] = row
            creates = []
            for packed in records:
                current = existing.get(packed[1])
                if current is None:
                    creates.append(packed)
                    continue
                if not ctx.scope.contains(current["region_id"]):
                    self.out_of_scope(packed[0], "id_number", value=packed[4])
                    continue
                values = self._values(packed)
                changes = self._changes(values, current)
                lowered = [f for f in WORK_FLAGS if changes.get(f, [None, None]) == [True, False]]
                if lowered and values["_derived"][0] <= self.minor_after:
                    # Taken away only through 劳动能力/就业意愿标记 (services.work_flag_lowered_error).
                    for flag in lowered:
                        self.error(packed[0], flag, work_flag_lowered_error(flag), value=_("无"))
                    continue
                if changes:
                    updates.append((packed, values, changes, current))
                else:
                    ctx.unchanged += 1
        if ctx.dry_run:
            ctx.imported += len(creates)
            ctx.updated += len(updates)
            return
        failed = self.write(self._write, [("c", r) for r in creates] + [("u", u) for u in updates])
        failed_rows = [item[1][0] if item[0] == "c" else item[1][0][0] for item in failed]
        failed_set = set(failed_rows)
        ctx.imported += sum(1 for r in creates if r[0] not in failed_set)
        ctx.updated += sum(1 for u in updates if u[0][0] not in failed_set)
        self.reject_failed(failed_rows, "id_number")

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

    def _changes_json(self, mask: int) -> tuple[str, str]:
        """The audit changes of a new person, {"import_batch": id, "row": n, "fields": [...]}, as the two
        constant parts of its JSON text around the row number (json.dumps per row costs more)."""
        parts = self._audit_json.get(mask)
        if parts is None:
            fields = ["id_number", *self._names(mask)]
            head, tail = json.dumps({"import_batch": self.ctx.batch.pk, "row": 0, "fields": fields}).split('"row": 0')
            parts = self._audit_json[mask] = (head + '"row": ', tail)
        return parts

    def _write(self, items: list) -> None:
        ctx = self.ctx
        creates = [item[1] for item in items if item[0] == "c"]
        updates = [item[1] for item in items if item[0] == "u"]
        audit = ctx.audit
        batch_id = ctx.batch.pk
        if creates:
            region_slot = self.slot["region"]
            runs = len(creates) >= db.RUN_ENTRIES_FROM
            if runs:  # by community, then key: the ids of one community's persons are consecutive
                creates.sort(key=lambda c: (c[2][region_slot], c[1]))
            else:  # in key order: the unique index on id_number is filled from left to right (a little faster)
                creates.sort(key=itemgetter(1))
            rows = list(map(itemgetter(2), creates))
            ids = db.insert_returning_ids(self.insert_table, rows, "id_number")
            self.touched.add("persons_created", ids)
            masks = list(map(itemgetter(3), creates))
            if runs:
                fields = ["id_number"]
                for mask in dict.fromkeys(masks):
                    fields += [n for n in self._names(mask) if n not in fields]
                audit.add_runs(AuditEntry.Action.CREATE, object_type="person", summary=self._create_summary,
                               label=_("批量新建%(n)d名人员"), ids=ids, regions=list(map(itemgetter(region_slot), rows)),
                               rows=list(map(itemgetter(0), creates)), changes={"import_batch": batch_id, "fields": fields})
            else:
                numbers = map(str, map(itemgetter(0), creates))
                if masks.count(masks[0]) == len(masks):  # the usual case: the same fields given in every row
                    head, tail = self._changes_json(masks[0])
                    changes = [head + n + tail for n in numbers]
                else:
                    parts = self._changes_json
                    changes = [parts(m)[0] + n + parts(m)[1] for m, n in zip(masks, numbers)]
                entries = list(zip(map(str, ids), map(itemgetter(self.slot["name"]), rows),
                                   map(itemgetter(region_slot), rows), changes))
                audit.add_many(AuditEntry.Action.CREATE, object_type="person", summary=self._create_summary,
                               entries=entries)
        if updates:
            now = db.now()
            db.Table(Person, ["id"]).update("id", (
                (current["pk"], {**{k: v[1] for k, v in changes.items()}, "updated_at": now})
                for _packed, _values, changes, current in updates
            ))
            summary = _("批量导入：修改人员信息")
            changed_ids = [current["pk"] for _p, _v, _c, current in updates]
            self.touched.add("persons_changed", changed_ids,
                             {FIELD_OF.get(k, k) for _p, _v, changes, _c in updates for k in changes})
            self.changed_persons.update(changed_ids)
            for packed, values, changes, current in updates:
                audit.add(AuditEntry.Action.UPDATE, object_type="person", object_id=current["pk"],
                          object_label=values.get("name") or current["name"],
                          region_code=changes.get("region_id", [None, current["region_id"]])[1],
                          changes={**changes, "import_batch": batch_id, "row": packed[0]}, summary=summary)
        audit.flush()
