"""Occupations: suggestions from a title with the reason, the browse/search page, the API, the command."""
import pytest

from jiuye.jobs.services.occupations import suggest_occupations
from tests.jobs_helpers import occupations  # noqa: F401


@pytest.mark.parametrize("title,code", [("电焊工", "6-18-02-04"), ("氩弧焊工", "6-18-02-04"), ("超市收银员", None),
                                        ("中式烹调师", None), ("保安员", None), ("育婴员", None)])
def test_a_title_suggests_its_occupation_with_the_reason(occupations, title, code):
    got = suggest_occupations(title)
    assert got, title
    print(title, got[:3])
    if code:
        assert got[0]["code"] == code
    assert got[0]["reasons"]


def test_nothing_for_nothing(occupations):
    assert suggest_occupations("") == []


def _csv(tmp_path, text):
    path = tmp_path / "occupations.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_official_list_through_the_import_engine(occupations, tmp_path, district_officer, community_worker):
    from jiuye.imports.services import run_import
    from jiuye.jobs.models import Occupation, OccupationSource

    path = _csv(tmp_path, "职业代码,职业名称,层级,别名\n"
                          "6-18-02-04,焊工官方,细类,电焊工、气焊工\n"
                          "4-99-99-01,新职业样例,细类,\n"
                          "4-99-99,新小类,小类,\n"
                          "4-99-99-0X,坏代码,细类,\n"
                          "6-18-02-04,重复,细类,\n")
    refused = run_import(kind="occupations", path=path, actor=community_worker)
    assert refused.imported == 0 and Occupation.objects.get(code="6-18-02-04").name == "焊工"
    batch = run_import(kind="occupations", path=path, actor=district_officer)
    assert batch.rejected == 2 and batch.imported == 3
    welder = Occupation.objects.get(code="6-18-02-04")
    assert welder.name == "焊工官方" and welder.source == OccupationSource.OFFICIAL and "气焊工" in welder.aliases
    new = Occupation.objects.get(code="4-99-99-01")
    assert new.is_occupation and new.parent.code == "4-99-99-00" and new.parent.name == "新小类"
    assert new.parent.parent.code == "4-99-00-00"  # derived
    assert suggest_occupations("新职业样例")[0]["code"] == "4-99-99-01"  # the index was rebuilt


def test_the_command_prints_counts_against_the_edition(occupations, tmp_path, capsys):
    from django.core.management import call_command

    call_command("occupations", "stats")
    out = capsys.readouterr().out
    assert "大典所列" in out and "1636" in out and "职业（细类）" in out
    path = _csv(tmp_path, "代码,名称\n4-99-99-02,命令行导入样例\n")
    call_command("occupations", "load", str(path))
    out = capsys.readouterr().out
    assert "导入结果：1 行通过" in out
