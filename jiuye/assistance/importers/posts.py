"""Import kinds of public-welfare posts through the shared import engine (same error report):

- ``welfare_posts`` (公益性岗位): a catalogue ledger; each row runs the catalogue's rules
  (``services.posts.post_errors``); idempotent through ``WelfarePost.import_key`` (employer, title,
  place, start date): a row already imported is counted unchanged.
- ``post_placements`` (公益性岗位安置; the engine's kinds have at most 16 characters): each row is placed
  through ``services.posts.place`` — the same eligibility, openings and tenure rules, the employment
  registration and the case service as on the page — one savepoint per row, so a refused row is
  reported with the service's reasons and the others are written. A row for a person already on the
  same post from the same day is counted unchanged. Placements are few per file (a post ledger), so
  each row is one service call (the registry's events are sent per row, ``via="service"``).
"""
from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import Placement, PlacementStatus, PostCategory, PostStatus, WelfarePost
from jiuye.assistance.services import posts as services
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.regions.models import Region
from jiuye.registry.identity import mask_id_number
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers.columns import ID_ALIASES
from jiuye.registry.models import Employer, Person, RegistrationSource

UNKNOWN_PERSON = _l("在您的管辖范围内没有该公民身份号码的人员档案（未建档或不在您的管辖范围内），请核实或联系上级")
UNKNOWN_EMPLOYER = _l("没有该统一社会信用代码的用人单位，请先登记用人单位")

CATEGORY_NAMES = {
    "城镇公益性岗位": PostCategory.URBAN, "城镇": PostCategory.URBAN, "urban": PostCategory.URBAN,
    "乡村公益性岗位": PostCategory.RURAL, "乡村振兴公益性岗位": PostCategory.RURAL, "乡村": PostCategory.RURAL,
    "乡村公益性岗位（乡村振兴）": PostCategory.RURAL, "rural": PostCategory.RURAL,
    "临时性公益性岗位": PostCategory.TEMPORARY, "临时": PostCategory.TEMPORARY, "消杀防疫": PostCategory.TEMPORARY,
    "临时性公益性岗位（消杀防疫等）": PostCategory.TEMPORARY, "temporary": PostCategory.TEMPORARY,
}
STATUS_NAMES = {"开放": PostStatus.OPEN, "招聘中": PostStatus.OPEN, "在用": PostStatus.OPEN, "open": PostStatus.OPEN,
                "已关闭": PostStatus.CLOSED, "关闭": PostStatus.CLOSED, "closed": PostStatus.CLOSED}


def _choice(names: dict, label: str):
    def convert(value):
        text = N.squeeze(N.as_text(value)).replace("(", "（").replace(")", "）")
        if text in names:
            return names[text]
        raise CellError(_("%(l)s“%(v)s”无效（可填：%(c)s）") % {"l": label, "v": text, "c": "、".join(
            dict.fromkeys(k for k in names if not k.isascii()))})
    return convert


def _money(value):
    from decimal import Decimal, InvalidOperation

    text = N.squeeze(N.as_text(value)).replace("元", "").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(_("月补贴标准“%(v)s”不是金额") % {"v": text}) from None
    if amount < 0 or amount >= Decimal("10000000"):
        raise CellError(_("月补贴标准“%(v)s”无效") % {"v": text})
    return amount.quantize(Decimal("0.01"))


def post_import_key(credit_code: str, title: str, region: str, starts_on) -> str:
    return hashlib.sha256(f"{credit_code}|{title}|{region}|{starts_on.isoformat()}".encode()).hexdigest()[:64]


def _employers(codes) -> dict[str, Employer]:
    codes = list(set(codes))
    out = {}
    for start in range(0, len(codes), 900):
        for e in Employer.objects.filter(credit_code__in=codes[start:start + 900]):
            out[e.credit_code] = e
    return out


