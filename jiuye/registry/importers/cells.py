"""Cells of the registry's imports: 公民身份号码 and 统一社会信用代码, checked as ``registry.identity`` does.

``check_resident_id`` (and the same steps inline in ``PersonImporter.convert_many``) is a copy of the
rule ``identity.parse_resident_id`` made for speed: cached weighted sums of the address code, the
birth date and the sequence number. tests/test_import_identity.py holds the copies to the rule with
property tests (the same numbers accepted, the same messages).
"""
from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from jiuye.imports.normalise import CellError, excel_mangled_number_reason, squeeze
from jiuye.registry.identity import IdentityError, known_address_code, parse_credit_code, parse_phone, parse_resident_id

# ---------------------------------------------------------------------------------------------
# Identity numbers


# GB 11643 check character: the weights 2^(17-i) mod 11 of the 17 digits; the character for a weighted
# sum S is CHECK_CHARACTER[S % 11]. The sum is added up from three cached parts: the address code
# (6 digits), the birth date (8 digits) and the sequence number (3 digits).
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARACTER = "10X98765432"
SEQUENCE_SUM = {f"{n:03d}": sum(int(d) * w for d, w in zip(f"{n:03d}", _WEIGHTS[14:])) for n in range(1000)}
_births: dict[str, tuple[datetime.date | None, int]] = {}  # YYYYMMDD -> (date or None, weighted sum)
_addresses: dict[str, tuple[bool, int]] = {}  # 6-digit address code -> (known, weighted sum)


def id_birth(digits: str) -> tuple[datetime.date | None, int]:
    """(birth date, weighted sum) of the 8 characters YYYYMMDD of an identity number; the date is None
    if they are not ASCII digits, not a date, or a date before 1900."""
    try:
        return _births[digits]
    except KeyError:
        pass
    birth = None
    total = 0
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS[6:14]))
        try:
            birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            pass
        if birth is not None and birth.year < 1900:
            birth = None
    found = (birth, total)
    if len(_births) < 200_000:
        _births[digits] = found
    return found


def id_address(code: str) -> tuple[bool, int]:
    """(known to python-stdnum's table of administrative divisions, weighted sum) of an address code."""
    try:
        return _addresses[code]
    except KeyError:
        pass
    found = (False, 0)
    if len(code) == 6 and code.isascii() and code.isdigit():
        found = (known_address_code(code), sum(int(d) * w for d, w in zip(code, _WEIGHTS[:6])))
    if len(_addresses) < 10_000:
        _addresses[code] = found
    return found


def check_resident_id(number: str, today: datetime.date) -> tuple[str, datetime.date, str] | None:
    """(number, birth_date, sex) when ``number`` is a valid 公民身份号码 written canonically (17 ASCII digits
    and a digit or "X"), else None.

    The rules of identity.parse_resident_id (birth date a real date from 1900 to ``today``, check
    character, known address code) with cached parts, for the common case; a number it does not
    accept goes through parse_resident_id for the exact message (the two agree, see
    tests/test_import_identity.py). PersonImporter.convert_many has the same steps inline.
    """
    if len(number) != 18:
        return None
    sequence = SEQUENCE_SUM.get(number[14:17])
    if sequence is None:
        return None
    birth, birth_sum = id_birth(number[6:14])
    if birth is None or birth > today:
        return None
    known, address_sum = id_address(number[:6])
    if not known or CHECK_CHARACTER[(address_sum + birth_sum + sequence) % 11] != number[17]:
        return None
    return number, birth, ("M" if number[16] in "13579" else "F")


def resident_id(value: Any, *, today: datetime.date | None = None):
    """(number, birth_date, sex) of a valid 公民身份号码; the same rules as identity.parse_resident_id.

    The common case (18 clean characters, correct checksum) is checked here without the overhead of
    python-stdnum; anything else goes through ``parse_resident_id`` for its exact message.
    """
    if value.__class__ is not str:
        reason = excel_mangled_number_reason(value, _("公民身份号码"))
        raise CellError(reason or _("公民身份号码格式错误"))
    number = value
    if len(number) != 18 or " " in number:
        number = squeeze(number)
    if number[-1:] == "x":
        number = number.upper()
    found = check_resident_id(number, today or datetime.date.today())
    if found is not None:
        return found
    reason = excel_mangled_number_reason(value, _("公民身份号码"))
    if reason:
        raise CellError(reason)
    try:
        ident = parse_resident_id(number, today=today)
    except IdentityError as exc:
        reason = str(exc)
        if len(number) == 18 and number.endswith("000") and number.isdigit():
            reason += _("；号码末尾为000，可能已被Excel按数字处理而丢失后几位")
        raise CellError(reason) from None
    return ident.number, ident.birth_date, ident.sex


def credit_code(value: Any) -> str:
    reason = excel_mangled_number_reason(value, _("统一社会信用代码"))
    if reason:
        raise CellError(reason)
    try:
        return parse_credit_code(value)
    except IdentityError as exc:
        raise CellError(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Phone numbers


def phone(value: Any) -> str:
    """A phone cell, checked by the registry's one rule (``identity.parse_phone``); Excel may have
    stored a mobile number as a number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return parse_phone(str(value))
    except IdentityError as exc:
        raise CellError(str(exc)) from None
