"""Issue 6 on imports: no oracle (findings 1, 11), one report rule (2), control characters and
batches that always finish (3, 11), conflicts between overlapping imports (7)."""
from __future__ import annotations

import io
import logging
import secrets

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from ninja.testing import TestClient
from stdnum.cn import uscc

from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.accounts.queries import AuditSearch, search_audit
from jiuye.api import api
from jiuye.imports import guard, services as import_services
from jiuye.imports.base import Importer, OUT_OF_SCOPE_REASON
from jiuye.imports.models import ImportBatch
from jiuye.imports.normalise import CONTROL_REASON
from jiuye.imports.report import masked_report_name
from jiuye.imports.services import run_import
from jiuye.registry import services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Employer, Household, Person

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_B, make_id
from .import_files import read_report, write_csv, write_xlsx

GENERIC = "该记录不在您的管辖范围内，请联系上级核实"
PERSON_HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区"]
HH_HEADER = ["户编号", "所在社区", "家庭地址", "有无经营性收入", "成员公民身份号码", "成员姓名", "与户主关系"]
REG_HEADER = ["公民身份号码", "姓名", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式", "合同类型", "合同期限（月）",
              "是否缴纳社保", "工种", "失业原因", "终止原因"]
# Words a leak would show: the other street's and community's names, the person's name.
def name(i: int) -> str:
    return "人" + chr(0x4E00 + i)


LEAKS = ("长乐中路", "胡东", "不符", "已登记在", "登记在", "外地人")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


def no_leak(rows):
    text = " ".join(str(v) for row in rows for v in row)
    assert not any(word in text for word in LEAKS), text


@pytest.fixture
def outsider(make_person):
    """A person registered in the other street (胡东社区), out of the community worker's scope."""
    return make_person(region=COMMUNITY_B1, name="外地人", seq="777")


# ---------------------------------------------------------------------------------------------
# Finding 1: the import is no oracle


def test_persons_dry_run_says_only_out_of_scope(regions, tmp_path, community_worker, outsider):
    path = write_xlsx(tmp_path / "p.xlsx", [PERSON_HEADER, ["随便", outsider.id_number, "城镇", "长乐社区"],
                                            ["新人", make_id("610102", "19910101", "013"), "城镇", "长乐社区"]])
    batch = run_import(kind="persons", path=path, actor=community_worker, dry_run=True)
    assert (batch.imported, batch.rejected, batch.out_of_scope) == (1, 1, 1)
    rows = report(batch)
    assert [(r[0], r[1], r[3]) for r in rows] == [(2, "公民身份号码", GENERIC)]
    no_leak(rows)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_type="import_batch")
    assert entry.changes["out_of_scope"] == 1 and entry.changes["out_of_scope_rows"] == [2]
    assert outsider.id_number not in str(entry.changes) and outsider.id_number not in entry.summary


def test_households_say_only_out_of_scope(regions, tmp_path, community_worker, district_officer, outsider, make_person):
    services.create_household(actor=district_officer, number="HB001", region=COMMUNITY_B1)
    mine = make_person(name="本社区人", seq="101")
    rows = [HH_HEADER,
            ["HA001", "长乐社区", "", "无", outsider.id_number, "不是这个名字", "本人"],  # person elsewhere, wrong name
            ["HB001", "长乐社区", "", "无", mine.id_number, "本社区人", "本人"]]  # household elsewhere
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h.xlsx", rows), actor=community_worker, dry_run=True)
    rejected = report(batch)
    assert [(r[0], r[1], r[3]) for r in rejected] == [(2, "成员公民身份号码", GENERIC), (3, "户编号", GENERIC)]
    no_leak(rejected)
    assert batch.out_of_scope == 2


def test_registrations_say_only_out_of_scope(regions, tmp_path, community_worker, outsider):
    rows = [REG_HEADER, [outsider.id_number, "不是这个名字", "失业", "2024-02-01", "", "", "", "", "", "", "辞职", ""]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=community_worker,
                       dry_run=True)
    rejected = report(batch)
    assert [(r[0], r[1], r[3]) for r in rejected] == [(2, "公民身份号码", GENERIC)]
    no_leak(rejected)


def test_registrations_partial_rows_say_only_out_of_scope(regions, tmp_path, community_worker, outsider):
    rows = [REG_HEADER, [outsider.id_number, "不是这个名字", "失业", "不是日期", "", "", "", "", "", "", "辞职", ""]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=community_worker,
                       dry_run=True)
    rejected = report(batch)
    assert (2, "公民身份号码", GENERIC) in [(r[0], r[1], r[3]) for r in rejected]
    no_leak(rejected)