class WelfarePostImporter(Importer):
    kind = "welfare_posts"
    label = _l("公益性岗位")
    object_type = "welfare_post"
    key_field = "title"
    fields = [
        F("title", "岗位名称", "岗位", "公益性岗位名称", required=True),
        F("category", "岗位类别", "岗位类型", "类别", required=True),
        F("employer", "用人单位统一社会信用代码", "统一社会信用代码", "单位信用代码", "用人单位代码", required=True),
        F("region", "工作地点", "岗位所在社区", "所在社区", "所在街道", "工作地点区划", required=True),
        F("openings", "岗位数", "岗位数量", "开发数量", "人数", required=True),
        F("monthly_subsidy", "月补贴标准", "月补贴标准（元）", "补贴标准", "月补贴"),
        F("duties", "岗位职责", "工作内容"),
        F("starts_on", "开发日期", "开始日期", "起始日期", required=True),
        F("ends_on", "截止日期", "结束日期"),
        F("status", "状态"),
        F(IGNORED, "序号", "备注", "用人单位", "单位名称", "用人单位名称"),
    ]

    def build_converters(self):
        return {
            "title": N.text(64, label=_("岗位名称")),
            "category": _choice(CATEGORY_NAMES, _("岗位类别")),
            "employer": identity_cells.credit_code,
            "region": lambda v: self.ctx.regions.resolve(v, community=False),
            "openings": N.integer(1, 10_000, label=_("岗位数"), suffixes=("个", "人")),
            "monthly_subsidy": _money,
            "duties": N.text(2000, label=_("岗位职责")),
            "starts_on": N.date_converter(),
            "ends_on": N.date_converter(),
            "status": _choice(STATUS_NAMES, _("状态")),
        }

    def check(self, record: Record) -> bool:
        if self.errors and self.errors[-1].row == record.row:
            return False
        return self.scope_check(record, "region", record.values["region"])

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        employers = _employers(r.values["employer"] for r in records)
        regions = {r.code: r for r in Region.objects.filter(code__in={r.values["region"] for r in records})}
        keys = {r.row: post_import_key(r.values["employer"], r.values["title"], r.values["region"], r.values["starts_on"])
                for r in records}
        existing = set(WelfarePost.objects.filter(import_key__in=list(keys.values())).values_list("import_key", flat=True))
        good = []
        for record in records:
            v = record.values
            if keys[record.row] in existing:
                ctx.unchanged += 1
                continue
            if self.duplicate(record, keys[record.row], "title"):
                continue
            employer = employers.get(v["employer"])
            if employer is None:
                self.error(record, "employer", str(UNKNOWN_EMPLOYER))
                continue
            values = {"employer": employer, "title": v["title"], "category": v["category"],
                      "region": regions.get(v["region"]), "openings": v["openings"],
                      "monthly_subsidy": v.get("monthly_subsidy"), "duties": v.get("duties") or "",
                      "starts_on": v["starts_on"], "ends_on": v.get("ends_on"), "status": v.get("status") or PostStatus.OPEN}
            errors = services.post_errors(values)
            if errors:
                for field, messages in errors.items():
                    self.error(record, field if field in self.columns else "title", "；".join(messages))
                continue
            good.append((record, values, keys[record.row]))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        failed = self.write(self._write, good)
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted(item[0].row for item in failed), "title")

    def _write(self, items) -> None:
        ctx = self.ctx
        posts = [WelfarePost(created_by=ctx.operator, import_key=key, **values) for _r, values, key in items]
        WelfarePost.objects.bulk_create(posts, batch_size=500)
        for post in posts:
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type="welfare_post", object_id=post.pk,
                          object_label=post.title, region_code=post.region_id,
                          changes={"employer": post.employer_id, "category": post.category, "openings": post.openings,
                                   "import_batch": ctx.batch.pk},
                          summary=_("批量导入：公益性岗位"))
        ctx.audit.flush()


