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
    return {"created": created, "updated": updated, "derived": derived}


def ensure_loaded() -> bool:
    """Load the shipped table if no occupation exists yet; True when it loaded."""
    if Occupation.objects.exists():
        return False
    load_rows(shipped_rows())
    return True
