"""The schema of known parameters: every key a parameter file may set, with its type.

Apps declare their parameters once (``declare(Parameter(...), ...)``, usually from a module
``<app>/parameters.py`` imported by the app's ``ready()``); the file validator refuses a key nobody
declared, and a value of the wrong type. Types are small and closed: ``int``, ``decimal`` (money,
rates: returned as ``Decimal``), ``str``, ``bool``, ``date``, and ``list[<one of these>]`` (returned
as a tuple, so a cached value cannot be changed by its reader).
"""
from __future__ import annotations

import datetime
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable

SCALAR_TYPES = ("int", "decimal", "str", "bool", "date")
_LIST_TYPE = re.compile(r"^list\[(\w+)\]$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

TYPE_LABELS = {"int": "整数", "decimal": "数值", "str": "文本", "bool": "是/否（true/false）", "date": "日期（YYYY-MM-DD）"}


class SchemaError(ValueError):
    """A declaration is malformed or clashes with another one (a programming error, raised at import)."""


class ValueTypeError(ValueError):
    """A value does not fit its parameter's type or choices; the message is for people (Chinese)."""


def type_label(type_name: str) -> str:
    m = _LIST_TYPE.match(type_name)
    if m:
        return f"{TYPE_LABELS[m.group(1)]}列表"
    return TYPE_LABELS[type_name]


def _scalar(type_name: str, value: Any) -> Any:
    # bool is a subclass of int in Python: keep true/false out of numbers and numbers out of booleans.
    if type_name == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif type_name == "decimal":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(str(value))
        if isinstance(value, str):
            try:
                return Decimal(value.strip())
            except InvalidOperation:
                pass
    elif type_name == "str":
        if isinstance(value, str) and value.strip():
            return value
    elif type_name == "bool":
        if isinstance(value, bool):
            return value
    elif type_name == "date":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
    raise ValueTypeError(f"应为{TYPE_LABELS[type_name]}，实为 {value!r}")


@dataclass(frozen=True)
class Parameter:
    """One known parameter.

    ``key`` is dotted and starts with the declaring app's label (``registry.hard_to_employ.categories``);
    ``label`` and ``unit`` are shown to people; ``choices`` limits a value (for a list: each element);
    ``minimum`` bounds a number; ``description`` says what a deployment must know to enter it.
    """

    key: str
    type: str
    label: str
    unit: str = ""
    choices: tuple | None = None
    minimum: int | float | None = None
    description: str = ""
    owner: str = field(default="", compare=False)

    def __post_init__(self):
        if not KEY_PATTERN.match(self.key):
            raise SchemaError(f"parameter key {self.key!r}: use dotted lower-case names, e.g. 'registry.some_value'")
        m = _LIST_TYPE.match(self.type)
        if self.type not in SCALAR_TYPES and not (m and m.group(1) in SCALAR_TYPES):
            raise SchemaError(f"parameter {self.key!r}: unknown type {self.type!r}")
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))

    @property
    def element_type(self) -> str | None:
        m = _LIST_TYPE.match(self.type)
        return m.group(1) if m else None

    def coerce(self, value: Any) -> Any:
        """The value in its Python type, or ValueTypeError with a message for people."""
        element = self.element_type
        if element is None:
            out = _scalar(self.type, value)
            self._check_bounds(out)
            return out
        if not isinstance(value, list):
            raise ValueTypeError(f"应为{type_label(self.type)}，实为 {value!r}")
        items = []
        for item in value:
            coerced = _scalar(element, item)
            self._check_bounds(coerced)
            items.append(coerced)
        return tuple(items)

    def _check_bounds(self, value: Any) -> None:
        if self.choices is not None and value not in self.choices:
            raise ValueTypeError(f"{value!r} 不是可选值（可选：{'、'.join(str(c) for c in self.choices)}）")
        if self.minimum is not None and isinstance(value, (int, Decimal)) and value < self.minimum:
            raise ValueTypeError(f"{value!r} 小于下限 {self.minimum}")


class Schema:
    """The registered parameter declarations and the directories of shipped parameter files."""

    def __init__(self):
        self._parameters: dict[str, Parameter] = {}
        self._data_dirs: list[Path] = []
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []
        self.version = 0

    def declare(self, *parameters: Parameter, owner: str = "") -> None:
        """Add parameter declarations. Declaring the same key twice with a different meaning is an
        error; declaring it again identically (a module imported twice) is harmless."""
        with self._lock:
            for p in parameters:
                if owner and not p.owner:
                    object.__setattr__(p, "owner", owner)
                existing = self._parameters.get(p.key)
                if existing is not None and existing != p:
                    raise SchemaError(f"parameter {p.key!r} is already declared differently")
                for other in self._parameters:
                    if other.startswith(p.key + ".") or p.key.startswith(other + "."):
                        raise SchemaError(f"parameter {p.key!r} clashes with {other!r}: a key cannot also be a section")
                self._parameters[p.key] = p
            self.version += 1
        self._changed()

    def add_data_dir(self, path: str | Path) -> None:
        """Ship parameter files with an app (``<app>/parameters/*.yaml``); read after jiuye/parameters/data."""
        path = Path(path)
        with self._lock:
            if path not in self._data_dirs:
                self._data_dirs.append(path)
                self.version += 1
        self._changed()

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def get(self, key: str) -> Parameter | None:
        return self._parameters.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._parameters

    def keys(self) -> list[str]:
        return sorted(self._parameters)

    def parameters(self) -> list[Parameter]:
        return [self._parameters[k] for k in self.keys()]

    def data_dirs(self) -> list[Path]:
        return list(self._data_dirs)

    def is_section(self, key: str) -> bool:
        return any(k.startswith(key + ".") for k in self._parameters)

    def copy(self) -> "Schema":
        other = Schema()
        other._parameters = dict(self._parameters)
        other._data_dirs = list(self._data_dirs)
        return other


SCHEMA = Schema()


def declare(*parameters: Parameter, owner: str = "") -> None:
    """Register parameter declarations with the shared schema (see ``Schema.declare``)."""
    SCHEMA.declare(*parameters, owner=owner)


def add_data_dir(path: str | Path) -> None:
    SCHEMA.add_data_dir(path)


def declared(keys: Iterable[str] | None = None) -> list[Parameter]:
    if keys is None:
        return SCHEMA.parameters()
    return [p for p in (SCHEMA.get(k) for k in keys) if p is not None]
