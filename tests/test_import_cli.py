"""`jiuye import ...`: exit codes, the summary line, --user, --dry-run, --report."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry.models import Person

from .conftest import make_id
from .import_files import read_report, write_csv, write_xlsx

ZHANG = make_id("610102", "19900307", "011")
LI = make_id("610102", "19920405", "022")
HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    """(exit code, stdout, stderr) of `jiuye import ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_clean_file_exits_0(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    code, out, _err = run("persons", str(path))
    assert code == 0
    assert last_line(out) == "imported=1 updated=0 unchanged=0 rejected=0"
    code, out, _err = run("persons", str(path))
    assert (code, last_line(out)) == (0, "imported=0 updated=0 unchanged=1 rejected=0")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).first()
    assert entry.channel == "cli" and entry.actor_name == "system"


def test_rejected_rows_exit_1_and_good_rows_are_committed(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"], ["李四", LI[:17] + "0", "城镇", "长乐社区"]])
    report = tmp_path / "out" / "errors.xlsx"
    code, out, err = run("persons", str(path), "--report", str(report))
    assert code == 1
    assert last_line(out) == "imported=1 updated=0 unchanged=0 rejected=1"
    assert "1行被拒绝" in err and str(report) in err
    assert Person.objects.filter(id_number=ZHANG).exists()
    [(row, column, _value, reason)] = read_report(report)
    assert (row, column) == (3, "公民身份号码") and "校验位错误" in reason


def test_dry_run_writes_nothing(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    code, out, err = run("persons", str(path), "--dry-run")
    assert (code, last_line(out)) == (0, "imported=1 updated=0 unchanged=0 rejected=0")
    assert "仅校验" in err
    assert Person.objects.count() == 0


@pytest.mark.parametrize("make,reason", [
    (lambda p: p / "missing.xlsx", "文件不存在"),
    (lambda p: write_csv(p / "x.csv", [["年份", "人数"], ["2024", "3"]]), "未找到表头"),
    (lambda p: write_csv(p / "x.csv", [["姓名", "公民身份号码"], ["张三", ZHANG]]), "缺少必填列"),
    (lambda p: (p / "x.pdf").write_bytes(b"%PDF-1.4") and p / "x.pdf", "不支持的文件格式"),
])
def test_unusable_file_exits_2(regions, tmp_path, make, reason):
    code, out, err = run("persons", str(make(tmp_path)))
    assert code == 2
    assert reason in err
    assert last_line(out) == "imported=0 updated=0 unchanged=0 rejected=0"


def test_user_scope_rejects_rows_of_another_street(regions, tmp_path, street_officer):
    path = write_xlsx(tmp_path / "p.xlsx", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"], ["李四", LI, "城镇", "610102002001"]])
    report = tmp_path / "r.xlsx"
    code, out, _err = run("persons", str(path), "--user", street_officer.username, "--report", str(report))
    assert code == 1
    assert last_line(out) == "imported=1 updated=0 unchanged=0 rejected=1"
    assert read_report(report) == [(3, "所在社区", "610102002001", "长乐中路街道胡东社区（610102002001）不在您的管辖范围内")]
    assert AuditEntry.objects.get(action=AuditEntry.Action.CREATE).actor == street_officer


def test_user_whose_role_may_not_import_exits_2(regions, tmp_path):
    User.objects.create_user(username="resident", password="x" * 12, role=Role.RESIDENT, region_id="610102001001")
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    code, out, err = run("persons", str(path), "--user", "resident")
    assert code == 2 and "无权导入" in err
    assert last_line(out) == "imported=0 updated=0 unchanged=0 rejected=0"
    assert Person.objects.count() == 0


def test_unknown_user_exits_2(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    code, _out, err = run("persons", str(path), "--user", "nobody")
    assert code == 2 and "不存在" in err
