"""The audit log answers, from a person's page, who created or changed the record, when and in which
batch, also when a large import chunk records its new persons as runs (one entry per run)."""
from __future__ import annotations

import pytest

from jiuye.accounts.audit import entries_about_q
from jiuye.accounts.models import AuditEntry
from jiuye.imports import db
from jiuye.imports.services import run_import
from jiuye.registry.models import Person

from .conftest import make_id
from .import_files import write_csv

HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区", "文化程度"]
COMMUNITIES = ["长乐社区", "西一路街道建设社区", "610102001003"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows(n: int, start: int = 0) -> list[list[str]]:
    return [[f"张{'一二三四五六七八九十'[i % 10]}", make_id("610102", f"19{80 + i // 400:02d}0101", f"{(i % 400) * 2 + 1:03d}"),
             "城镇", COMMUNITIES[i % 3], "本科"] for i in range(start, start + n)]


def about(person: Person):
    return AuditEntry.objects.filter(entries_about_q("person", person.pk)).order_by("at", "id")


def test_a_large_chunk_is_audited_as_runs_and_each_person_finds_its_entry(regions, tmp_path, street_officer, make_person):
    earlier = make_person(name="先到", seq="999")
    n = db.RUN_ENTRIES_FROM + 50
    first = run_import(kind="persons", path=write_csv(tmp_path / "a.csv", [HEADER, *rows(n)]), actor=street_officer)
    assert first.imported == n
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_type="person", changes__import_batch=first.pk)
    assert created.count() == 3  # one run per community
    assert sum(e.changes["count"] for e in created) == n
    assert all(e.actor == street_officer and e.changes["fields"] == ["id_number", "name", "hukou_type", "region", "education"]
               for e in created)
    second = run_import(kind="persons", path=write_csv(tmp_path / "b.csv", [HEADER, *rows(n, start=n)]), actor=None)
    assert second.imported == n

    for person in Person.objects.exclude(pk=earlier.pk):
        entries = list(about(person))
        assert len(entries) == 1, person.pk
        entry = entries[0]
        batch = first if person.id_number in {r[1] for r in rows(n)} else second
        assert (entry.action, entry.changes["import_batch"], entry.region_code) == ("create", batch.pk, person.region_id)
        assert entry.changes["first_id"] <= person.pk <= entry.changes["last_id"]
        assert entry.actor_name == ("so_a" if batch is first else "system")
    # A record created by a service finds its own entries, not a run.
    assert all(e.object_id == str(earlier.pk) for e in about(earlier))

    # A later change by an import is a row entry of its own.
    changed = rows(1)
    changed[0][4] = "硕士"
    run_import(kind="persons", path=write_csv(tmp_path / "c.csv", [HEADER, *changed]), actor=None)
    person = Person.objects.get(id_number=changed[0][1])
    assert [e.action for e in about(person)] == ["create", "update"]


def test_a_small_chunk_keeps_an_entry_per_person(regions, tmp_path):
    batch = run_import(kind="persons", path=write_csv(tmp_path / "a.csv", [HEADER, *rows(5)]), actor=None)
    for person in Person.objects.all():
        entries = list(about(person))
        assert [(e.object_id, e.changes["import_batch"]) for e in entries] == [(str(person.pk), batch.pk)]


def test_large_employer_and_household_chunks_are_audited_as_runs(regions, tmp_path):
    from stdnum.cn import uscc

    from jiuye.registry.models import Employer, Household

    n = db.RUN_ENTRIES_FROM + 20
    codes = [f"91610102MA6U{i:05d}" for i in range(n)]
    employer_rows = [["统一社会信用代码", "单位名称", "所在区划"]]
    employer_rows += [[c + uscc.calc_check_digit(c), f"单位{i}", ["西一路街道", "长乐中路街道"][i % 2]] for i, c in enumerate(codes)]
    batch = run_import(kind="employers", path=write_csv(tmp_path / "e.csv", employer_rows), actor=None)
    assert batch.imported == n
    assert AuditEntry.objects.filter(action="create", object_type="employer").count() == 2
    for employer in Employer.objects.all():
        entries = list(AuditEntry.objects.filter(entries_about_q("employer", employer.pk)))
        assert [(e.action, e.changes["import_batch"], e.region_code) for e in entries] == [
            ("create", batch.pk, employer.region_id)]

    run_import(kind="persons", path=write_csv(tmp_path / "p.csv", [HEADER, *rows(n)]), actor=None)
    household_rows = [["户编号", "所在社区", "成员公民身份号码", "与户主关系"]]
    household_rows += [[f"H{i:04d}", r[3], r[1], "户主"] for i, r in enumerate(rows(n))]
    batch = run_import(kind="households", path=write_csv(tmp_path / "h.csv", household_rows), actor=None)
    assert batch.imported == n
    assert AuditEntry.objects.filter(action="create", object_type="household").count() == 3
    for household in Household.objects.all():
        creations = [e for e in AuditEntry.objects.filter(entries_about_q("household", household.pk)) if e.action == "create"]
        assert [(e.changes["import_batch"], e.region_code) for e in creations] == [(batch.pk, household.region_id)]
