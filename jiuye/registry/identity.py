"""Identity numbers: 公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100), via python-stdnum."""
from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError


class IdentityError(ValueError):
    """A Chinese message saying what is wrong with the number."""


@dataclass(frozen=True)
class ResidentIdentity:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"


def normalise(value: str) -> str:
    """Full-width to half-width, spaces removed, x upper-cased."""
    value = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(value.split()).upper()


def parse_resident_id(value: str, *, today: datetime.date | None = None) -> ResidentIdentity:
    """The 公民身份号码 rule (GB 11643): 18 characters, a real birth date from 1900 to ``today``, the
    check character, a known address code.

    Copied for speed in the import: ``registry.importers.cells.check_resident_id`` and the same steps
    inline in ``registry.importers.persons.PersonImporter.convert_many``; property tests in
    tests/test_import_identity.py hold both copies to this rule.
    """
    number = normalise(value)
    if not number:
        raise IdentityError(_("公民身份号码为空"))
    if len(number) != 18:
        raise IdentityError(_("公民身份号码应为18位，实际为%(n)d位") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(_("公民身份号码含有非法字符"))
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, ValidationError, ValueError):
        raise IdentityError(_("公民身份号码中的出生日期“%(d)s”不是有效日期") % {"d": number[6:14]}) from None
    if birth > (today or datetime.date.today()) or birth.year < 1900:
        raise IdentityError(_("公民身份号码中的出生日期“%(d)s”不合理") % {"d": number[6:14]})
    if ric.calc_check_digit(number) != number[17]:
        raise IdentityError(_("公民身份号码校验位错误（应为%(c)s）") % {"c": ric.calc_check_digit(number)})
    # python-stdnum's validate() also requires the address code to have existed in the birth year,
    # but numbers are issued where a person lives when the card is made (610102 新城区 dates from
    # 1983 and people born in 1960 hold 610102 numbers). So only require the code to be known at all.
    if not known_address_code(number[:6]):
        raise IdentityError(_("公民身份号码的地址码“%(c)s”不是已知的行政区划代码") % {"c": number[:6]})
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentIdentity(number=number, birth_date=birth, sex=sex)


def known_address_code(code: str) -> bool:
    """Whether a 6-digit address code names a county-level division that existed at some time."""
    from stdnum import numdb

    return any(props.get("county") for _part, props in numdb.get("cn/loc").info(code) if props)



CREDIT_CODE_LENGTH = 18


def credit_code_in(text: str) -> str:
    """The normalised credit code if ``text`` has the shape of one (18 ASCII letters and digits), else "".

    The one place a search box decides "this is a credit code, not a part of a name" (web and API);
    an 18-character Chinese name is a name (str.isalnum is true for Chinese characters)."""
    code = normalise(text)
    return code if len(code) == CREDIT_CODE_LENGTH and code.isascii() and code.isalnum() else ""


def parse_credit_code(value: str) -> str:
    code = normalise(value)
    if not code:
        raise IdentityError(_("统一社会信用代码为空"))
    if len(code) != 18:
        raise IdentityError(_("统一社会信用代码应为18位，实际为%(n)d位") % {"n": len(code)})
    try:
        return uscc.validate(code)
    except InvalidChecksum:
        raise IdentityError(_("统一社会信用代码校验位错误")) from None
    except ValidationError:
        raise IdentityError(_("统一社会信用代码格式错误")) from None


def mask_id_number(number: str) -> str:
    """610102********1234: keeps the region code and the last four characters."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return phone
    return phone[:3] + "****" + phone[-4:]
