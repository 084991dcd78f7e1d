"""Finding 9(a): a clean install prints no warnings before the Chinese output.

pip shows the build backend's Python warnings (setuptools' licence-table deprecation, the editable
install notice) as ~40 lines ahead of `jiuye demo`. The package is built here, from a copy of the
project, by the current setuptools with every warning an error, both as the wheel `pip install` builds
and as the editable wheel scripts/bootstrap.sh installs.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILD = """
import setuptools.build_meta as backend
print("WHEEL=" + backend.build_wheel("dist"))
print("WHEEL=" + backend.build_editable("dist"))
"""


def test_licence_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_building_the_package_warns_nothing(tmp_path):
    copy = tmp_path / "jiuye-src"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "jiuye", copy / "jiuye", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    done = subprocess.run([sys.executable, "-W", "error", "-c", BUILD], cwd=copy, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Warning" not in done.stderr, done.stderr[-3000:]
    wheel, editable = (copy / "dist" / line[6:] for line in done.stdout.splitlines() if line.startswith("WHEEL="))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ["jiuye/web/templates/web/base.html", "jiuye/web/static/web/jiuye.css",
                    "jiuye/web/static/web/favicon.ico", "jiuye/web/templates/web/help/general.html",
                    "jiuye/templates/admin/base_site.html", "jiuye/locale/zh_Hans/LC_MESSAGES/django.mo"]:
        assert shipped in names, shipped
    assert any(n.endswith(".pth") for n in zipfile.ZipFile(editable).namelist())  # a plain path file
