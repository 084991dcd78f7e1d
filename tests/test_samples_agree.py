"""Finding 8: the sample files and their README.txt agree for the account the README names.

Imported as the demo community worker (the account README.txt names), each sample file is rejected on
exactly the rows README.txt lists, and every other row is imported.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiuye.accounts.models import User
from jiuye.imports.services import run_import
from jiuye.registry.demo import samples, writer
from jiuye.registry.demo.users import COMMUNITY, ensure_demo_users

from .import_files import read_report

# In the README's order; a sample file of a kind added later (就业创业证.xlsx) is imported when it is there.
ORDER = [("persons", "人员花名册.xlsx"), ("employers", "用人单位.xlsx"), ("households", "家庭户.xlsx"),
         ("registrations", "就业失业登记.xlsx"), ("certificates", "就业创业证.xlsx")]


def promised(readme: str) -> tuple[str, dict[str, set[int]]]:
    """The account README.txt names and, per file, the sheet rows it says are rejected."""
    account = re.search(r"用演示账号 (\w+)", readme).group(1)
    rows: dict[str, set[int]] = {name: set() for _kind, name in ORDER}
    current = None
    for line in readme.splitlines():
        if m := re.fullmatch(r"【(.+)】", line.strip()):
            current = m.group(1)
        elif current and line.startswith("  - "):
            rows[current].add(int(re.search(r"第(\d+)行", line).group(1)))
        elif not line.strip():
            current = None
    return account, rows


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 3])
def test_samples_import_as_the_readme_says_for_the_demo_community_worker(tmp_path, settings, seed):
    settings.MEDIA_ROOT = tmp_path / "media"
    writer.seed_city(persons=1000, seed=seed, rebuild_indexes=False)
    ensure_demo_users()
    samples.write_samples(tmp_path / "samples", seed=seed)
    readme = (tmp_path / "samples" / "README.txt").read_text(encoding="utf-8")
    account, rows = promised(readme)
    user = User.objects.get(username=account)
    assert user.region_id == COMMUNITY == samples.COMMUNITY_CODE
    counts = {name: len(r) for name, r in rows.items()}
    assert {name: counts[name] for _kind, name in ORDER[:4]} == {
        "人员花名册.xlsx": 5, "用人单位.xlsx": 1, "家庭户.xlsx": 0, "就业失业登记.xlsx": 3}
    assert f"故意设置的错误共 {sum(counts.values())} 行" in readme
    for kind, name in ORDER:
        if not (tmp_path / "samples" / name).exists():
            continue
        batch = run_import(kind=kind, path=tmp_path / "samples" / name, actor=user)
        rejected = {row for row, _column, _value, _reason in read_report(Path(settings.MEDIA_ROOT) / batch.report_file)} \
            if batch.report_file else set()
        assert (name, rejected) == (name, rows[name])
        assert batch.rejected == len(rows[name]) and batch.imported > 0
