"""Import kind ``vacancies`` (招聘岗位): a job fair's or an employer's list of vacancies, one row each, published
through the same services as the form (``services.vacancies.create_vacancy(publish=True)``, one savepoint per
row): the same field checks, scope, fair-requirement rules and audit. A row whose text breaks the fair rules is
rejected with every reason and its law (nothing is stored); a row with an age limit is stored and waits for
review. A row already imported (employer, title, place, validity start) counts unchanged."""
from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.jobs import rules
from jiuye.jobs.importers.surveys import EDUCATION_NAMES, WORK_TYPE_NAMES, _choice
from jiuye.jobs.models import Occupation, Vacancy, VacancySource
from jiuye.jobs.services import vacancies as services
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.models import Employer
from jiuye.registry.queries import NotFound


def import_key(credit_code, title, region, valid_from) -> str:
    return hashlib.sha256(f"{credit_code}|{title}|{region}|{valid_from}".encode()).hexdigest()[:64]


class VacancyImporter(Importer):
    kind = "vacancies"
    label = _l("招聘岗位")
    object_type = "vacancy"
    key_field = "title"
    chunk_size = 200
    fields = [
        F("employer", "统一社会信用代码", "用人单位统一社会信用代码", "单位信用代码", required=True),
        F("title", "岗位名称", "职位", "招聘岗位", required=True),
        F("occupation", "职业代码", "职业", "职业名称"),
        F("openings", "招聘人数", "人数", "需求人数", required=True),
        F("wage_min", "月薪下限", "薪酬下限", "工资下限"),
        F("wage_max", "月薪上限", "薪酬上限", "工资上限"),
        F("region", "工作地点", "工作地点区划", "所在社区"),
        F("address", "详细地址", "地址"),
        F("education", "学历要求", "最低学历", "学历"),
        F("work_type", "用工形式", "用工方式"),
        F("valid_from", "有效期起", "发布日期"),
        F("valid_until", "有效期止", "截止日期", required=True),
        F("description", "岗位描述", "岗位要求", "岗位职责"),
        F("contact_name", "联系人"),
        F("contact_phone", "联系电话"),
        F(IGNORED, "序号", "单位名称", "用人单位", "备注"),
    ]

    def build_converters(self):
        return {
            "employer": identity_cells.credit_code,
            "title": N.text(64, label=_("岗位名称")),
            "occupation": N.text(128, label=_("职业")),
            "openings": N.integer(1, 100_000, label=_("招聘人数"), suffixes=("人", "名")),
            "wage_min": N.integer(0, 1_000_000, label=_("月薪下限"), suffixes=("元",)),
            "wage_max": N.integer(0, 1_000_000, label=_("月薪上限"), suffixes=("元",)),
            "region": lambda v: self.ctx.regions.resolve(v, community=False),
            "address": N.text(255, label=_("详细地址")),
            "education": _choice(EDUCATION_NAMES, _("学历要求")),
            "work_type": _choice(WORK_TYPE_NAMES, _("用工形式")),
            "valid_from": N.date_converter(),
            "valid_until": N.date_converter(),
            "description": N.text(4000, label=_("岗位描述")),
            "contact_name": N.text(64, label=_("联系人")),
            "contact_phone": N.text(20, label=_("联系电话")),
        }

    def check(self, record: Record) -> bool:
        verdict = rules.check({"title": record.values.get("title"), "description": record.values.get("description")})
        for r in verdict.refusals:
            self.error(record, r["field"] if r["field"] in self.columns else "title", services.refusal_text(r), r["value"])
        return not verdict.refused

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        employers = {e.credit_code: e for e in Employer.objects.filter(credit_code__in={r.values["employer"] for r in records})}
        names = {r.values["occupation"] for r in records if r.values.get("occupation")}
        occupations = {}
        for o in Occupation.objects.filter(is_occupation=True).filter(code__in=names) | Occupation.objects.filter(
                is_occupation=True, name__in=names):
            occupations[o.code] = occupations[o.name] = o.code
        for record in records:
            v = record.values
            employer = employers.get(v["employer"])
            if employer is None:
                self.error(record, "employer", _("没有该统一社会信用代码的用人单位，请先登记用人单位"))
                continue
            region = v.get("region") or employer.region_id
            key = import_key(v["employer"], v["title"], region, v.get("valid_from") or "")
            if Vacancy.objects.filter(import_key=key).exists():
                ctx.unchanged += 1
                continue
            if v.get("occupation") and v["occupation"] not in occupations:
                self.error(record, "occupation", _("职业“%s”不是职业分类大典中的职业代码或职业名称") % v["occupation"])
                continue
            values = dict(title=v["title"], occupation_code=occupations.get(v.get("occupation") or "", ""),
                          openings=v["openings"], wage_min=v.get("wage_min"), wage_max=v.get("wage_max"), region=region,
                          address=v.get("address") or "", education_min=v.get("education") or "",
                          work_type=v.get("work_type") or "full_time", valid_until=v["valid_until"],
                          description=v.get("description") or "", contact_name=v.get("contact_name") or "",
                          contact_phone=v.get("contact_phone") or "")
            if v.get("valid_from"):
                values["valid_from"] = v["valid_from"]
            if ctx.dry_run:
                _cleaned, errors = services.clean_fields(values, on=services.current_date())
                if errors:
                    self._report(record, errors)
                else:
                    ctx.imported += 1
                continue
            try:
                with transaction.atomic():
                    vacancy = services.create_vacancy(ctx.operator, employer_id=employer.pk, source=VacancySource.IMPORT, **values)
                    Vacancy.objects.filter(pk=vacancy.pk).update(import_key=key)
                services.publish_vacancy(ctx.operator, vacancy.pk)
                ctx.imported += 1
            except services.VacancyRefused as exc:  # pragma: no cover - the text rules ran in check()
                self._report(record, exc.message_dict)
            except ValidationError as exc:
                self._report(record, exc.message_dict if hasattr(exc, "error_dict") else {"title": exc.messages})
            except NotFound:  # the employer is outside the importer's scope
                self.out_of_scope(record, "employer")

    def _report(self, record, errors: dict) -> None:
        for field, messages in errors.items():
            name = {"occupation_code": "occupation", "education_min": "education"}.get(field, field)
            self.error(record, name if name in self.columns else "title", "；".join(messages))


def register() -> None:
    from jiuye.imports import kinds

    kinds.register(VacancyImporter)