def test_employers_say_only_out_of_scope(regions, tmp_path, street_officer, district_officer):
    code = uscc.calc_check_digit("91610102MA6U00009")
    code = "91610102MA6U00009" + code
    services.create_employer(actor=district_officer, credit_code=code, name="胡东公司", region=STREET_B)
    rows = [["统一社会信用代码*", "单位名称*", "所在区划"], [code, "别的名字", "西一路街道"]]
    batch = run_import(kind="employers", path=write_xlsx(tmp_path / "e.xlsx", rows), actor=street_officer)
    rejected = report(batch)
    assert [(r[0], r[1], r[3]) for r in rejected] == [(2, "统一社会信用代码*", GENERIC)]
    no_leak(rejected)
    assert Employer.objects.get(credit_code=code).name == "胡东公司"


@pytest.fixture
def tight_limits(settings):
    """Per file 2, per day 5."""
    settings.JIUYE_IMPORT_OUT_OF_SCOPE_PER_FILE = 2
    settings.JIUYE_IMPORT_OUT_OF_SCOPE_PER_DAY = 5


def test_many_out_of_scope_hits_stop_the_file_and_are_flagged(regions, tmp_path, community_worker, auditor,
                                                              make_person, tight_limits):
    others = [make_person(region=COMMUNITY_B1, seq=f"{601 + 2 * i:03d}") for i in range(4)]
    rows = [PERSON_HEADER, *[["某人", p.id_number, "城镇", "长乐社区"] for p in others]]
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=community_worker, dry_run=True)
    assert batch.status == ImportBatch.Status.UNUSABLE
    assert "超过2条" in batch.error_message and batch.out_of_scope == 3
    alert = AuditEntry.objects.get(object_type=guard.ALERT_OBJECT_TYPE)
    assert (alert.actor, alert.region_code, alert.changes["reason"], alert.changes["out_of_scope"]) == (
        community_worker, COMMUNITY_A1, "per_file", 3)
    assert not any(p.id_number in str(alert.changes) for p in others)
    # Auditors find the flags by object type.
    found, _more = search_audit(auditor, AuditSearch(object_type=guard.ALERT_OBJECT_TYPE))
    assert [e.pk for e in found] == [alert.pk]
    from django.test import Client

    web = Client()
    web.force_login(auditor)
    page = web.get(reverse("web:audit"), {"object_type": guard.ALERT_OBJECT_TYPE})
    assert page.status_code == 200 and "导入触及管辖范围外的记录过多" in page.content.decode()

    # The day's allowance: 3 used, 2 left; a second file stops again, then the account is refused.
    second = run_import(kind="persons", path=write_xlsx(tmp_path / "p2.xlsx", rows), actor=community_worker, dry_run=True)
    assert second.status == ImportBatch.Status.UNUSABLE and second.out_of_scope == 3
    third = run_import(kind="persons", path=write_xlsx(tmp_path / "p3.xlsx", rows[:2]), actor=community_worker,
                       dry_run=True)
    assert third.status == ImportBatch.Status.UNUSABLE and "暂停导入" in third.error_message
    assert third.out_of_scope == 0
    assert AuditEntry.objects.filter(object_type=guard.ALERT_OBJECT_TYPE).count() == 3
    assert AuditEntry.objects.filter(object_type=guard.ALERT_OBJECT_TYPE, changes__reason="per_day").count() >= 1


def test_rows_before_the_limit_stay_committed(regions, tmp_path, community_worker, make_person, tight_limits, monkeypatch):
    from jiuye.registry.importers.persons import PersonImporter

    monkeypatch.setattr(PersonImporter, "chunk_size", 1)
    others = [make_person(region=COMMUNITY_B1, seq=f"{601 + 2 * i:03d}") for i in range(3)]
    new = make_id("610102", "19910101", "013")
    rows = [PERSON_HEADER, ["新人", new, "城镇", "长乐社区"], *[["某人", p.id_number, "城镇", "长乐社区"] for p in others]]
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=community_worker)
    assert batch.status == ImportBatch.Status.UNUSABLE and batch.imported == 1
    assert Person.objects.filter(id_number=new).exists()


# ---------------------------------------------------------------------------------------------
# Finding 2: one rule for the error report


def bearer(user) -> dict:
    key = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=user, name="test", key_hash=ApiToken.hash_key(key))
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def policy_reviewer(regions):
    return User.objects.create_user(username="pr_xc", password="pass-12345678", role=Role.POLICY_REVIEWER,
                                    region_id="610102000000")


