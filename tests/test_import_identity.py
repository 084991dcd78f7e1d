"""The import's fast identity-number check agrees with identity.parse_resident_id.

cells.check_resident_id (and the same steps inline in PersonImporter.convert_many) check the
number with cached parts: the weighted sums of the address code, the birth date and the sequence
number, the birth date, whether the address code is known. Valid and invalid numbers must come out
as parse_resident_id has them, with the same messages.
"""
from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from jiuye.registry.identity import IdentityError, parse_resident_id
from jiuye.imports import normalise as N
from jiuye.registry.importers import cells

TODAY = datetime.date(2024, 6, 15)
KNOWN = ["110105", "610102", "610103", "310101", "440305", "220581", "652901", "610100"]
UNKNOWN = ["000000", "999999", "123456", "610199", "990000"]
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _parse(value: str, today: datetime.date = TODAY):
    try:
        ident = parse_resident_id(value, today=today)
    except IdentityError as exc:
        return ("error", str(exc))
    return (ident.number, ident.birth_date, ident.sex)


addresses = st.one_of(st.sampled_from(KNOWN + UNKNOWN), st.text("0123456789", min_size=6, max_size=6))
birth_digits = st.one_of(
    st.dates(datetime.date(1880, 1, 1), datetime.date(2030, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    st.text("0123456789", min_size=8, max_size=8),  # mostly no date: 19900230, 20241399 ...
)
sequences = st.text("0123456789", min_size=3, max_size=3)


@st.composite
def numbers(draw):
    """18 characters built like a real number; the check character right, wrong or lower-case."""
    body = draw(addresses) + draw(birth_digits) + draw(sequences)
    right = ric.calc_check_digit(body + "0")
    check = draw(st.one_of(st.just(right), st.sampled_from("0123456789Xx")))
    return body + check


def _spoil(number: str, how: int) -> str:
    if how == 1:
        return number.translate(FULL_WIDTH)
    if how == 2:
        return number[:6] + " " + number[6:14] + "\u3000" + number[14:]
    if how == 3:
        return number[:-1]
    if how == 4:
        return number + "1"
    if how == 5:
        return number[:8] + "a" + number[9:]
    return number


@settings(max_examples=600, deadline=None)
@given(numbers())
def test_fast_check_accepts_exactly_the_valid_canonical_numbers(number):
    number = number[:17] + number[17].upper()
    expected = _parse(number)
    found = cells.check_resident_id(number, TODAY)
    if expected[0] == "error":
        assert found is None, (number, expected)
    else:
        assert found == expected


@settings(max_examples=600, deadline=None)
@given(numbers(), st.integers(0, 5))
def test_converter_matches_parse_resident_id(number, how):
    value = N.clean(_spoil(number, how))
    expected = _parse(value)
    try:
        found = cells.resident_id(value, today=TODAY)
    except N.CellError as exc:
        assert expected[0] == "error", (value, expected)
        # The converter may add a hint about numbers that Excel mangled.
        assert str(exc).startswith(expected[1]), (value, str(exc), expected[1])
    else:
        assert found == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789Xx \u3000-+.E０１２", max_size=22))
def test_converter_on_any_text(text):
    value = N.clean(text)
    assume(value != "")
    expected = _parse(value)
    try:
        found = cells.resident_id(value, today=TODAY)
    except N.CellError:
        assert expected[0] == "error"
    else:
        assert found == expected


def test_future_birth_dates_and_the_day_itself():
    body = "610102" + TODAY.strftime("%Y%m%d") + "011"
    number = body + ric.calc_check_digit(body + "0")
    assert cells.check_resident_id(number, TODAY) == _parse(number)
    tomorrow = TODAY + datetime.timedelta(days=1)
    body = "610102" + tomorrow.strftime("%Y%m%d") + "011"
    number = body + ric.calc_check_digit(body + "0")
    assert cells.check_resident_id(number, TODAY) is None and _parse(number)[0] == "error"
    assert cells.check_resident_id(number, tomorrow) == _parse(number, tomorrow)


@pytest.fixture
def importer(regions, tmp_path):
    from jiuye.imports.base import Context
    from jiuye.imports.columns import HeaderFinder
    from jiuye.imports.db import AuditWriter
    from jiuye.imports.lookups import RegionIndex, Scope
    from jiuye.registry.importers.persons import PersonImporter
    from jiuye.imports.models import ImportBatch

    scope = Scope(None)
    ctx = Context(actor=None, scope=scope, regions=RegionIndex(scope), dry_run=True,
                  batch=ImportBatch.objects.create(kind="persons", file_name="t.csv"), audit=AuditWriter(None))
    layout = HeaderFinder("persons").find([(1, ["姓名", "公民身份号码", "户籍性质", "所在社区"])])
    return PersonImporter(ctx, layout)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(numbers(), st.integers(0, 5)), min_size=1, max_size=40))
def test_importer_accepts_the_rows_parse_resident_id_accepts(importer, items):
    """The inline check of convert_many: a row is taken iff its number is valid and not seen before."""
    importer.seen.clear()
    importer.ctx.errors.clear()
    importer.ctx.rejected_rows.clear()
    importer.today = datetime.date.today()
    rows = [(n + 2, ["张三", _spoil(number, how), "城镇", "长乐社区"]) for n, (number, how) in enumerate(items)]
    records, redo = importer.convert_many(rows)
    assert redo == []
    taken = {record[0]: record[1] for record in records}
    seen: dict[str, int] = {}
    for row, cells in rows:
        expected = _parse(cells[1], datetime.date.today())
        if expected[0] == "error":
            assert row not in taken
            assert any(e.row == row and e.reason.startswith(expected[1]) for e in importer.ctx.errors), (cells[1], expected)
        elif expected[0] in seen:
            assert row not in taken
            assert any(e.row == row and e.reason == f"与第{seen[expected[0]]}行的公民身份号码重复" for e in importer.ctx.errors)
        else:
            seen[expected[0]] = row
            assert taken.get(row) == expected[0], (cells[1], expected)
    assert sorted(importer.ctx.rejected_rows) == sorted(row for row, _cells in rows if row not in taken)
