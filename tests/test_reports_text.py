"""The generated sentences: numbers, changes on the previous period and a year earlier, the regions behind."""
from decimal import Decimal

from jiuye.reports import text
from jiuye.reports.builders import ReportPeriodError, parse_report_period
from jiuye.reports.builders.common import drivers

import pytest


def test_kpi_sentence_names_changes_and_regions():
    s = text.kpi_sentence("城镇新增就业人数", "人", Decimal(1234), Decimal(1100), Decimal(1300), 0,
                          [("西一路街道", Decimal(85)), ("长乐中路街道", Decimal(40))])
    assert s == "城镇新增就业人数1,234人，环比增长12.2%，同比下降5.1%，变化主要来自西一路街道（+85人）、长乐中路街道（+40人）。"


def test_rates_change_in_points_and_missing_values():
    s = text.kpi_sentence("城镇登记失业率", "%", Decimal("3.21"), Decimal("3.09"), Decimal("3.21"), 2)
    assert s == "城镇登记失业率3.21%，环比上升0.12个百分点，同比持平。"
    assert text.kpi_sentence("城镇新增就业人数", "人", None, Decimal(1), None) == "城镇新增就业人数暂无数据。"
    assert text.kpi_sentence("X", "人", Decimal(5), None, Decimal(0)) == "X5人，同比增加5。"


def test_drivers_follow_the_direction_of_the_total():
    now = {"a": 10, "b": 50, "c": 5}
    before = {"a": 20, "b": 20, "c": 5, "d": 3}
    assert drivers(now, before, {"a": "甲", "b": "乙", "d": "丁"}) == [("乙", Decimal(30))]
    assert drivers({"a": 0}, {"a": 5, "b": 1}, {"a": "甲", "b": "乙"}) == [("甲", Decimal(-5)), ("乙", Decimal(-1))]


@pytest.mark.parametrize("kind,given,code", [("weekly", "2026-W48", "2026-W48"), ("weekly", "2026-11-29", "2026-W48"),
                                             ("weekly", "2021-01-01", "2020-W53"), ("monthly", "2020年6月", "2020-06"),
                                             ("annual", "2025", "2025"), ("midterm", "2023", "2023")])
def test_report_periods(kind, given, code):
    assert parse_report_period(kind, given).code == code


@pytest.mark.parametrize("kind,given", [("weekly", "2026-W54"), ("weekly", "tomorrow"), ("monthly", "2026"),
                                        ("annual", "2026-Q1"), ("stats_form", "2026-13")])
def test_bad_report_periods(kind, given):
    with pytest.raises(ReportPeriodError):
        parse_report_period(kind, given)
