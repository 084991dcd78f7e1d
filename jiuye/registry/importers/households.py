"""Importing households (家庭户): one row per member; 户编号 and the address are often merged over the rows.

A person has at most one open membership: a person listed in another household is moved (the old
membership ends today, and the report says so). A household has one head (户主).
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports import normalise as N
from jiuye.imports.base import Converter, Record
from jiuye.registry import events
from jiuye.registry.services import refresh_zero_employment
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers import choices as C
from jiuye.registry.importers.base import RegistryImporter
from jiuye.registry.importers.columns import HOUSEHOLD_COLUMNS
from jiuye.registry.models import Household, HouseholdMembership, Person, Relation

HOUSEHOLD_FIELDS = ["address", "has_business_income"]


def household_number(value: Any) -> str:
    number = N.squeeze(N.as_text(value))
    if len(number) > Household._meta.get_field("number").max_length:
        raise N.CellError(_("户编号过长（最多32个字符）"))
    return number


class _Group:
    """The rows of one household in the file."""

    def __init__(self, number: str, first: Record):
        self.number = number
        self.first = first
        self.existing: dict[str, Any] | None = None
        self.region: str | None = None
        self.fields: dict[str, tuple[Any, int]] = {}  # field -> (value, row that gave it)
        self.records: list[Record] = []
        self.pk: int | None = None


class HouseholdImporter(RegistryImporter):
    kind = "households"
    label = _l("家庭户")
    fields = HOUSEHOLD_COLUMNS
    streaming = False
    object_type = "household"
    diagnose_partial = True

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.changed_households: set[int] = set()  # their zero-employment flag is refreshed at the end

    def finish(self) -> None:
        """Memberships and households decide the zero-employment flag: refresh the households touched."""
        if self.changed_households and not self.ctx.dry_run:
            refresh_zero_employment(sorted(self.changed_households), via=events.VIA_IMPORT)

    def build_converters(self) -> dict[str, Converter]:
        regions = self.ctx.regions
        return {
            "number": household_number,
            "region": lambda v: regions.resolve(v, community=True),
            "address": N.text(Household._meta.get_field("address").max_length, label=_("家庭地址")),
            "has_business_income": N.yes_no(_("有无经营性收入")),
            "id_number": identity_cells.resident_id,
            "name": N.name_text,
            "relation": C.RELATION,
        }

    def check(self, record: Record) -> bool:
        values = record.values
        ok = True
        if "id_number" in values:
            values["id_number"] = values["id_number"][0]
            if self.duplicate(record, values["id_number"], "id_number"):
                ok = False
        if "region" in values and not self.scope_check(record, "region", values["region"]):
            ok = False
        return ok

    # ------------------------------------------------------------------------------------------

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        numbers = list({r.values["number"] for r in records})
        existing: dict[str, dict[str, Any]] = {}
        for start in range(0, len(numbers), 900):
            for row in Household.objects.filter(number__in=numbers[start : start + 900]).values(
                    "pk", "number", "region_id", "address", "has_business_income"):
                existing[row["number"]] = row
        partial = self.take_partial()
        ids = list({r.values["id_number"] for r in [*records, *partial]})
        persons: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            for row in Person.objects.filter(id_number__in=ids[start : start + 900]).values("pk", "id_number", "name", "region_id"):
                persons[row["id_number"]] = row
        person_ids = [p["pk"] for p in persons.values()]
        open_of_person: dict[int, dict[str, Any]] = {}
        for start in range(0, len(person_ids), 900):
            for row in HouseholdMembership.objects.filter(person_id__in=person_ids[start : start + 900], left_on__isnull=True).values(
                    "pk", "person_id", "household_id", "household__number", "relation"):
                open_of_person[row["person_id"]] = row
        household_ids = [h["pk"] for h in existing.values()]
        members_of: dict[int, list[dict[str, Any]]] = {pk: [] for pk in household_ids}
        for start in range(0, len(household_ids), 900):
            for row in HouseholdMembership.objects.filter(household_id__in=household_ids[start : start + 900], left_on__isnull=True).values(
                    "pk", "person_id", "household_id", "relation"):
                members_of[row["household_id"]].append(row)

        for record in partial:  # rows already rejected for a cell: the checks that need the database
            person = persons.get(record.values["id_number"])
            if person is None:
                self.error(record, "id_number", _("该公民身份号码尚未建立人员档案，请先导入人员"))
            elif not ctx.scope.contains(person["region_id"]):
                self.out_of_scope(record, "id_number")
            elif record.values.get("name") and record.values["name"] != person["name"]:
                self.error(record, "name", _("成员姓名与该公民身份号码的人员档案不符"))

        # Pass 1: each row on its own, and consistency within a household.
        groups: dict[str, _Group] = {}
        for record in records:
            values = record.values
            ok = True
            person = persons.get(values["id_number"])
            if person is None:
                self.error(record, "id_number", _("该公民身份号码尚未建立人员档案，请先导入人员"))
                ok = False
            else:
                if not ctx.scope.contains(person["region_id"]):
                    self.out_of_scope(record, "id_number")  # and not whether the name matches
                    ok = False
                elif values.get("name") and values["name"] != person["name"]:
                    self.error(record, "name", _("成员姓名与该公民身份号码的人员档案不符"))
                    ok = False
            group = groups.get(values["number"])
            if group is None:
                group = groups[values["number"]] = _Group(values["number"], record)
                group.existing = existing.get(values["number"])
            current = group.existing
            if current is not None:
                if not ctx.scope.contains(current["region_id"]):
                    self.out_of_scope(record, "number")
                    ok = False
                elif values["region"] != current["region_id"]:
                    self.error(record, "region", _("户编号%(n)s已登记在%(r)s，导入不能更改家庭户所在社区") % {
                        "n": group.number, "r": ctx.regions.display(current["region_id"])})
                    ok = False
            elif group.region is None:
                group.region = values["region"]
                group.first = record
            elif values["region"] != group.region:
                self.error(record, "region", _("与本户第%(n)d行的所在社区不一致") % {"n": group.first.row})
                ok = False
            for name in HOUSEHOLD_FIELDS:
                if name not in values:
                    continue
                given = group.fields.get(name)
                if given is None:
                    if ok:
                        group.fields[name] = (values[name], record.row)
                elif given[0] != values[name]:
                    self.error(record, name, _("与本户第%(n)d行的%(h)s不一致") % {"n": given[1], "h": self.header(name)})
                    ok = False
            if ok:
                values["_person"] = person
                group.records.append(record)

        # Pass 2: one head per household (repeat: a rejected row can change another household's members).
        while self._check_heads(groups, open_of_person, members_of):
            pass

        # Pass 3: what changes.
        work = []
        for group in groups.values():
            if not group.records:
                continue
            changes: dict[str, list] = {}
            if group.existing is not None:
                for name, (value, _row) in group.fields.items():
                    if value != group.existing[name]:
                        changes[name] = [group.existing[name], value]
            plan = {"group": group, "changes": changes, "add": [], "relation": [], "close": []}
            for i, record in enumerate(group.records):
                person = record.values["_person"]
                relation = record.values["relation"]
                membership = open_of_person.get(person["pk"])
                status = "unchanged"
                if membership is not None and group.existing is not None and membership["household_id"] == group.existing["pk"]:
                    if membership["relation"] != relation:
                        plan["relation"].append((record, membership))
                        status = "updated"
                else:
                    if membership is not None:
                        plan["close"].append((record, membership))
                        self.note(record, "id_number", _("该成员原属家庭户%(h)s，已移入本户%(n)s（原家庭成员关系于%(d)s结束）") % {
                            "h": membership["household__number"], "n": group.number, "d": ctx.today.isoformat()})
                    plan["add"].append(record)
                    status = "imported"
                if status == "unchanged" and (i == 0 and (changes or group.existing is None)):
                    status = "updated"
                record.values["_status"] = status
            work.append(plan)
        if ctx.dry_run:
            self._count([r for p in work for r in p["group"].records], set())
            return
        failed = self.write(self._write, work)
        failed_rows = {r.row for plan in failed for r in plan["group"].records}
        self._count([r for p in work for r in p["group"].records], failed_rows)
        self.reject_failed(sorted(failed_rows), "number")

    def _count(self, records: list[Record], failed_rows: set[int]) -> None:
        for record in records:
            if record.row in failed_rows:
                continue
            status = record.values["_status"]
            if status == "imported":
                self.ctx.imported += 1
            elif status == "updated":
                self.ctx.updated += 1
            else:
                self.ctx.unchanged += 1

    def _check_heads(self, groups: dict[str, _Group], open_of_person, members_of) -> bool:
        """Reject head rows that would give a household a second head; True if any row was rejected."""
        listed: dict[int, str] = {}
        for group in groups.values():
            for record in group.records:
                listed[record.values["_person"]["pk"]] = group.number
        rejected_any = False
        for group in groups.values():
            heads: list[tuple[str, Record | None]] = []
            if group.existing is not None:
                for member in members_of.get(group.existing["pk"], []):
                    if member["relation"] == Relation.HEAD and member["person_id"] not in listed:
                        heads.append(("stored", None))
            keep = []
            for record in group.records:
                if record.values["relation"] == Relation.HEAD:
                    if heads:
                        first = heads[0][1]
                        if first is None:
                            self.error(record, "relation", _("本户已登记户主，一户只能有一个户主；如需更换户主，请在同一文件中把原户主改为其他关系"))
                        else:
                            self.error(record, "relation", _("本户在第%(n)d行已有户主，一户只能有一个户主") % {"n": first.row})
                        rejected_any = True
                        continue
                    heads.append(("file", record))
                keep.append(record)
            group.records = keep
        return rejected_any

    def _write(self, work: list[dict]) -> None:
        ctx = self.ctx
        audit = ctx.audit
        batch_id = ctx.batch.pk
        today = ctx.today
        new_households = []
        for plan in work:
            group = plan["group"]
            if group.existing is None:
                values = {name: value for name, (value, _row) in group.fields.items()}
                new_households.append((group, Household(number=group.number, region_id=group.region, **values)))
            else:
                group.pk = group.existing["pk"]
        touched = self.touched
        runs = len(new_households) >= db.RUN_ENTRIES_FROM
        if runs:  # by community, then number: the ids of one community's households are consecutive
            new_households.sort(key=lambda item: (item[1].region_id, item[1].number))
        if new_households:
            Household.objects.bulk_create([h for _g, h in new_households], batch_size=500)
            touched.add("households_created", [h.pk for _g, h in new_households])
            for group, household in new_households:
                group.pk = household.pk
            if runs:
                audit.add_runs(AuditEntry.Action.CREATE, object_type="household", summary=_("批量导入：新建家庭户"),
                               label=_("批量新建%(n)d户家庭户"), ids=[h.pk for _g, h in new_households],
                               regions=[h.region_id for _g, h in new_households],
                               rows=[g.first.row for g, _h in new_households],
                               changes={"import_batch": batch_id, "fields": ["number", "region", *HOUSEHOLD_FIELDS]})
            else:
                for group, household in new_households:
                    audit.add(AuditEntry.Action.CREATE, object_type="household", object_id=household.pk,
                              object_label=household.number, region_code=household.region_id,
                              changes={"number": household.number, "address": household.address,
                                       "has_business_income": household.has_business_income, "import_batch": batch_id},
                              summary=_("批量导入：新建家庭户"))
        now = db.now()
        updates = [(p["group"], p["changes"]) for p in work if p["changes"]]
        if updates:
            db.Table(Household, ["id"]).update("id", (
                (g.pk, {**{k: v[1] for k, v in changes.items()}, "updated_at": now}) for g, changes in updates))
            touched.add("households_changed", [g.pk for g, _c in updates], {k for _g, c in updates for k in c})
            for group, changes in updates:
                audit.add(AuditEntry.Action.UPDATE, object_type="household", object_id=group.pk, object_label=group.number,
                          region_code=group.existing["region_id"], changes={**changes, "import_batch": batch_id},
                          summary=_("批量导入：修改家庭户信息"))
        closes = [(p["group"], record, m) for p in work for record, m in p["close"]]
        if closes:
            pks = [m["pk"] for _g, _r, m in closes]
            for start in range(0, len(pks), 900):
                HouseholdMembership.objects.filter(pk__in=pks[start : start + 900]).update(left_on=today)
            touched.add("memberships_closed", pks)
            touched.add("memberships_closed:household_ids", [m["household_id"] for _g, _r, m in closes])
            touched.add("memberships_closed:person_ids", [r.values["_person"]["pk"] for _g, r, _m in closes])
            for group, record, m in closes:
                person = record.values["_person"]
                audit.add(AuditEntry.Action.UPDATE, object_type="household", object_id=m["household_id"],
                          object_label=m["household__number"], region_code=person["region_id"],
                          changes={"member_removed": person["pk"], "left_on": today, "moved_to": group.pk,
                                   "import_batch": batch_id},
                          summary=_("批量导入：成员迁往家庭户%(n)s") % {"n": group.number})
        for plan in work:
            group = plan["group"]
            for record, m in plan["relation"]:
                relation = record.values["relation"]
                HouseholdMembership.objects.filter(pk=m["pk"]).update(relation=relation)
                touched.add("households_changed", [group.pk], ["members"])
                audit.add(AuditEntry.Action.UPDATE, object_type="household", object_id=group.pk, object_label=group.number,
                          region_code=record.values["region"],
                          changes={"member": record.values["_person"]["pk"], "relation": [m["relation"], relation],
                                   "import_batch": batch_id},
                          summary=_("批量导入：修改成员关系"))
        memberships = []
        for plan in work:
            group = plan["group"]
            moved_from = {record.row: m["household_id"] for record, m in plan["close"]}
            for record in plan["add"]:
                person = record.values["_person"]
                memberships.append(HouseholdMembership(household_id=group.pk, person_id=person["pk"],
                                                       relation=record.values["relation"], joined_on=today))
                audit.add(AuditEntry.Action.UPDATE, object_type="household", object_id=group.pk, object_label=group.number,
                          region_code=record.values["region"],
                          changes={"member_added": person["pk"], "relation": record.values["relation"], "joined_on": today,
                                   "moved_from": moved_from.get(record.row), "import_batch": batch_id},
                          summary=_("批量导入：添加家庭成员"))
        HouseholdMembership.objects.bulk_create(memberships, batch_size=500)
        if memberships:
            touched.add("memberships_opened", [m.pk for m in memberships])
            touched.add("memberships_opened:household_ids", [m.household_id for m in memberships])
            touched.add("memberships_opened:person_ids", [m.person_id for m in memberships])
        audit.flush()
        self.changed_households.update(plan["group"].pk for plan in work if plan["group"].pk is not None)
        self.changed_households.update(m["household_id"] for _g, _r, m in closes)
