"""Dated parameters: resolution with key-by-key fallback, the three answers (a value, not set, not in
force), provenance, the file validator and `jiuye params`, and the registry's groups as of a date."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye import parameters
from jiuye.parameters import (
    Parameter,
    ParameterFilesInvalid,
    ParameterNotInForce,
    ParameterNotSet,
    Schema,
    Source,
    UnknownParameter,
    params,
    read,
    validate,
)
from jiuye.parameters.checks import parameter_files
from jiuye.parameters.resolve import Table
from jiuye.parameters.schema import SchemaError
from jiuye.parameters.store import SHIPPED_DIR

FILES = Path(__file__).parent / "parameter_files"
XINCHENG_DEPLOYMENT = FILES / "xincheng_deployment"
D = datetime.date


@pytest.fixture(autouse=True)
def fresh_parameters():
    parameters.clear_cache()
    yield
    parameters.clear_cache()


def schema_with(*declarations: Parameter) -> Schema:
    schema = Schema()
    schema.declare(*declarations)
    return schema


def table_of(schema: Schema, *texts: str) -> Table:
    sources = [Source(f"t{i}.yaml", text) for i, text in enumerate(texts)]
    return Table(read(sources, schema), schema)


TEST_SCHEMA = schema_with(
    Parameter("testpack.entrepreneurship_subsidy", "decimal", "一次性创业补贴", unit="元"),
    Parameter("testpack.amount", "int", "金额"),
    Parameter("testpack.enabled", "bool", "启用"),
    Parameter("testpack.deadline", "date", "截止日期"),
    Parameter("testpack.groups", "list[str]", "对象", choices=("a", "b", "c")),
)


def run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("params", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


# ---------------------------------------------------------------------------------------------
# Shipped data and resolution


def test_shipped_files_are_valid_and_the_check_command_says_so():
    assert validate([SHIPPED_DIR]) == []
    code, out = run("check", str(SHIPPED_DIR))
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("通过：5 个文件")
    assert parameter_files(None) == []


def test_xincheng_uses_xian_unemployment_benefit_and_national_registry_values():
    p = params("610102001001", D(2020, 6, 30))
    assert p["unemployment_insurance.benefit_monthly"] == Decimal("1620")
    benefit = p.resolved("unemployment_insurance.benefit_monthly")
    assert (benefit.jurisdiction, benefit.since, benefit.until) == ("6101", D(2020, 1, 1), D(2020, 12, 31))
    assert benefit.basis.document == "市政发〔2021〕24号" and benefit.basis.article == "第一章第一节"
    assert "西安市（6101）" in benefit.cite() and "市政发〔2021〕24号" in benefit.cite()
    months = p.resolved("registry.long_term_unemployed_months")
    assert months.value == 12 and months.jurisdiction == "" and months.since is None
    assert months.basis.document == "《中华人民共和国就业促进法》"
    # The shape the registry's rule bodies read: nested sections of the "registry" keys.
    r = p["registry"]
    assert r["hard_to_employ"]["older_worker_female_age"] == 40
    assert "disability" in r["hard_to_employ"]["categories"]
    assert r["graduates"]["within_years_after_leaving"] == 2
    assert r.resolved("female_retirement_base").basis.document == "国发〔1978〕104号"


def test_fallback_is_key_by_key_and_the_deployment_layer_replaces_a_shipped_history(tmp_path):
    (tmp_path / "6101.yaml").write_text(
        'jurisdiction: "6101"\nparameters:\n'
        "  unemployment_insurance.benefit_monthly:\n"
        "    - since: open\n      value: 1500\n      basis: {document: 市测〔2019〕1号, article: 第一条}\n"
        "    - since: 2021-01-01\n      value: 1800\n      basis: {document: 市测〔2020〕2号, article: 第二条}\n",
        encoding="utf-8",
    )
    with override_settings(JIUYE_PARAMETERS_DIR=str(XINCHENG_DEPLOYMENT)):
        p = params("610102001001", D(2022, 3, 1))
        assert p.resolved("registry.long_term_unemployed_months").jurisdiction == "610102"
        assert p["registry.long_term_unemployed_months"] == 6
        assert p.resolved("registry.hard_to_employ.older_worker_female_age").jurisdiction == ""  # national
        assert params("610103001001", D(2022, 3, 1))["registry.long_term_unemployed_months"] == 12  # 碑林区
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        # The deployment's 6101 history replaces the shipped one (1620 in 2020) for that key.
        assert params("610102", D(2020, 6, 30))["unemployment_insurance.benefit_monthly"] == 1500
        assert params("610102", D(2021, 6, 30))["unemployment_insurance.benefit_monthly"] == 1800
    assert params("610102", D(2020, 6, 30))["unemployment_insurance.benefit_monthly"] == 1620


def test_three_answers_value_not_set_not_in_force_and_zero():
    table = table_of(
        TEST_SCHEMA,
        "jurisdiction: national\nparameters:\n"
        "  testpack.amount:\n    - since: open\n      value: 100\n      basis: {document: 国测1号, article: 第一条}\n",
        'jurisdiction: "6101"\nparameters:\n'
        "  testpack.amount:\n    - since: 2021-01-01\n      until: 2021-12-31\n      value: 0\n"
        "      basis: {document: 市测1号, article: 第一条}\n",
    )
    # 0 is a value.
    p = table.params("610102", D(2021, 6, 1))
    assert p["testpack.amount"] == 0 and "testpack.amount" in p and p.status("testpack.amount") == "set"
    # Defined at 西安市 but not in force in 2020: the fallback to national stops there.
    before = table.params("610102", D(2020, 6, 1))
    assert before.status("testpack.amount") == "not_in_force" and "testpack.amount" not in before
    with pytest.raises(ParameterNotInForce) as caught:
        before["testpack.amount"]
    message = str(caught.value)
    assert "testpack.amount" in message and "6101" in message and "2020-06-01" in message and "610102" in message
    assert caught.value.jurisdiction == "6101"
    with pytest.raises(ParameterNotInForce):
        table.params("610102", D(2022, 1, 1))["testpack.amount"]  # after the end
    assert table.params("6109", D(2020, 6, 1))["testpack.amount"] == 100  # 安康 falls back to national
    # Not set anywhere: a deployment must enter it.
    assert p.status("testpack.enabled") == "not_set"
    with pytest.raises(ParameterNotSet) as caught:
        p["testpack.enabled"]
    message = str(caught.value)
    assert "testpack.enabled" in message and "610102" in message and "2021-06-01" in message and "部署方" in message
    assert p.get("testpack.enabled", "default") == "default"
    with pytest.raises(UnknownParameter):
        p["testpack.no_such_key"]


def test_value_3000_before_2020_11_13_and_5000_from_then():
    table = Table(read([FILES / "610102_entrepreneurship.yaml"], TEST_SCHEMA), TEST_SCHEMA)
    before = table.params("610102001001", D(2020, 11, 12))
    after = table.params("610102001001", D(2020, 11, 13))
    assert before["testpack.entrepreneurship_subsidy"] == 3000
    assert after["testpack.entrepreneurship_subsidy"] == 5000
    assert table.params("610102", D(2010, 1, 1))["testpack.entrepreneurship_subsidy"] == 3000
    assert table.params("610102", D(2030, 1, 1))["testpack.entrepreneurship_subsidy"] == 5000
    old = before.resolved("testpack.entrepreneurship_subsidy")
    assert (old.since, old.until, old.basis.document) == (None, D(2020, 11, 12), "新政发〔2020〕28号")
    assert "提高至每人5000元" in old.basis.note
    new = after.resolved("testpack.entrepreneurship_subsidy")
    assert (new.since, new.until, new.jurisdiction) == (D(2020, 11, 13), None, "610102")
    assert new.source.endswith("610102_entrepreneurship.yaml:12")
    # Elsewhere in Xi'an nothing is set.
    assert table.params("610103", D(2021, 1, 1)).status("testpack.entrepreneurship_subsidy") == "not_set"


def test_value_types():
    table = table_of(
        TEST_SCHEMA,
        "jurisdiction: national\nparameters:\n"
        "  testpack.enabled:\n    - {since: open, value: false, basis: {document: a, article: b}}\n"
        "  testpack.deadline:\n    - {since: open, value: 2020-12-31, basis: {document: a, article: b}}\n"
        "  testpack.groups:\n    - {since: open, value: [a, c], basis: {document: a, article: b}}\n"
        "  testpack.entrepreneurship_subsidy:\n    - {since: open, value: 0.8, basis: {document: a, article: b}}\n",
    )
    p = table.params(None, D(2020, 1, 1))
    assert p["testpack.enabled"] is False
    assert p["testpack.deadline"] == D(2020, 12, 31)
    assert p["testpack.groups"] == ("a", "c")
    assert p["testpack.entrepreneurship_subsidy"] == Decimal("0.8")


def test_declarations_clash_and_sections():
    schema = schema_with(Parameter("x.a.b", "int", "甲"))
    schema.declare(Parameter("x.a.b", "int", "甲"))  # the same declaration again is harmless
    with pytest.raises(SchemaError):
        schema.declare(Parameter("x.a.b", "str", "甲"))
    with pytest.raises(SchemaError):
        schema.declare(Parameter("x.a", "int", "乙"))  # a key cannot also be a section
    with pytest.raises(SchemaError):
        Parameter("NoDots", "int", "丙")
    with pytest.raises(SchemaError):
        Parameter("x.c", "float", "丁")


# ---------------------------------------------------------------------------------------------
# The check command: every mistake with file and line, nothing loaded


BAD = """\
jurisdiction: "610102"
parameters:
  registry.no_such_key:
    - since: 2020-01-01
      value: 1
      basis: {document: 测1号, article: 第一条}
  registry.long_term_unemployed_months:
    - since: 2020-13-45
      value: 6
      basis: {document: 测1号, article: 第一条}
    - since: 2018-01-01
      value: six
      basis: {document: 测1号, article: 第一条}
    - since: 2019-01-01
      until: 2021-06-30
      value: 6
    - since: 2021-01-01
      value: 9
      basis: {document: 测1号}
    - since: 2023-01-01
      until: 2022-01-01
      value: 10
      basis: {document: 测1号, article: 第一条}
