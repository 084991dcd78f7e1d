"""Rural labour transfer pages and API: the table with its chart and drill-down links, the persons behind a
figure (masked, in scope), the exports, API = web, and the monitoring home's rural panel."""
from __future__ import annotations

import datetime
import io
import re

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.registry import services as registry

from .conftest import COMMUNITY_A1, COMMUNITY_B1, make_id

D = datetime.date


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _people(officer):
    out = []
    for i, (place, region) in enumerate([("陕西省西安市新城区", COMMUNITY_A1), ("陕西省汉阴县", COMMUNITY_A1),
                                         ("甘肃省武威市凉州区", COMMUNITY_B1)]):
        p = registry.create_person(actor=officer, id_number=make_id("610102", "19920101", f"{2 * i + 1:03d}"),
                                   name=f"转移{i}", region=region, hukou_type="rural", hukou_place=place)
        registry.register_employment(actor=officer, person=p, effective_date=D(2026, 10, 8), employment_form="flexible")
        out.append(p)
    return out


def test_page_table_chart_and_drill_down(district_officer):
    people = _people(district_officer)
    c = _client(district_officer)
    page = c.get(reverse("web:rural_transfer") + "?period=2026-10").content.decode()
    assert "2026年10月" in page and 'data-testid="rural-new"' in page and 'data-testid="rural-stock"' in page
    assert 'class="chart"' in page and 'data-testid="monitoring-subnav"' in page
    assert "甘肃省武威市凉州区" in page  # the cross-province origin
    links = re.findall(r'href="(/monitoring/rural/persons/\?[^"]+)"', page)
    cross = next(link for link in links if "region=610102&amp;scope=cross" in link and "measure=new" in link).replace("&amp;", "&")
    persons = c.get(cross).content.decode()
    assert 'data-total="1"' in persons and people[2].name in persons and people[0].name not in persons
    assert people[2].id_number not in persons and people[2].id_number[:6] in persons
    x = c.get(cross + "&format=xlsx")
    rows = list(load_workbook(io.BytesIO(x.content)).active.values)
    assert rows[1][0] == people[2].name and "*" in rows[1][1]
    table = c.get(reverse("web:rural_transfer") + "?period=2026-10&format=xlsx")
    trows = list(load_workbook(io.BytesIO(table.content)).active.values)
    assert trows[0][:3] == ("口径", "登记地", "区划代码")
    assert [r[-1] for r in trows if r[1] == "合计"] == [3, 3]


def test_street_scope_and_api_equals_web(district_officer, street_officer, other_street_officer):
    _people(district_officer)
    for user, total in ((district_officer, 3), (street_officer, 2), (other_street_officer, 1)):
        c = _client(user)
        api = c.get("/api/v1/monitoring/rural-transfer?period=2026-10").json()
        assert api["new"]["total"]["total"] == total
        web = c.get(reverse("web:rural_transfer") + "?period=2026-10&format=xlsx")
        wrows = list(load_workbook(io.BytesIO(web.content)).active.values)
        assert [r[3:] for r in wrows if r[0] == "新增转移就业人数"] == [
            (r["local"], r["province"], r["cross"], r["unknown"], r["total"]) for r in [*api["new"]["rows"], api["new"]["total"]]]
        persons = c.get("/api/v1/monitoring/rural-transfer/persons?period=2026-10&measure=stock").json()
        assert persons["count"] == total and all("*" in p["id_number_masked"] for p in persons["items"])
    c = _client(street_officer)
    assert c.get("/api/v1/monitoring/rural-transfer?period=2026-10&region=610102002").status_code == 400
    assert c.get("/api/v1/monitoring/rural-transfer?period=13").status_code == 400
    assert c.get(reverse("web:rural_persons") + "?period=2026-10&region=610102002").status_code == 400


def test_home_shows_the_last_full_months_figures(district_officer):
    _people(district_officer)
    home = _client(district_officer).get(reverse("web:monitoring")).content.decode()
    assert 'data-testid="home-rural"' in home  # the last full month before today (the figures may be 0)
