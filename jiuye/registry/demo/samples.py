"""Sample Excel files in the layout communities keep, for trying the import.

Four workbooks (人员花名册, 家庭户, 用人单位, 就业失业登记) with a title row above the header, Chinese
headers and values, merged cells in the household sheet, dates in mixed formats and a few deliberate
errors that README.txt lists. The persons and employers are new: none is in the database, so importing
the files imports rows.

Every good row lies in the demo community (民乐社区), so that the demo community worker, the account
README.txt names, gets exactly the rejections README.txt lists (tests/test_samples_agree.py); a few rows
name the community in other ways (its 12-digit code, street name + community name) as ledgers do.
A fifth workbook, 就业创业证.xlsx, is an old ledger of certificates for the same persons
(``certificate_sample``).
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from jiuye.registry.demo import certificate_sample, places, vocab
from jiuye.registry.demo.users import COMMUNITY as DEMO_COMMUNITY, DEMO_USERS
from jiuye.registry.demo.city import org_code_check, ric_check, uscc_check
from jiuye.registry.models import (
    ContractType,
    Education,
    EmploymentForm,
    EndingReason,
    Employer,
    Household,
    HukouType,
    Ownership,
    Person,
    PovertyStatus,
    Relation,
    SchoolType,
    SizeClass,
    UnemploymentReason,
)
from jiuye.registry.retirement import retirement_date

# Real communities of 西一路街道 (jiuye/regions/data/xincheng_610102.yaml).
COMMUNITY_NAME = "民乐社区"
COMMUNITY_CODE = "610102001001"
STREET_NAME = "西一路街道"
UNKNOWN_COMMUNITY = "西一路街道幸福里社区"  # 幸福里社区 exists, but in 胡家庙街道

PERSON_HEADERS = [
    "序号", "姓名", "公民身份号码", "民族", "联系电话", "户籍性质", "户籍地", "所在社区", "居住地址", "文化程度", "毕业时间",
    "毕业院校类型", "是否退役军人", "是否残疾人", "是否低保", "脱贫/监测状态", "技能特长", "有无劳动能力", "有无就业意愿",
    "求职意向工种",
]
HOUSEHOLD_HEADERS = ["户编号", "所在社区", "家庭地址", "有无经营性收入", "成员公民身份号码", "成员姓名", "与户主关系"]
EMPLOYER_HEADERS = ["统一社会信用代码", "单位名称", "行业代码", "企业规模", "经济类型", "所在区划", "单位地址", "联系人", "联系电话",
                    "职工人数"]
REGISTRATION_HEADERS = [
    "公民身份号码", "姓名", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式", "合同类型", "合同期限（月）", "是否缴纳社保",
    "工种", "失业原因", "终止原因", "失业前单位统一社会信用代码",
]

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@dataclass
class SamplePerson:
    name: str
    id_number: str
    sex: str
    birth: datetime.date
    hukou: str
    place: str
    community: str
    address: str
    education: str
    graduation: datetime.date | None
    school_type: str


def _date_text(d: datetime.date, style: int):
    """Dates the way different people type them."""
    if style == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if style == 1:
        return f"{d.year}.{d.month}.{d.day}"
    if style == 2:
        return d.isoformat()
    return d  # a real Excel date cell


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


class _SampleMaker:
    def __init__(self, seed: int, today: datetime.date):
        self.rng = random.Random(f"jiuye-samples-{seed}")
        self.today = today
        self.used_ids: set[str] = set()
        self.used_codes: set[str] = set()

    def person(self, *, min_age: int = 18, max_age: int = 52) -> SamplePerson:
        rng = self.rng
        today = self.today
        while True:
            sex = "M" if rng.random() < 0.5 else "F"
            age_days = rng.randint(min_age * 366, max_age * 365)
            birth = today - datetime.timedelta(days=age_days)
            if retirement_date(birth, sex, 50) <= today:
                continue
            rural = rng.random() < 0.3
            if rural and rng.random() < 0.8:
                code, place = rng.choice(places.migrant_codes(birth.year))
            else:
                code, place = places.local_code(birth.year), places.LOCAL_PLACE
            body = f"{code}{birth:%Y%m%d}{rng.randrange(500) * 2 + (1 if sex == 'M' else 0):03d}"
            number = body + ric_check(body)
            if number in self.used_ids:
                continue
            self.used_ids.add(number)
            chars = vocab.GIVEN_MALE if sex == "M" else vocab.GIVEN_FEMALE
            surname = rng.choice(vocab.SURNAMES)[0]
            name = surname + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
            y = birth.year
            education = rng.choice(["junior", "senior", "vocational", "college", "bachelor", "bachelor", "master"])
            offsets = {"vocational": 18, "college": 21, "bachelor": 22, "master": 25}
            graduation = None
            school_type = ""
            if education in offsets:
                graduation = datetime.date(y + offsets[education], rng.choice([6, 7]), rng.randint(1, 28))
                if graduation > today:
                    education, graduation = "senior", None
                else:
                    school_type = "secondary_vocational" if education == "vocational" else "university"
            road = rng.choice(vocab.STREET_ROADS["610102001"])
            address = f"西安市新城区{road}{rng.randint(1, 200)}号{rng.randint(1, 12)}号楼{rng.randint(1, 4)}单元{rng.randint(101, 1804)}室"
            return SamplePerson(name, number, sex, birth, "rural" if rural else "urban", place, COMMUNITY_NAME, address,
                                education, graduation, school_type)

    def credit_code(self, prefix: str = "91") -> str:
        rng = self.rng
        while True:
            body8 = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            body = prefix + "610102" + body8 + org_code_check(body8)
            code = body + uscc_check(body)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code


def _new_only(maker: _SampleMaker, persons: list[SamplePerson]) -> list[SamplePerson]:
    """Replace any sample person whose identity number is already registered."""
    taken = set(Person.objects.filter(id_number__in=[p.id_number for p in persons]).values_list("id_number", flat=True))
    out = []
    for p in persons:
        while p.id_number in taken:
            p = maker.person()
            if Person.objects.filter(id_number=p.id_number).exists():
                taken.add(p.id_number)
        out.append(p)
    return out


def _sheet(wb, title: str, caption: str, headers: list[str]):
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = title
    ws.append([caption])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for i, h in enumerate(headers, start=1):
        ws.cell(row=2, column=i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = max(10, len(h) * 2 + 4)
    return ws


def write_samples(directory: Path | str, *, seed: int = 1, today: datetime.date | None = None) -> list[Path]:
    """Write the four sample workbooks and README.txt into ``directory``; returns the paths."""
    from openpyxl import Workbook

    today = today or timezone.localdate()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    maker = _SampleMaker(seed, today)
    rng = maker.rng
    year = today.year
    people = _new_only(maker, [maker.person() for _ in range(36)])
    for p in people[30:33]:  # the same community written as its 12-digit code, as some ledgers do
        p.community = COMMUNITY_CODE
    errors: dict[str, list[str]] = {"人员花名册.xlsx": [], "家庭户.xlsx": [], "用人单位.xlsx": [], "就业失业登记.xlsx": []}

    # ---------------------------------------------------------------- persons
    wb = Workbook()
    ws = _sheet(wb, "花名册", f"新城区{STREET_NAME}{COMMUNITY_NAME}劳动力资源花名册（{year}年）", PERSON_HEADERS)
    rows = []
    for i, p in enumerate(people):
        skills = "、".join(rng.sample(vocab.SKILLS, rng.choice([0, 1, 1, 2])))
        veteran = p.sex == "M" and rng.random() < 0.08
        rows.append([
            i + 1, p.name, p.id_number, "汉族" if rng.random() < 0.95 else "回族", "1" + rng.choice("3589") + f"{rng.randrange(10 ** 9):09d}",
            _label(HukouType, p.hukou),
            p.place, p.community, p.address, _label(Education, p.education),
            _date_text(p.graduation, i % 4) if p.graduation else "", _label(SchoolType, p.school_type),
            "是" if veteran else "否", "是" if rng.random() < 0.03 else "否", "是" if rng.random() < 0.05 else "否",
            str(PovertyStatus.LIFTED.label) if p.hukou == "rural" and rng.random() < 0.15 else str(PovertyStatus.NONE.label),
            skills, "有", "有" if rng.random() < 0.95 else "无", rng.choice(vocab.OCCUPATIONS) if rng.random() < 0.6 else "",
        ])
    # Deliberate errors, each on its own row after the good ones.
    bad = [maker.person() for _ in range(5)]
    bad = _new_only(maker, bad)
    n = len(rows)

    def bad_row(p: SamplePerson, **override) -> list:
        row = [len(rows) + 1, p.name, p.id_number, "汉族", "13" + f"{rng.randrange(10 ** 9):09d}", "城镇", p.place,
               COMMUNITY_NAME, p.address, _label(Education, p.education), "", "", "否", "否", "否", "无", "", "有", "有", ""]
        for key, value in override.items():
            row[PERSON_HEADERS.index(key)] = value
        return row

    wrong_check = bad[0].id_number[:17] + ("0" if bad[0].id_number[17] != "0" else "1")
    rows.append(bad_row(bad[0], 公民身份号码=wrong_check))
    errors["人员花名册.xlsx"].append(f"序号{n + 1}（第{n + 3}行）：公民身份号码 {wrong_check} 校验位错误")
    impossible_body = f"610102{year - 36}0230{rng.randrange(500) * 2 + 1:03d}"
    impossible = impossible_body + ric_check(impossible_body)
    rows.append(bad_row(bad[1], 公民身份号码=impossible))
    errors["人员花名册.xlsx"].append(f"序号{n + 2}（第{n + 4}行）：公民身份号码 {impossible} 中的出生日期 2月30日 不存在")
    rows.append(bad_row(bad[2], 所在社区=UNKNOWN_COMMUNITY))
    errors["人员花名册.xlsx"].append(f"序号{n + 3}（第{n + 5}行）：所在社区“{UNKNOWN_COMMUNITY}”不在区划库中（幸福里社区属胡家庙街道）")
    dup = people[4]
    rows.append(bad_row(bad[3], 姓名=dup.name, 公民身份号码=dup.id_number))
    errors["人员花名册.xlsx"].append(f"序号{n + 4}（第{n + 6}行）：公民身份号码与序号5重复（同一人登记两次）")
    rows.append(bad_row(bad[4], 姓名=""))
    errors["人员花名册.xlsx"].append(f"序号{n + 5}（第{n + 7}行）：姓名为空")
    full_width_person = people[7]
    rows[7][2] = full_width_person.id_number.translate(FULL_WIDTH)
    valid_oddities = ["人员花名册.xlsx 序号8（第10行）：公民身份号码用全角数字填写，转换为半角后是有效号码，应正常导入"]
    for row in rows:
        ws.append(row)
    for r in range(3, ws.max_row + 1):
        ws.cell(row=r, column=3).number_format = "@"
    paths = [directory / "人员花名册.xlsx"]
    wb.save(paths[-1])

    # ---------------------------------------------------------------- households
    wb = Workbook()
    ws = _sheet(wb, "家庭户", f"新城区{STREET_NAME}{COMMUNITY_NAME}家庭户信息表（{year}年）", HOUSEHOLD_HEADERS)
    taken_numbers = set(Household.objects.filter(number__startswith=f"CL{year}").values_list("number", flat=True))
    sizes = [1, 2, 3, 4, 2, 3, 1, 2, 3, 2]
    relation_order = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.PARENT]
    cursor = 0
    seq = 0
    row_no = 3
    households: list[list[SamplePerson]] = []
    for size in sizes:
        members = people[cursor : cursor + size]
        cursor += size
        if not members:
            break
        seq += 1
        number = f"CL{year}{seq:03d}"
        while number in taken_numbers:
            seq += 1
            number = f"CL{year}{seq:03d}"
        households.append(members)
        business = "有" if seq == 3 else "无"
        first = row_no
        for j, m in enumerate(members):
            ws.append([number if j == 0 else None, COMMUNITY_NAME if j == 0 else None,
                       members[0].address if j == 0 else None, business if j == 0 else None,
                       m.id_number, m.name, str(relation_order[min(j, 3)].label)])
            row_no += 1
        if len(members) > 1:
            for col in range(1, 5):
                ws.merge_cells(start_row=first, start_column=col, end_row=row_no - 1, end_column=col)
    paths.append(directory / "家庭户.xlsx")
    wb.save(paths[-1])

    # ---------------------------------------------------------------- employers
    wb = Workbook()
    ws = _sheet(wb, "用人单位", f"新城区{STREET_NAME}辖区用人单位信息表（{year}年）", EMPLOYER_HEADERS)
    employers = []
    specs = [
        ("62", SizeClass.SMALL, Ownership.PRIVATE, "餐饮管理有限公司"),
        ("52", SizeClass.MICRO, Ownership.INDIVIDUAL, "便利店"),
        ("65", SizeClass.MEDIUM, Ownership.PRIVATE, "软件技术有限公司"),
        ("80", SizeClass.SMALL, Ownership.PRIVATE, "家政服务有限公司"),
        ("70", SizeClass.MEDIUM, Ownership.STATE, "物业服务有限公司"),
        ("83", SizeClass.SMALL, Ownership.PUBLIC_INSTITUTION, "幼儿园"),
        ("54", SizeClass.SMALL, Ownership.PRIVATE, "运输有限公司"),
    ]
    for k, (industry, size, ownership, suffix) in enumerate(specs):
        prefix = {"individual": "92", "public_institution": "12"}.get(ownership, "91")
        code = maker.credit_code(prefix)
        while Employer.objects.filter(credit_code=code).exists():
            code = maker.credit_code(prefix)
        trade = rng.choice(vocab.TRADE_NAMES) + rng.choice(vocab.TRADE_NAMES) + rng.choice(vocab.TRADE_NAMES)
        name = f"新城区{trade}{suffix}" if ownership in ("individual", "public_institution") else f"西安{trade}{suffix}"
        region = COMMUNITY_NAME if k % 3 else (f"{STREET_NAME}{COMMUNITY_NAME}" if k == 0 else COMMUNITY_CODE)
        count = {"micro": rng.randint(2, 9), "small": rng.randint(20, 90), "medium": rng.randint(120, 600)}[size]
        employers.append((code, name))
        ws.append([code, name, industry, str(size.label), str(ownership.label), region,
                   f"西安市新城区{rng.choice(vocab.STREET_ROADS['610102001'])}{rng.randint(1, 200)}号",
                   rng.choice(vocab.SURNAMES)[0] + rng.choice(vocab.GIVEN_FEMALE), "029-8" + f"{rng.randrange(10 ** 7):07d}",
                   count])
    bad_code = maker.credit_code()
    bad_code = bad_code[:17] + ("0" if bad_code[17] != "0" else "1")
    ws.append([bad_code, f"西安{rng.choice(vocab.TRADE_NAMES)}{rng.choice(vocab.TRADE_NAMES)}商贸有限公司", "51",
               str(SizeClass.MICRO.label), str(Ownership.PRIVATE.label), COMMUNITY_NAME, "西安市新城区西五路8号", "王敏",
               "029-87654321", 6])
    errors["用人单位.xlsx"].append(f"第{ws.max_row}行：统一社会信用代码 {bad_code} 校验位错误")
    paths.append(directory / "用人单位.xlsx")
    wb.save(paths[-1])

    # ---------------------------------------------------------------- registrations
    wb = Workbook()
    ws = _sheet(wb, "就业失业登记", f"新城区{STREET_NAME}{COMMUNITY_NAME}就业失业登记台账（{year}年）", REGISTRATION_HEADERS)
    style = 0
    existing_employer = Employer.objects.order_by("id").values_list("credit_code", flat=True).first()
    for i, p in enumerate(people[:24]):
        start = max(p.birth + relativedelta(years=16), p.graduation or p.birth, today - relativedelta(years=3))
        if start > today - datetime.timedelta(days=40):
            continue
        span = (today - start).days
        first_day = start + datetime.timedelta(days=rng.randint(0, span // 2))
        second_day = first_day + datetime.timedelta(days=rng.randint(20, max(21, (today - first_day).days - 1)))
        second_day = min(second_day, today)
        style += 1
        if i % 3 == 0:
            ws.append([p.id_number, p.name, "失业登记", _date_text(first_day, style % 4), "", "", "", None, "", "",
                       str(UnemploymentReason.GRADUATE.label if p.graduation and (first_day - p.graduation).days < 365
                           else UnemploymentReason.RESIGNED.label), ""])
            if i % 2 == 0:
                code, _name = employers[i % len(employers)]
                style += 1
                ws.append([p.id_number, p.name, "就业登记", _date_text(second_day, style % 4), code,
                           str(EmploymentForm.UNIT.label), str(ContractType.FIXED.label), 24, "是", rng.choice(vocab.OCCUPATIONS),
                           "", ""])
        elif i % 3 == 1:
            code = employers[i % len(employers)][0] if i % 5 else (existing_employer or employers[0][0])
            ws.append([p.id_number, p.name, "就业登记", _date_text(first_day, style % 4), code, str(EmploymentForm.UNIT.label),
                       str(ContractType.OPEN_ENDED.label if i % 4 else ContractType.FIXED.label), None if i % 4 else 36, "是",
                       rng.choice(vocab.OCCUPATIONS), "", ""])
            if i % 2 == 0:  # the job ends: 失业登记 naming the former employer (失业前单位)
                style += 1
                ws.append([p.id_number, p.name, "失业登记", _date_text(second_day, style % 4), "", "", "", None, "", "",
                           str(UnemploymentReason.CONTRACT_ENDED.label), "", code])
        else:
            ws.append([p.id_number, p.name, "就业登记", _date_text(first_day, style % 4), "", str(EmploymentForm.FLEXIBLE.label),
                       "", None, "否", rng.choice(["外卖配送员", "网约车司机", "家政服务"]), "", ""])
            if i % 4 == 2:
                style += 1
                ws.append([p.id_number, p.name, "终止", _date_text(second_day, style % 4), "", "", "", None, "", "", "",
                           str(EndingReason.JOB_ENDED.label)])
    future = today + datetime.timedelta(days=30)
    p = people[25]
    ws.append([p.id_number, p.name, "就业登记", _date_text(future, 0), employers[0][0], str(EmploymentForm.UNIT.label),
               str(ContractType.FIXED.label), 12, "是", "服务员", "", ""])
    errors["就业失业登记.xlsx"].append(f"第{ws.max_row}行：登记日期 {future.year}年{future.month}月{future.day}日 晚于今天")
    unknown_code = maker.credit_code()
    p = people[26]
    ws.append([p.id_number, p.name, "就业登记", _date_text(today - datetime.timedelta(days=90), 2), unknown_code,
               str(EmploymentForm.UNIT.label), str(ContractType.FIXED.label), 12, "是", "收银员", "", ""])
    errors["就业失业登记.xlsx"].append(f"第{ws.max_row}行：单位统一社会信用代码 {unknown_code} 有效，但该单位未登记（不在单位库和用人单位.xlsx中）")
    p = people[27]
    too_young = p.birth + relativedelta(years=15)
    ws.append([p.id_number, p.name, "失业登记", _date_text(too_young, 1), "", "", "", None, "", "", str(UnemploymentReason.OTHER.label), ""])
    errors["就业失业登记.xlsx"].append(f"第{ws.max_row}行：登记日期早于本人年满16周岁")
    paths.append(directory / "就业失业登记.xlsx")
    wb.save(paths[-1])

    paths.append(certificate_sample.write(  # 就业创业证.xlsx (issue 7, H2)
        directory, people, errors, maker=maker, sheet=_sheet, date_text=_date_text, new_only=_new_only,
        community_name=COMMUNITY_NAME, street_name=STREET_NAME, today=today))

    readme = directory / "README.txt"
    worker = next(u for u in DEMO_USERS if u.region == DEMO_COMMUNITY)  # the worker of COMMUNITY_CODE
    planted = [(name, len(items)) for name, items in errors.items() if items]
    lines = [
        "示例导入文件（由 jiuye seed / jiuye demo 生成的合成数据，人员和单位均为虚构）",
        "",
        f"社区：{COMMUNITY_NAME}（{STREET_NAME}，区划代码 {COMMUNITY_CODE}）；所有人员、家庭户和用人单位都在本社区，"
        f"有几行的所在社区写作12位区划代码 {COMMUNITY_CODE} 或“{STREET_NAME}{COMMUNITY_NAME}”，同样有效。",
        f"用演示账号 {worker.username}（{worker.display_name}，{COMMUNITY_NAME}）登录，在“数据导入”页面上传；"
        "下列故意设置的错误行被拒绝，其余各行全部导入。",
        "建议导入顺序：人员花名册.xlsx → 用人单位.xlsx → 家庭户.xlsx → 就业失业登记.xlsx → 就业创业证.xlsx。",
        "每个文件第1行为标题，第2行为表头，数据从第3行开始；日期混用“2020年3月5日”“2020.3.5”“2020-03-05”和Excel日期格式。",
        "家庭户.xlsx 中户编号、所在社区、家庭地址、有无经营性收入为合并单元格，跨该户全部成员行。",
        "",
        f"故意设置的错误共 {sum(n for _, n in planted)} 行（" + "，".join(f"{name} {n} 行" for name, n in planted)
        + "），导入时应被拒绝并在错误报告中说明：",
    ]
    for file_name, items in errors.items():
        if items:
            lines.append(f"【{file_name}】")
            lines.extend(f"  - {item}" for item in items)
    lines.append("")
    lines.append("看似有误但应正常导入的行：")
    lines.extend(f"  - {item}" for item in valid_oddities)
    lines.append("")
    lines.append("其余各行均为有效数据。")
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths.append(readme)
    return paths
