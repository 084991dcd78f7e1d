"""Policy packs: files in the dated-parameter format with two more sections, checked by the same validator.

```yaml
jurisdiction: "610102"
name: 西安市新城区
pack: {code: xc2020, title: 西安市新城区进一步做好稳就业工作的实施意见, document: 新政发〔2020〕28号, issued_on: 2020-11-13}
parameters:            # dated values, exactly as in a parameter file (docs/parameters.md)
  policies.hiring_once.amount:
    - {since: open, value: 1000, basis: {document: 新政发〔2020〕28号, article: （七）}}
policies:
  - id: xc2020-hiring-once
    name: 一次性吸纳就业补助
    kind: hiring_once                 # subsidies of one kind exclude each other (per month / once)
    beneficiary: employer             # person | employer | borrower (loan events)
    event: employment                 # vocabulary.EVENTS
    period: {from: 2020-01-01, to: 2020-12-31}
    conditions:                       # all must hold; any: [...] for alternatives
      - employer_size: [medium, small, micro]
      - graduating_year: true
    benefit: {unit: once, amount: policies.hiring_once.amount}
    limits: {once: true}
    evidence: [劳动合同, 社会保险缴费记录]
    basis: {document: 新政发〔2020〕28号, article: （七）}
```

``validate([path])`` (jiuye.parameters) reports every mistake of both parts with file and line;
``jiuye policy check`` and ``jiuye params check`` call it. docs/policies/packs.md is the reference.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jiuye.parameters import SCHEMA, DatedValue, FileError, Source, collect
from jiuye.parameters.files import Basis, register_section
from jiuye.policies.vocabulary import CONDITIONS, EVENTS, FACTS

PACK_FIELDS = {"code", "title", "document", "issued_on", "note"}
POLICY_FIELDS = {"id", "name", "summary", "kind", "beneficiary", "event", "period", "conditions", "benefit", "limits",
                 "evidence", "basis", "claim_window"}
BENEFIT_FIELDS = {"unit", "amount", "max_months", "months", "cases"}
CASE_FIELDS = {"when", "amount", "max_months", "months", "label"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
BENEFICIARIES = ("person", "employer", "borrower")
PACKS_DIR = Path(__file__).parent / "packs"


@dataclass
class PackFile:
    path: str
    jurisdiction: str
    jurisdiction_name: str
    code: str
    title: str
    document: str
    issued_on: datetime.date | None
    policies: list[dict] = field(default_factory=list)


class _PolicyReader:
    def __init__(self, reader, path: str):
        self.r = reader
        self.path = path

    def err(self, node, message):
        self.r.error(self.path, node, message)

    def scalar(self, node, what) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"{what}应为单个值")
            return None
        return self.r.construct(node)

    def text(self, node, what, required=True) -> str | None:
        value = self.scalar(node, what)
        if value is None or not str(value).strip():
            if required:
                self.err(node, f"{what}不能为空")
            return None
        return str(value).strip()

    def date(self, node, what):
        value, ok = self.r.date(self.path, node, what, allow_open=False)
        return value if ok else None

    # -- parameters referred to ---------------------------------------------------------------
    def param_key(self, node, what, types=("decimal", "int")) -> str | None:
        key = self.text(node, what)
        if key is None:
            return None
        parameter = SCHEMA.get(key)
        if parameter is None:
            self.err(node, f"{what}“{key}”不是已声明的参数（金额、月数、比例须写参数键，数值写在 parameters 中）")
            return None
        if parameter.type not in types:
            self.err(node, f"{what}“{key}”的类型为{parameter.type}，此处须为数值参数")
            return None
        return key

    def expr(self, node, what, event: str) -> dict | None:
        """An amount: a parameter key, {fact: NAME}, {times: [...]} or {plus: [...]}."""
        if isinstance(node, yaml.ScalarNode):
            key = self.param_key(node, what)
            return None if key is None else {"param": key}
        fields = self.r.mapping(self.path, node, what, {"fact", "times", "plus", "param"})
        if fields is None or len(fields) != 1:
            if fields is not None:
                self.err(node, f"{what}须且只能写 param、fact、times、plus 之一")
            return None
        (op, (key_node, value_node)), = fields.items()
        if op == "param":
            key = self.param_key(value_node, what)
            return None if key is None else {"param": key}
        if op == "fact":
            name = self.text(value_node, what)
            if name is None:
                return None
            fact = FACTS.get(name)
            if fact is None or fact[1] != event:
                usable = [n for n, f in FACTS.items() if f[1] == event]
                self.err(value_node, f"{what}中的事实“{name}”不适用于事件“{event}”（可用：{'、'.join(usable) or '无'}）")
                return None
            return {"fact": name}
        if not isinstance(value_node, yaml.SequenceNode) or len(value_node.value) < 2:
            self.err(value_node, f"{what}的 {op} 须列出至少两项")
            return None
        parts = [self.expr(n, what, event) for n in value_node.value]
        return None if any(p is None for p in parts) else {op: parts}

    # -- conditions ---------------------------------------------------------------------------
    def conditions(self, node, event: str, what="条件（conditions）") -> list | None:
        if isinstance(node, yaml.MappingNode):
            items = [yaml.MappingNode(tag=node.tag, value=[pair], start_mark=pair[0].start_mark, end_mark=pair[1].end_mark)
                     for pair in node.value]
        elif isinstance(node, yaml.SequenceNode):
            items = node.value
        else:
            self.err(node, f"{what}应为条件列表")
            return None
        out, ok = [], True
        for item in items:
            c = self.condition(item, event)
            ok &= c is not None
            out.append(c)
        return out if ok else None

    def condition(self, node, event: str) -> dict | None:
        fields = self.r.mapping(self.path, node, "条件", None)
        if not fields:
            if fields is not None:
                self.err(node, "条件不能为空")
            return None
        if len(fields) != 1:
            self.err(node, "每个条件只写一项（多项条件请分行列出）")
            return None
        (name, (key_node, value_node)), = fields.items()
        if name in ("any", "all"):
            inner = self.conditions(value_node, event, f"{name} 条件组")
            if inner is not None and len(inner) < 1:
                self.err(value_node, f"{name} 条件组不能为空")
                return None
            return None if inner is None else {name: inner}
        cond = CONDITIONS.get(name)
        ev = EVENTS.get(event)
        if cond is None:
            usable = sorted(n for n, c in CONDITIONS.items() if ev is not None and c.applies_to(ev))
            self.err(key_node, f"未知条件“{name}”（事件“{event}”可用：{'、'.join(usable)}）")
            return None
        if ev is not None and not cond.applies_to(ev):
            self.err(key_node, f"条件“{name}”（{cond.label}）不适用于事件“{event}”（{ev.label}）")
            return None
        arg = self.arg(value_node, cond)
        return None if arg is None else {"name": name, "arg": arg}

    def arg(self, node, cond):
        kind = cond.arg
        if kind.startswith("list:"):
            if isinstance(node, yaml.ScalarNode):
                values = [self.r.construct(node)]
            elif isinstance(node, yaml.SequenceNode):
                values = [self.r.construct(n) for n in node.value]
            else:
                self.err(node, f"条件“{cond.name}”应为取值列表")
                return None
            values = [str(v) for v in values]
            bad = [v for v in values if v not in cond.choices]
            if bad or not values:
                self.err(node, f"条件“{cond.name}”的取值“{'、'.join(bad) or '（空）'}”无效（可用：{'、'.join(cond.choices)}）")
                return None
            return values
        value = self.scalar(node, f"条件“{cond.name}”")
        if kind == "bool":
            if not isinstance(value, bool):
                self.err(node, f"条件“{cond.name}”应为 true 或 false")
                return None
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.err(node, f"条件“{cond.name}”应为非负整数")
                return None
            return value
        if kind == "decimal":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                self.err(node, f"条件“{cond.name}”应为非负数")
                return None
            return str(value)
        return value

    # -- benefit ------------------------------------------------------------------------------
    def benefit(self, node, event: str) -> dict | None:
        fields = self.r.mapping(self.path, node, "补贴标准（benefit）", BENEFIT_FIELDS)
        if fields is None:
            return None
        unit = self.text(fields["unit"][1], "发放方式（unit）") if "unit" in fields else None
        if unit not in ("once", "month"):
            self.err(fields["unit"][1] if "unit" in fields else node, "发放方式（unit）须为 once（一次性）或 month（按月）")
            return None
        if "cases" in fields:
            if "amount" in fields:
                self.err(fields["amount"][0], "写了 cases 就不再写 amount（每种情形各写标准）")
                return None
            seq = fields["cases"][1]
            if not isinstance(seq, yaml.SequenceNode) or not seq.value:
                self.err(seq, "情形（cases）应为列表")
                return None
            cases = [self.case(n, event, unit) for n in seq.value]
            if any(c is None for c in cases):
                return None
        else:
            case = self.case(node, event, unit, top=fields)
            if case is None:
                return None
            cases = [case]
        return {"unit": unit, "cases": cases}

    def case(self, node, event, unit, top=None) -> dict | None:
        fields = top if top is not None else self.r.mapping(self.path, node, "情形", CASE_FIELDS)
        if fields is None:
            return None
        if "amount" not in fields:
            self.err(node, "缺少标准（amount）：写金额参数键")
            return None
        amount = self.expr(fields["amount"][1], "标准（amount）", event)
        when = []
        if "when" in fields:
            when = self.conditions(fields["when"][1], event, "情形条件（when）")
        max_months = months = None
        if "max_months" in fields:
            max_months = self.param_key(fields["max_months"][1], "最长月数（max_months）", types=("int",))
        if "months" in fields:
            months = self.text(fields["months"][1], "月数（months）")
            if months != "until_retirement":
                self.err(fields["months"][1], "月数（months）目前只可写 until_retirement（发放至法定退休）")
                months = None
        if unit == "month" and max_months is None and months is None:
            self.err(node, "按月发放须写最长月数（max_months 参数键）或 months: until_retirement")
            return None
        if unit == "once" and (max_months or months):
            self.err(node, "一次性补贴不写月数")
            return None
        label = str(self.r.construct(fields["label"][1])) if "label" in fields else ""
        if amount is None or when is None:
            return None
        return {"when": when, "amount": amount, "max_months": max_months, "months": months, "label": label}

    # -- one policy ---------------------------------------------------------------------------
    def policy(self, node, pack_code: str, seen: dict) -> dict | None:
        fields = self.r.mapping(self.path, node, "政策", POLICY_FIELDS)
        if fields is None:
            return None
        ok = True
        for required in ("id", "name", "kind", "beneficiary", "event", "conditions", "benefit", "basis"):
            if required not in fields:
                self.err(node, f"政策缺少 {required}")
                ok = False
        if not ok:
            return None
        pid = self.text(fields["id"][1], "政策编号（id）")
        if pid is None or not ID_RE.match(pid):
            self.err(fields["id"][1], f"政策编号“{pid or ''}”须为小写字母、数字和连字符（如 xc2020-hiring-once）")
            return None
        if pid in seen:
            self.err(fields["id"][1], f"政策编号“{pid}”重复（第 {seen[pid]} 行已有）")
            return None
        seen[pid] = fields["id"][1].start_mark.line + 1
        kind = self.text(fields["kind"][1], "补贴种类（kind）")
        if kind is not None and not KIND_RE.match(kind):
            self.err(fields["kind"][1], f"补贴种类“{kind}”须为小写字母、数字和下划线")
            kind = None
        event = self.text(fields["event"][1], "依据事件（event）")
        ev = EVENTS.get(event or "")
        if ev is None:
            self.err(fields["event"][1], f"未知事件“{event}”（可用：{'、'.join(EVENTS)}）")
            return None
        beneficiary = self.text(fields["beneficiary"][1], "受益对象（beneficiary）")
        allowed = ev.beneficiaries
        if beneficiary not in BENEFICIARIES or beneficiary not in allowed:
            self.err(fields["beneficiary"][1], f"事件“{event}”的受益对象只能是：{'、'.join(allowed)}")
            return None
        period = {"from": None, "to": None}
        if "period" in fields:
            pf = self.r.mapping(self.path, fields["period"][1], "实施期限（period）", {"from", "to"})
            for name in ("from", "to"):
                if pf and name in pf:
                    d = self.date(pf[name][1], f"实施期限的 {name}")
                    ok &= d is not None
                    period[name] = d.isoformat() if d else None
            if period["from"] and period["to"] and period["to"] < period["from"]:
                self.err(fields["period"][1], "实施期限的截止日期早于起始日期")
                ok = False
        conditions = self.conditions(fields["conditions"][1], event)
        benefit = self.benefit(fields["benefit"][1], event)
        limits = {"once": False, "times": None}
        if "limits" in fields:
            lf = self.r.mapping(self.path, fields["limits"][1], "限制（limits）", {"once", "times"})
            if lf and "once" in lf:
                v = self.scalar(lf["once"][1], "once")
                if not isinstance(v, bool):
                    self.err(lf["once"][1], "once 应为 true 或 false")
                    ok = False
                limits["once"] = v is True
            if lf and "times" in lf:
                limits["times"] = self.param_key(lf["times"][1], "次数上限（times）", types=("int",))
                ok &= limits["times"] is not None
            if limits["once"] and limits["times"]:
                self.err(fields["limits"][1], "once 与 times 只写其一")
                ok = False
        if benefit is not None and benefit["unit"] == "once" and not (limits["once"] or limits["times"]):
            self.err(node, "一次性补贴须写限制：limits: {once: true}（每个受益人每人一次）或 times（累计次数上限）")
            ok = False
        if benefit is not None and benefit["unit"] == "month" and (limits["once"] or limits["times"]):
            self.err(fields["limits"][1], "按月补贴按人员和月份防重复发放，不写 limits（once、times 只用于一次性补贴）")
            ok = False
        claim_window = "policies.claim_window_months"
        if "claim_window" in fields:
            claim_window = self.param_key(fields["claim_window"][1], "申领期限（claim_window）", types=("int",))
            ok &= claim_window is not None
        evidence = []
        if "evidence" in fields:
            en = fields["evidence"][1]
            if not isinstance(en, yaml.SequenceNode):
                self.err(en, "申领材料（evidence）应为列表")
                ok = False
            else:
                evidence = [str(self.r.construct(n)) for n in en.value]
        basis = self.r.basis(self.path, pid, node, fields["basis"])
        summary = str(self.r.construct(fields["summary"][1]) or "") if "summary" in fields else ""
        name = self.text(fields["name"][1], "政策名称（name）")
        if not ok or None in (conditions, benefit, basis, kind, name):
            return None
        return {
            "id": pid, "name": name, "summary": summary.strip(), "kind": kind, "beneficiary": beneficiary, "event": event,
            "period": period, "conditions": conditions, "benefit": benefit, "limits": limits, "claim_window": claim_window,
            "evidence": evidence, "basis": {"document": basis.document, "article": basis.article, "note": basis.note},
            "line": node.start_mark.line + 1,
        }


def _read_pack_sections(reader, path, jurisdiction, name, top):
    pr = _PolicyReader(reader, path)
    if "pack" not in top:
        reader.error(path, 1, "政策包缺少 pack（code、title、document）")
        return None
    fields = reader.mapping(path, top["pack"][1], "政策包（pack）", PACK_FIELDS)
    if fields is None:
        return None
    values = {}
    for f in ("code", "title", "document"):
        if f not in fields:
            reader.error(path, top["pack"][1], f"政策包缺少 {f}")
            return None
        values[f] = pr.text(fields[f][1], f"政策包的 {f}")
    if values["code"] and not re.match(r"^[a-z0-9][a-z0-9_-]{1,31}$", values["code"]):
        reader.error(path, fields["code"][1], "政策包编号须为小写字母、数字、连字符")
        return None
    issued = pr.date(fields["issued_on"][1], "发文日期（issued_on）") if "issued_on" in fields else None
    if "policies" not in top:
        reader.error(path, 1, "政策包缺少 policies（政策列表）")
        return None
    seq = top["policies"][1]
    if not isinstance(seq, yaml.SequenceNode) or not seq.value:
        reader.error(path, seq, "policies 应为政策列表")
        return None
    seen: dict[str, int] = {}
    policies = [pr.policy(n, values["code"], seen) for n in seq.value]
    if None in values.values():
        return None
    return PackFile(path=path, jurisdiction=jurisdiction, jurisdiction_name=name, code=values["code"], title=values["title"],
                    document=values["document"], issued_on=issued, policies=[p for p in policies if p is not None])


register_section(("pack", "policies"), _read_pack_sections)


# ---------------------------------------------------------------------------------------------
# Reading and loading


@dataclass
class CheckedPack:
    errors: list[FileError]
    packs: list[PackFile]
    values: list[DatedValue]


def check(sources) -> CheckedPack:
    """Every mistake of the files (parameters and policies), with file and line; the packs read."""
    reader = collect(sources, SCHEMA)
    errors = list(reader.errors)
    packs = reader.sections.get("pack", [])
    names = [s.name if isinstance(s, Source) else str(s) for s in sources]
    if not packs and not errors:
        errors.append(FileError(names[0] if names else "", 1, "不是政策包：缺少 pack 与 policies"))
    codes: dict[str, str] = {}
    for p in packs:
        if p.code in codes:
            errors.append(FileError(p.path, 1, f"政策包编号“{p.code}”与 {codes[p.code]} 重复"))
        codes[p.code] = p.path
    return CheckedPack(sorted(errors, key=lambda e: (e.path, e.line)), packs, reader.values)


def value_to_json(v: DatedValue) -> dict:
    value = v.value
    if isinstance(value, tuple):
        value = [str(x) for x in value]
    elif not isinstance(value, (bool, int, str)) and value is not None:
        value = str(value)
    return {"jurisdiction": v.jurisdiction, "key": v.key, "since": v.since.isoformat() if v.since else None,
            "until": v.until.isoformat() if v.until else None, "value": value,
            "basis": {"document": v.basis.document, "article": v.basis.article, "note": v.basis.note},
            "note": v.note, "path": v.path, "line": v.line, "jurisdiction_name": v.jurisdiction_name}


def value_from_json(d: dict) -> DatedValue:
    parameter = SCHEMA.get(d["key"])
    value = parameter.coerce(d["value"]) if parameter is not None else d["value"]
    return DatedValue(
        jurisdiction=d["jurisdiction"], key=d["key"],
        since=datetime.date.fromisoformat(d["since"]) if d["since"] else None,
        until=datetime.date.fromisoformat(d["until"]) if d["until"] else None,
        value=value, basis=Basis(**d["basis"]), note=d.get("note", ""), path=d.get("path", ""), line=d.get("line", 0),
        jurisdiction_name=d.get("jurisdiction_name", ""),
    )


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped_packs() -> list[Path]:
    return sorted(PACKS_DIR.glob("*.yaml"))