"""


def test_check_reports_every_mistake_with_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    errors = validate([path])
    got = {(e.line, e.message.split("：")[0].split("“")[0]) for e in errors}
    assert all(e.path == str(path) for e in errors)
    by_line = {e.line: e.message for e in errors}
    assert "未知参数“registry.no_such_key”" in by_line[3]
    assert "无法解析为日期" in by_line[8] and "2020-13-45" in by_line[8]
    assert "应为整数" in by_line[12]
    assert "缺少法律依据" in by_line[14]
    assert "条款（article）" in [e.message for e in errors if e.line == 19][0]
    assert "重叠" in [e.message for e in errors if e.line == 17][0] and "第 14 行" in by_line[17]
    assert "早于生效日期" in by_line[21]
    assert len(got) == len(errors) == 7

    code, out = run("check", str(path))
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[-1] == "错误 7 处，未加载任何参数"
    assert f"{path}:3: 未知参数“registry.no_such_key”" in lines[0]
    assert [line.split(":")[1] for line in lines[:-1]] == ["3", "8", "12", "14", "17", "19", "21"]


def test_check_other_mistakes(tmp_path):
    cases = {
        "syntax.yaml": ("jurisdiction: national\nparameters:\n  registry.x: [\n", 4, "YAML 语法错误"),
        "nojur.yaml": ("parameters: {}\n", 1, "缺少辖区"),
        "badjur.yaml": ("jurisdiction: 61A\nparameters: {}\n", 1, "不是区划代码"),
        "string_basis.yaml": (
            "jurisdiction: national\nparameters:\n  registry.long_term_unemployed_months:\n"
            "    - since: open\n      value: 12\n      basis: 就业促进法第五十二条\n", 6, "分写文号"),
        "nosince.yaml": (
            "jurisdiction: national\nparameters:\n  registry.long_term_unemployed_months:\n"
            "    - value: 12\n      basis: {document: a, article: b}\n", 4, "since: open"),
        "bool_for_int.yaml": (
            "jurisdiction: national\nparameters:\n  registry.long_term_unemployed_months:\n"
            "    - since: open\n      value: true\n      basis: {document: a, article: b}\n", 5, "应为整数"),
        "section.yaml": (
            "jurisdiction: national\nparameters:\n  registry.hard_to_employ:\n"
            "    - since: open\n      value: 1\n      basis: {document: a, article: b}\n", 3, "前缀"),
        "dup.yaml": (
            "jurisdiction: national\nparameters:\n  registry.long_term_unemployed_months:\n"
            "    - since: open\n      since: 2020-01-01\n      value: 1\n      basis: {document: a, article: b}\n",
            5, "重复的键"),
    }
    for name, (text, line, words) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        errors = validate([tmp_path / name])
        assert errors, name
        assert (errors[0].line, words in errors[0].message) == (line, True), (name, errors)
    assert validate([tmp_path / "missing.yaml"])[0].message == "文件不存在"


def test_overlap_across_files_and_equal_starts(tmp_path):
    head = "jurisdiction: \"6101\"\nparameters:\n  registry.long_term_unemployed_months:\n"
    (tmp_path / "a.yaml").write_text(head + "    - {since: 2020-01-01, value: 6, basis: {document: a, article: b}}\n")
    (tmp_path / "b.yaml").write_text(head + "    - {since: 2020-01-01, value: 9, basis: {document: a, article: b}}\n")
    errors = validate([tmp_path])
    assert len(errors) == 1 and "重叠" in errors[0].message and str(tmp_path / "a.yaml") + ":4" in errors[0].message
    # Implicit end: a value without `until` ends the day before the next one starts: no overlap.
    (tmp_path / "b.yaml").write_text(head + "    - {since: 2020-01-02, value: 9, basis: {document: a, article: b}}\n")
    assert validate([tmp_path]) == []


def test_a_deployment_file_with_a_mistake_loads_nothing(tmp_path):
    (tmp_path / "ok.yaml").write_text(
        "jurisdiction: \"610102\"\nparameters:\n  registry.long_term_unemployed_months:\n"
        "    - {since: open, value: 6, basis: {document: a, article: b}}\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        "jurisdiction: \"6101\"\nparameters:\n  registry.long_term_unemployed_months:\n"
        "    - {since: open, value: 6}\n", encoding="utf-8")
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        with pytest.raises(ParameterFilesInvalid) as caught:
            params("610102", D(2020, 1, 1))
        assert "未加载任何参数" in str(caught.value) and "bad.yaml:4" in str(caught.value)
        assert [e.id for e in parameter_files(None)] == ["jiuye.E101"]
        (tmp_path / "bad.yaml").unlink()
        parameters.clear_cache()
        assert params("610102", D(2020, 1, 1))["registry.long_term_unemployed_months"] == 6
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path / "nowhere")):
        with pytest.raises(ParameterFilesInvalid, match="目录不存在"):
            params("610102", D(2020, 1, 1))


def test_show_prints_values_with_provenance():
    code, out = run("show", "610102001001", "--on", "2020-06-30")
    assert code == 0
    assert "失业保险金标准（unemployment_insurance.benefit_monthly）：1620 元/月" in out
    assert "西安市（6101），2020-01-01至2020-12-31，依据市政发〔2021〕24号 第一章第一节" in out
    assert "长期失业人员：连续失业月数（registry.long_term_unemployed_months）：12 个月" in out
    # Every declared key is in force (the count grows as apps declare keys), except the subsidy amounts that
    # live in policy packs (their values come with a loaded pack) or that no document gives (a deployment sets them).
    assert re.fullmatch(r"有效 \d+ 项，不在有效期内 \d+ 项，未设置 \d+ 项", out.strip().splitlines()[-1])
    unset = [line for line in out.splitlines() if "未设置（须由部署方录入）" in line]
    assert unset and all("（policies." in line for line in unset), unset
    code, out = run("show", "610102", "--on", "2024-01-01")
    assert "失业保险金标准（unemployment_insurance.benefit_monthly）：不在有效期内" in out
    assert re.fullmatch(r"有效 \d+ 项，不在有效期内 1 项，未设置 \d+ 项", out.strip().splitlines()[-1])
    code, out = run("show", "6109")
    assert "失业保险金标准（unemployment_insurance.benefit_monthly）：未设置（须由部署方录入）" in out


# ---------------------------------------------------------------------------------------------
# The registry's groups as of a date use the values in force on that date


@pytest.mark.django_db
def test_groups_asked_about_2020_use_2020_values(make_person, district_officer):
    """新城区 counted 12 months as long-term unemployment until 2020 and 6 months from 2021."""
    from jiuye.registry import groups, services
    from jiuye.registry.models import Person

    with override_settings(JIUYE_PARAMETERS_DIR=str(XINCHENG_DEPLOYMENT)):
        young_man = make_person(birth="19950101", seq="013")  # odd sequence: male, no other category
        services.register_unemployment(actor=district_officer, person=young_man, effective_date=D(2019, 10, 1),
                                       unemployment_reason="dismissed")
        mid_2020 = D(2020, 6, 30)  # nine months unemployed
        early_2021 = D(2021, 6, 30)  # 21 months
        for on, expected in ((mid_2020, False), (early_2021, True), (timezone.localdate(), True)):
            names = {g.code for g in groups.groups_of(young_man, on)}
            assert ("long_term_unemployed" in names) is expected, on
            assert ("hard_to_employ" in names) is expected, on
            for code in ("long_term_unemployed", "hard_to_employ"):
                found = groups.filter_group(Person.objects.all(), code, on).filter(pk=young_man.pk).exists()
                assert found is expected, (code, on)
        # Under today's rule (6 months) he would have counted in mid-2020 already; 2020's rule said 12.
        assert groups.facts_for(young_man, mid_2020).rules["long_term_unemployed_months"] == 12
        assert groups.facts_for(young_man, early_2021).rules["long_term_unemployed_months"] == 6
        assert groups.facts_for(young_man, early_2021).rules.resolved("long_term_unemployed_months").basis.document \
            == "测试〔2020〕9号"


@pytest.mark.django_db
def test_a_value_not_in_force_is_named_where_it_matters(make_person, tmp_path):
    from jiuye.registry import groups
    from jiuye.registry.models import Person

    person = make_person(birth="19900101")
    # 安康 (6109) took the key over from 2022 without saying what held before.
    (tmp_path / "6109.yaml").write_text(
        "jurisdiction: \"6109\"\nparameters:\n  registry.long_term_unemployed_months:\n"
        "    - {since: 2022-01-01, value: 6, basis: {document: 安测1号, article: 第一条}}\n", encoding="utf-8")
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        # Nobody in this registry lives in 安康: a 2020 question about 新城区 still has its answer.
        assert list(groups.filter_group(Person.objects.all(), "long_term_unemployed", D(2020, 6, 30))) == []
        assert "long_term_unemployed" not in {g.code for g in groups.groups_of(person, D(2020, 6, 30))}
    # 新城区 itself took it over from 2022: asking about 2020 names the missing value.
    (tmp_path / "610102.yaml").write_text(
        "jurisdiction: \"610102\"\nparameters:\n  registry.long_term_unemployed_months:\n"
        "    - {since: 2022-01-01, value: 6, basis: {document: 新测1号, article: 第一条}}\n", encoding="utf-8")
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        with pytest.raises(ParameterNotInForce, match="registry.long_term_unemployed_months.*2020-06-30"):
            list(groups.filter_group(Person.objects.all(), "long_term_unemployed", D(2020, 6, 30)))
        with pytest.raises(ParameterNotInForce, match="610102"):
            groups.groups_of(person, D(2020, 6, 30))
        assert groups.filter_group(Person.objects.all(), "long_term_unemployed", D(2023, 6, 30)).count() == 0


# ---------------------------------------------------------------------------------------------
# Property: params() agrees with a brute-force resolution over random trees of dated values

TREE = ["", "61", "6101", "610102", "610102001", "610102001001", "6109", "610103"]
ASKED = TREE[1:] + ["610102001002", "610102002001", "610100000000", "610903001001", "620102", None]
KEYS = ["prop.a", "prop.b"]
PROP_SCHEMA = schema_with(*(Parameter(k, "int", k) for k in KEYS))
BASE = D(2020, 1, 1)


@st.composite
def slot_periods(draw):
    """Non-overlapping periods of one key in one jurisdiction: sorted starts, optional open first
    start, optional explicit ends before the next start."""
    offsets = sorted(draw(st.sets(st.integers(0, 60), min_size=1, max_size=4)))
    open_first = draw(st.booleans())
    periods = []
    for i, offset in enumerate(offsets):
        since = None if (i == 0 and open_first) else BASE + datetime.timedelta(days=offset)
        limit = offsets[i + 1] - 1 if i + 1 < len(offsets) else 80
        until = None
        if draw(st.booleans()):
            until_offset = draw(st.integers(offset, limit)) if limit >= offset else None
            until = BASE + datetime.timedelta(days=until_offset) if until_offset is not None else None
        periods.append((since, until, draw(st.integers(-3, 3))))
    return periods


trees = st.dictionaries(st.tuples(st.sampled_from(TREE), st.sampled_from(KEYS)), slot_periods(), max_size=10)


def tree_sources(tree) -> list[Source]:
    by_jurisdiction: dict[str, list[str]] = {}
    for (jurisdiction, key), periods in tree.items():
        lines = by_jurisdiction.setdefault(jurisdiction, [])
        lines.append(f"  {key}:")
        for since, until, value in periods:
            lines.append(f"    - since: {since.isoformat() if since else 'open'}")
            if until:
                lines.append(f"      until: {until.isoformat()}")
            lines.append(f"      value: {value}")
            lines.append("      basis: {document: 测, article: 一}")
    return [
        Source(f"{j or 'national'}.yaml", f"jurisdiction: {j and repr(j) or 'national'}\nparameters:\n" + "\n".join(lines))
        for j, lines in by_jurisdiction.items()
    ]


def brute_force(tree, region, key, on):
    """("set", value, jurisdiction) | ("not_in_force", jurisdiction) | ("not_set",), by definition."""
    code = region.ljust(12, "0") if region else ""
    defining = [j for (j, k) in tree if k == key and (j == "" or (region and code.startswith(j)))]
    if not defining:
        return ("not_set",)
    j = max(defining, key=len)
    periods = tree[(j, key)]
    in_force = []
    for since, until, value in periods:
        started = since is None or since <= on
        ended = until is not None and on > until
        replaced = any(s is not None and (since is None or s > since) and s <= on for s, _, _ in periods)
        if started and not ended and not replaced:
            in_force.append(value)
    assert len(in_force) <= 1
    return ("set", in_force[0], j) if in_force else ("not_in_force", j)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees, region=st.sampled_from(ASKED), key=st.sampled_from(KEYS), offset=st.integers(-5, 90))
def test_params_agrees_with_brute_force(tree, region, key, offset):
    sources = tree_sources(tree)
    assert validate(sources, PROP_SCHEMA) == []
    table = Table(read(sources, PROP_SCHEMA), PROP_SCHEMA)
    on = BASE + datetime.timedelta(days=offset)
    p = table.params(region, on)
    expected = brute_force(tree, region, key, on)
    status = p.status(key)
    assert status == expected[0]
    if status == "set":
        found = p.resolved(key)
        assert (found.value, found.jurisdiction) == expected[1:]
        assert found.since is None or found.since <= on
        assert found.until is None or on <= found.until
    elif status == "not_in_force":
        with pytest.raises(ParameterNotInForce) as caught:
            p[key]
        assert caught.value.jurisdiction == expected[1]
    else:
        with pytest.raises(ParameterNotSet):
            p[key]
    # Asking again (cached) gives the same answer.
    assert table.params(region, on).status(key) == status


@pytest.mark.django_db
def test_each_street_judged_by_its_own_values_and_both_faces_agree(make_person, district_officer):
    """西一路街道 (street A) has its own hard-to-employ rules; 长乐中路街道 (street B) uses national ones."""
    from jiuye.registry import groups, services
    from jiuye.registry.models import Person

    today = timezone.localdate()
    with override_settings(JIUYE_PARAMETERS_DIR=str(FILES / "street_deployment")):
        people = {}
        for street, region in (("A", "610102001001"), ("B", "610102002001")):
            eight_months = make_person(birth="19900101", region=region)
            woman_42 = make_person(birth=(today - relativedelta(years=42, days=10)).strftime("%Y%m%d"),
                                   seq="024" if street == "A" else "026", region=region)
            dibao = make_person(birth="19920101", region=region, is_dibao=True)
            for person in (eight_months, woman_42, dibao):
                services.register_unemployment(actor=district_officer, person=person,
                                               effective_date=today - relativedelta(months=8 if person is eight_months else 2),
                                               unemployment_reason="dismissed")
            people[street] = (eight_months, woman_42, dibao)

        def hard(person):
            return "hard_to_employ" in {g.code for g in groups.groups_of(person)}

        a_eight, a_woman, a_dibao = people["A"]
        b_eight, b_woman, b_dibao = people["B"]
        assert hard(a_eight) and not hard(b_eight)  # 6 months in street A, 12 nationally
        assert not hard(a_woman) and hard(b_woman)  # women 45+ in street A, 40+ nationally
        assert not hard(a_dibao) and hard(b_dibao)  # street A does not recognise 低保 members
        persons = list(Person.objects.all())
        for on in (today, today - relativedelta(months=3), D(2020, 6, 30)):
            for rule in groups.GROUPS:
                expected = {p.pk for p in persons if rule.explain(groups.facts_for(p, on))}
                got = set(groups.filter_group(Person.objects.all(), rule.code, on).values_list("pk", flat=True))
                assert got == expected, (rule.code, on)
