"""Import kinds of the facts the policy rules need, through the shared import engine (same error
report, batches, audit): one kind per fact, with the column headers a bureau's sheets use.

| kind | rows |
|---|---|
| ``benefit_periods`` | 公民身份号码, 姓名, 领取起始日期, 应领月数, 领取截止日期, 月领取标准 |
| ``insurance_years`` | 统一社会信用代码, 年度, 年末参保人数, 单位缴费, 个人缴费, 裁员人数 |
| ``guarantee_loans`` | 公民身份号码 or 统一社会信用代码 (the borrower), 借款合同编号, 经办银行, 贷款金额, 放款日期, 到期日期, 带动就业人数 |
| ``loan_repayments`` | 借款合同编号, 经办银行, 应还日期, 应还金额, 实还日期 |
| ``loan_interest`` | 借款合同编号, 经办银行, 计息起始日期, 计息截止日期, 利息 |
| ``online_shops`` | 公民身份号码, 姓名, 平台统一社会信用代码, 网店名称, 开办日期, 平台证明日期 |
| ``internships`` | 公民身份号码, 姓名, 见习单位统一社会信用代码, 见习起止日期, 签订劳动合同日期, 合同期限 |
| ``trainings`` | 公民身份号码, 姓名, 培训项目, 培训机构, 开班日期, 结业日期, 是否结业, 证书 |
| ``payment_accounts`` | 公民身份号码 or 统一社会信用代码, 账户类型, 开户银行, 账号, 户名, 启用日期 |

Each row runs the services' rules (``services.facts.fact_errors``: the same messages as the forms and
the API). A person or employer outside the importer's scope gets the engine's generic out-of-scope
reason (``Importer.out_of_scope``, counted by the guard); one not on record says so. Re-importing a row
finds it by ``import_key`` (a hash of what identifies the fact) and counts it unchanged. A payment
account closes the owner's open account the day before it starts, as on the page.
"""
from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts.models import AuditEntry
from jiuye.imports import normalise as N
from jiuye.imports.base import Importer, Record
from jiuye.imports.columns import IGNORED, F
from jiuye.imports.normalise import CellError
from jiuye.policies.models import AccountKind, FactSource, GuaranteeLoan, LoanStatus, PaymentAccount
from jiuye.policies.services import facts as services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.importers import cells as identity_cells
from jiuye.registry.importers.columns import ID_ALIASES
from jiuye.registry.models import Employer, Person

UNKNOWN_PERSON = _l("没有该公民身份号码的人员档案，请先登记人员")
UNKNOWN_EMPLOYER = _l("没有该统一社会信用代码的用人单位，请先登记用人单位")
UNKNOWN_LOAN = _l("没有该经办银行的这一借款合同，请先导入创业担保贷款")
NAME_MISMATCH = _l("姓名与该公民身份号码的人员档案不符")

CREDIT_ALIASES = ("统一社会信用代码", "社会信用代码", "信用代码", "单位信用代码", "单位统一社会信用代码", "组织机构代码")
NAME_ALIASES = ("姓名", "人员姓名")
OTHER = ("序号", "备注", "说明", "性别", "民族", "单位名称", "用人单位名称", "联系电话")


def _money(label: str):
    def convert(value: Any):
        from decimal import Decimal, InvalidOperation

        text = N.squeeze(N.as_text(value)).replace("元", "").replace(",", "").replace("，", "")
        multiplier = Decimal(1)
        if text.endswith("万"):
            text, multiplier = text[:-1], Decimal(10000)
        try:
            amount = Decimal(text) * multiplier
        except InvalidOperation:
            raise CellError(_("%(l)s“%(v)s”不是金额") % {"l": label, "v": N.as_text(value)}) from None
        if amount < 0:
            raise CellError(_("%(l)s“%(v)s”不能为负数") % {"l": label, "v": N.as_text(value)})
        if amount >= services.MAX_AMOUNT:
            raise CellError(_("%(l)s“%(v)s”过大") % {"l": label, "v": N.as_text(value)})
        return amount.quantize(Decimal("0.01"))

    return convert


