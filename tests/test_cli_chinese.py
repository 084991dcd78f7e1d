"""Finding 7 (CLI) and 9(b): our commands speak Chinese to people; scripts keep their machine lines.

- `jiuye import` ends stdout with the result in Chinese and then, last, the machine line
  ``imported=N updated=M unchanged=U rejected=K`` (tests/test_import_cli.py checks the exit codes).
- Every command we own: help texts of its own options in Chinese, output in Chinese, and a failure on
  the command line reads "错误：…" rather than Django's "CommandError: …".
- `jiuye seed` on a database that was never migrated migrates it first instead of dying with
  "no such table: regions_region".
"""
from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from jiuye.accounts.models import ApiToken, Role, User

from .conftest import COMMUNITY_A1, make_id
from .import_files import write_csv

ROOT = Path(__file__).resolve().parent.parent
ZHANG = make_id("610102", "19900307", "011")
LI = make_id("610102", "19920405", "022")
HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区"]
OUR_COMMANDS = ["import", "seed", "demo", "params", "worker", "backup", "restore", "create_user", "create_api_token",
                "load_regions", "refresh_projections", "issue_certificates",
                "reconcile_zero_employment", "load_work_calendar", "reconcile_hard_to_employ",  # issue 8 (assistance)
                "kpi", "kpi_refresh", "load_targets", "load_plan_tasks", "report"]  # issue 12 (targets, reports)
# Options every Django command has; their help is Django's.
DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color",
                  "skip_checks"}
