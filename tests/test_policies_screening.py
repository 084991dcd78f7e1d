"""Screening (政策找人): stored runs, scope, the claimed flag, the catalogue's amounts."""
from decimal import Decimal

import pytest

from jiuye.accounts.models import AuditEntry
from jiuye.policies.models import Claim, ClaimStatus, RunStatus, ScreeningResult
from jiuye.policies.queries import catalogue
from jiuye.policies.queries import screening as queries
from jiuye.policies.services import screening
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.policies_helpers import D, hire, make_employer, policy, shipped  # noqa: F401


@pytest.fixture
def hires(shipped, district_officer, make_person):
    """Two graduates hired in 2020 by micro enterprises: one in street A, one in street B."""
    a = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1),
                    region=COMMUNITY_A1, name="张毕业")
    b = make_person(birth="19980606", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1),
                    region=COMMUNITY_B1, name="李毕业")
    firm_a = make_employer(district_officer, 1, size="micro", region=COMMUNITY_A1, name="甲企业")
    firm_b = make_employer(district_officer, 2, size="micro", region=COMMUNITY_B1, name="乙企业")
    reg_a = hire(district_officer, a, firm_a, D(2020, 8, 3))
    reg_b = hire(district_officer, b, firm_b, D(2020, 8, 4))
    return {"a": a, "b": b, "firm_a": firm_a, "firm_b": firm_b, "reg_a": reg_a, "reg_b": reg_b}