def _id(value: Any) -> str:
    return identity_cells.resident_id(value)[0]


def _key(kind: str, *parts: Any) -> str:
    text = "|".join(p.isoformat() if isinstance(p, datetime.date) else str(p) for p in parts)
    return kind[:4] + ":" + hashlib.sha256(f"{kind}|{text}".encode()).hexdigest()[:56]


def _chunked_map(model, field: str, keys, values: tuple[str, ...]) -> dict:
    keys = list(set(keys))
    out = {}
    for start in range(0, len(keys), 900):
        for obj in model.objects.filter(**{f"{field}__in": keys[start:start + 900]}).only(*values):
            out[getattr(obj, field)] = obj
    return out


class FactImporter(Importer):
    """What every fact kind shares: owners looked up per chunk, the scope, the services' rules,
    ``import_key`` for idempotence, one bulk insert per chunk with its audit entries."""

    fact_kind = ""  # services.facts.KINDS key
    masked_fields = {"id_number": mask_id_number}
    chunk_size = 1000
    person_field = "id_number"  # the column naming the person, if any
    employer_field = ""  # the column naming the employer owner, if any
    other_employer_fields: tuple[str, ...] = ()  # employers named but not owners (platform, unit)

    def __init__(self, ctx, layout):
        super().__init__(ctx, layout)
        self.object_type = services.KINDS[self.fact_kind].object_type

    # -- per kind --------------------------------------------------------------------------------

    def identify(self, values: dict) -> tuple:
        """What identifies the fact in the file (hashed into ``import_key``)."""
        raise NotImplementedError

    def fact_values(self, record: Record, owners: dict) -> dict:
        """The fact's values for the services' rules (owners resolved)."""
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------

    def one_owner(self, record: Record, message: str) -> bool:
        """A row names exactly one owner: a person (identity number) or an employer (credit code)."""
        v = record.values
        if bool(v.get("id_number")) == bool(v.get("credit_code")):
            self.error(record, "id_number" if "id_number" in self.columns else "credit_code", message)
            return False
        return True

    def check(self, record: Record) -> bool:
        if self.errors and self.errors[-1].row == record.row:
            return False
        return True

    def _lookups(self, records: list[Record]) -> dict:
        persons = _chunked_map(Person, "id_number", [r.values[self.person_field] for r in records
                                                     if r.values.get(self.person_field)], ("pk", "id_number", "name", "region_id"))
        codes = [r.values[f] for r in records for f in (self.employer_field, *self.other_employer_fields)
                 if f and r.values.get(f)]
        employers = _chunked_map(Employer, "credit_code", codes, ("pk", "credit_code", "name", "region_id"))
        return {"persons": persons, "employers": employers}

    def _owner(self, record: Record, lookups: dict) -> tuple[bool, dict]:
        """Resolve the row's owner (person or employer) and check the scope; False rejects the row."""
        v = record.values
        owners: dict[str, Any] = {}
        if self.person_field and v.get(self.person_field):
            person = lookups["persons"].get(v[self.person_field])
            if person is None:
                self.error(record, self.person_field, str(UNKNOWN_PERSON))
                return False, owners
            if not self.ctx.scope.contains(person.region_id):
                self.out_of_scope(record, self.person_field)
                return False, owners
            if v.get("name") and v["name"] != person.name:
                self.error(record, "name", str(NAME_MISMATCH))
                return False, owners
            owners["person"] = person
        if self.employer_field and v.get(self.employer_field):
            employer = lookups["employers"].get(v[self.employer_field])
            if employer is None:
                self.error(record, self.employer_field, str(UNKNOWN_EMPLOYER))
                return False, owners
            if not self.ctx.scope.contains(employer.region_id):
                self.out_of_scope(record, self.employer_field)
                return False, owners
            owners["employer"] = employer
        for name in self.other_employer_fields:
            if v.get(name):
                employer = lookups["employers"].get(v[name])
                if employer is None:
                    self.error(record, name, str(UNKNOWN_EMPLOYER))
                    return False, owners
                owners[name] = employer
        return True, owners

    def _refuse(self, record: Record, errors: dict) -> None:
        for field, messages in errors.items():
            column = self.field_column(field)
            self.error(record, column, "；".join(messages))

    def field_column(self, field: str) -> str:
        if field in self.columns:
            return field
        return {"person": self.person_field, "borrower_person": self.person_field or self.employer_field,
                "employer": self.employer_field, "borrower_employer": self.employer_field}.get(field) or self.key_field

    def existing_duplicate(self, values: dict) -> dict:
        return services._duplicate_error(services.KINDS[self.fact_kind], values)

    def process(self, records: list[Record]) -> None:
        ctx = self.ctx
        lookups = self._lookups(records)
        keys = {r.row: _key(self.kind, *self.identify(r.values)) for r in records}
        known = set()
        key_list = list(keys.values())
        model = services.KINDS[self.fact_kind].model
        for start in range(0, len(key_list), 900):
            known.update(model.objects.filter(import_key__in=key_list[start:start + 900]).values_list("import_key", flat=True))
        good = []
        for record in records:
            key = keys[record.row]
            ok, owners = self._owner(record, lookups)
            if not ok:
                continue
            if key in known:
                ctx.unchanged += 1
                continue
            if self.duplicate(record, key, self.key_field):
                continue
            values = self.fact_values(record, owners)
            if values is None:
                continue
            errors = services.fact_errors(self.fact_kind, values, today=ctx.today) or self.existing_duplicate(values)
            if errors:
                self._refuse(record, errors)
                continue
            good.append((record, values, key))
        if ctx.dry_run:
            ctx.imported += len(good)
            return
        failed = self.write(self._write, good)
        ctx.imported += len(good) - len(failed)
        self.reject_failed(sorted(item[0].row for item in failed), self.key_field)

    def _write(self, items: list) -> None:
        ctx = self.ctx
        kind = services.KINDS[self.fact_kind]
        operator = ctx.operator
        facts = []
        for _record, values, key in items:
            fact = kind.model(**values, source=FactSource.IMPORT, recorded_by=operator, import_key=key)
            if self.fact_kind == "insurance_years":
                fact.settles_on = datetime.date(int(fact.year) + 1, 1, 1)  # save() is not called by bulk_create
            facts.append(fact)
        kind.model.objects.bulk_create(facts, batch_size=500)
        for fact, (_record, values, _key) in zip(facts, items):
            owner = services.owner_of(kind, values)
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type=kind.object_type, object_id=fact.pk or "",
                          object_label=f"{kind.label}：{owner.name}" if owner is not None else kind.label,
                          region_code=owner.region_id if owner is not None else "",
                          changes={**services.audit_values(kind, {k: v for k, v in values.items() if k != "note"}),
                                   "import_batch": ctx.batch.pk},
                          summary=_("批量导入：%(k)s") % {"k": kind.label})
        ctx.audit.flush()


