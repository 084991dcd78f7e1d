"""Checking and loading policy packs: every mistake with file and line, nothing loaded when there is one;
versions kept (a decision made under version 1 still points at version 1)."""
import datetime
import io
import re

import pytest
from django.core.management import call_command

from jiuye.parameters import Source
from jiuye.policies import engine, pack
from jiuye.policies.models import PackVersion, Policy, PolicyPack
from jiuye.policies.services import packs
from jiuye.policies.services.packs import PackInvalid

GOOD = """\
jurisdiction: "610102"
name: 西安市新城区
pack: {code: t2020, title: 测试文件, document: 测试〔2020〕1号, issued_on: 2020-11-13}
parameters:
  policies.hiring_once.amount:
    - since: open
      value: 1000
      basis: {document: 测试〔2020〕1号, article: （七）}
policies:
  - id: t-hiring-once
    name: 一次性吸纳就业补助
    kind: hiring_once
    beneficiary: employer
    event: employment
    period: {from: 2020-01-01, to: 2020-12-31}
    conditions:
      - employer_size: [medium, small, micro]
      - graduating_year: true
      - contract_months_at_least: 12
    benefit: {unit: once, amount: policies.hiring_once.amount}
    limits: {once: true}
    basis: {document: 测试〔2020〕1号, article: （七）}
  - id: t-si
    name: 社会保险补贴
    kind: social_insurance
    beneficiary: person
    event: employment
    conditions:
      - social_insurance: true
    benefit:
      unit: month
      amount: policies.social_insurance.graduate.monthly
      max_months: policies.social_insurance.graduate.max_months
    basis: {document: 测试〔2020〕1号, article: （十六）}
"""


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert lines, needle
    return lines[nth]


def errors_of(text: str, name="t2020.yaml"):
    return pack.check([Source(name, text)]).errors


def test_the_good_pack_passes():
    checked = pack.check([Source("t2020.yaml", GOOD)])
    assert checked.errors == []
    assert [p["id"] for p in checked.packs[0].policies] == ["t-hiring-once", "t-si"]


# (mistake, replace this, with that, the line to be reported (a text on it), words of the message)
MISTAKES = [
    ("unknown condition", "      - graduating_year: true", "      - graduated_this_year: true", "graduated_this_year",
     ["未知条件", "graduated_this_year"]),
    ("condition not valid for the event", "      - social_insurance: true", "      - layoff_rate_at_most: 0.05",
     "layoff_rate_at_most", ["layoff_rate_at_most", "不适用于事件", "employment"]),
    ("bad argument", "contract_months_at_least: 12", "contract_months_at_least: 一年", "contract_months_at_least",
     ["contract_months_at_least", "非负整数"]),
    ("bad list value", "[medium, small, micro]", "[medium, small, tiny]", "tiny", ["tiny", "无效"]),
    ("unknown event", "    event: employment\n    period", "    event: hiring\n    period", "event: hiring",
     ["未知事件", "hiring"]),
    ("beneficiary not allowed", "    beneficiary: person", "    beneficiary: employer\n    # x", None, None),
    ("amount not a declared parameter", "amount: policies.hiring_once.amount}", "amount: 1000}", "amount: 1000",
     ["1000", "不是已声明的参数"]),
    ("amount of a non-numeric parameter", "amount: policies.hiring_once.amount}", "amount: assistance.posts.payroll_prorate}",
     "assistance.posts.payroll_prorate", ["assistance.posts.payroll_prorate", "数值参数"]),
    ("fact not valid for the event", "amount: policies.hiring_once.amount}", "amount: {fact: premiums_total}}", "premiums_total",
     ["premiums_total", "不适用于事件"]),
    ("once-subsidy without limits", "    limits: {once: true}\n", "", "- id: t-hiring-once", ["一次性补贴须写限制"]),
    ("month unit without max_months", "      max_months: policies.social_insurance.graduate.max_months\n", "",
     ("unit: month", 0), ["按月发放须写最长月数"]),
    ("duplicate id", "  - id: t-si", "  - id: t-hiring-once", "id: t-hiring-once", ["重复"]),
    ("missing basis", "    basis: {document: 测试〔2020〕1号, article: （十六）}\n", "", "- id: t-si", ["缺少 basis"]),
    ("bad date", "from: 2020-01-01, to: 2020-12-31", "from: 2020-13-01, to: 2020-12-31", "2020-13-01", None),
    ("period to before from", "from: 2020-01-01, to: 2020-12-31", "from: 2020-06-01, to: 2020-01-31", "2020-06-01",
     ["截止日期早于起始日期"]),
    ("parameter mistake in the same file", "      value: 1000\n", "      value: 一千\n", "value: 一千",
     ["policies.hiring_once.amount"]),
    ("unknown parameter in the same file", "  policies.hiring_once.amount:\n", "  policies.hiring_once.amout:\n",
     "amout", ["未知参数"]),
    ("unknown field of a policy", "    kind: social_insurance", "    kind: social_insurance\n    kinds: x", "kinds: x",
     ["kinds"]),
    ("limits on a monthly subsidy", "      max_months: policies.social_insurance.graduate.max_months\n",
     "      max_months: policies.social_insurance.graduate.max_months\n    limits: {once: true}\n",
     ("limits: {once: true}", 1), ["不写 limits"]),
    ("once with a month unit", "    limits: {once: true}\n", "    limits: {once: true, times: policies.loan_interest.max_times}\n",
     "limits:", ["只写其一"]),
]