@pytest.fixture
def rejected_batch(tmp_path, street_officer):
    number = make_id("610102", "19900307", "011")
    number = number[:-1] + ("0" if number[-1] != "0" else "1")  # a wrong check character: the cell is reported
    path = write_xlsx(tmp_path / "p.xlsx", [PERSON_HEADER, ["张三", number, "城镇", "长乐社区"]])
    batch = run_import(kind="persons", path=path, actor=street_officer)
    assert batch.rejected == 1
    return batch, number


def _values(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)


def test_api_report_follows_the_rule(rejected_batch, street_officer, district_officer, auditor, city_officer,
                                     policy_reviewer):
    batch, number = rejected_batch
    client = TestClient(api)
    url = f"/imports/{batch.pk}/report"
    # Masked unless asked for, and full only for roles that may see full numbers.
    default = client.get(url, headers=bearer(district_officer))
    assert default.status_code == 200 and number not in _values(default.content)
    full = client.get(url + "?full_id_number=true", headers=bearer(district_officer))
    assert full.status_code == 200 and number in _values(full.content)
    assert number not in _values(client.get(url + "?full_id_number=true", headers=bearer(auditor)).content)
    for reader in (auditor, city_officer):
        masked = client.get(url, headers=bearer(reader))
        assert masked.status_code == 200
        text = _values(masked.content)
        assert number not in text and mask_id_number(number) in text
    assert client.get(url, headers=bearer(policy_reviewer)).status_code == 403
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="import_batch")
    assert sorted(e.changes["report"] for e in exports) == ["full", "masked", "masked", "masked", "masked"]


def test_web_report_follows_the_rule(rejected_batch, client, auditor, policy_reviewer, street_officer):
    batch, number = rejected_batch
    url = reverse("web:import_report", args=[batch.pk])
    client.force_login(auditor)
    response = client.get(url)
    assert response.status_code == 200
    text = _values(b"".join(response.streaming_content))
    assert number not in text and mask_id_number(number) in text
    client.force_login(policy_reviewer)
    assert client.get(url).status_code == 403
    client.force_login(street_officer)
    assert number not in _values(b"".join(client.get(url).streaming_content))
    assert number in _values(b"".join(client.get(url, {"full_id": "1"}).streaming_content))


def test_masked_report_is_written_with_the_full_one(rejected_batch):
    batch, number = rejected_batch
    masked = read_report(settings.MEDIA_ROOT / masked_report_name(batch.report_file))
    assert [r[2] for r in masked] == [mask_id_number(number)]
    assert [r[2] for r in report(batch)] == [number]


# ---------------------------------------------------------------------------------------------
# Finding 3 and 11: control characters, NUL, batches that always finish, messages


def test_control_characters_are_rejected_per_cell_and_never_reach_the_report(regions, tmp_path, street_officer, caplog):
    good = make_id("610102", "19900307", "011")
    bad = make_id("610102", "19920405", "022")
    ctrl = make_id("610102", "19930101", "031")
    rows = [PERSON_HEADER, ["张三", good, "城镇", "长乐社区"], ["李\x01四", bad, "城镇", "长乐社区"],
            ["王五", ctrl[:10] + "\x1f" + ctrl[10:], "城镇", "长乐社区"]]
    caplog.set_level(logging.DEBUG)
    batch = run_import(kind="persons", path=write_csv(tmp_path / "p.csv", rows), actor=street_officer)
    assert (batch.status, batch.imported, batch.rejected) == (ImportBatch.Status.PARTIAL, 1, 2)
    assert [(r[0], r[1], r[2], r[3]) for r in report(batch)] == [
        (3, "姓名", "李四", str(CONTROL_REASON)), (4, "公民身份号码", ctrl, str(CONTROL_REASON))]
    assert not Person.objects.filter(id_number__in=[bad, ctrl]).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk)).exists()
    assert "李" not in caplog.text and "\x01" not in caplog.text


def test_persons_fast_path_rejects_control_characters_in_many_rows(regions, tmp_path, street_officer):
    rows = [PERSON_HEADER] + [[name(i), make_id("610102", "19900307", f"{i:03d}"), "城镇", "长乐社区"] for i in range(1, 60)]
    rows[30][0] = "坏\x07名"
    batch = run_import(kind="persons", path=write_csv(tmp_path / "p.csv", rows), actor=street_officer)
    assert (batch.imported, batch.rejected) == (58, 1)
    assert [(r[0], r[2], r[3]) for r in report(batch)] == [(31, "坏名", str(CONTROL_REASON))]


