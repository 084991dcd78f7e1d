"""Targets: the seeds as data, create/replace/breakdown, input values, 序时进度, status and ranking.

Until the kpis part's ``compute`` is merged, ``compute`` is monkeypatched to return chosen values."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.periods import Span, parse_period
from jiuye.regions.models import Region
from jiuye.targets import progress, queries, seeds, services
from jiuye.targets.kpis import compute as compute_module
from jiuye.targets.kpis.compute import KpiValue
from jiuye.targets.models import InputValue, Target
from tests.conftest import COMMUNITY_A1, STREET_A, STREET_B, XIAN, XINCHENG

pytestmark = pytest.mark.django_db


def _target(actor, **over):
    data = {"kpi": "new_urban_jobs", "region": XINCHENG, "plan": "新城区2024年目标", "start_year": 2024,
            "end_year": 2024, "scope": "annual", "value": "12000"}
    data.update(over)
    return services.create_target(actor, data)


@pytest.fixture
def fake_compute(monkeypatch):
    """compute returns VALUES[(region, kpi, period code)] (None when absent); CALLS records the periods asked."""
    values: dict = {}
    calls: list = []

    def compute(region_codes, period, *, codes=None, known_on=None):
        calls.append(period.code)
        return {(r, c): KpiValue(c, r, period.code, values.get((r, c, period.code))) for r in region_codes for c in codes}

    monkeypatch.setattr(compute_module, "compute", compute)
    from jiuye.targets.kpis import cache
    monkeypatch.setattr(cache, "compute", compute)
    return values, calls


# -- seeds -------------------------------------------------------------------------------------------


def test_every_seed_file_reads_and_counts_per_plan():
    counts = {}
    for path in seeds.files():
        doc = seeds.read(path)
        rows = seeds.rows_of(doc)
        counts[doc["region"]] = counts.get(doc["region"], []) + rows
    wuwei = counts["620600000000"]
    assert len(wuwei) == 12
    assert sum(1 for r in wuwei if r["nature"] == "binding") == 2
    assert sum(1 for r in wuwei if r["scope"] == "cumulative") == 6
    jobs = next(r for r in wuwei if r["kpi"] == "new_urban_jobs")
    assert jobs["value"] == Decimal("75000") and jobs["value_text"] == "〔7.5〕" and jobs["baseline_text"] == "2.06"
    ankang = counts["610900000000"]
    assert len(ankang) == 12
    zero = next(r for r in ankang if r["kpi"] == "zero_employment_households")
    assert zero["comparator"] == "equal" and zero["value"] == 0
    assert {r["kpi"]: r["value"] for r in ankang if r["kpi"].startswith("fe_") or r["kpi"] == "full_employment_communities"} == {
        "fe_communities_national": 4, "fe_communities_provincial_star": 20, "fe_communities_provincial": 45,
        "full_employment_communities": 1500}
    assert len(counts["610102000000"]) == 2
    assert len(counts["610100000000"]) == 26


def test_load_targets_is_idempotent_and_skips_missing_regions(regions, monkeypatch):
    # the test tree has 新城区 and (as its parent) 西安; 武威 and 安康 may be missing: skipped with a message
    call_command("load_targets", stdout=open("/dev/null", "w"))
    first = Target.objects.filter(source="seed", is_current=True).count()
    reports = seeds.load_all()
    assert all(r.created == 0 and r.replaced == 0 for r in reports)
    assert Target.objects.filter(source="seed", is_current=True).count() == first
    xc = Target.objects.get(region_id=XINCHENG, kpi="new_urban_jobs", is_current=True)
    assert xc.value == 15360 and xc.scope == "annual" and xc.start_year == 2020
    for r in reports:
        region_exists = Region.objects.filter(code=seeds.read(seeds.DATA_DIR / r.file)["region"]).exists()
        assert bool(r.skipped) != region_exists
        if r.skipped:
            assert "不在本库中" in r.skipped
    if Region.objects.filter(code="620600000000").exists():
        wuwei = Target.objects.filter(region_id="620600000000", is_current=True)
        assert wuwei.count() == 12 and wuwei.filter(nature="binding").count() == 2
        assert wuwei.get(kpi="surveyed_unemployment_rate").baseline_comparator == "about"


# -- services ----------------------------------------------------------------------------------------


def test_create_validates_every_field_in_chinese(district_officer):
    with pytest.raises(ValidationError) as exc:
        services.create_target(district_officer, {"kpi": "nope", "region": XINCHENG, "plan": "", "start_year": "20x",
                                                  "end_year": 2024, "value": "abc"})
    errors = exc.value.message_dict
    assert "指标“nope”不在指标目录中" in errors["kpi"][0]
    assert "请填写规划" in errors["plan"][0]
    assert "20x" in errors["start_year"][0]
    assert "abc" in errors["value"][0]
    with pytest.raises(ValidationError) as exc:
        _target(district_officer, kpi="registered_unemployment_rate", scope="cumulative", start_year=2021, end_year=2025)
    assert "比率，不能设累计目标" in exc.value.message_dict["scope"][0]


def test_create_is_scoped_and_audited(district_officer, street_officer, leader):
    with pytest.raises(OutOfScope):
        _target(street_officer)  # street officers do not manage targets
    with pytest.raises(OutOfScope):
        _target(leader)
    with pytest.raises(OutOfScope):
        _target(district_officer, region=XIAN)  # above the district
    t = _target(district_officer)
    assert t.comparator == "at_least" and t.is_current
    assert AuditEntry.objects.filter(object_type="target", object_id=str(t.pk), action="create").exists()
    with pytest.raises(ValidationError) as exc:
        _target(district_officer)
    assert "已有" in exc.value.message_dict["kpi"][0] and "修订" in exc.value.message_dict["kpi"][0]


def test_baseline_as_written(district_officer):
    t = _target(district_officer, kpi="surveyed_unemployment_rate", scope="level", start_year=2021, end_year=2025,
                value="", value_text="<6", baseline_text="≈6", baseline_year=2020)
    assert (t.comparator, t.value, t.baseline_comparator, t.baseline_value) == ("below", 6, "about", 6)
    t2 = _target(district_officer, kpi="graduate_destination_rate", scope="level", start_year=2021, end_year=2025,
                 value="90", comparator="at_least", baseline_text="—")
    assert t2.baseline_value is None and t2.baseline_text == "—"


def test_replace_keeps_the_old_version(district_officer):
    t = _target(district_officer)
    with pytest.raises(ValidationError) as exc:
        services.replace_target(district_officer, t, {"value": "13000"})
    assert "修订原因" in exc.value.message_dict["reason"][0]
    new = services.replace_target(district_officer, t, {"value": "13000"}, reason="区政府调整")
    t.refresh_from_db()
    assert not t.is_current and new.is_current and new.replaces == t and new.value == 13000
    assert [x.pk for x in queries.history(t)] == [new.pk, t.pk]
    with pytest.raises(ValidationError):
        services.replace_target(district_officer, t, {"value": "1"}, reason="x")


def test_breakdown_counts_must_add_up(district_officer):
    t = _target(district_officer, value="15360")
    kids = list(Region.objects.filter(parent_id=XINCHENG).order_by("code").values_list("code", flat=True))
    values = {c: 0 for c in kids}
    values[kids[0]] = 14800
    with pytest.raises(ValidationError) as exc:
        services.breakdown(district_officer, t, values)
    assert exc.value.message_dict["values"][0] == "分解合计14,800，与上级目标15,360相差560"
    missing = dict(values)
    del missing[kids[1]]
    with pytest.raises(ValidationError) as exc:
        services.breakdown(district_officer, t, missing)
    assert any("请填写" in m for ms in exc.value.message_dict.values() for m in ms)
    values[kids[1]] = 560
    made = services.breakdown(district_officer, t, values)
    assert len(made) == len(kids) and all(c.parent == t and c.source == "breakdown" for c in made)
    assert sum(c.value for c in made) == 15360
    # a second breakdown replaces the children's targets
    values[kids[0]], values[kids[1]] = 14000, 1360
    again = services.breakdown(district_officer, t, values)
    assert Target.objects.filter(parent=t, is_current=True).count() == len(kids)
    assert again[0].replaces is not None


def test_breakdown_of_a_ceiling_gives_each_child_its_own_value(district_officer):
    t = _target(district_officer, kpi="registered_unemployment_rate", value="4", comparator="below")
    made = services.breakdown(district_officer, t, {STREET_A: "3.5", STREET_B: "4"})
    assert sorted(c.value for c in made) == [Decimal("3.5"), Decimal("4")]


def test_input_values_and_corrections(district_officer, street_officer):
    row, what = services.enter_input_value(district_officer, kpi="graduate_destination_rate", region_code=XINCHENG,
                                           period="2024", value="91.5", source="市教育局")
    assert what == "created"
    _, what = services.enter_input_value(district_officer, kpi="graduate_destination_rate", region_code=XINCHENG,
                                         period="2024", value="91.5", source="市教育局")
    assert what == "unchanged"
    new, what = services.enter_input_value(district_officer, kpi="graduate_destination_rate", region_code=XINCHENG,
                                           period="2024", value="92", source="市教育局", note="更正")
    assert what == "corrected" and new.replaces == row
    assert InputValue.objects.filter(kpi="graduate_destination_rate").count() == 2
    with pytest.raises(ValidationError) as exc:
        services.enter_input_value(district_officer, kpi="new_urban_jobs", region_code=XINCHENG, period="2024-13",
                                   value="120", source="")
    e = exc.value.message_dict
    assert "由登记数据计算" in e["kpi"][0] and "月份" in e["period"][0] and "数据来源" in e["source"][0]
    with pytest.raises(OutOfScope):
        services.enter_input_value(street_officer, kpi="graduate_destination_rate", region_code=STREET_A,
                                   period="2024", value="90", source="x")


# -- progress ----------------------------------------------------------------------------------------

TH = {"amber_gap": Decimal("0.05"), "red_gap": Decimal("0.15"), "amber_share": Decimal("0.9")}


def _t(**kw):
    base = dict(kpi="new_urban_jobs", start_year=2024, end_year=2024, scope="annual", comparator="at_least",
                value=Decimal(12000), id=1)
    base.update(kw)
    return Target(**base)


def test_elapsed_share():
    assert progress.elapsed_share(_t(), parse_period("2024-06")) == Decimal("0.4973")  # 182/366
    assert progress.elapsed_share(_t(), parse_period("2024")) == 1
    five = _t(start_year=2021, end_year=2025, scope="cumulative")
    assert progress.elapsed_share(five, parse_period("2022-12")) == Decimal("0.3998")  # 730/1826
    assert progress.elapsed_share(five, parse_period("2026")) == 1
    assert progress.needs(five, __import__("jiuye.targets.kpis.catalogue", fromlist=["KPIS"]).KPIS["new_urban_jobs"],
                          parse_period("2023-06")) == [parse_period("2021"), parse_period("2022"),
                                                        Span(datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))]


@pytest.mark.parametrize("actual,status", [(6000, "green"), (5000, "amber"), (4000, "red"), (12500, "green")])
def test_count_status_against_elapsed_share(actual, status):
    from jiuye.targets.kpis.catalogue import KPIS

    j = progress.judge(_t(), KPIS["new_urban_jobs"], parse_period("2024-06"), Decimal(actual), TH)
    assert j.status == status
    if actual == 6000:
        assert j.status_text == "完成目标的50.0%，序时进度49.7%"


@pytest.mark.parametrize("rate,comparator,status", [("3.21", "below", "green"), ("3.7", "below", "amber"),
                                                    ("4", "below", "red"), ("4", "at_most", "amber"),
                                                    ("4.01", "at_most", "red")])
def test_ceiling_status(rate, comparator, status):
    from jiuye.targets.kpis.catalogue import KPIS

    t = _t(kpi="registered_unemployment_rate", comparator=comparator, value=Decimal(4))
    j = progress.judge(t, KPIS["registered_unemployment_rate"], parse_period("2024-06"), Decimal(rate), TH)
    assert j.status == status and j.progress is None and j.elapsed_share is None
    if rate == "3.21":
        assert j.status_text == "3.21%，控制目标＜4%"


def test_zero_households_red_above_zero():
    from jiuye.targets.kpis.catalogue import KPIS

    t = _t(kpi="zero_employment_households", comparator="equal", value=Decimal(0), scope="level")
    k = KPIS["zero_employment_households"]
    assert progress.judge(t, k, parse_period("2024-06"), Decimal(0), TH).status == "green"
    j = progress.judge(t, k, parse_period("2024-06"), Decimal(2), TH)
    assert j.status == "red" and j.status_text == "2户，目标动态清零"


# -- queries -----------------------------------------------------------------------------------------


def test_overview_year_to_date_and_scope(district_officer, street_officer, leader, fake_compute):
    values, calls = fake_compute
    _target(district_officer)
    values[(XINCHENG, "new_urban_jobs", "2024-01..2024-06")] = Decimal(7000)
    values[(XINCHENG, "new_urban_jobs", "2024-06")] = Decimal(900)
    [s] = queries.overview(leader, XINCHENG, parse_period("2024-06"), codes=["new_urban_jobs"])
    assert s.value == 900 and s.actual == 7000 and s.target_value == 12000
    assert s.progress == Decimal("0.5833") and s.elapsed_share == Decimal("0.4973") and s.status == "green"
    assert s.status_text == "完成目标的58.3%，序时进度49.7%" and s.compared_label == "2024年1—6月"
    with pytest.raises(OutOfScope):
        queries.overview(street_officer, XINCHENG, parse_period("2024-06"))
    [none] = queries.overview(leader, XINCHENG, parse_period("2023-06"), codes=["new_urban_jobs"])
    assert none.target is None and none.status == "none"


def test_cumulative_target_adds_the_plan_years(district_officer, fake_compute):
    values, calls = fake_compute
    _target(district_officer, start_year=2021, end_year=2025, scope="cumulative", value="60000")
    for y, v in ((2021, 12000), (2022, 13000)):
        values[(XINCHENG, "new_urban_jobs", str(y))] = Decimal(v)
    values[(XINCHENG, "new_urban_jobs", "2023-01..2023-06")] = Decimal(5000)
    values[(XINCHENG, "new_urban_jobs", "2023-06")] = Decimal(800)
    [s] = queries.overview(district_officer, XINCHENG, parse_period("2023-06"), codes=["new_urban_jobs"])
    assert s.actual == 30000 and s.progress == Decimal("0.5000")
    assert s.compared_label == "2021年1月—2023年6月累计"
    assert s.elapsed_share == Decimal("0.4989")  # (365+365+181)/1826


def test_children_ranked_counts_by_progress_rates_by_value(district_officer, fake_compute):
    values, _ = fake_compute
    parent = _target(district_officer, value="1000")
    kids = list(Region.objects.filter(parent_id=XINCHENG).order_by("code").values_list("code", flat=True))
    split = {c: 0 for c in kids}
    split[STREET_A], split[STREET_B] = 600, 400
    services.breakdown(district_officer, parent, split)
    ytd = "2024-01..2024-06"
    values[(STREET_A, "new_urban_jobs", ytd)] = Decimal(300)  # 50%
    values[(STREET_B, "new_urban_jobs", ytd)] = Decimal(280)  # 70%
    ranked = queries.children(district_officer, XINCHENG, parse_period("2024-06"), "new_urban_jobs")
    assert [s.region_code for s in ranked[:2]] == [STREET_B, STREET_A]
    assert ranked[0].rank == 1 and ranked[1].rank == 2 and ranked[0].siblings == len(kids)
    values[(STREET_A, "registered_unemployment_rate", "2024-06")] = Decimal("3.1")
    values[(STREET_B, "registered_unemployment_rate", "2024-06")] = Decimal("2.4")
    rates = queries.children(district_officer, XINCHENG, parse_period("2024-06"), "registered_unemployment_rate")
    assert [s.region_code for s in rates[:2]] == [STREET_B, STREET_A]  # lower is better
    assert all(s.rank is None for s in rates[2:])


def test_trend_and_targets_of(district_officer, leader, fake_compute):
    values, _ = fake_compute
    _target(district_officer)
    months = [parse_period(f"2024-{m:02d}") for m in (1, 2, 3)]
    out = queries.trend(leader, XINCHENG, "new_urban_jobs", months)
    assert [s.period for s in out] == months and all(s.target is not None for s in out)
    assert [t.kpi for t in queries.targets_of(leader, XINCHENG, year=2024)] == ["new_urban_jobs"]
    assert queries.targets_of(leader, XINCHENG, year=2019) == []


def test_a_plan_of_a_region_not_in_the_database_is_skipped(regions, tmp_path):
    path = tmp_path / "urumqi.yaml"
    path.write_text("plan: 乌鲁木齐示例\nregion: '650100000000'\nregion_name: 乌鲁木齐市\nstart_year: 2021\n"
                    "end_year: 2025\ntargets:\n  - {kpi: new_urban_jobs, target: '[10]', factor: 10000}\n",
                    encoding="utf-8")
    report = seeds.load_file(path)
    assert report.skipped == "区划乌鲁木齐市（650100000000）不在本库中，跳过“乌鲁木齐示例”"
    assert not Target.objects.filter(plan="乌鲁木齐示例").exists()
    seeds.load_all()
    wuwei = Target.objects.filter(region_id="620600000000", is_current=True)
    assert wuwei.count() == 12 and wuwei.filter(nature="binding").count() == 2
    ankang = Target.objects.filter(region_id="610900000000", is_current=True)
    assert ankang.count() == 12 and ankang.get(kpi="full_employment_communities").value == 1500
    assert Target.objects.filter(region_id=XIAN, is_current=True).count() == 26


def test_known_on_uses_the_targets_as_they_were(district_officer, fake_compute):
    import datetime as dt

    from django.utils import timezone

    values, _ = fake_compute
    t = _target(district_officer)
    Target.objects.filter(pk=t.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    new = services.replace_target(district_officer, Target.objects.get(pk=t.pk), {"value": "20000"}, reason="调整")
    values[(XINCHENG, "new_urban_jobs", "2024-01..2024-06")] = Decimal(6000)
    [now] = queries.overview(district_officer, XINCHENG, parse_period("2024-06"), codes=["new_urban_jobs"])
    assert now.target == new and now.target_value == 20000
    then = timezone.now() - dt.timedelta(days=5)
    [old] = queries.overview(district_officer, XINCHENG, parse_period("2024-06"), codes=["new_urban_jobs"], known_on=then)
    assert old.target.pk == t.pk and old.target_value == 12000
    early = timezone.now() - dt.timedelta(days=20)
    [none] = queries.overview(district_officer, XINCHENG, parse_period("2024-06"), codes=["new_urban_jobs"], known_on=early)
    assert none.target is None
