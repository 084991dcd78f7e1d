"""Identity numbers: 公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100), via python-stdnum."""
from __future__ import annotations

import datetime
import re
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


CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, Z, S, V


def parse_credit_code(value: str) -> str:
    """The 统一社会信用代码 rule (GB 32100), one message per mistake like the identity number's: empty,
    wrong length (with the length found), an illegal character (which one, where), the wrong check
    character (with the one expected). Web forms, API and import show these messages."""
    code = normalise(value)
    if not code:
        raise IdentityError(_("统一社会信用代码为空"))
    if len(code) != CREDIT_CODE_LENGTH:
        raise IdentityError(_("统一社会信用代码应为18位，实际为%(n)d位") % {"n": len(code)})
    for position, char in enumerate(code, start=1):
        allowed = char.isascii() and char.isdigit() if position <= 8 else char in CREDIT_CODE_ALPHABET
        if not allowed:
            if position <= 8:
                raise IdentityError(_("统一社会信用代码含有非法字符：第%(p)d位“%(c)s”应为数字（前8位是登记管理部门、机构类别和行政区划码）")
                                    % {"p": position, "c": char})
            raise IdentityError(_("统一社会信用代码含有非法字符：第%(p)d位“%(c)s”（只能是数字和除I、O、Z、S、V以外的大写字母）")
                                % {"p": position, "c": char})
    try:
        return uscc.validate(code)
    except InvalidChecksum:
        raise IdentityError(_("统一社会信用代码校验位错误（应为%(c)s）") % {"c": uscc.calc_check_digit(code)}) from None
    except ValidationError:
        raise IdentityError(_("统一社会信用代码格式错误")) from None


def is_valid_credit_code(value: str) -> bool:
    try:
        parse_credit_code(value)
    except IdentityError:
        return False
    return True


# Mainland mobile numbers (1[3-9] and 9 digits) and landlines with their area code (0 and 2-3 digits,
# a dash optional, 7-8 digits, an extension after a dash).
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def parse_phone(value: str) -> str:
    """The phone number rule, one function for web forms, API and import: "" for blank, else a mainland
    mobile number (11 digits, 13x–19x) or a landline with its area code (029-87654321, 02987654321,
    029-87654321-123); "+86", spaces and brackets are dropped. Raises IdentityError with a Chinese message.

    The persons import accepts the usual 11-digit mobile cell without calling it (the same test inline,
    ``registry.importers.persons``); tests/test_forms_complete.py holds it to this rule."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return ""
    compact = "".join(text.split()).replace("(", "").replace(")", "")
    if compact.startswith("+86"):
        compact = compact[3:].lstrip("-")
    if compact.isascii() and (_MOBILE.fullmatch(compact) or _LANDLINE.fullmatch(compact)):
        return compact
    raise IdentityError(_("“%(v)s”不是有效的电话号码（手机号为1开头的11位数字，座机须带区号，如029-87654321）")
                        % {"v": text})


def is_mobile_fast(raw) -> bool:
    """The fast path of the persons import: an 11-character str that ``parse_phone`` returns unchanged."""
    return (raw.__class__ is str and len(raw) == 11 and raw[0] == "1" and raw[1] in "3456789" and raw.isascii()
            and raw.isdigit())


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
