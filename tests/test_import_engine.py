"""The open import engine: registered kinds, unknown kinds, domain events once per committed chunk."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils.translation import gettext_lazy

from jiuye.imports import kinds
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import F
from jiuye.imports.models import ImportBatch
from jiuye.imports.services import run_import
from jiuye.registry import events
from jiuye.registry.importers.households import HouseholdImporter
from jiuye.registry.importers.persons import PersonImporter
from jiuye.registry.importers.registrations import RegistrationImporter
from jiuye.registry.models import HouseholdMembership, Person, Registration

from .conftest import make_id
from .import_files import write_csv

HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区", "有无就业意愿"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


class Heard:
    """Receivers of every registry signal, keeping what the import chunks sent."""

    SIGNALS = ["persons_created", "persons_changed", "memberships_opened", "memberships_closed",
               "households_changed", "employers_changed", "registrations_recorded"]

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self._receivers = []
        for name in self.SIGNALS:
            def receiver(sender, _name=name, **kwargs):
                if kwargs.get("via") == events.VIA_IMPORT:
                    kwargs.pop("signal", None)
                    self.calls.append((_name, {**kwargs, "in_transaction": connection.in_atomic_block}))
            getattr(events, name).connect(receiver, weak=False, dispatch_uid=f"test-import-{name}")
            self._receivers.append(name)

    def of(self, name: str) -> list[dict]:
        return [kwargs for n, kwargs in self.calls if n == name]

    def close(self):
        for name in self._receivers:
            getattr(events, name).disconnect(dispatch_uid=f"test-import-{name}")


@pytest.fixture
def heard():
    h = Heard()
    yield h
    h.close()


def people(n: int, willing: str = "有") -> list[list[str]]:
    return [[f"张{'一二三四五六七八九十'[i]}", make_id("610102", "19900101", f"{i * 2 + 1:03d}"), "城镇", "长乐社区", willing]
            for i in range(n)]


def test_persons_created_and_changed_once_per_chunk(regions, tmp_path, heard, monkeypatch):
    monkeypatch.setattr(PersonImporter, "chunk_size", 3)
    # Created 无就业意愿, then two set back to 有 (taking a flag away is refused to the import: the
    # row names 劳动能力/就业意愿标记 instead, registry.services.work_flag_lowered_error).
    batch = run_import(kind="persons", path=write_csv(tmp_path / "a.csv", [HEADER, *people(7, willing="无")]), actor=None)
    assert batch.imported == 7
    created = heard.of("persons_created")
    assert len(created) == 3  # chunks of 3, 3 and 1 rows
    assert all(c["in_transaction"] for c in created)
    assert sorted(i for c in created for i in c["ids"]) == sorted(Person.objects.values_list("pk", flat=True))
    assert [len(c["ids"]) for c in created] == [3, 3, 1]
    assert not heard.of("persons_changed")

    heard.calls.clear()
    rows = people(7, willing="无")
    rows[1][4] = rows[5][4] = "有"
    batch = run_import(kind="persons", path=write_csv(tmp_path / "b.csv", [HEADER, *rows]), actor=None)
    assert (batch.updated, batch.unchanged) == (2, 5)
    changed = heard.of("persons_changed")
    assert len(changed) == 2 and all(c["in_transaction"] for c in changed)  # rows 2 and 6: chunks 1 and 2
    ids = {Person.objects.get(id_number=rows[i][1]).pk for i in (1, 5)}
    assert {i for c in changed for i in c["ids"]} == ids
    assert all(c["fields"] == ["willing_to_work"] for c in changed)
    assert not heard.of("persons_created")


def test_dry_run_announces_nothing(regions, tmp_path, heard):
    run_import(kind="persons", path=write_csv(tmp_path / "a.csv", [HEADER, *people(3)]), actor=None, dry_run=True)
    assert heard.calls == []


def test_households_and_registrations_announce_per_chunk(regions, tmp_path, heard, monkeypatch, make_person):
    persons = [make_person(name=f"甲{i}", seq=f"{i * 2 + 1:03d}") for i in range(4)]
    monkeypatch.setattr(HouseholdImporter, "streaming", True)  # chunks of one row each
    monkeypatch.setattr(HouseholdImporter, "chunk_size", 2)
    rows = [["户编号", "所在社区", "成员公民身份号码", "与户主关系"],
            ["H1", "长乐社区", persons[0].id_number, "户主"], ["H1", "长乐社区", persons[1].id_number, "妻"],
            ["H2", "长乐社区", persons[2].id_number, "户主"], ["H2", "长乐社区", persons[3].id_number, "子"]]
    batch = run_import(kind="households", path=write_csv(tmp_path / "h.csv", rows), actor=None)
    assert batch.imported == 4
    opened = heard.of("memberships_opened")
    assert len(opened) == 2 and all(c["in_transaction"] for c in opened)
    assert sorted(i for c in opened for i in c["ids"]) == sorted(HouseholdMembership.objects.values_list("pk", flat=True))
    assert sorted(p for c in opened for p in c["person_ids"]) == sorted(p.pk for p in persons)
    households = heard.of("households_changed")
    assert len(households) == 2 and all(c["created"] for c in households)

    heard.calls.clear()
    monkeypatch.setattr(RegistrationImporter, "chunk_size", 2)
    rows = [["公民身份号码", "登记类型", "登记日期", "就业形式", "失业原因"]]
    rows += [[p.id_number, "失业", "2024-01-02", "", "辞职"] for p in persons[:3]]
    batch = run_import(kind="registrations", path=write_csv(tmp_path / "r.csv", rows), actor=None)
    assert batch.imported == 3
    recorded = heard.of("registrations_recorded")
    assert [len(c["ids"]) for c in recorded] == [2, 1] and all(c["in_transaction"] for c in recorded)
    assert sorted(i for c in recorded for i in c["ids"]) == sorted(Registration.objects.values_list("pk", flat=True))
    assert sorted(p for c in recorded for p in c["person_ids"]) == sorted(p.pk for p in persons[:3])


def test_employers_announce(regions, tmp_path, heard):
    from stdnum.cn import uscc

    code = "91610102MA6U00001" + uscc.calc_check_digit("91610102MA6U00001")
    rows = [["统一社会信用代码", "单位名称", "所在区划"], [code, "西安甲公司", "西一路街道"]]
    run_import(kind="employers", path=write_csv(tmp_path / "e.csv", rows), actor=None)
    rows[1][1] = "西安甲有限公司"
    run_import(kind="employers", path=write_csv(tmp_path / "f.csv", rows), actor=None)
    employers = heard.of("employers_changed")
    assert [(c["created"], c["fields"]) for c in employers] == [(True, []), (False, ["name"])]


# ---------------------------------------------------------------------------------------------
# Kinds


def test_unknown_kind_is_a_clear_error_listing_the_kinds(regions, tmp_path):
    path = write_csv(tmp_path / "a.csv", [HEADER, *people(1)])
    batch = run_import(kind="cats", path=path, actor=None)
    assert batch.status == ImportBatch.Status.UNUSABLE
    assert batch.error_message.startswith("未知的导入类型“cats”（可选：persons（人员）、 households（家庭户）")
    assert ImportBatch.objects.get(pk=batch.pk).kind == "cats"
    with pytest.raises(kinds.UnknownKind):
        kinds.get("cats")


def test_command_help_lists_the_registered_kinds(regions, tmp_path, capsys):
    from django.core.management import load_command_class

    command = load_command_class("jiuye.imports", "import")
    text = command.create_parser("jiuye", "import").format_help()
    for kind, label in kinds.choices():
        assert f"{kind}（{label}）" in text
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "cats", str(write_csv(tmp_path / "a.csv", [HEADER])), stdout=io.StringIO())
    assert exit_info.value.code == 2
    assert "未知的导入类型“cats”" in capsys.readouterr().err


class NoteImporter(Importer):
    """A kind another app could add: rows are only counted (the engine validates and reports)."""

    kind = "test_notes"
    label = gettext_lazy("测试备忘")
    fields = [F("title", "标题", "题目", required=True), F("pages", "页数")]
    key_field = "title"
    seen_titles: list[str] = []

    def build_converters(self):
        from jiuye.imports import normalise as N

        return {"title": N.text(20, label="标题"), "pages": N.integer(1, 999, label="页数")}

    def process(self, records: list[Record]) -> None:
        def work(items):
            NoteImporter.seen_titles.extend(r.values["title"] for r in items)
            self.touched.add("notes", [r.row for r in items])

        self.write(work, records)
        self.ctx.imported += 0 if self.ctx.dry_run else len(records)


def test_an_app_adds_a_kind_by_registering_an_importer(regions, tmp_path):
    kinds.register(NoteImporter)
    try:
        assert ("test_notes", "测试备忘") in kinds.choices()
        NoteImporter.seen_titles = []
        path = write_csv(tmp_path / "n.csv", [["题目", "页数"], ["第一篇", "3"], ["第二篇", "很多"], ["", "2"]])
        batch = run_import(kind="test_notes", path=path, actor=None)
        assert (batch.kind, batch.get_kind_display(), batch.imported, batch.rejected) == ("test_notes", "测试备忘", 1, 2)
        assert NoteImporter.seen_titles == ["第一篇"]
    finally:
        kinds.unregister("test_notes")
    assert ImportBatch.objects.get(pk=batch.pk).get_kind_display() == "test_notes"


def test_a_kind_is_registered_once(regions):
    class Other(NoteImporter):
        kind = "persons"

    with pytest.raises(ValueError):
        kinds.register(Other)
