"""In-memory lookups used while validating rows: regions by code or name, and the actor's scope."""
from __future__ import annotations

import os
import threading
from typing import Any

from django.utils.translation import gettext as _

from jiuye.accounts.scoping import prefix_contains, scope_prefix
from jiuye.regions import codes
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH
from jiuye.regions.models import Region
from jiuye.imports.normalise import CellError, as_text, squeeze

COMMUNITY = Region.Level.COMMUNITY
COUNTY = Region.Level.COUNTY

_COMMITTEE_SUFFIXES = (
    ("社区居民委员会", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"), ("居委会", "社区"),
    ("村民委员会", "村"), ("村委会", "村"),
)


class NeedsDatabase(Exception):
    """Raised in a producer process when a lookup needs the database (the writer redoes the row)."""


class Scope:
    """The actor's region scope: "" is the whole tree (installation administrator)."""

    def __init__(self, actor):
        self.actor = actor
        self.prefix = "" if actor is None else scope_prefix(actor)

    def contains(self, code: str | None) -> bool:
        return prefix_contains(self.prefix, code)


class RegionIndex:
    """Regions by 12-digit code and by name ("长乐社区", "西一路街道长乐社区", full name ...)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        qs = Region.objects.all()
        prefix = scope.prefix or ""
        if len(prefix) >= 6:
            # A county or lower officer: load their city (enough to name neighbours' regions in messages).
            qs = qs.filter(code__startswith=prefix[:4])
        self.nodes: dict[str, tuple[str, int, str | None]] = {
            code: (name, level, parent) for code, name, level, parent in qs.values_list("code", "name", "level", "parent_id")
        }
        self.by_name: dict[str, list[str]] = {}
        for code in self.nodes:
            for name_key in self._name_keys(code):
                self.by_name.setdefault(name_key, []).append(code)
        self._cache: dict[tuple[str, bool], str] = {}
        self._owner = (os.getpid(), threading.get_ident())

    def _chain(self, code: str) -> list[str]:
        names = []
        current: str | None = code
        while current is not None and current in self.nodes:
            name, _level, parent = self.nodes[current]
            names.append(name)
            current = parent
        return names

    def _name_keys(self, code: str) -> list[str]:
        chain = self._chain(code)
        keys, suffix = [], ""
        for name in chain:
            suffix = name + suffix
            keys.append(squeeze(suffix))
        return keys

    def display(self, code: str) -> str:
        """“西一路街道长乐社区” for a community (names repeat across streets), else the name."""
        node = self.nodes.get(code)
        if node is None:
            node = self._fetch(code)
            if node is None:
                return code
        name, level, parent = node
        if level == COMMUNITY and parent in self.nodes:
            return self.nodes[parent][0] + name
        return name

    def _fetch(self, code: str):
        if (os.getpid(), threading.get_ident()) != self._owner:
            raise NeedsDatabase(code)
        region = Region.objects.filter(code=code).values_list("name", "level", "parent_id").first()
        if region is not None:
            self.nodes[code] = region
        return region

    def name(self, code: str) -> str:
        node = self.nodes.get(code) or self._fetch(code)
        return node[0] if node else code

    def level(self, code: str) -> int | None:
        node = self.nodes.get(code) or self._fetch(code)
        return node[1] if node else None

    def resolve(self, value: Any, *, community: bool) -> str:
        """The code of the region named by ``value`` (a code or a name); raises CellError.

        ``community``: the region must be a community/village (居住社区); otherwise any level at or
        below the county (用人单位所在区划).
        """
        text = squeeze(as_text(value))
        cache_key = (text, community)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        code = self._resolve(text, community)
        self._cache[cache_key] = code
        return code

    def _resolve(self, text: str, community: bool) -> str:
        if text.isdigit():
            if len(text) not in (6, 9, 12) or (community and len(text) != 12):
                raise CellError(
                    _("区划代码“%(v)s”无效（社区代码应为12位数字）") % {"v": text} if community
                    else _("区划代码“%(v)s”无效（应为6、9或12位数字）") % {"v": text}
                )
            code = codes.pad(text)
            if code not in self.nodes and self._fetch(code) is None:
                raise CellError(_("区划代码“%(v)s”不存在") % {"v": text})
            candidates = [code]
        else:
            candidates = self._by_name(text, community)
            if not candidates:
                what = _("社区") if community else _("区划")
                raise CellError(_("%(what)s“%(v)s”不存在，请填写正确的名称或12位区划代码") % {"what": what, "v": text})
        if len(candidates) > 1:
            in_scope = [c for c in candidates if self.scope.contains(c)]
            if len(in_scope) == 1:
                candidates = in_scope
            else:
                names = "、".join(f"{self.display(c)}（{c}）" for c in sorted(candidates))
                raise CellError(
                    _("“%(v)s”有重名：%(names)s；请写明街道（如“%(example)s”）或填写区划代码")
                    % {"v": text, "names": names, "example": self.display(sorted(candidates)[0])}
                )
        code = candidates[0]
        level = self.level(code)
        if community and level != COMMUNITY:
            raise CellError(_("“%(n)s”不是社区/村，居住地须填到社区/村") % {"n": self.display(code)})
        if not community and (level or 0) < COUNTY:
            raise CellError(_("“%(n)s”范围过大，所在区划须填到区县、街道或社区") % {"n": self.display(code)})
        return code

    def _by_name(self, text: str, community: bool) -> list[str]:
        variants = [text]
        for suffix, replacement in _COMMITTEE_SUFFIXES:
            if text.endswith(suffix):
                variants.append(text[: -len(suffix)] + ("" if text[: -len(suffix)].endswith(replacement) else replacement))
                break
        if community and not text.endswith(("社区", "村")):
            variants += [text + "社区", text + "村"]
        for variant in variants:
            found = self.by_name.get(variant)
            if found:
                if community:
                    found = [c for c in found if self.nodes[c][1] == COMMUNITY] or found
                return list(dict.fromkeys(found))
        return []

    def out_of_scope_reason(self, code: str) -> str:
        return _("%(region)s（%(code)s）不在您的管辖范围内") % {"region": self.display(code), "code": code}

    def scope_name(self) -> str:
        prefix = self.scope.prefix
        if not prefix:
            return ""
        level = next((lvl for lvl, n in LEVEL_PREFIX_LENGTH.items() if n == len(prefix)), None)
        code = codes.pad(prefix)
        return self.display(code) if level else code
