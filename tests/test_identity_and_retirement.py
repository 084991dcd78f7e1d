import datetime

import pytest

from jiuye.registry.identity import IdentityError, mask_id_number, parse_credit_code, parse_resident_id
from jiuye.registry.retirement import age_on, retirement_age_months, retirement_date

from .conftest import make_id


def test_valid_identity_number_gives_birth_date_and_sex():
    ident = parse_resident_id("11010519491231002X")
    assert ident.birth_date == datetime.date(1949, 12, 31)
    assert ident.sex == "F"
    male = parse_resident_id(make_id("610102", "19900307", "011"))
    assert male.sex == "M" and male.birth_date == datetime.date(1990, 3, 7)


def test_numbers_issued_after_birth_in_a_newer_district_are_valid():
    # 610102 (新城区) exists since 1983; people born earlier hold numbers with that code.
    assert parse_resident_id(make_id("610102", "19620505", "021")).birth_date == datetime.date(1962, 5, 5)
    with pytest.raises(IdentityError, match="地址码"):
        parse_resident_id(make_id("999999", "19900307", "011"))


def test_full_width_digits_and_spaces_are_normalised():
    number = make_id("610102", "19900307", "011")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert parse_resident_id(f" {full_width[:6]} {full_width[6:]}\u3000").number == number


@pytest.mark.parametrize(
    "value,reason",
    [
        ("", "为空"),
        ("61010219900307011", "应为18位"),
        ("6101021990030701AX", "非法字符"),
        ("610102199002300110", "不是有效日期"),  # 30 February
        ("610102209901010110", "不合理"),  # born in the future
    ],
)
def test_invalid_identity_numbers_say_why(value, reason):
    with pytest.raises(IdentityError, match=reason):
        parse_resident_id(value)


def test_wrong_check_digit_names_the_right_one():
    number = make_id("610102", "19900307", "011")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(IdentityError, match=f"应为{number[17]}"):
        parse_resident_id(wrong)


def test_credit_code_checksum():
    assert parse_credit_code("91110000600037341L") == "91110000600037341L"
    with pytest.raises(IdentityError, match="校验位"):
        parse_credit_code("91110000600037341M")


def test_masking_keeps_region_and_last_four():
    assert mask_id_number("610102199003070114") == "610102********0114"


@pytest.mark.parametrize(
    "birth,sex,base,expected_months",
    [
        (datetime.date(1964, 12, 15), "M", 50, 60 * 12),  # before the reform: 60
        (datetime.date(1965, 1, 1), "M", 50, 60 * 12 + 1),  # first cohort: 60 years 1 month
        (datetime.date(1965, 4, 30), "M", 50, 60 * 12 + 1),
        (datetime.date(1965, 5, 1), "M", 50, 60 * 12 + 2),
        (datetime.date(1976, 9, 1), "M", 50, 63 * 12),  # reaches 63
        (datetime.date(1990, 1, 1), "M", 50, 63 * 12),
        (datetime.date(1974, 12, 1), "F", 50, 50 * 12),
        (datetime.date(1975, 1, 1), "F", 50, 50 * 12 + 1),
        (datetime.date(1975, 3, 1), "F", 50, 50 * 12 + 2),  # one month per two months of birth
        (datetime.date(1984, 12, 1), "F", 50, 55 * 12),
        (datetime.date(1969, 12, 1), "F", 55, 55 * 12),
        (datetime.date(1970, 1, 1), "F", 55, 55 * 12 + 1),
        (datetime.date(1981, 9, 1), "F", 55, 58 * 12),
    ],
)
def test_gradual_retirement_age(birth, sex, base, expected_months):
    assert retirement_age_months(birth, sex, base) == expected_months


def test_retirement_date_examples():
    # A man born in May 1965 retires at 60 years 2 months: July 2025.
    assert retirement_date(datetime.date(1965, 5, 10), "M") == datetime.date(2025, 7, 10)
    # A woman worker born 31 January 1976 retires at 50 + 7 months: end of August 2026.
    assert retirement_date(datetime.date(1976, 1, 31), "F", 50) == datetime.date(2026, 8, 31)
    assert age_on(datetime.date(1990, 3, 7), datetime.date(2026, 3, 6)) == 35