@pytest.mark.parametrize("kind,header,make_row", [
    ("households", HH_HEADER, lambda n: ["H\x02001", "长乐社区", "", "无", n, "某人", "本人"]),
    ("employers", ["统一社会信用代码*", "单位名称*", "所在区划"], lambda n: ["91610102MA6U00001X", "公\x03司", "西一路街道"]),
])
def test_other_kinds_reject_control_characters(regions, tmp_path, street_officer, kind, header, make_row):
    number = make_id("610102", "19900307", "011")
    batch = run_import(kind=kind, path=write_csv(tmp_path / "f.csv", [header, make_row(number)]), actor=street_officer)
    rows = report(batch)
    assert str(CONTROL_REASON) in [r[3] for r in rows]
    assert all("\x02" not in str(r[2]) and "\x03" not in str(r[2]) for r in rows)
    assert batch.status == ImportBatch.Status.PARTIAL


def test_a_nul_byte_after_4kb_cannot_shift_columns(regions, tmp_path, street_officer):
    rows = [[name(i), make_id("610102", "19900307", f"{i:03d}"), "城镇", "长乐社区"] for i in range(1, 200)]
    text = "\r\n".join(",".join(r) for r in [PERSON_HEADER, *rows]) + "\r\n"
    first, rest = text[:5000], text[5000:]
    cut = rest.index("\r\n") + 2  # the first row after 4 KB: a NUL inside its name cell
    line = rest[cut:rest.index("\r\n", cut)]
    row_name = line.split(",")[0]
    broken = line.replace(row_name, row_name + "\x00农村", 1)  # a NUL: joined on NUL, it split the cell
    path = tmp_path / "p.csv"
    path.write_bytes((first + rest[:cut] + broken + rest[cut + len(line):]).encode("utf-8"))
    batch = run_import(kind="persons", path=path, actor=street_officer)
    assert (batch.imported, batch.rejected) == (198, 1)
    [(row, column, _value, reason)] = report(batch)
    assert column == "姓名" and reason == str(CONTROL_REASON)
    assert set(Person.objects.values_list("hukou_type", flat=True)) == {"urban"}


def test_the_report_writer_failing_still_finishes_the_batch(regions, tmp_path, street_officer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_services, "write_error_report", broken)
    rows = [PERSON_HEADER, ["张三", make_id("610102", "19900307", "011"), "城镇", "长乐社区"],
            ["李四", make_id("610102", "19920405", "022"), "火星户口", "长乐社区"]]
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=street_officer)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNUSABLE and "RuntimeError" in batch.error_message
    assert (batch.imported, batch.rejected) == (1, 1) and batch.finished_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk))
    assert entry.changes["imported"] == 1


def test_a_crash_marks_the_batch_failed_with_counts(regions, tmp_path, street_officer, monkeypatch, settings):
    settings.TESTING = False
    settings.DEBUG = False
    from jiuye.registry.importers.persons import PersonImporter

    original = PersonImporter.process
    calls = {"n": 0}

    def crashing(self, records):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("boom")
        return original(self, records)

    monkeypatch.setattr(PersonImporter, "process", crashing)
    monkeypatch.setattr(PersonImporter, "chunk_size", 1)
    rows = [PERSON_HEADER, ["张三", make_id("610102", "19900307", "011"), "城镇", "长乐社区"],
            ["李四", make_id("610102", "19920405", "022"), "城镇", "长乐社区"]]
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=street_officer)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNUSABLE and "RuntimeError" in batch.error_message
    assert batch.imported == 1 and batch.finished_at is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk)).exists()


def test_a_header_only_file_says_there_are_no_data_rows(regions, tmp_path, street_officer):
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", [PERSON_HEADER]), actor=street_officer)
    assert batch.status == ImportBatch.Status.UNUSABLE
    assert "没有数据行" in batch.error_message
    assert batch.get_status_display() != "全部导入"


def test_messages_name_the_users_file(regions, tmp_path, street_officer):
    path = tmp_path / "jiuye-upload-abc123.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    batch = run_import(kind="persons", path=path, actor=street_officer, original_name="花名册.xlsx")
    assert batch.status == ImportBatch.Status.UNUSABLE
    assert "花名册.xlsx" in batch.error_message and "jiuye-upload" not in batch.error_message


def test_cli_control_characters_no_traceback(regions, tmp_path, street_officer):
    rows = [PERSON_HEADER, ["李\x01四", make_id("610102", "19920405", "022"), "城镇", "长乐社区"]]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "persons", str(write_csv(tmp_path / "p.csv", rows)), "--user", street_officer.username,
                     "--report", str(tmp_path / "r.xlsx"), stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert out.getvalue().strip().splitlines()[-1] == "imported=0 updated=0 unchanged=0 rejected=1"
    assert read_report(tmp_path / "r.xlsx")[0][2] == "李四"


