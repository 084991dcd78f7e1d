"""The registered import kinds: an app adds one by registering its importer class.

    from jiuye.imports import kinds
    kinds.register(VacancyImporter)        # in the app's AppConfig.ready()

An importer class names its ``kind`` (the value stored in ``ImportBatch.kind``), its Chinese
``label`` and its ``fields`` (the columns with their headers and aliases); see ``base.Importer``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from jiuye.imports.base import Importer

_registry: dict[str, type["Importer"]] = {}


class UnknownKind(LookupError):
    """An import kind no app has registered; the message (Chinese) lists the registered kinds."""

    def __init__(self, kind: str):
        self.kind = kind
        self.message = _("未知的导入类型“%(k)s”（可选：%(all)s）") % {"k": kind, "all": describe() or _("无")}
        super().__init__(self.message)


def register(importer_class: type["Importer"]) -> type["Importer"]:
    """Register an importer class under its ``kind`` (usable as a class decorator)."""
    kind = getattr(importer_class, "kind", "")
    if not kind or len(kind) > 16:
        raise ValueError(f"importer {importer_class.__name__} needs a kind of 1 to 16 characters")
    if not getattr(importer_class, "label", "") or not getattr(importer_class, "fields", None):
        raise ValueError(f"importer {importer_class.__name__} needs a label and fields")
    known = _registry.get(kind)
    if known is not None and known is not importer_class:
        raise ValueError(f"import kind {kind!r} is already registered by {known.__module__}.{known.__name__}")
    _registry[kind] = importer_class
    return importer_class


def get(kind: str) -> type["Importer"]:
    """The importer class of ``kind``; raises UnknownKind."""
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def choices() -> list[tuple[str, str]]:
    """[(kind, Chinese label)] in the order the kinds were registered."""
    return [(kind, str(cls.label)) for kind, cls in _registry.items()]


def label(kind: str) -> str:
    cls = _registry.get(kind)
    return str(cls.label) if cls is not None else kind


def describe() -> str:
    """“persons（人员）、 households（家庭户）…”: the registered kinds for messages and help texts. The space
    after 、 lets argparse wrap a long list between kinds instead of inside a kind's name."""
    return "、 ".join(f"{kind}（{text}）" for kind, text in choices())


def unregister(kind: str) -> None:
    """Remove a kind (tests that register a kind of their own)."""
    _registry.pop(kind, None)
