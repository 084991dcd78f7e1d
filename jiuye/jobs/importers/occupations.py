"""Import kind ``occupations`` (职业分类大典官方目录): a bureau loads the official list (codes, names,
definitions, aliases) through the shared import engine; every level the rows imply is present afterwards
(``services.occupations.load_rows`` with source ``official``: an official name replaces a shipped or
derived one). Reference data for the whole deployment: only a district or city officer or a superuser (or the
command line without a user) may load it."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry, Role
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.jobs.models import OccupationSource
from jiuye.jobs.services.occupations import CODE, load_rows

LEVEL_WORDS = {"大类": 1, "中类": 2, "小类": 3, "细类": 4, "职业": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _code(value):
    text = N.squeeze(N.as_text(value)).replace("—", "-").replace("－", "-").replace(" ", "")
    if text.count("-") == 0 and len(text) == 7 and text.isdigit():  # 4010203 → 4-01-02-03
        text = f"{text[0]}-{text[1:3]}-{text[3:5]}-{text[5:7]}"
    parts = text.split("-")
    if len(parts) < 4 and all(p.isdigit() for p in parts) and parts[0]:
        text = "-".join(parts + ["00"] * (4 - len(parts)))  # 4-01 → 4-01-00-00
    if not CODE.match(text):
        raise CellError(_("职业代码“%s”格式应为 4-01-02-03（大类-中类-小类-细类）") % text)
    return text


def _level(value):
    text = N.squeeze(N.as_text(value))
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    raise CellError(_("层级“%s”无效（可填：大类、中类、小类、细类/职业）") % text)


class OccupationImporter(Importer):
    kind = "occupations"
    label = _l("职业分类大典")
    object_type = "occupation"
    key_field = "code"
    fields = [
        F("code", "职业代码", "代码", "编码", "职业编码", required=True),
        F("name", "职业名称", "名称", "类别名称", required=True),
        F("level", "层级", "级别", "类别"),
        F("definition", "定义", "职业定义", "描述"),
        F("aliases", "别名", "常用岗位名", "工种", "包括工种"),
        F(IGNORED, "序号", "备注", "标识"),
    ]

    def build_converters(self):
        return {"code": _code, "name": N.text(128, label=_("职业名称")), "level": _level,
                "definition": N.text(4000, label=_("定义")), "aliases": N.text(2000, label=_("别名"))}

    def check(self, record: Record) -> bool:
        operator = self.ctx.operator
        if operator is not None and not (operator.is_superuser or getattr(operator, "role", None) in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER)):
            self.error(record, "code", _("职业分类为全市共用的参考数据，仅区县、市级人社部门可导入"))
            return False
        return True

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        rows = []
        for record in records:
            v = record.values
            if self.duplicate(record, v["code"], "code"):
                continue
            aliases = "\n".join(a.strip() for a in (v.get("aliases") or "").replace("，", "、").replace(",", "、").split("、")
                                if a.strip())
            level = v.get("level")
            rows.append({"code": v["code"], "name": v["name"], "definition": v.get("definition") or "", "aliases": aliases,
                         "is_occupation": level == 4 or (level is None and not v["code"].endswith("-00"))})
        if ctx.dry_run:
            ctx.imported += len(rows)
            return

        def work(items):
            counts = load_rows(items, source=OccupationSource.OFFICIAL)
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type="occupation", object_id="", object_label=_("职业分类大典"),
                          region_code="", changes={**counts, "rows": len(items), "import_batch": ctx.batch.pk},
                          summary=_("导入职业分类大典：%d行") % len(items))
            ctx.audit.flush()

        failed = self.write(work, rows)
        ctx.imported += len(rows) - len(failed)


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(OccupationImporter)
