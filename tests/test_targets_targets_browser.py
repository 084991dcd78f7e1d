"""The targets management pages at 360 px and on a desktop: no page wider than the screen."""
from __future__ import annotations

import pytest

from jiuye.regions.models import Region
from jiuye.targets import services
from tests.conftest import XINCHENG

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import assert_pages_fit, login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 780}, {"width": 1366, "height": 900}],
                         ids=["phone", "desktop"])
def test_target_pages_fit(transactional_db, live_server, browser_page, viewport, district_officer):  # noqa: F811
    t = services.create_target(district_officer, {"kpi": "new_urban_jobs", "region": XINCHENG,
                                                   "plan": "新城区2024年就业目标任务（示例）", "start_year": 2024,
                                                   "end_year": 2024, "scope": "annual", "value": "15360"})
    kids = list(Region.objects.filter(parent_id=XINCHENG).order_by("code").values_list("code", flat=True))
    values = {k: 0 for k in kids}
    values[kids[0]] = 15360
    services.breakdown(district_officer, t, values)
    services.enter_input_value(district_officer, kpi="graduate_destination_rate", region_code=XINCHENG,
                               period="2024", value="91.5", source="市教育局")
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "do_xc")
    assert_pages_fit(page, base, ["/targets/list/", f"/targets/list/{t.pk}/?period=2024-06", "/targets/list/new/",
                                  f"/targets/list/{t.pk}/replace/", f"/targets/list/{t.pk}/breakdown/",
                                  "/targets/inputs/", "/targets/inputs/new/"])
