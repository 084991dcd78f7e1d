"""Reads of the occupation classification (职业分类大典): browse by level (a node's children), search by
name, alias or code, counts per level against the 2022 edition. Reference data: any signed-in user."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jiuye.jobs.models import Occupation
from jiuye.paging import page

#: The 2022 edition's published counts per level (大类, 中类, 小类, 细类职业).
EDITION_2022 = {1: 8, 2: 79, 3: 449, 4: 1636}
LEVEL_LABELS = {1: "大类", 2: "中类", 3: "小类", 4: "职业（细类）"}


@dataclass
class OccupationSearch:
    q: str = ""  # a code (prefix), a name or an alias
    parent: str = ""  # list the children of this code (the tree); "" with no q = the major groups
    level: int | None = None
    leaves: bool = False  # only rows a vacancy may use (is_occupation)
    limit: int = 100
    offset: int = 0


def _occupations(s: OccupationSearch) -> QuerySet[Occupation]:
    qs = Occupation.objects.all()
    q = (s.q or "").strip()
    if q:
        if q[:1].isdigit():
            qs = qs.filter(code__startswith=q)
        else:
            qs = qs.filter(Q(name__contains=q) | Q(aliases__contains=q))
    elif s.parent:
        qs = qs.filter(parent__code=s.parent)
    elif s.level is None and not s.leaves:
        qs = qs.filter(level=1)
    if s.level:
        qs = qs.filter(level=s.level)
    if s.leaves:
        qs = qs.filter(is_occupation=True)
    return qs


def search_occupations(s: OccupationSearch) -> tuple[list[Occupation], bool]:
    return page(_occupations(s).select_related("parent").order_by("code"), s.limit, s.offset, max_limit=500)


def count_occupations(s: OccupationSearch) -> int:
    return _occupations(s).count()


def get_occupation(code: str) -> Occupation | None:
    return Occupation.objects.select_related("parent").filter(code=code).first()


def path_of(occupation: Occupation) -> list[Occupation]:
    """The occupation's ancestors from the major group down, then itself."""
    out = [occupation]
    while out[0].parent_id:
        out.insert(0, Occupation.objects.get(pk=out[0].parent_id))
    return out


def level_counts() -> list[dict]:
    """Per level: rows present, of which unnamed (derived), occupations, and how many the 2022 edition lists."""
    present = dict(Occupation.objects.values_list("level").annotate(n=Count("pk")).order_by())
    derived = dict(Occupation.objects.filter(source="derived").values_list("level").annotate(n=Count("pk")).order_by())
    leaves = dict(Occupation.objects.filter(is_occupation=True).values_list("level").annotate(n=Count("pk")).order_by())
    # the 1,636 occupations of the edition include the small groups that are themselves an occupation
    present = {**present, 4: sum(leaves.values())}
    return [{"level": lv, "label": LEVEL_LABELS[lv], "present": present.get(lv, 0), "derived": derived.get(lv, 0),
             "occupations": leaves.get(lv, 0), "edition": EDITION_2022[lv],
             "missing": max(0, EDITION_2022[lv] - present.get(lv, 0))} for lv in (1, 2, 3, 4)]
