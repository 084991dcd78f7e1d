"""The sample ledger of 就业创业证 (就业创业证.xlsx) written with the other sample files
(``samples.write_samples``). Issue 7, H2.

Twelve good rows for sample persons of the demo community (the roster 人员花名册.xlsx creates them),
numbered the way older ledgers were (county code + two-digit year + six-digit sequence, 14 digits,
so they never collide with the 17-digit numbers issued here), then three planted errors, listed in
README.txt: a number repeated from an earlier row, a valid identity number with no record, an
impossible date. Imported after 就业失业登记.xlsx, each good row replaces the certificate that the
registration import issued (reason 导入旧台账) and becomes the person's current certificate.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from dateutil.relativedelta import relativedelta

FILE_NAME = "就业创业证.xlsx"
HEADERS = ["序号", "姓名", "公民身份号码", "就业创业证编号", "发证日期", "发证机构"]
GOOD_ROWS = 12


def write(directory: Path, people: list, errors: dict[str, list[str]], *, maker, sheet, date_text,
          new_only, community_name: str, street_name: str, today: datetime.date) -> Path:
    """Write the ledger; ``people`` are the roster's persons (the first ones lie in the demo community),
    ``errors`` gets this file's planted errors (README.txt lists them)."""
    from openpyxl import Workbook

    rng = maker.rng
    wb = Workbook()
    ws = sheet(wb, "就业创业证", f"新城区{street_name}{community_name}就业创业证发放台账", HEADERS)
    items = errors.setdefault(FILE_NAME, [])
    numbers = []
    for i, p in enumerate(people[:GOOD_ROWS]):
        earliest = max(p.birth + relativedelta(years=16), today - relativedelta(years=8))
        latest = today - datetime.timedelta(days=30)
        issued = earliest + datetime.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        number = f"610102{issued.year % 100:02d}{rng.randrange(10 ** 6):06d}"
        while number in numbers:
            number = f"610102{issued.year % 100:02d}{rng.randrange(10 ** 6):06d}"
        numbers.append(number)
        authority = community_name if i % 3 else f"{street_name}{community_name}"
        ws.append([i + 1, p.name, p.id_number, number, date_text(issued, i % 4), authority])
    n = ws.max_row
    p = people[GOOD_ROWS]
    ws.append([GOOD_ROWS + 1, p.name, p.id_number, numbers[0], date_text(today - relativedelta(years=2), 2), community_name])
    items.append(f"第{n + 1}行：就业创业证编号 {numbers[0]} 与序号1重复")
    stranger = new_only(maker, [maker.person()])[0]
    ws.append([GOOD_ROWS + 2, stranger.name, stranger.id_number, f"610102{(today.year - 3) % 100:02d}999999",
               date_text(today - relativedelta(years=3), 2), community_name])
    items.append(f"第{n + 2}行：公民身份号码 {stranger.id_number} 有效，但在本社区没有该人员档案（不在人员花名册中）")
    p = people[GOOD_ROWS + 1]
    ws.append([GOOD_ROWS + 3, p.name, p.id_number, f"610102{(today.year - 1) % 100:02d}888888",
               f"{today.year - 1}-02-30", community_name])
    items.append(f"第{n + 3}行：发证日期 {today.year - 1}-02-30 不存在")
    for r in range(3, ws.max_row + 1):
        ws.cell(row=r, column=3).number_format = "@"
        ws.cell(row=r, column=4).number_format = "@"
    path = directory / FILE_NAME
    wb.save(path)
    return path
