"""The warning board's one door (issue 11): raise once per condition, escalate, acknowledge, close with a response."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.models import Warning, WarningEvent, WarningStatus
from jiuye.monitoring.services import warnings as ws
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1

D = datetime.date


def _raise(level="yellow", region=COMMUNITY_A1, key="employer:1:2026-11"):
    return ws.raise_warning(kind="mass_layoff", key=key, region_id=region, level=level, title="某企业规模性裁员",
                            since=D(2026, 11, 1), detail="裁员25人", facts={"layoffs": 25})


def test_same_condition_is_one_warning_and_a_higher_level_escalates(regions):
    w, what = _raise()
    assert what == "raised"
    again, what = _raise()
    assert (again.pk, what) == (w.pk, "updated")
    higher, what = _raise(level="red")
    assert (higher.pk, what, higher.level) == (w.pk, "escalated", "red")
    lower, what = _raise(level="blue")
    assert lower.level == "red" and what == "updated"
    assert Warning.objects.count() == 1
    assert list(WarningEvent.objects.values_list("action", flat=True)) == ["raised", "escalated"]


def test_acknowledge_then_close_with_a_response_and_a_new_condition_opens_anew(street_officer):
    w, _ = _raise()
    with pytest.raises(ValidationError):
        ws.close(street_officer, w, "已约谈企业")  # not acknowledged yet
    ws.acknowledge(street_officer, w)
    with pytest.raises(ValidationError):
        ws.close(street_officer, w, "  ")
    closed = ws.close(street_officer, w, "已约谈企业，指导依法制定裁员方案")
    assert closed.status == WarningStatus.CLOSED and closed.closed_by == street_officer
    fresh, what = _raise()
    assert what == "raised" and fresh.pk != w.pk


def test_out_of_scope_and_wrong_role_cannot_handle(street_officer, community_worker):
    w, _ = _raise(region=COMMUNITY_B1)
    with pytest.raises(OutOfScope):
        ws.acknowledge(street_officer, w)
    mine, _ = _raise(key="employer:2:2026-11")
    with pytest.raises(OutOfScope):
        ws.acknowledge(community_worker, mine)
