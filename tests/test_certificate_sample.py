"""The sample ledger 就业创业证.xlsx: imported (after the other sample files) as the demo community
worker, exactly the rows README.txt lists are rejected and every other row becomes a current certificate."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiuye.accounts.models import User
from jiuye.imports.services import run_import
from jiuye.registry.demo import certificate_sample, samples, writer
from jiuye.registry.demo.users import COMMUNITY, DEMO_USERS, ensure_demo_users
from jiuye.registry.models import Certificate, CertificateStatus

from .import_files import read_report


def readme_rows(readme: str, file_name: str) -> set[int]:
    rows, current = set(), None
    for line in readme.splitlines():
        if m := re.fullmatch(r"【(.+)】", line.strip()):
            current = m.group(1)
        elif current == file_name and line.startswith("  - "):
            rows.add(int(re.search(r"第(\d+)行", line).group(1)))
        elif not line.strip():
            current = None
    return rows


@pytest.mark.django_db
def test_certificate_sample_imports_as_readme_says(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    writer.seed_city(persons=1000, seed=4, rebuild_indexes=False)
    ensure_demo_users()
    paths = samples.write_samples(tmp_path / "samples", seed=4)
    assert tmp_path / "samples" / certificate_sample.FILE_NAME in paths
    readme = (tmp_path / "samples" / "README.txt").read_text(encoding="utf-8")
    promised = readme_rows(readme, certificate_sample.FILE_NAME)
    assert len(promised) == 3 and "就业创业证.xlsx" in readme.split("建议导入顺序")[1].splitlines()[0]
    worker = User.objects.get(username=next(u.username for u in DEMO_USERS if u.region == COMMUNITY))
    for kind, name in [("persons", "人员花名册.xlsx"), ("employers", "用人单位.xlsx"), ("households", "家庭户.xlsx"),
                       ("registrations", "就业失业登记.xlsx")]:
        run_import(kind=kind, path=tmp_path / "samples" / name, actor=worker)
    batch = run_import(kind="certificates", path=tmp_path / "samples" / certificate_sample.FILE_NAME, actor=worker)
    rejected = {r[0] for r in read_report(Path(settings.MEDIA_ROOT) / batch.report_file)}
    assert rejected == promised
    assert (batch.imported, batch.rejected) == (certificate_sample.GOOD_ROWS, 3)
    imported = Certificate.objects.filter(import_key__isnull=False, status=CertificateStatus.CURRENT)
    assert imported.count() == certificate_sample.GOOD_ROWS
    assert all(len(c.number) == 14 for c in imported)
