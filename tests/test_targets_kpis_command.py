"""``jiuye kpi --region CODE --period P [--json] [--known-on T]``: every KPI of the catalogue, "—" where unknown."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jiuye.targets.kpis.catalogue import KPIS


def run(*args):
    out = StringIO()
    call_command("kpi", *args, stdout=out)
    return out.getvalue()


def test_every_kpi_listed_in_text_and_json(regions):
    text = run("--region", "610102", "--period", "2024-Q2")
    for kpi in KPIS.values():
        assert kpi.name in text
    assert "—" in text
    data = json.loads(run("--region", "610102", "--period", "2024", "--json", "--known-on", "2025-01-31"))
    assert data["region"]["code"] == "610102000000" and data["period"] == "2024"
    assert data["known_on"] == "2025-01-31"
    assert [k["code"] for k in data["kpis"]] == list(KPIS)


def test_bad_input_is_refused_in_chinese(regions, district_officer):
    with pytest.raises(CommandError, match="月份应为1至12"):
        run("--region", "610102", "--period", "2024-13")
    with pytest.raises(CommandError, match="区划不存在"):
        run("--region", "619999", "--period", "2024")
    with pytest.raises(CommandError, match="数据截至时间无效"):
        run("--region", "610102", "--period", "2024", "--known-on", "yesterday")
    with pytest.raises(CommandError, match="不存在或已停用"):
        run("--region", "610102", "--period", "2024", "--user", "nobody")
