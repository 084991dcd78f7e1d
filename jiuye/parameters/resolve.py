"""Resolution: the values in force for one jurisdiction on one date, each with its provenance.

Rules (docs/parameters.md):
- a key resolves at the most specific jurisdiction of the region's chain (community → street →
  district → city → province → national) that defines it, falling back key by key to the parent;
- at that jurisdiction the value in force on the date is the one whose period contains it: from its
  ``since`` (or an open start) to its ``until``, or else to the day before the next value starts;
- a key defined at a jurisdiction but not in force there on the date is *not in force*: the
  fallback stops there (a jurisdiction that took a key over answers for it on every date);
- a key no jurisdiction of the chain defines is *not set*: a deployment must enter it.
Asking for a value that is not set or not in force raises ``ParameterNotSet`` /
``ParameterNotInForce`` naming key, jurisdiction and date; 0 is a value like any other.
"""
from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Iterator

from jiuye.parameters.files import NATIONAL, Basis, DatedValue, period_text
from jiuye.parameters.schema import SCHEMA, Schema
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, pad, significant_prefix

PREFIX_LENGTHS = sorted(LEVEL_PREFIX_LENGTH.values(), reverse=True)  # 12, 9, 6, 4, 2


def jurisdiction_label(code: str, name: str = "") -> str:
    if code == NATIONAL:
        return "全国"
    return f"{name}（{code}）" if name else code


# ---------------------------------------------------------------------------------------------
# The three answers


@dataclass(frozen=True)
class Resolved:
    """A value in force, with where it comes from (for explanations that cite it)."""

    key: str
    value: Any
    jurisdiction: str  # "" for national
    jurisdiction_name: str
    since: datetime.date | None  # None: open start
    until: datetime.date | None  # effective last day (written, or the day before the next value); None: open
    basis: Basis
    note: str
    source: str  # file:line

    @property
    def period(self) -> str:
        return period_text(self.since, self.until)

    def cite(self) -> str:
        """Chinese one-liner: jurisdiction, period and legal basis."""
        return f"{jurisdiction_label(self.jurisdiction, self.jurisdiction_name)}，{self.period}，依据{self.basis}"


class ParameterError(LookupError):
    """A parameter cannot be answered (not declared, not set, or not in force)."""

    def __init__(self, key: str, region_code: str | None, on: datetime.date, message: str):
        self.key, self.region_code, self.on = key, region_code, on
        super().__init__(message)

    def __str__(self) -> str:
        return self.args[0]


class UnknownParameter(ParameterError):
    pass


class ParameterNotSet(ParameterError):
    """No jurisdiction of the chain defines the key: a deployment must enter it."""


class ParameterNotInForce(ParameterError):
    """The key is defined at ``jurisdiction`` but no value of it is in force on the date."""

    def __init__(self, key, region_code, on, message, jurisdiction: str):
        self.jurisdiction = jurisdiction
        super().__init__(key, region_code, on, message)


@dataclass(frozen=True)
class NotSetAnswer:
    """What ``Params.answer`` gives for a key no jurisdiction of the chain defines."""

    key: str


@dataclass(frozen=True)
class NotInForceAnswer:
    """What ``Params.answer`` gives for a key defined at ``jurisdiction`` but not in force on the date."""

    key: str
    jurisdiction: str
    jurisdiction_name: str
    periods: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# The loaded values


@dataclass(frozen=True)
class _Slot:
    """All values of one key in one jurisdiction, ordered, with their effective last days."""

    starts: tuple[datetime.date | None, ...]
    ends: tuple[datetime.date | None, ...]  # effective inclusive end, None = open
    values: tuple[DatedValue, ...]

    @classmethod
    def of(cls, values: list[DatedValue]) -> "_Slot":
        ordered = sorted(values, key=lambda v: (v.since is not None, v.since or datetime.date.min))
        ends = []
        for i, v in enumerate(ordered):
            end = v.until
            if end is None and i + 1 < len(ordered):
                end = ordered[i + 1].since - datetime.timedelta(days=1)
            ends.append(end)
        return cls(tuple(v.since for v in ordered), tuple(ends), tuple(ordered))

    def at(self, on: datetime.date) -> int | None:
        for i, (start, end) in enumerate(zip(self.starts, self.ends)):
            if (start is None or start <= on) and (end is None or on <= end):
                return i
        return None