@pytest.mark.parametrize("what,old,new,at,words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_every_mistake_with_file_and_line(what, old, new, at, words):
    assert old in GOOD, what
    if what == "beneficiary not allowed":  # a benefit_end policy may pay only the person
        text = GOOD.replace("    event: employment\n    conditions:\n      - social_insurance: true",
                            "    event: benefit_end\n    conditions:\n      - benefit_months_at_least: 1")
        text = text.replace("  - id: t-si\n    name: 社会保险补贴\n    kind: social_insurance\n    beneficiary: person",
                            "  - id: t-si\n    name: 社会保险补贴\n    kind: social_insurance\n    beneficiary: employer")
        at, words = "beneficiary: employer", ["受益对象只能是", "person"]
        assert text.count("beneficiary: employer") == 2
        errors = errors_of(text)
        assert len(errors) == 1, errors
        assert errors[0].line == line_of(text, at, 1) and all(w in errors[0].message for w in words), errors
        return
    text = GOOD.replace(old, new, 1)
    errors = errors_of(text)
    assert errors, f"{what}: no error"
    assert all(e.path == "t2020.yaml" for e in errors)
    nth = 1 if what == "duplicate id" else 0
    if isinstance(at, tuple):
        at, nth = at
    expected = line_of(text, at, nth)
    assert expected in [e.line for e in errors], (what, expected, [str(e) for e in errors])
    if words:
        hit = [e for e in errors if e.line == expected]
        assert any(all(w in e.message for w in words) for e in hit), (what, [str(e) for e in hit])


def test_several_mistakes_are_all_reported_at_once():
    text = (GOOD.replace("graduating_year: true", "graduated_this_year: true")
            .replace("      max_months: policies.social_insurance.graduate.max_months\n", "")
            .replace("      value: 1000\n", "      value: 一千\n"))
    lines = {e.line for e in errors_of(text)}
    assert {line_of(text, "graduated_this_year"), line_of(text, "unit: month"), line_of(text, "value: 一千")} <= lines


def test_params_check_reports_the_same_mistakes(tmp_path):
    """`jiuye params check` runs the same validator over a pack (and `jiuye policy check` calls pack.check)."""
    path = tmp_path / "t2020.yaml"
    path.write_text(GOOD.replace("graduating_year: true", "graduated_this_year: true"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("params", "check", str(path), stdout=out)
    assert exc.value.code != 0
    text = out.getvalue()
    assert f"{path}:{line_of(path.read_text(encoding='utf-8'), 'graduated_this_year')}:" in text and "未知条件" in text
    ok = tmp_path / "ok" / "t2020.yaml"
    ok.parent.mkdir()
    ok.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("params", "check", str(ok), stdout=out)
    assert "通过" in out.getvalue()


def test_the_shipped_packs_pass_the_check():
    checked = pack.check(pack.shipped_packs())
    assert checked.errors == [], [str(e) for e in checked.errors]
    assert {p.code for p in checked.packs} == {"xc2020", "ak2022"}
    ids = [p["id"] for pf in checked.packs if pf.code == "xc2020" for p in pf.policies]
    for code in ("xc2020-hiring-once", "xc2020-si-employer", "xc2020-si-flexible", "xc2020-startup-once",
                 "xc2020-startup-service", "xc2020-loan-interest", "xc2020-unemployment-assistance",
                 "xc2020-benefit-to-retirement", "xc2020-temporary-post", "xc2020-internship-retention",
                 "xc2020-job-stabilisation-refund", "xc2020-training", "xc2020-job-search"):
        assert code in ids


# ---------------------------------------------------------------------------------------------
# loading: nothing when there is a mistake; versions


def test_nothing_is_loaded_when_there_is_a_mistake(db):
    bad = GOOD.replace("graduating_year: true", "graduated_this_year: true")
    with pytest.raises(PackInvalid) as exc:
        packs.load(Source("t2020.yaml", bad))
    assert any(re.match(r"t2020\.yaml:\d+: 未知条件", m) for m in exc.value.messages), exc.value.messages
    assert not PolicyPack.objects.exists() and not PackVersion.objects.exists() and not Policy.objects.exists()


def test_versions_are_kept_and_decisions_point_at_theirs(db, regions):
    engine.clear_tables()
    v1 = packs.load(Source("t2020.yaml", GOOD))
    assert v1.number == 1 and v1.policies.count() == 2
    again = packs.load(Source("t2020.yaml", GOOD))
    assert again.pk == v1.pk and PackVersion.objects.count() == 1  # unchanged text loads nothing new
    decided = engine.current_policy("t-hiring-once")
    assert decided.version_id == v1.pk
    from jiuye.policies.models import Claim

    claim = Claim.objects.create(number="V1-0001", policy=decided, policy_code=decided.code, kind=decided.kind,
                                 beneficiary="employer", beneficiary_key="E1", region_id="610102001001",
                                 event_type="employment", event_id=1, event_date=datetime.date(2020, 8, 1), unit="once",
                                 amount=1000, channel="worker", decision_policy=decided, decision_trace={"policy": {"version": 1}})
    changed = GOOD.replace("      value: 1000\n", "      value: 1500\n")
    v2 = packs.load(Source("t2020.yaml", changed))
    assert v2.number == 2 and PackVersion.objects.filter(pack__code="t2020").count() == 2
    assert Policy.objects.filter(code="t-hiring-once").count() == 2  # version 1's policy is kept
    assert engine.current_policy("t-hiring-once").version_id == v2.pk
    # what version 1 decided still reads version 1: its policy, its text, its values
    claim.refresh_from_db()
    assert claim.policy.version.number == 1 and claim.decision_policy.version_id == v1.pk
    decided.refresh_from_db()
    assert decided.version.number == 1 and "value: 1000" in decided.version.text
    old_value = [v for v in decided.version.values if v["key"] == "policies.hiring_once.amount"][0]["value"]
    new_value = [v for v in v2.values if v["key"] == "policies.hiring_once.amount"][0]["value"]
    assert (str(old_value), str(new_value)) == ("1000", "1500")
    from jiuye.parameters.resolve import NotSetAnswer

    t1, t2 = engine.table_for([decided.version]), engine.table_for([v2])
    on = datetime.date(2020, 6, 1)
    a1 = t1.answers("610102001001", on).get("policies.hiring_once.amount")
    a2 = t2.answers("610102001001", on).get("policies.hiring_once.amount")
    assert not isinstance(a1, NotSetAnswer) and str(a1.value) == "1000" and str(a2.value) == "1500"


def test_a_pack_cannot_change_jurisdiction(db, regions):
    packs.load(Source("t2020.yaml", GOOD))
    with pytest.raises(PackInvalid) as exc:
        packs.load(Source("t2020.yaml", GOOD.replace('jurisdiction: "610102"', 'jurisdiction: "6109"')))
    assert "已属于辖区" in exc.value.messages[0]
    assert PackVersion.objects.count() == 1


def test_the_format_reference_names_every_event_condition_and_fact():
    """docs/policies/packs.md stays complete: a new word in the vocabulary needs its line there."""
    from pathlib import Path

    from jiuye.policies.vocabulary import CONDITIONS, EVENTS, FACTS

    text = (Path(__file__).resolve().parent.parent / "docs" / "policies" / "packs.md").read_text(encoding="utf-8")
    missing = [name for name in [*EVENTS, *CONDITIONS, *FACTS] if f"`{name}`" not in text]
    assert not missing, f"docs/policies/packs.md does not describe: {missing}"