# ---------------------------------------------------------------------------------------------
# Finding 7: a conflict with another import at the same time


def test_a_conflicting_row_is_rejected_and_the_rest_imported(regions, tmp_path, street_officer, district_officer,
                                                             monkeypatch):
    """Another import creates one of the file's persons between this import's lookup and its write:
    the duplicate key raised inside COPY (PostgreSQL) or executemany (SQLite) is a conflict."""
    numbers = [make_id("610102", "19900307", f"{i:03d}") for i in range(1, 40)]
    rows = [PERSON_HEADER, *[[name(i), n, "城镇", "长乐社区"] for i, n in enumerate(numbers)]]
    original = Importer.write
    done = {"n": 0}

    def write(self, work, items):
        if not done["n"]:
            done["n"] = 1
            services.create_person(actor=district_officer, id_number=numbers[5], name="别人先录入", region=COMMUNITY_A1,
                                   hukou_type="urban")
        return original(self, work, items)

    monkeypatch.setattr(Importer, "write", write)
    batch = run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=street_officer)
    assert (batch.status, batch.imported, batch.rejected) == (ImportBatch.Status.PARTIAL, 38, 1)
    [(row, column, _value, reason)] = report(batch)
    assert row == 7 and "冲突" in reason
    assert Person.objects.get(id_number=numbers[5]).name == "别人先录入"
    assert Person.objects.filter(id_number__in=numbers).count() == 39


def test_a_conflicting_household_is_rejected_and_the_rest_imported(regions, tmp_path, street_officer,
                                                                   district_officer, make_person, monkeypatch):
    people = [make_person(name=f"甲{i}", seq=f"{i * 2 + 1:03d}") for i in range(3)]
    rows = [HH_HEADER, *[[f"H00{i}", "长乐社区", "", "无", p.id_number, p.name, "本人"] for i, p in enumerate(people)]]
    original = Importer.write
    done = {"n": 0}

    def write(self, work, items):
        if not done["n"]:
            done["n"] = 1
            services.create_household(actor=district_officer, number="H001", region=COMMUNITY_A1)
        return original(self, work, items)

    monkeypatch.setattr(Importer, "write", write)
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h.xlsx", rows), actor=street_officer)
    assert (batch.imported, batch.rejected) == (2, 1)
    assert Household.objects.filter(number__in=["H000", "H002"]).count() == 2


@pytest.mark.skipif("sqlite" in settings.DATABASES["default"]["ENGINE"],
                    reason="threads on the in-memory SQLite test database share one cache; SQLite is covered above")
def test_two_overlapping_imports_on_separate_connections(transactional_db, regions, tmp_path, street_officer,
                                                          monkeypatch):
    """Two imports of overlapping files at once (PostgreSQL: COPY waits for the other's commit, then
    meets the duplicate keys): the overlap is imported once, the rest of both files is imported."""
    import threading

    from django.db import connection

    numbers = [make_id("610102", "19900307", f"{i:03d}") for i in range(1, 51)]
    files = [write_xlsx(tmp_path / f"p{k}.xlsx", [PERSON_HEADER, *[[name(i), numbers[i], "城镇", "长乐社区"]
                                                                   for i in part]])
             for k, part in enumerate([range(0, 30), range(20, 50)])]
    barrier = threading.Barrier(2, timeout=30)
    original = Importer.write

    def write(self, work, items):
        if items and not getattr(self, "_met", False):
            self._met = True
            barrier.wait()  # both have looked the rows up: both think the overlap is new
        return original(self, work, items)

    monkeypatch.setattr(Importer, "write", write)
    batches, errors = [None, None], []

    def run(k):
        try:
            batches[k] = run_import(kind="persons", path=files[k], actor=street_officer)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert Person.objects.filter(id_number__in=numbers).count() == 50
    assert sum(b.imported for b in batches) == 50 and sum(b.rejected for b in batches) == 10
    assert all(b.status in (ImportBatch.Status.OK, ImportBatch.Status.PARTIAL) for b in batches)


def test_an_interrupted_import_ends_in_a_final_state(regions, tmp_path, street_officer, monkeypatch):
    from jiuye.registry.importers.persons import PersonImporter

    def interrupted(self, records):
        raise KeyboardInterrupt

    monkeypatch.setattr(PersonImporter, "process", interrupted)
    rows = [PERSON_HEADER, ["张三", make_id("610102", "19900307", "011"), "城镇", "长乐社区"]]
    with pytest.raises(KeyboardInterrupt):
        run_import(kind="persons", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=street_officer)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and "中断" in batch.error_message
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk)).exists()