def chain(region_code: str | None) -> list[str]:
    """Jurisdiction codes from the region itself up to national: 610102001001 → 610102001001,
    610102001, 610102, 6101, 61, ""."""
    if not region_code:
        return [NATIONAL]
    prefix = significant_prefix(pad(str(region_code)))
    return [prefix[:n] for n in PREFIX_LENGTHS if n <= len(prefix)] + [NATIONAL]


class _Answers(dict):
    """key → answer for one (jurisdiction, date), plus the section names (``registry``,
    ``registry.hard_to_employ`` …) so that a section lookup is a set lookup."""

    sections: frozenset = frozenset()


def _sections(keys) -> frozenset:
    out = set()
    for key in keys:
        parts = key.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(out)


class Table:
    """Loaded dated values (already validated), indexed by (jurisdiction, key); resolves and caches."""

    def __init__(self, values: list[DatedValue], schema: Schema | None = None):
        self.schema = schema or SCHEMA
        grouped: dict[tuple[str, str], list[DatedValue]] = defaultdict(list)
        names: dict[str, str] = {}
        for v in values:
            grouped[(v.jurisdiction, v.key)].append(v)
            if v.jurisdiction_name:
                names.setdefault(v.jurisdiction, v.jurisdiction_name)
        self.slots = {slot: _Slot.of(vs) for slot, vs in grouped.items()}
        self.names = names
        self.jurisdictions = frozenset(j for j, _ in self.slots) | {NATIONAL}
        self._cache: dict[tuple[str, datetime.date], _Answers] = {}
        self._where: dict[str | None, str] = {}
        self._lock = threading.Lock()

    def jurisdiction_name(self, code: str) -> str:
        return self.names.get(code, "")

    def effective_jurisdiction(self, region_code: str | None) -> str:
        """The most specific jurisdiction of the chain that has any value (what the answer depends on)."""
        found = self._where.get(region_code)
        if found is None:
            found = next((c for c in chain(region_code) if c in self.jurisdictions), NATIONAL)
            if len(self._where) < 100_000:
                self._where[region_code] = found
        return found

    def answers(self, region_code: str | None, on: datetime.date) -> _Answers:
        """Every declared key → Resolved, NotSetAnswer or NotInForceAnswer; cached per (jurisdiction, date)."""
        where = self.effective_jurisdiction(region_code)
        cache_key = (where, on)
        found = self._cache.get(cache_key)
        if found is not None:
            return found
        codes = chain(where) if where else [NATIONAL]
        keys = self.schema.keys()
        out = _Answers((key, self._answer(key, codes, on)) for key in keys)
        out.sections = _sections(keys)
        with self._lock:
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[cache_key] = out
        return out

    def params(self, region_code: str | None, on: datetime.date) -> "Params":
        return Params(region_code, on, self.answers(region_code, on))

    def _answer(self, key: str, codes: list[str], on: datetime.date):
        for code in codes:
            slot = self.slots.get((code, key))
            if slot is None:
                continue
            i = slot.at(on)
            if i is None:
                periods = tuple(period_text(s, e) for s, e in zip(slot.starts, slot.ends))
                return NotInForceAnswer(key, code, self.jurisdiction_name(code), periods)
            v = slot.values[i]
            return Resolved(
                key=key, value=v.value, jurisdiction=code, jurisdiction_name=self.jurisdiction_name(code),
                since=v.since, until=slot.ends[i], basis=v.basis, note=v.note, source=v.source,
            )
        return NotSetAnswer(key)


# ---------------------------------------------------------------------------------------------
# What callers get


