"""Occupations: suggestions from a title with the reason, the browse/search page, the API, the command."""
import pytest

from jiuye.jobs.services.occupations import suggest_occupations
from tests.jobs_helpers import occupations  # noqa: F401


@pytest.mark.parametrize("title,code", [("电焊工", "6-18-02-04"), ("氩弧焊工", "6-18-02-04"), ("超市收银员", None),
                                        ("中式烹调师", None), ("保安员", None), ("育婴员", None)])
def test_a_title_suggests_its_occupation_with_the_reason(occupations, title, code):
    got = suggest_occupations(title)
    assert got, title
    print(title, got[:3])
    if code:
        assert got[0]["code"] == code
    assert got[0]["reasons"]


def test_nothing_for_nothing(occupations):
    assert suggest_occupations("") == []
