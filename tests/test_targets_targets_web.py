"""Targets management pages: list (count, filter, export), detail (versions, progress, children), new,
replace, breakdown refused with the difference, input values (entry, correction, list)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jiuye.regions.models import Region
from jiuye.targets import services
from jiuye.targets.models import InputValue, Target
from tests.conftest import STREET_A, STREET_B, XINCHENG

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.fixture
def values(fake_kpis):
    return fake_kpis


FORM = {"kpi": "new_urban_jobs", "region": XINCHENG, "plan": "新城区2024年目标", "start_year": "2024",
        "end_year": "2024", "scope": "annual", "nature": "expected", "value_text": "15360"}


def test_new_list_detail_replace(district_officer, leader, street_officer, values):
    c = client_for(district_officer)
    bad = c.post(reverse("web:target_new"), {**FORM, "value_text": "abc"})
    assert bad.status_code == 400 and "abc" in bad.content.decode()
    r = c.post(reverse("web:target_new"), FORM)
    assert r.status_code == 302
    t = Target.objects.get()
    page = client_for(leader).get(reverse("web:target_list")).content.decode()
    assert 'data-total="1"' in page and "城镇新增就业人数" in page and "15360" in page
    assert "新建目标" not in page  # leadership reads, does not manage
    export = client_for(leader).get(reverse("web:target_list") + "?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    values[(XINCHENG, "new_urban_jobs", "2024-01..2024-06")] = Decimal(9000)
    detail = client_for(leader).get(reverse("web:target", args=[t.pk]) + "?period=2024-06").content.decode()
    assert "完成目标的58.6%，序时进度49.7%" in detail
    assert client_for(street_officer).get(reverse("web:target", args=[t.pk])).status_code == 404
    r = c.post(reverse("web:target_replace", args=[t.pk]), {**FORM, "value_text": "16000", "reason": "区政府调整"})
    assert r.status_code == 302
    new = Target.objects.get(is_current=True)
    assert new.value == 16000 and new.replaces_id == t.pk and new.kpi == "new_urban_jobs"
    detail = c.get(reverse("web:target", args=[new.pk])).content.decode()
    assert detail.count('data-testid="version-row"') == 2
    assert client_for(leader).get(reverse("web:target_new")).status_code == 403


def test_breakdown_form(district_officer, values):
    t = services.create_target(district_officer, {**FORM, "value": "15360"})
    kids = list(Region.objects.filter(parent_id=XINCHENG).order_by("code").values_list("code", flat=True))
    data = {f"value_{k}": "0" for k in kids}
    data[f"value_{STREET_A}"] = "14800"
    c = client_for(district_officer)
    r = c.post(reverse("web:target_breakdown", args=[t.pk]), data)
    assert r.status_code == 400 and "分解合计14,800，与上级目标15,360相差560" in r.content.decode()
    data[f"value_{STREET_B}"] = "560"
    r = c.post(reverse("web:target_breakdown", args=[t.pk]), data)
    assert r.status_code == 302
    assert Target.objects.filter(parent=t).count() == len(kids)
    values[(STREET_A, "new_urban_jobs", "2024")] = Decimal(7400)
    detail = c.get(reverse("web:target", args=[t.pk]) + "?period=2024").content.decode()
    assert detail.count('data-testid="child-row"') == len(kids) and "完成目标的50.0%" in detail


def test_input_values_pages(district_officer, leader):
    c = client_for(district_officer)
    body = {"kpi": "graduate_destination_rate", "region": XINCHENG, "period": "2024", "value": "91.5", "source": "市教育局"}
    assert c.post(reverse("web:input_value_new"), body).status_code == 302
    assert c.post(reverse("web:input_value_new"), {**body, "value": "92", "note": "教育局更正"}).status_code == 302
    bad = c.post(reverse("web:input_value_new"), {**body, "period": "2024-13"})
    assert bad.status_code == 400 and "月份应为1至12" in bad.content.decode()
    assert InputValue.objects.count() == 2
    page = client_for(leader).get(reverse("web:input_values") + "?history=on").content.decode()
    assert 'data-total="2"' in page and "已更正" in page
    assert client_for(leader).get(reverse("web:input_values") + "?format=xlsx").status_code == 200