class Params(Mapping):
    """The parameters of one region on one date: ``p["registry.long_term_unemployed_months"]``.

    A section is a view with the same behaviour (``p["registry"]["hard_to_employ"]["categories"]``),
    so a rule body can be handed ``p["registry"]``. Iteration covers the keys in force. Lists come
    back as tuples. ``resolved(key)`` gives the value with its provenance; ``answer(key)`` never
    raises (for listings).
    """

    def __init__(self, region_code: str | None, on: datetime.date, answers: _Answers, prefix: str = ""):
        self.region_code = region_code
        self.on = on
        self._answers = answers
        self._prefix = prefix

    def __repr__(self) -> str:
        where = f"{self._prefix.rstrip('.')} " if self._prefix else ""
        return f"<Params {where}{self.region_code or '全国'} on {self.on}>"

    def _full(self, key: str) -> str:
        return self._prefix + key

    def _where(self) -> str:
        return str(self.region_code) if self.region_code else "全国"

    def section(self, name: str) -> "Params":
        full = self._full(name)
        if full not in self._answers.sections:
            raise UnknownParameter(full, self.region_code, self.on, f"没有以“{full}”开头的参数")
        return Params(self.region_code, self.on, self._answers, prefix=full + ".")

    def answer(self, key: str):
        """Resolved, or an object saying not set / not in force; raises only for an undeclared key."""
        full = self._full(key)
        try:
            return self._answers[full]
        except KeyError:
            raise UnknownParameter(full, self.region_code, self.on,
                                   f"未声明的参数“{full}”（区划 {self._where()}，日期 {self.on}）") from None

    def resolved(self, key: str) -> Resolved:
        found = self.answer(key)
        if isinstance(found, Resolved):
            return found
        full = self._full(key)
        if isinstance(found, NotInForceAnswer):
            periods = "、".join(found.periods)
            raise ParameterNotInForce(full, self.region_code, self.on, (
                f"参数“{full}”在 {self.on} 不在有效期内：{jurisdiction_label(found.jurisdiction, found.jurisdiction_name)}"
                f"规定了该参数（时段：{periods}），但该日期不在任何时段内（区划 {self._where()}）"
            ), found.jurisdiction)
        raise ParameterNotSet(full, self.region_code, self.on, (
            f"参数“{full}”未设置：区划 {self._where()} 及其上级辖区在 {self.on} 均无此参数的取值，须由部署方录入"
        ))

    def is_set(self, key: str) -> bool:
        return isinstance(self.answer(key), Resolved)

    def status(self, key: str) -> str:
        """"set", "not_set" or "not_in_force"."""
        found = self.answer(key)
        if isinstance(found, Resolved):
            return "set"
        return "not_in_force" if isinstance(found, NotInForceAnswer) else "not_set"

    def __getitem__(self, key: str) -> Any:
        full = self._full(key)
        if full in self._answers.sections:
            return Params(self.region_code, self.on, self._answers, prefix=full + ".")
        return self.resolved(key).value

    def get(self, key: str, default: Any = None) -> Any:
        """The value, or ``default`` when not set or not in force (an undeclared key still raises)."""
        found = self.answer(key) if self._full(key) in self._answers else None
        if found is None:
            return self[key]  # a section, or UnknownParameter
        return found.value if isinstance(found, Resolved) else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and isinstance(self._answers.get(self._full(key)), Resolved)

    def keys_declared(self) -> list[str]:
        return sorted(k[len(self._prefix):] for k in self._answers if k.startswith(self._prefix))

    def __iter__(self) -> Iterator[str]:
        for key in self.keys_declared():
            if isinstance(self._answers[self._prefix + key], Resolved):
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def fingerprint(self) -> tuple:
        """What this view answers, key by key (values, or why not): equal fingerprints mean the
        same rule applies (``registry.groups.filter_group`` merges such jurisdictions)."""
        out = []
        for key in self.keys_declared():
            found = self._answers[self._prefix + key]
            if isinstance(found, Resolved):
                out.append((key, "set", found.value))
            elif isinstance(found, NotInForceAnswer):
                out.append((key, "not_in_force", found.jurisdiction))
            else:
                out.append((key, "not_set"))
        return tuple(out)