CJK = re.compile(r"[\u4e00-\u9fff]")
MACHINE = re.compile(r"^imported=\d+ updated=\d+ unchanged=\d+ rejected=\d+$")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(name, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(name, *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def english_words(text: str) -> list[str]:
    """Latin words of three letters or more (file names, paths and codes removed first)."""
    text = re.sub(r"\S*[/\\.]\S*", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


# ---------------------------------------------------------------------------------------------
# jiuye import: the Chinese result, then the machine line last


def test_import_prints_the_result_in_chinese_then_the_machine_line_last(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"], ["李四", LI[:17] + "0", "城镇", "长乐社区"]])
    code, out, err = run("import", "persons", str(path))
    *people, machine = out.strip().splitlines()
    assert code == 1 and machine == "imported=1 updated=0 unchanged=0 rejected=1"
    assert people == ["导入结果：新增 1 行，更新 0 行，未变化 0 行，拒绝 1 行"]
    assert "1行被拒绝" in err and not english_words(err)
    code, out, _err = run("import", "persons", str(path), "--dry-run")
    *people, machine = out.strip().splitlines()
    assert machine == "imported=0 updated=0 unchanged=1 rejected=1"
    assert people == ["校验结果（未写入）：可新增 0 行，可更新 0 行，未变化 1 行，拒绝 1 行"]


def test_import_that_cannot_start_still_ends_with_the_machine_line(regions, tmp_path):
    code, out, err = run("import", "persons", str(tmp_path / "missing.xlsx"))
    assert code == 2 and out.strip().splitlines() == ["导入结果：新增 0 行，更新 0 行，未变化 0 行，拒绝 0 行",
                                                       "imported=0 updated=0 unchanged=0 rejected=0"]
    assert "文件不存在" in err
    code, out, err = run("import", "persons", str(tmp_path / "missing.xlsx"), "--user", "nobody")
    assert code == 2 and out.strip().splitlines() == ["未导入任何行", "imported=0 updated=0 unchanged=0 rejected=0"]
    assert "不存在或已停用" in err


def test_background_import_says_so_in_chinese_and_keeps_its_machine_line(regions, tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    code, out, err = run("import", "persons", str(path), "--background")
    human, machine = out.strip().splitlines()[-2:]
    assert code == 0 and re.fullmatch(r"batch=\d+ status=\w+", machine)
    assert human.startswith("已排队：导入批次") and not english_words(human)
    assert "后台任务进程" in err


# ---------------------------------------------------------------------------------------------
# Every command we own


@pytest.mark.parametrize("name", OUR_COMMANDS)
def test_our_commands_and_their_options_are_described_in_chinese(name):
    app = get_commands()[name]
    assert app.startswith("jiuye."), f"{name} is not ours but {app}'s"
    command = load_command_class(app, name)
    assert CJK.search(str(command.help)), name
    parser = command.create_parser("jiuye", name)
    actions = [a for a in parser._actions if a.dest not in DJANGO_OPTIONS and a.help is not None]
    for sub in [a for a in actions if a.choices and isinstance(a.choices, dict)]:  # params check / show
        actions += [x for p in sub.choices.values() for x in p._actions if x.dest != "help"]
    for action in actions:
        assert CJK.search(str(action.help)), f"{name} {action.dest}: {action.help}"


def test_load_regions_and_refresh_projections_report_in_chinese(regions):
    code, out, _err = run("load_regions")
    assert out.strip().startswith("区划：新增 0 个，更新 0 个") and not english_words(out)
    code, out, _err = run("refresh_projections")
    lines = out.strip().splitlines()
    # The registry's two lines first; higher apps add their daily lines after them (events.daily_refresh).
    assert lines[:2] == ["待生效登记：生效 0 条，未通过 0 条", "零就业家庭标记已重新计算：0 户有变化"]
    assert not any(english_words(line) for line in lines)


def test_create_user_and_token_speak_chinese_and_the_key_stands_alone(regions):
    code, out, _err = run("create_user", "cw_cli", role=Role.COMMUNITY_WORKER, region=COMMUNITY_A1,
                          password="Xinxi-gongzuo-2026")
    region = User.objects.get(username="cw_cli").region
    assert out.strip() == f"已创建用户 cw_cli，角色：{Role.COMMUNITY_WORKER.label}，区划：{region.full_name or region.name}"
    assert not english_words(out.replace("cw_cli", ""))
    with pytest.raises(CommandError) as failure:
        call_command("create_user", "cw_cli", role=Role.COMMUNITY_WORKER, region=COMMUNITY_A1,
                     password="Xinxi-gongzuo-2026", stdout=io.StringIO())
    assert "已存在" in str(failure.value) and "username" not in str(failure.value)
    code, out, err = run("create_api_token", "cw_cli")
    [key] = out.strip().splitlines()
    assert ApiToken.objects.filter(user__username="cw_cli").exists() and " " not in key
    assert "只显示这一次" in err


def test_seed_summary_is_chinese(regions):
    code, out, _err = run("seed", persons=1000, seed=3, no_samples=True)
    words = set(english_words(out))
    assert not words, words
    assert "当前就业状态：就业" in out and "未登记或已终止" in out


# ---------------------------------------------------------------------------------------------
# On the command line: a fresh SQLite file; errors in Chinese


def jiuye(*args, data_dir: Path, timeout=300):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIUYE_", "DJANGO_", "PYTEST"))}
    env.update(JIUYE_DATA_DIR=str(data_dir), JIUYE_DATABASE_URL=f"sqlite:///{data_dir / 'new.sqlite3'}",
               JIUYE_SECRET_KEY="cli-test-key-" + "x" * 40, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "jiuye.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_seed_on_a_database_never_migrated_migrates_it_first(tmp_path):
    done = jiuye("seed", "--persons", "1000", "--no-samples", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "no such table" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("数据库尚未建立或不是最新版本：先建立/升级数据库")
    assert "示例数据：1,000 人" in done.stdout
    with sqlite3.connect(tmp_path / "new.sqlite3") as db:
        assert db.execute("select count(*) from registry_person").fetchone() == (1000,)
    again = jiuye("seed", "--persons", "1000", "--no-samples", data_dir=tmp_path)  # now: up to date, not empty
    assert again.returncode == 1
    assert "数据库尚未建立" not in again.stdout
    assert again.stderr.strip() == "错误：登记库中已有数据。如确需清空全部登记数据后重新生成，请加 --force。"


def test_other_commands_on_a_database_never_migrated_say_what_to_run(tmp_path):
    regions = jiuye("load_regions", data_dir=tmp_path)
    assert regions.returncode == 1 and "Traceback" not in regions.stderr
    assert re.fullmatch(r"错误：数据库尚未建立或不是最新版本（\d+ 个迁移待执行）。请先运行：jiuye migrate",
                        regions.stderr.strip())
    path = write_csv(tmp_path / "p.csv", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    imported = jiuye("import", "persons", str(path), data_dir=tmp_path)
    assert imported.returncode == 2 and "请先运行：jiuye migrate" in imported.stderr
    assert imported.stdout.strip().splitlines()[-1] == "imported=0 updated=0 unchanged=0 rejected=0"


@pytest.mark.parametrize("args,message", [
    (["import"], "错误：缺少参数：kind, file（用 jiuye import --help 查看用法）"),
    (["params", "show"], "错误：缺少参数：region（用 jiuye params show --help 查看用法）"),
    (["load_regions", "--bogus"], "错误：无法识别的参数：--bogus（用 jiuye load_regions --help 查看用法）"),
    (["seed", "--persons", "abc"], "错误：参数 --persons 的取值 'abc' 无效（用 jiuye seed --help 查看用法）"),
])
def test_mistakes_on_the_command_line_are_explained_in_chinese(tmp_path, args, message):
    done = jiuye(*args, data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == message


def test_a_wrong_choice_lists_the_choices_in_chinese(tmp_path):
    done = jiuye("create_user", "x", "--role", "boss", data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("错误：参数 --role 的取值 'boss' 无效，可选：'community_worker'")
    assert "usage" not in done.stderr and "error" not in done.stderr


def test_mistakes_in_code_still_raise_command_error():
    with pytest.raises(CommandError, match="the following arguments are required"):
        call_command("import")