def test_a_run_is_stored_with_its_results_and_audited(hires, district_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    assert run.status == RunStatus.DONE, run.error
    rows = {(r.policy_code, r.person_id, r.amount, r.months) for r in run.results.all()}
    assert ("xc2020-hiring-once", hires["a"].pk, Decimal("1000.00"), None) in rows
    assert ("xc2020-si-employer", hires["b"].pk, Decimal("600.00"), 12) in rows
    assert run.result_count == run.results.count()
    assert "已完成" in run.progress
    assert AuditEntry.objects.filter(object_type="screening_run", object_id=str(run.pk)).exists()


def test_a_street_officers_run_has_only_their_street(hires, street_officer):
    run = screening.run_screening(street_officer, D(2020, 12, 31))
    regions = set(run.results.values_list("region_id", flat=True))
    assert regions and all(r.startswith("610102001") for r in regions)
    assert not run.results.filter(person=hires["b"]).exists()


def test_another_street_sees_nothing_of_that_run(hires, street_officer, other_street_officer):
    run = screening.run_screening(street_officer, D(2020, 12, 31))
    from jiuye.registry.queries import NotFound

    with pytest.raises(NotFound):
        queries.get_run(other_street_officer, run.pk)


def test_a_district_run_shows_a_street_officer_their_street_only(hires, district_officer, street_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    seen = queries.get_run(street_officer, run.pk)
    rows, _ = queries.search_results(street_officer, seen, queries.ResultSearch(limit=200))
    assert rows and {r.person_id for r in rows} == {hires["a"].pk}


def test_a_live_claim_marks_the_result_claimed(hires, district_officer):
    p = policy("xc2020-hiring-once")
    Claim.objects.create(number="T-1", policy=p, policy_code=p.code, kind=p.kind, beneficiary="employer",
                         person=hires["a"], employer=hires["firm_a"], beneficiary_key=f"E{hires['firm_a'].pk}",
                         region_id=COMMUNITY_A1, event_type="employment", event_id=hires["reg_a"].pk,
                         event_date=D(2020, 8, 3), unit="once", amount=Decimal("1000"), channel="worker",
                         status=ClaimStatus.SUBMITTED)
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    once = {r.person_id: r.claimed for r in run.results.filter(policy_code="xc2020-hiring-once")}
    assert once == {hires["a"].pk: True, hires["b"].pk: False}
    # the monthly subsidy of the same hire is another kind: not claimed
    assert not run.results.filter(policy_code="xc2020-si-employer", claimed=True).exists()
    outreach = queries.outreach(district_officer, run, policy="xc2020-hiring-once")
    people = [r.person_id for g in outreach for r in g["rows"]]
    assert people == [hires["b"].pk]


def test_a_withdrawn_claim_does_not_count(hires, district_officer):
    p = policy("xc2020-hiring-once")
    Claim.objects.create(number="T-2", policy=p, policy_code=p.code, kind=p.kind, beneficiary="employer",
                         person=hires["a"], employer=hires["firm_a"], beneficiary_key=f"E{hires['firm_a'].pk}",
                         region_id=COMMUNITY_A1, event_type="employment", event_id=hires["reg_a"].pk,
                         event_date=D(2020, 8, 3), unit="once", channel="worker", status=ClaimStatus.WITHDRAWN)
    run = screening.run_screening(district_officer, D(2020, 12, 31), codes=["xc2020-hiring-once"])
    assert not ScreeningResult.objects.filter(run=run, claimed=True).exists()
    assert set(run.results.values_list("policy_code", flat=True)) == {"xc2020-hiring-once"}


def test_an_unknown_policy_is_refused_with_its_name(shipped, district_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        screening.run_screening(district_officer, D(2020, 12, 31), codes=["xc2020-nope"])
    assert "xc2020-nope" in str(exc.value)


def test_an_auditor_may_not_start_a_run(shipped, auditor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        screening.run_screening(auditor, D(2020, 12, 31))


def test_the_catalogue_shows_1000_yuan_and_not_set(shipped):
    rows = {r["code"]: r for r in catalogue.catalogue()}
    once = rows["xc2020-hiring-once"]["benefits"][0]
    assert once["amount_text"] == "1000元" and once["params"][0]["cite"]
    retention = rows["xc2020-internship-retention"]["benefits"][0]
    assert retention["amount_text"] == catalogue.NOT_SET and not retention["is_set"]


# ---------------------------------------------------------------------------------------------
# Commands


def _call(*args):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_screen_exports_the_csv_header_and_rows(hires, tmp_path):
    target = tmp_path / "out.csv"
    code, out = _call("screen", "--as-of", "2020-12-31", "--export", str(target))
    assert code == 0 and "xc2020-hiring-once" in out and "每秒" in out
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "policy_id,beneficiary,person,amount,unit,months"
    assert f"xc2020-hiring-once,{hires['firm_a'].credit_code},{hires['a'].id_number},1000,once," in lines
    assert f"xc2020-si-employer,{hires['firm_b'].credit_code},{hires['b'].id_number},600,month,12" in lines


def test_screen_with_a_user_is_scoped_and_masks_for_a_city_officer(hires, street_officer, city_officer, tmp_path):
    from jiuye.registry.identity import mask_id_number

    target = tmp_path / "street.csv"
    _call("screen", "--as-of", "2020-12-31", "--export", str(target), "--user", street_officer.username)
    text = target.read_text(encoding="utf-8")
    assert hires["a"].id_number in text and hires["b"].id_number not in text  # a street officer sees full numbers
    target = tmp_path / "city.csv"
    _call("screen", "--as-of", "2020-12-31", "--export", str(target), "--user", city_officer.username)
    text = target.read_text(encoding="utf-8")
    assert hires["a"].id_number not in text and mask_id_number(hires["a"].id_number) in text


def test_policy_check_of_a_broken_pack_prints_file_line_and_exits_1(db, tmp_path):
    from jiuye.policies.pack import shipped_packs

    text = shipped_packs()[-1].read_text(encoding="utf-8").replace("graduating_year: true", "graduating_yaer: true", 1)
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    code, out = _call("policy", "check", str(broken))
    assert code == 1
    line = text.splitlines().index(next(x for x in text.splitlines() if "graduating_yaer" in x)) + 1
    assert f"broken.yaml:{line}:" in out
    assert out.strip().endswith("未加载任何政策")


def test_policy_check_of_the_shipped_packs_passes(db):
    from jiuye.policies.pack import shipped_packs

    code, out = _call("policy", "check", *[str(p) for p in shipped_packs()])
    assert code == 0 and out.startswith("通过：2 个文件，2 个政策包")


def test_policy_load_twice_is_one_version_and_a_change_is_a_second(db, tmp_path):
    from jiuye.policies.models import PackVersion
    from jiuye.policies.pack import shipped_packs

    source = [p for p in shipped_packs() if p.name.startswith("xc2020")][0]
    code, out = _call("policy", "load", str(source))
    assert code == 0 and "pack=xc2020 version=1" in out
    code, out = _call("policy", "load", str(source))
    assert "pack=xc2020 version=1" in out and PackVersion.objects.filter(pack__code="xc2020").count() == 1
    changed = tmp_path / "xc2020.yaml"
    changed.write_text(source.read_text(encoding="utf-8").replace("value: 1000", "value: 1200", 1), encoding="utf-8")
    code, out = _call("policy", "load", str(changed))
    assert "pack=xc2020 version=2" in out and PackVersion.objects.filter(pack__code="xc2020").count() == 2
    code, out = _call("policy", "list")
    assert "第 2 版" in out and "第 1 版" in out and "1200元" in out


def test_policy_explain_prints_the_trace_in_chinese(hires):
    code, out = _call("policy", "explain", "--person", hires["a"].id_number, "--employer", hires["firm_a"].credit_code,
                      "--policy", "xc2020-hiring-once", "--as-of", "2020-12-31")
    assert code == 0
    assert "✓ 毕业年度高校毕业生" in out
    assert "一次性吸纳就业补助标准 = 1000" in out and "新政发〔2020〕28号" in out
    assert "结论：符合；一次性1000元" in out
    code, out = _call("policy", "explain", "--person", hires["a"].id_number, "--policy", "xc2020-startup-once",
                      "--as-of", "2020-12-31")
    assert "✗ 就业形式属于" in out and "结论：不符合" in out


def test_policy_explain_with_a_user_outside_their_scope_is_not_found(hires, other_street_officer):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在或不在您的管辖范围内"):
        _call("policy", "explain", "--person", hires["a"].id_number, "--policy", "xc2020-hiring-once",
              "--as-of", "2020-12-31", "--user", other_street_officer.username)


def test_policy_explain_json_and_audit(hires, street_officer):
    import json

    code, out = _call("policy", "explain", "--person", hires["a"].id_number, "--employer", hires["firm_a"].credit_code,
                      "--policy", "xc2020-si-employer", "--as-of", "2020-12-31", "--json", "--user", street_officer.username)
    data = json.loads(out)
    assert data["entitlements"][0]["amount"] == "600.00" and data["entitlements"][0]["months"] == 12
    assert AuditEntry.objects.filter(object_type="person", object_id=str(hires["a"].pk), action="view",
                                     actor=street_officer).exists()


def test_the_daily_job_screens_everyone_marks_dead_runs_and_prunes_old_lists(shipped, district_officer, make_person):
    """政策找人 without anyone starting it: `jiuye refresh_projections` screens every policy in force as of the day."""
    import datetime as _dt
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from jiuye.policies.models import RunStatus, ScreeningResult, ScreeningRun
    from jiuye.policies.services import screening
    from tests.policies_helpers import hire, make_employer

    today = timezone.localdate()
    grad = make_person(birth="20000506", education="bachelor", school_type="university", graduation_date=today.replace(month=1, day=5))
    firm = make_employer(district_officer, 31, size="micro")
    hire(district_officer, grad, firm, today - _dt.timedelta(days=3))
    dead = ScreeningRun.objects.create(as_of=today, status=RunStatus.RUNNING, progress="进行中")
    ScreeningRun.objects.filter(pk=dead.pk).update(started_at=timezone.now() - _dt.timedelta(days=2))
    out = io.StringIO()
    call_command("refresh_projections", stdout=out)
    assert "政策找人：每日筛查符合条件" in out.getvalue() and "中断的筛查 1 次已标记失败" in out.getvalue()
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED and "后台任务中断" in dead.error
    run = ScreeningRun.objects.filter(started_by__isnull=True, status=RunStatus.DONE).latest("pk")
    assert run.as_of == today and ScreeningResult.objects.filter(run=run, person=grad, policy_code="xc2020-si-employer").exists()
    for _i in range(screening.DAILY_KEEP):
        screening.daily(today)
    assert not ScreeningResult.objects.filter(run=run).exists()  # the oldest lists pruned, the run and its count kept
    run.refresh_from_db()
    assert run.result_count > 0 and run.progress.startswith("结果已清理")
