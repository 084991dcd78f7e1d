"""The supply-and-demand pages and the catalogue pages: figures, drill-down within scope, exports, publish."""
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiuye.monitoring.models import CatalogueStatus, ShortageCatalogue
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.jobs_helpers import make_employer, occupations  # noqa: F401
from tests.supply_helpers import D, published, seeker


def client_for(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.fixture
def market(district_officer, occupations, make_person):  # noqa: F811
    a1 = make_employer(district_officer, 1, region=COMMUNITY_A1, industry_code="62")
    b1 = make_employer(district_officer, 2, region=COMMUNITY_B1, industry_code="39")
    published(a1, D(2026, 10, 5), openings=3, title="厨师甲")
    published(b1, D(2026, 10, 6), openings=7, title="装配工乙")
    seeker(make_person(region=COMMUNITY_A1, name="张三"), D(2026, 10, 2))
    seeker(make_person(region=COMMUNITY_B1, name="李四"), D(2026, 10, 3))
    for month in range(1, 13):
        published(a1, D(2025, month, 10), openings=10, occupation_code="4-03-02-01")
    return a1


def test_page_shows_the_figures_and_the_drill_down_opens_to_the_records(district_officer, market):
    web = client_for(district_officer)
    page = web.get("/monitoring/supply/", {"period": "2026-10"}).content.decode()
    assert "西一路街道" in page and "长乐中路街道" in page and 'data-testid="supply-total"' in page
    assert "5.00" in page  # 10 openings / 2 seekers
    assert "monitoring-subnav" in page and "供求分析" in page
    records = web.get("/monitoring/supply/records/", {"side": "openings", "period": "2026-10", "dimension": "region",
                                                      "key": "610102002"}).content.decode()
    assert "装配工乙" in records and "厨师甲" not in records
    seekers = web.get("/monitoring/supply/records/", {"side": "seekers", "period": "2026-10"}).content.decode()
    assert "张三" in seekers and "李四" in seekers and "610102********" in seekers


def test_street_officer_cannot_drill_into_another_street(street_officer, market):
    web = client_for(street_officer)
    page = web.get("/monitoring/supply/", {"period": "2026-10"}).content.decode()
    assert "长乐中路街道" not in page
    other = web.get("/monitoring/supply/records/", {"side": "seekers", "period": "2026-10", "region": COMMUNITY_B1})
    assert "李四" not in other.content.decode()
    again = web.get("/monitoring/supply/records/", {"side": "seekers", "period": "2026-10", "dimension": "region",
                                                    "key": "610102002"}).content.decode()
    assert "李四" not in again and "没有记录" in again


def test_every_table_exports_to_excel(district_officer, market):
    web = client_for(district_officer)
    for table in ("figures", "series"):
        r = web.get("/monitoring/supply/", {"period": "2026-10", "format": "xlsx", "table": table})
        assert r.status_code == 200
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = list(ws.values)
        if table == "figures":
            assert rows[0][:4] == ("分组", "需求人数", "求职人数", "求人倍率")
            assert rows[-1][:4] == ("合计", 10, 2, "5.00")
        else:
            assert rows[-1][:3] == ("2026-10", 10, 2)
    r = web.get("/monitoring/supply/records/", {"side": "seekers", "period": "2026-10", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:2] == ("姓名", "公民身份号码") and len(rows) == 3 and "*" in rows[1][1]


def test_catalogue_compute_publish_and_read_by_a_resident(district_officer, street_officer, market):
    web = client_for(district_officer)
    r = web.post("/monitoring/shortage/new/", {"year": "2025", "region": district_officer.region_id})
    cat = ShortageCatalogue.objects.get()
    assert r.status_code == 302 and cat.status == CatalogueStatus.DRAFT
    assert "4-03-02-01" in web.get(f"/monitoring/shortage/{cat.pk}/").content.decode()
    assert client_for(street_officer).get(f"/monitoring/shortage/{cat.pk}/").status_code == 404  # a draft
    web.post(f"/monitoring/shortage/{cat.pk}/publish/", {"action": "publish"})
    cat.refresh_from_db()
    assert cat.status == CatalogueStatus.PUBLISHED
    assert client_for(street_officer).post(f"/monitoring/shortage/{cat.pk}/publish/").status_code == 403
    x = web.get(f"/monitoring/shortage/{cat.pk}/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(x.content)).active.values)
    assert rows[1][:3] == (1, "4-03-02-01", "中式烹调师")
    listing = client_for(street_officer).get("/monitoring/shortage/").content.decode()
    assert cat.title in listing and "共 1 条" in listing


def test_a_bad_period_is_a_message_not_a_crash(district_officer, market):
    r = client_for(district_officer).get("/monitoring/supply/", {"period": "2026-13"})
    assert r.status_code == 400 and "月份应为1至12" in r.content.decode()


def test_a_resident_reads_the_published_catalogue_of_their_district(district_officer, market, make_person):
    from jiuye.accounts.models import Role, User
    from jiuye.monitoring.services import catalogue as cs
    from jiuye.registry import services as registry

    draft = cs.compute_draft(district_officer, year=2025)
    resident = User.objects.create_user("resident_x", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=resident, person=make_person(region=COMMUNITY_B1))
    web = client_for(resident)
    assert web.get(f"/monitoring/shortage/{draft.pk}/").status_code == 404  # not before it is published
    cs.publish(district_officer, draft.pk)
    page = web.get(f"/monitoring/shortage/{draft.pk}/").content.decode()
    assert "中式烹调师" in page and "monitoring-subnav" not in page and "发布目录" not in page
    assert web.get("/monitoring/supply/").status_code == 403
