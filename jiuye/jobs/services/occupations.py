"""Loading the occupation hierarchy (职业分类大典 2022).

``load_rows(rows, source)`` upserts a list of ``{"code", "name", "definition", "aliases", "is_occupation"}`` rows in one
transaction: every level the rows imply is present afterwards (a group the list lacks is derived from
the codes beneath it, named "（未命名）"), parents are set from the codes, and a row of an official list
replaces a shipped or derived name. ``ensure_loaded()`` loads the shipped table once (a no-op when
occupations exist); ``registry_loaded`` and the test fixture call it.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from django.db import transaction

from jiuye.jobs.models import Occupation, OccupationSource

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "occupations_2022.csv"
CODE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")
UNNAMED = "（未命名）"


def level_of(code: str) -> int:
    _major, medium, small, detail = code.split("-")
    if detail != "00":
        return 4
    if small != "00":
        return 3
    if medium != "00":
        return 2
    return 1


def parent_code(code: str) -> str | None:
    major, medium, small, detail = code.split("-")
    if detail != "00":
        return f"{major}-{medium}-{small}-00"
    if small != "00":
        return f"{major}-{medium}-00-00"
    if medium != "00":
        return f"{major}-00-00-00"
    return None


def ancestors(code: str) -> list[str]:
    """The codes above ``code``, nearest first."""
    out = []
    parent = parent_code(code)
    while parent:
        out.append(parent)
        parent = parent_code(parent)
    return out


def shipped_rows() -> list[dict]:
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        return [{"code": r["code"].strip(), "is_occupation": r["level"].strip() == "4", "name": r["name"].strip(), "definition": (r.get("definition") or "").strip(),
                 "aliases": "\n".join(a.strip() for a in (r.get("alias") or "").split(",")
                                      if a.strip() and a.strip() != r["name"].strip())}
                for r in csv.DictReader(handle)]


@transaction.atomic
def load_rows(rows: list[dict], *, source: str = OccupationSource.SHIPPED) -> dict[str, int]:
    given: dict[str, dict] = {}
    for r in rows:
        if not CODE.match(r.get("code", "")):
            continue
        leaf = bool(r.get("is_occupation", level_of(r["code"]) == 4))
        if r["code"] in given:  # a small group listed twice: as a group and as an occupation
            leaf = leaf or given[r["code"]]["is_occupation"]
        given[r["code"]] = {**r, "is_occupation": leaf}
    wanted = set(given)
    for code in list(given):
        wanted.update(ancestors(code))
    existing = {o.code: o for o in Occupation.objects.filter(code__in=wanted)}
    created = updated = derived = 0
    for code in sorted(wanted, key=lambda c: (level_of(c), c)):
        row = given.get(code)
        occupation = existing.get(code)
        if occupation is None:
            occupation = Occupation(code=code, level=level_of(code))
            if row:
                occupation.is_occupation = row["is_occupation"] or level_of(code) == 4
                occupation.name, occupation.definition, occupation.aliases = row["name"], row.get("definition", ""), row.get("aliases", "")
                occupation.source = source
            else:
                occupation.name, occupation.source = UNNAMED, OccupationSource.DERIVED
                derived += 1
            parent = parent_code(code)
            occupation.parent = existing.get(parent) if parent else None
            occupation.save()
            existing[code] = occupation
            created += 1
        elif row and (source == OccupationSource.OFFICIAL or occupation.source == OccupationSource.DERIVED):
            occupation.name = row["name"]
            occupation.definition = row.get("definition", "") or occupation.definition
            occupation.aliases = row.get("aliases", "") or occupation.aliases
            occupation.source = source
            occupation.is_occupation = occupation.is_occupation or row["is_occupation"] or level_of(code) == 4
            occupation.save(update_fields=["name", "definition", "aliases", "source", "is_occupation"])
            updated += 1
    reset_index()
    return {"created": created, "updated": updated, "derived": derived}


def ensure_loaded() -> bool:
    """Load the shipped table if no occupation exists yet; True when it loaded."""
    if Occupation.objects.exists():
        return False
    load_rows(shipped_rows())
    return True


# ---------------------------------------------------------------------------------------------
# Suggesting occupations from a vacancy's title (an in-memory index, built once per process)

_INDEX: dict | None = None


def reset_index() -> None:
    global _INDEX
    _INDEX = None


def _index() -> dict:
    """Occupations (is_occupation) with their names and aliases, and word → {row: idf weight}."""
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    import math

    from jiuye.jobs.text import tokens

    rows = []
    postings: dict[str, set[int]] = {}
    bigrams: dict[str, set[int]] = {}
    for occ in Occupation.objects.filter(is_occupation=True).only("id", "code", "name", "aliases").order_by("code"):
        names = [occ.name] + [a.strip() for a in (occ.aliases or "").splitlines() if a.strip()]
        i = len(rows)
        rows.append({"id": occ.pk, "code": occ.code, "name": occ.name, "names": names})
        for word in tokens(" ".join(names)):
            if len(word) >= 2:
                postings.setdefault(word, set()).add(i)
        for name in names:
            for k in range(len(name) - 1):
                bigrams.setdefault(name[k:k + 2], set()).add(i)
    n = max(1, len(rows))
    _INDEX = {"rows": rows, "postings": {w: (ids, math.log(1 + n / len(ids))) for w, ids in postings.items()},
              "bigrams": {w: (ids, math.log(1 + n / len(ids))) for w, ids in bigrams.items()}}
    return _INDEX


def suggest_occupations(title: str, description: str = "", limit: int = 5) -> list[dict]:
    """Ranked occupations for a vacancy: ``[{"code", "name", "score", "reasons": [...]}]``. A name or alias
    written in the title counts most, then the title's words (rarer words weigh more), then the
    description's words. Empty when nothing matches."""
    from jiuye.jobs.text import tokens

    index = _index()
    title = (title or "").strip()
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}

    def add(i, points, why):
        scores[i] = scores.get(i, 0.0) + points
        if why not in reasons.setdefault(i, []):
            reasons[i].append(why)

    for word in tokens(title):
        ids, idf = index["postings"].get(word, ((), 0))
        for i in ids:
            add(i, 3 * idf, "岗位名称含“%s”" % word)
    for k in range(len(title) - 1):
        ids, idf = index["bigrams"].get(title[k:k + 2], ((), 0))
        for i in ids:
            add(i, idf, "名称相近“%s”" % title[k:k + 2])
    for word in tokens(description or "")[:60]:
        ids, idf = index["postings"].get(word, ((), 0))
        for i in ids:
            add(i, idf, "岗位描述含“%s”" % word)
    if title:
        for i, row in enumerate(index["rows"]):
            for name in index["rows"][i]["names"]:
                if len(name) >= 2 and (name in title or title in name):
                    kind = "职业名称" if name == index["rows"][i]["name"] else "常用岗位名"
                    add(i, 20 + len(name) - abs(len(title) - len(name)) * 0.5, "%s“%s”" % (kind, name))
                    break
    best = max(scores.values(), default=0)
    scores = {i: v for i, v in scores.items() if v >= best * 0.2}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], index["rows"][kv[0]]["code"]))[: max(1, min(int(limit), 50))]
    def why(i):
        strong = [r for r in reasons[i] if not r.startswith("名称相近")]
        names = [r for r in strong if r.startswith(("职业名称", "常用岗位名"))]
        return (names + [r for r in strong if r not in names])[:4] or reasons[i][:3]

    return [{"code": index["rows"][i]["code"], "name": index["rows"][i]["name"], "score": round(s, 2), "reasons": why(i)}
            for i, s in ranked]