class PlacementImporter(Importer):
    kind = "post_placements"
    label = _l("公益性岗位安置")
    object_type = "welfare_placement"
    masked_fields = {"id_number": mask_id_number}
    chunk_size = 200
    fields = [
        F("id_number", "公民身份号码", *ID_ALIASES, required=True),
        F("name", "姓名"),
        F("employer", "用人单位统一社会信用代码", "统一社会信用代码", "单位信用代码", "用人单位代码", required=True),
        F("title", "岗位名称", "岗位", "公益性岗位名称", required=True),
        F("started_on", "上岗日期", "安置日期", "上岗时间", required=True),
        F("planned_end_on", "计划期满日期", "期满日期", "协议终止日期"),
        F(IGNORED, "序号", "备注", "用人单位", "单位名称", "用人单位名称", "性别", "民族"),
    ]

    def build_converters(self):
        return {
            "id_number": identity_cells.resident_id,
            "name": N.name_text,
            "employer": identity_cells.credit_code,
            "title": N.text(64, label=_("岗位名称")),
            "started_on": N.date_converter(),
            "planned_end_on": N.date_converter(),
        }

    def check(self, record: Record) -> bool:
        ident = record.values.get("id_number")
        if ident is not None:
            record.values["id_number"] = ident[0]
        if self.errors and self.errors[-1].row == record.row:
            return False
        return not self.duplicate(record, record.values["id_number"], "id_number")

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        ids = list({r.values["id_number"] for r in records})
        persons = {p.id_number: p for p in Person.objects.filter(id_number__in=ids)}
        employers = _employers(r.values["employer"] for r in records)
        good = []
        for record in records:
            v = record.values
            person = persons.get(v["id_number"])
            if person is None:
                self.error(record, "id_number", str(UNKNOWN_PERSON))
                continue
            if not ctx.scope.contains(person.region_id):
                self.out_of_scope(record, "id_number")
                self.errors[-1].reason = str(UNKNOWN_PERSON)
                continue
            if v.get("name") and v["name"] != person.name:
                self.error(record, "name", _("姓名与该公民身份号码的人员档案不符"))
                continue
            employer = employers.get(v["employer"])
            post = None
            if employer is not None:
                post = (WelfarePost.objects.filter(employer=employer, title=v["title"]).order_by("-status", "-starts_on")
                        .first())  # "open" sorts after "closed": the open post first
            if post is None or not ctx.scope.contains(post.region_id):
                self.error(record, "title", _("没有该用人单位的这一公益性岗位（或不在您的管辖范围内），请先导入或新建岗位"))
                continue
            if Placement.objects.filter(person=person, post=post, started_on=v["started_on"]).exists():
                ctx.unchanged += 1
                continue
            if ctx.dry_run:
                errors, _plan = services.placement_errors(post, person, v["started_on"], v.get("planned_end_on"))
                if errors:
                    self._refuse(record, errors)
                    continue
            good.append((record, person, post))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        for item in good:
            self._place(item)

    def _refuse(self, record: Record, errors: dict) -> None:
        for field, messages in errors.items():
            column = {"person": "id_number", "post": "title"}.get(field, field)
            self.error(record, column if column in self.columns else "id_number", "；".join(messages))

    def _place(self, item) -> None:
        from django.db import transaction

        record, person, post = item
        v = record.values
        try:
            with transaction.atomic():
                services.place(actor=self.ctx.actor, post=post, person=person, started_on=v["started_on"],
                               planned_end_on=v.get("planned_end_on"), source=RegistrationSource.IMPORT,
                               note=_("批量导入（批次%(b)s）") % {"b": self.ctx.batch.pk})
        except ValidationError as exc:
            self._refuse(record, exc.message_dict if hasattr(exc, "error_dict") else {"id_number": exc.messages})
            return
        self.ctx.imported += 1


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(WelfarePostImporter)
    kinds.register(PlacementImporter)


__all__ = ["WelfarePostImporter", "PlacementImporter", "register", "PlacementStatus"]