PERSON_ID = F("id_number", "公民身份号码", *ID_ALIASES, required=True)
PERSON_NAME = F("name", *NAME_ALIASES)


class BenefitPeriodImporter(FactImporter):
    kind = "benefit_periods"
    fact_kind = "benefit_periods"
    label = _l("失业保险金领取期")
    fields = [
        PERSON_ID, PERSON_NAME,
        F("starts_on", "领取起始日期", "起始日期", "开始领取日期", "领取开始日期", "享受起始日期", "失业保险金领取起始日期", required=True),
        F("months_entitled", "应领月数", "领取月数", "核定领取月数", "享受月数", "应领取月数", "核定月数", required=True),
        F("ends_on", "领取截止日期", "截止日期", "领取结束日期", "享受截止日期", "领取终止日期"),
        F("monthly_amount", "月领取标准", "月领取标准（元）", "月发放标准", "失业保险金标准", "月标准"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"]),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "starts_on": N.date_converter(),
                "months_entitled": N.integer(0, services.MAX_BENEFIT_MONTHS, label=_("应领月数"), suffixes=("个月", "月")),
                "ends_on": N.date_converter(), "monthly_amount": _money(_("月领取标准")), "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["id_number"], v["starts_on"]

    def fact_values(self, record, owners):
        v = record.values
        return {"person": owners["person"], "starts_on": v["starts_on"], "months_entitled": v["months_entitled"],
                "ends_on": v.get("ends_on"), "monthly_amount": v.get("monthly_amount"), "note": v.get("note", "")}


class InsuranceYearImporter(FactImporter):
    kind = "insurance_years"
    fact_kind = "insurance_years"
    label = _l("单位参保年度数据")
    key_field = "credit_code"
    person_field = ""
    employer_field = "credit_code"
    masked_fields = {}
    fields = [
        F("credit_code", *CREDIT_ALIASES, required=True),
        F("year", "年度", "参保年度", "年份", "统计年度", required=True),
        F("insured_staff_year_end", "年末参保人数", "年末参保职工人数", "参保人数", "年末在职参保人数", required=True),
        F("premiums_employer", "单位缴费", "单位缴纳失业保险费", "单位缴费金额", "单位缴纳", "单位实缴", required=True),
        F("premiums_staff", "个人缴费", "职工缴纳失业保险费", "个人缴费金额", "个人缴纳", "职工缴费", required=True),
        F("layoffs", "裁员人数", "年内裁员人数", "减员人数", "裁员"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"]),
    ]

    def build_converters(self):
        return {"credit_code": identity_cells.credit_code,
                "year": N.integer(1990, 2100, label=_("年度"), suffixes=("年度", "年")),
                "insured_staff_year_end": N.integer(0, 10_000_000, label=_("年末参保人数"), suffixes=("人",)),
                "premiums_employer": _money(_("单位缴费")), "premiums_staff": _money(_("个人缴费")),
                "layoffs": N.integer(0, 10_000_000, label=_("裁员人数"), suffixes=("人",)), "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["credit_code"], v["year"]

    def fact_values(self, record, owners):
        v = record.values
        return {"employer": owners["employer"], "year": v["year"], "insured_staff_year_end": v["insured_staff_year_end"],
                "premiums_employer": v["premiums_employer"], "premiums_staff": v["premiums_staff"],
                "layoffs": v.get("layoffs", 0), "note": v.get("note", "")}


STATUS_NAMES = {"还款中": LoanStatus.ACTIVE, "正常": LoanStatus.ACTIVE, "在贷": LoanStatus.ACTIVE,
                "已结清": LoanStatus.REPAID, "结清": LoanStatus.REPAID, "已还清": LoanStatus.REPAID,
                "逾期未还": LoanStatus.DEFAULTED, "逾期": LoanStatus.DEFAULTED, "违约": LoanStatus.DEFAULTED}
LOAN_KEY = (F("contract_number", "借款合同编号", "合同编号", "贷款合同编号", "借款合同号", "合同号", required=True),
            F("lender", "经办银行", "贷款银行", "承办银行", "放款银行", "经办金融机构", required=True))


class LoanImporter(FactImporter):
    kind = "guarantee_loans"
    fact_kind = "loans"
    label = _l("创业担保贷款")
    key_field = "contract_number"
    employer_field = "credit_code"
    fields = [
        F("id_number", "公民身份号码", *ID_ALIASES, "借款人身份证号"), PERSON_NAME,
        F("credit_code", *CREDIT_ALIASES, "借款单位统一社会信用代码"),
        *LOAN_KEY,
        F("amount", "贷款金额", "贷款金额（元）", "借款金额", "放款金额", required=True),
        F("starts_on", "放款日期", "发放日期", "贷款发放日期", "借款日期", required=True),
        F("ends_on", "到期日期", "贷款到期日期", "到期日", required=True),
        F("jobs_created", "带动就业人数", "吸纳就业人数", "带动就业"),
        F("counter_guarantee_waived", "免除反担保", "免反担保"),
        F("status", "贷款状态", "状态"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"]),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "credit_code": identity_cells.credit_code,
                "contract_number": N.text(64, label=_("借款合同编号")), "lender": N.text(64, label=_("经办银行")),
                "amount": _money(_("贷款金额")), "starts_on": N.date_converter(), "ends_on": N.date_converter(),
                "jobs_created": N.integer(0, 100_000, label=_("带动就业人数"), suffixes=("人",)),
                "counter_guarantee_waived": N.yes_no(_("免除反担保")),
                "status": N.Choice(LoanStatus.choices, _("贷款状态"),
                                   aliases={code: [k for k, c in STATUS_NAMES.items() if c == code] for code in LoanStatus.values}),
                "note": N.text(255, label=_("备注"))}

    def check(self, record):
        return super().check(record) and self.one_owner(record, _(
            "一笔贷款须有且只有一个借款人：填写借款人的公民身份号码或借款单位的统一社会信用代码，二者选一"))

    def identify(self, v):
        return v["lender"], v["contract_number"]

    def fact_values(self, record, owners):
        v = record.values
        return {"borrower_person": owners.get("person"), "borrower_employer": owners.get("employer"),
                "contract_number": v["contract_number"], "lender": v["lender"], "amount": v["amount"],
                "starts_on": v["starts_on"], "ends_on": v["ends_on"], "jobs_created": v.get("jobs_created", 0),
                "counter_guarantee_waived": v.get("counter_guarantee_waived", False),
                "status": v.get("status") or LoanStatus.ACTIVE, "note": v.get("note", "")}


class _LoanPartImporter(FactImporter):
    """Repayments and interest periods: rows name their loan by contract number and bank."""

    key_field = "contract_number"
    person_field = ""
    masked_fields = {}

    def _lookups(self, records):
        pairs = {(r.values["lender"], r.values["contract_number"]) for r in records}
        loans = {}
        numbers = list({n for _l, n in pairs})
        for start in range(0, len(numbers), 900):
            for loan in GuaranteeLoan.objects.filter(contract_number__in=numbers[start:start + 900]).select_related(
                    "borrower_person", "borrower_employer"):
                loans[(loan.lender, loan.contract_number)] = loan
        return {"loans": loans}

    def _owner(self, record, lookups):
        v = record.values
        loan = lookups["loans"].get((v["lender"], v["contract_number"]))
        if loan is None:
            self.error(record, "contract_number", str(UNKNOWN_LOAN))
            return False, {}
        borrower = loan.borrower_person or loan.borrower_employer
        if not self.ctx.scope.contains(borrower.region_id):
            self.out_of_scope(record, "contract_number")
            return False, {}
        return True, {"loan": loan}


class LoanRepaymentImporter(_LoanPartImporter):
    kind = "loan_repayments"
    fact_kind = "loan_repayments"
    label = _l("贷款还款记录")
    fields = [
        *LOAN_KEY,
        F("due_on", "应还日期", "计划还款日期", "应还款日期", required=True),
        F("amount", "应还金额", "应还金额（元）", "应还本金", "还款金额", required=True),
        F("paid_on", "实还日期", "实际还款日期", "还款日期"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"], "借款人", "公民身份号码", *ID_ALIASES),
    ]

    def build_converters(self):
        return {"contract_number": N.text(64, label=_("借款合同编号")), "lender": N.text(64, label=_("经办银行")),
                "due_on": N.date_converter(), "amount": _money(_("应还金额")), "paid_on": N.date_converter(),
                "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["lender"], v["contract_number"], v["due_on"]

    def fact_values(self, record, owners):
        v = record.values
        return {"loan": owners["loan"], "due_on": v["due_on"], "amount": v["amount"], "paid_on": v.get("paid_on"),
                "note": v.get("note", "")}


class LoanInterestImporter(_LoanPartImporter):
    kind = "loan_interest"
    fact_kind = "loan_interest"
    label = _l("贷款计息期")
    fields = [
        *LOAN_KEY,
        F("starts_on", "计息起始日期", "计息开始日期", "起息日", "计息起始日", required=True),
        F("ends_on", "计息截止日期", "计息结束日期", "止息日", "计息截止日", required=True),
        F("interest", "利息", "应付利息", "利息（元）", "应付利息（元）", "利息金额", required=True),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"], "借款人", "公民身份号码", *ID_ALIASES),
    ]

    def build_converters(self):
        return {"contract_number": N.text(64, label=_("借款合同编号")), "lender": N.text(64, label=_("经办银行")),
                "starts_on": N.date_converter(), "ends_on": N.date_converter(), "interest": _money(_("利息")),
                "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["lender"], v["contract_number"], v["starts_on"]

    def fact_values(self, record, owners):
        v = record.values
        return {"loan": owners["loan"], "starts_on": v["starts_on"], "ends_on": v["ends_on"], "interest": v["interest"],
                "note": v.get("note", "")}


class OnlineShopImporter(FactImporter):
    kind = "online_shops"
    fact_kind = "online_shops"
    label = _l("网店开办")
    other_employer_fields = ("platform",)
    fields = [
        PERSON_ID, PERSON_NAME,
        F("platform", "平台统一社会信用代码", "电商平台统一社会信用代码", "平台信用代码", "创业服务机构统一社会信用代码",
          "统一社会信用代码", required=True),
        F("shop_name", "网店名称", "店铺名称", "网店", required=True),
        F("opened_on", "开办日期", "开店日期", "网店开办日期", required=True),
        F("attested_on", "平台证明日期", "证明日期", "出具证明日期", required=True),
        F("attestation", "证明文号", "证明文号/说明", "证明编号"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"], "平台名称", "电商平台"),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "platform": identity_cells.credit_code,
                "shop_name": N.text(128, label=_("网店名称")), "opened_on": N.date_converter(),
                "attested_on": N.date_converter(), "attestation": N.text(128, label=_("证明文号")),
                "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["platform"], v["id_number"], v["shop_name"]

    def fact_values(self, record, owners):
        v = record.values
        return {"person": owners["person"], "platform": owners["platform"], "shop_name": v["shop_name"],
                "opened_on": v["opened_on"], "attested_on": v["attested_on"], "attestation": v.get("attestation", ""),
                "note": v.get("note", "")}


class InternshipImporter(FactImporter):
    kind = "internships"
    fact_kind = "internships"
    label = _l("就业见习")
    other_employer_fields = ("unit",)
    fields = [
        PERSON_ID, PERSON_NAME,
        F("unit", "见习单位", "见习单位统一社会信用代码", "见习基地统一社会信用代码", "见习单位信用代码", "统一社会信用代码",
          required=True),
        F("starts_on", "见习起始日期", "见习开始日期", "见习起始时间", "见习起始"),
        F("ends_on", "见习期满日期", "见习截止日期", "见习结束日期", "见习期满"),
        F("period", "见习起止日期", "见习起止时间", "见习期限"),
        F("hired_on", "签订劳动合同日期", "留用日期", "签订合同日期"),
        F("contract_months", "合同期限", "合同期限（月）", "劳动合同期限"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"], "见习单位名称", "见习岗位"),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "unit": identity_cells.credit_code,
                "starts_on": N.date_converter(), "ends_on": N.date_converter(), "period": _period,
                "hired_on": N.date_converter(),
                "contract_months": N.integer(1, 240, label=_("合同期限"), suffixes=("个月", "月")),
                "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["id_number"], v["unit"], v["starts_on"]

    def fact_values(self, record, owners):
        v = record.values
        return {"person": owners["person"], "unit": owners["unit"], "starts_on": v["starts_on"], "ends_on": v["ends_on"],
                "hired_on": v.get("hired_on"), "contract_months": v.get("contract_months"), "note": v.get("note", "")}

    def check(self, record):
        # 见习起止日期 "2024-07-01至2025-06-30" fills 起始 and 期满 when those cells are empty.
        v = record.values
        if "period" in v:
            start, end = v.pop("period")
            v.setdefault("starts_on", start)
            v.setdefault("ends_on", end)
        if not super().check(record):
            return False
        missing = [name for name in ("starts_on", "ends_on") if v.get(name) is None]
        for name in missing:
            self.error(record, name if name in self.columns else "period",
                       _("%(h)s不能为空（必填；或填写见习起止日期）") % {"h": self.canonical[name]})
        return not missing


def _period(value: Any) -> tuple[datetime.date, datetime.date]:
    import re

    text = N.squeeze(N.as_text(value))
    parts = re.split(r"至|到|—|－|~|～|--", text)
    if len(parts) != 2:
        raise CellError(_("见习起止日期“%(v)s”应写作“起始日期至期满日期”") % {"v": text})
    return N.parse_date(parts[0]), N.parse_date(parts[1])


class TrainingImporter(FactImporter):
    kind = "trainings"
    fact_kind = "trainings"
    label = _l("技能培训")
    fields = [
        PERSON_ID, PERSON_NAME,
        F("course", "培训项目", "培训工种", "培训项目/工种", "培训专业", "工种", required=True),
        F("provider", "培训机构", "培训学校", "定点培训机构", required=True),
        F("starts_on", "开班日期", "开班时间", "培训开始日期", "开始日期", required=True),
        F("ends_on", "结业日期", "结业时间", "培训结束日期", "结束日期", required=True),
        F("completed", "是否结业", "结业", "已结业"),
        F("certificate", "取得证书", "证书", "证书名称", "职业资格证书"),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"]),
    ]

    def build_converters(self):
        return {"id_number": _id, "name": N.name_text, "course": N.text(64, label=_("培训项目")),
                "provider": N.text(128, label=_("培训机构")), "starts_on": N.date_converter(), "ends_on": N.date_converter(),
                "completed": N.yes_no(_("是否结业")), "certificate": N.text(64, label=_("取得证书")),
                "note": N.text(255, label=_("备注"))}

    def identify(self, v):
        return v["id_number"], v["course"], v["starts_on"]

    def fact_values(self, record, owners):
        v = record.values
        return {"person": owners["person"], "course": v["course"], "provider": v["provider"], "starts_on": v["starts_on"],
                "ends_on": v["ends_on"], "completed": v.get("completed", False), "certificate": v.get("certificate", ""),
                "note": v.get("note", "")}


ACCOUNT_KIND = N.Choice(AccountKind.choices, "账户类型", aliases={
    AccountKind.SOCIAL_SECURITY_CARD: ["社保卡", "社会保障卡", "社保卡金融账户", "社会保障卡金融账户", "个人"],
    AccountKind.BANK: ["银行账户", "对公账户", "单位账户", "基本存款账户", "单位"]})


class PaymentAccountImporter(FactImporter):
    kind = "payment_accounts"
    fact_kind = "payment_accounts"
    label = _l("收款账户")
    key_field = "account_number"
    employer_field = "credit_code"
    masked_fields = {"id_number": mask_id_number, "account_number": services.mask_account_number}
    fields = [
        F("id_number", "公民身份号码", *ID_ALIASES),
        F("credit_code", *CREDIT_ALIASES),
        F("kind", "账户类型", "账户类别"),
        F("bank", "开户银行", "开户行", "银行", "开户银行名称", required=True),
        F("account_number", "账号", "银行账号", "社保卡号", "社会保障卡号", "卡号", "社保卡金融账号", required=True),
        F("account_name", "户名", "账户名称", "开户名", required=True),
        F("valid_from", "启用日期", "开户日期", "生效日期", required=True),
        F("note", "备注"),
        F(IGNORED, *[o for o in OTHER if o != "备注"], "姓名"),
    ]

    def build_converters(self):
        def number(value):
            if isinstance(value, float):
                raise CellError(_("账号被Excel存成了数字，后几位可能已丢失；请将该列设为“文本”格式后重新填写"))
            return N.squeeze(N.as_text(value)).replace("-", "")

        return {"id_number": _id, "credit_code": identity_cells.credit_code, "kind": ACCOUNT_KIND,
                "bank": N.text(64, label=_("开户银行")), "account_number": number,
                "account_name": N.text(128, label=_("户名")), "valid_from": N.date_converter(),
                "note": N.text(255, label=_("备注"))}

    def check(self, record):
        return super().check(record) and self.one_owner(record, _(
            "收款账户须属于一个人员或一个单位：填写公民身份号码或统一社会信用代码，二者选一"))

    def identify(self, v):
        return v.get("id_number") or v.get("credit_code"), v["account_number"], v["valid_from"]

    def fact_values(self, record, owners):
        v = record.values
        return {"person": owners.get("person"), "employer": owners.get("employer"), "kind": v.get("kind"),
                "bank": v["bank"], "account_number": v["account_number"], "account_name": v["account_name"],
                "valid_from": v["valid_from"], "valid_until": None, "note": v.get("note", "")}

    def _write(self, items: list) -> None:
        """Accounts one by one in date order: each closes the owner's open account the day before."""
        ctx = self.ctx
        kind = services.KINDS["payment_accounts"]
        for _record, values, key in sorted(items, key=lambda item: item[1]["valid_from"]):
            owner = {"person": values["person"]} if values.get("person") is not None else {"employer": values["employer"]}
            previous = (PaymentAccount.objects.select_for_update().filter(**owner, valid_until__isnull=True)
                        .order_by("-valid_from", "-pk").first())
            if previous is not None and previous.valid_from < values["valid_from"]:
                previous.valid_until = values["valid_from"] - datetime.timedelta(days=1)
                previous.save(update_fields=["valid_until"])
            elif previous is not None:  # an older account from the ledger: closed the day before the open one
                values["valid_until"] = previous.valid_from - datetime.timedelta(days=1)
                if values["valid_until"] < values["valid_from"]:
                    values["valid_until"] = values["valid_from"]
            fact = PaymentAccount.objects.create(**values, source=FactSource.IMPORT, recorded_by=ctx.operator,
                                                 import_key=key)
            who = values.get("person") or values.get("employer")
            ctx.audit.add(AuditEntry.Action.IMPORT, object_type=kind.object_type, object_id=fact.pk,
                          object_label=f"{kind.label}：{who.name}", region_code=who.region_id,
                          changes={**services.audit_values(kind, {k: v for k, v in values.items() if k != "note"}),
                                   "closed_account": previous.pk if previous is not None and previous.valid_until else None,
                                   "import_batch": ctx.batch.pk},
                          summary=_("批量导入：%(k)s") % {"k": kind.label})
        ctx.audit.flush()


IMPORTERS = [BenefitPeriodImporter, InsuranceYearImporter, LoanImporter, LoanRepaymentImporter, LoanInterestImporter,
             OnlineShopImporter, InternshipImporter, TrainingImporter, PaymentAccountImporter]


def register() -> None:
    from jiuye.imports import kinds

    for importer in IMPORTERS:
        kinds.register(importer)
