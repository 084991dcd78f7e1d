"""Shared fixtures: the seed region tree and one user per role."""
from __future__ import annotations

from pathlib import Path

import pytest

from jiuye.accounts.models import Role, User
from jiuye.regions import services as region_services
from jiuye.regions.services import load_seed_regions

# The tests run on a test tree: 新城区's real streets with the synthetic communities they were written
# against (tests/data/xincheng_test_tree.yaml), loaded by the `regions` fixture in place of the shipped
# real list. 610102001002 (建设社区) exists only there; tests/test_regions.py checks the real list.
TEST_TREE = Path(__file__).resolve().parent / "data" / "xincheng_test_tree.yaml"

# Codes of the test tree.
XINCHENG = "610102000000"
STREET_A = "610102001000"  # 西一路街道
STREET_B = "610102002000"  # 长乐中路街道
COMMUNITY_A1 = "610102001001"
COMMUNITY_A2 = "610102001002"
COMMUNITY_B1 = "610102002001"
XIAN = "610100000000"

# Valid identity numbers (checksums correct): born 1990-03-07 male, 1985-07-15 female, etc.
from stdnum.cn import ric as _ric  # noqa: E402


def make_id(region6: str, birth: str, seq: str) -> str:
    """A valid 18-character identity number: region code, birth date YYYYMMDD, 3-digit sequence."""
    body = f"{region6}{birth}{seq}"
    return body + _ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


@pytest.fixture
def regions(db, monkeypatch):
    monkeypatch.setattr(region_services, "SEED_DISTRICT_FILES", [TEST_TREE])
    load_seed_regions()


def _user(username: str, role: str, region: str | None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pass-12345678", role=role, region_id=region, **extra)
    return user


@pytest.fixture
def community_worker(regions):
    return _user("cw_a1", Role.COMMUNITY_WORKER, COMMUNITY_A1, display_name="社区协理员")


@pytest.fixture
def street_officer(regions):
    return _user("so_a", Role.STREET_OFFICER, STREET_A, display_name="西一路街道干部")


@pytest.fixture
def other_street_officer(regions):
    return _user("so_b", Role.STREET_OFFICER, STREET_B, display_name="长乐中路街道干部")


@pytest.fixture
def district_officer(regions):
    return _user("do_xc", Role.DISTRICT_OFFICER, XINCHENG, display_name="新城区人社局")


@pytest.fixture
def city_officer(regions):
    return _user("co_xa", Role.CITY_OFFICER, XIAN, display_name="西安市人社局")


@pytest.fixture
def auditor(regions):
    return _user("au_xc", Role.AUDITOR, XINCHENG, display_name="审计员")


@pytest.fixture
def make_person(district_officer):
    """Create a person through the service, as the district officer."""
    from jiuye.registry import services

    counter = {"n": 0}

    def factory(*, birth: str = "19900307", seq: str | None = None, region: str = COMMUNITY_A1, name: str | None = None,
                hukou_type: str = "urban", **fields):
        counter["n"] += 1
        seq = seq or f"{(counter['n'] * 2 + 1) % 1000:03d}"  # odd: male; pass an even seq for female
        return services.create_person(
            actor=district_officer, id_number=make_id("610102", birth, seq), name=name or f"测试{counter['n']}",
            region=region, hukou_type=hukou_type, **fields,
        )

    return factory
