"""Security trial (issue 6): rerun the hostile user's trials on a small city of its own; prints JSON.

    .venv/bin/python bench/trial_security.py [--persons 3000] [--pg postgres://postgres@127.0.0.1:5432/NAME]

Builds a fresh database (SQLite in a temporary directory by default; with --pg it creates the PostgreSQL
database NAME and drops it afterwards), `jiuye seed --persons N`, and records planted in four places
(新城区's streets 001 and 002, a street of 碑林区, a street of 安康市): a person with a registration and a
household, an employer, an import batch with a rejected row, accounts. Users: one per role in two places
(side A: 新城区 street 001, 新城区, 西安市; side B: 新城区 street 002, 碑林区, 安康市). Then:

- cross_scope: every API operation (the OpenAPI schema) and every web route (jiuye/web/urls.py), for
  each user, aimed at every planted record OUTSIDE the user's scope (path ids; list filters with its
  name, identity number and region). A read leaks when a 2xx answers a record route, or any body
  contains an out-of-scope marker (name, identity number, household number, employer name, batch file
  name, account name) that the request did not itself send (those are counted as echoes). Writes
  (POST/PATCH with bodies that work in scope: `control` shows how many did) count the planted records
  changed and records created outside scope.
- server_errors: 5xx over all those requests.
- import_oracle: a community worker's dry-run persons file with the identity numbers of persons in
  another street and random ones: report lines that name a place or a person (should be 0), and a file
  over the out-of-scope limit is stopped.
- stuck_batches: an import in a subprocess (forked reader) SIGKILLed mid-way, several times; then the
  worker's stale check: batches left running/queued (should be 0), readers outliving their parent,
  sessions idle in transaction (PostgreSQL), and whether importing the same file again succeeds.
- rows_lost: two overlapping imports of overlapping files (PostgreSQL: two threads on separate
  connections, once freely and once forced to meet between lookup and write; SQLite: sequential with a
  conflicting row created between lookup and write): rows that should be stored but are not.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import logging
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlparse

CHECKOUT = Path(__file__).resolve().parent.parent
PASSWORD = "Tz-trial-9q7L!xw2"


# ------------------------------------------------------------------------------------------------
# Database and Django


def configure(args) -> tuple[str, Path]:
    data_dir = Path(tempfile.mkdtemp(prefix="jiuye-trial-"))
    if args.pg:
        url = args.pg
        _pg_admin(url, "create")
    else:
        url = f"sqlite:///{data_dir / 'jiuye.sqlite3'}"
    os.environ.pop("JIUYE_TESTING", None)
    os.environ.update(JIUYE_DATABASE_URL=url, JIUYE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="jiuye.settings",
                      JIUYE_TASKS_IMMEDIATE="1", JIUYE_ALLOWED_HOSTS="testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(CHECKOUT))
    return url, data_dir


def _pg_admin(url: str, action: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "template0", "template1"):
        sys.exit(f"--pg: give a database name of your own (lower case), not {name!r}")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if action == "create":
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django():
    import django

    django.setup()
    for name in ("django.request", "django.security", "jiuye"):
        logging.getLogger(name).setLevel(logging.ERROR)


# ------------------------------------------------------------------------------------------------
# The world: places, planted records, users


def make_id(region6: str, birth: str, seq: str) -> str:
    from stdnum.cn import ric

    body = f"{region6}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(n: int) -> str:
    from stdnum.cn import uscc

    body = f"91610102MA6T{n:05d}"
    return body + uscc.calc_check_digit(body)


class Place:
    def __init__(self, key: str, street: str, community: str, area6: str):
        self.key, self.street, self.community, self.area6 = key, street, community, area6
        self.markers: list[str] = []
        self.user_markers: list[str] = []


def _ensure_region(code: str, name: str, level: int, parent: str):
    from jiuye.regions.models import Region

    parent_region = Region.objects.get(code=parent)
    region, _created = Region.objects.get_or_create(code=code, defaults=dict(
        name=name, level=level, parent=parent_region, full_name=(parent_region.full_name or parent_region.name) + name,
        is_synthetic=True, source="trial"))
    return region


def build_world(tmp: Path) -> dict:
    from django.utils import timezone

    from jiuye.accounts.models import Role, User
    from jiuye.imports.services import run_import
    from jiuye.regions.models import Region
    from jiuye.registry import services
    from jiuye.registry.models import Employer, Person

    root = User.objects.create_superuser("tz_root", password=PASSWORD)
    first_community = lambda street: Region.objects.filter(parent_id=street, level=5).order_by("code").first().code  # noqa: E731
    _ensure_region("610103001000", "探针街道", 4, "610103000000")
    _ensure_region("610103001001", "探针社区", 5, "610103001000")
    _ensure_region("610902001000", "远方街道", 4, "610902000000")
    _ensure_region("610902001001", "远方社区", 5, "610902001000")
    places = {
        "A": Place("A", "610102001000", first_community("610102001000"), "610102"),
        "B": Place("B", "610102002000", first_community("610102002000"), "610102"),
        "C": Place("C", "610103001000", "610103001001", "610103"),
        "D": Place("D", "610902001000", "610902001001", "610902"),
    }
    today = timezone.localdate()
    label = {"A": "甲", "B": "乙", "C": "丙", "D": "丁"}
    for i, place in enumerate(places.values()):
        tag = label[place.key]
        person = services.create_person(actor=root, id_number=make_id(place.area6, f"1980050{i + 1}", "357"),
                                        name=f"探针{tag}人", region=place.community, hukou_type="urban",
                                        phone=f"1390000{i:04d}", address=f"探针{tag}路1号")
        entry = services.register_unemployment(actor=root, person=person, effective_date=datetime.date(2024, 1, 2),
                                               unemployment_reason="dismissed")
        household = services.create_household(actor=root, number=f"TZ-{place.key}-001", region=place.community)
        services.add_household_member(actor=root, household=household, person=person, relation="head")
        member = services.create_person(actor=root, id_number=make_id(place.area6, f"1982060{i + 1}", "246"),
                                        name=f"探针{tag}眷", region=place.community, hukou_type="urban")
        employer = services.create_employer(actor=root, credit_code=credit_code(100 + i), name=f"探针{tag}公司",
                                            region=place.community)
        officer = User.objects.create_user(f"tz_{place.key.lower()}_so", password=PASSWORD, role=Role.STREET_OFFICER,
                                           region_id=place.street, display_name=f"探针{tag}街道干部")
        rejected_id = make_id(place.area6, f"1983070{i + 1}", "135")
        path = tmp / f"探针{tag}花名册.csv"
        _write_csv(path, [["姓名", "公民身份号码", "户籍性质", "所在社区"], [f"探针{tag}拒", rejected_id, f"探{tag}户口", place.community]])
        batch = run_import(kind="persons", path=path, actor=officer, original_name=path.name)
        assert batch.rejected == 1, batch.summary_line()
        place.person, place.member, place.entry, place.household, place.employer = person, member, entry, household, employer
        place.batch, place.officer = batch, officer
        place.markers = [person.name, person.id_number, member.name, member.id_number, household.number, employer.name,
                         path.name, f"探针{tag}拒", rejected_id, f"探{tag}户口"]
        place.user_markers = [officer.username, officer.display_name]
    # The users under trial: every role on both sides.
    side_regions = {
        "A": {"community_worker": places["A"].community, "street_officer": places["A"].street,
              "district_officer": "610102000000", "policy_reviewer": "610102000000", "auditor": "610102000000",
              "city_officer": "610100000000", "employer_user": places["A"].community, "resident": places["A"].community},
        "B": {"community_worker": places["B"].community, "street_officer": places["B"].street,
              "district_officer": "610103000000", "policy_reviewer": "610103000000", "auditor": "610103000000",
              "city_officer": "610900000000", "employer_user": places["B"].community, "resident": places["B"].community},
    }
    users = []
    for side, roles in side_regions.items():
        for role, region in roles.items():
            user = User.objects.create_user(f"trial_{side.lower()}_{role}", password=PASSWORD, role=role, region_id=region,
                                            display_name=f"试用{side}{role}")
            if role == Role.RESIDENT:
                own = Person.objects.filter(region_id=region).exclude(name__startswith="探针").order_by("pk").first()
                services.link_account(actor=None, user=user, person=own)
            elif role == Role.EMPLOYER_USER:
                own = Employer.objects.exclude(name__startswith="探针").order_by("pk").first()
                services.link_account(actor=None, user=user, employer=own)
            users.append((side, user))
    return {"places": places, "users": users, "root": root, "today": today}


def _write_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def in_scope(user, code: str) -> bool:
    from jiuye.accounts.models import Role
    from jiuye.accounts.scoping import scope_prefix

    if user.role in (Role.RESIDENT, Role.EMPLOYER_USER):
        return False  # planted records are never a resident's or an employer user's own
    prefix = scope_prefix(user)
    return prefix is not None and code.startswith(prefix)


# ------------------------------------------------------------------------------------------------
# Cross-scope requests


def _text_of(response) -> str:
    """The body as text a person would read: JSON unescaped (names are \\u-escaped in it), workbooks' cells."""
    cached = getattr(response, "_trial_text", None)
    if cached is None:
        cached = response._trial_text = _decode(response)
    return cached


def _decode(response) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    kind = response.get("Content-Type", "")
    if "json" in kind:
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    if "spreadsheetml" in kind or content[:2] == b"PK":
        try:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True)
            return " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
        except Exception:  # noqa: BLE001 - not a workbook after all
            pass
    return content.decode("utf-8", "replace")


def _snapshot(places) -> dict:
    """What a write outside scope would change: the planted records, and how many records each place holds."""
    from jiuye.accounts.models import User
    from jiuye.registry.models import Employer, Household, HouseholdMembership, Person, Registration

    from jiuye.regions.queries import within_q

    shot = {}
    for place in places.values():
        prefix = place.street[:9]
        for model in (Person, Household, Employer):
            shot[(place.key, model.__name__, "count")] = model.objects.filter(within_q(prefix)).count()
        shot[(place.key, "registrations")] = list(Registration.objects.filter(within_q(prefix, "person__region"))
                                                  .order_by("pk").values_list("pk", "kind", "effective_date"))
        shot[(place.key, "memberships")] = list(HouseholdMembership.objects.filter(
            within_q(prefix, "household__region")).order_by("pk").values_list("pk", "person_id", "left_on"))
        for person in (place.person, place.member):
            shot[(place.key, "person", person.pk)] = list(Person.objects.filter(pk=person.pk).values())
        shot[(place.key, "household")] = list(Household.objects.filter(pk=place.household.pk).values())
        shot[(place.key, "employer")] = list(Employer.objects.filter(pk=place.employer.pk).values())
        shot[(place.key, "users")] = list(User.objects.filter(within_q(prefix)).order_by("pk").values_list(
            "pk", "username", "role", "region_id", "is_active", "password", "display_name"))
    return shot


def _changed(before: dict, after: dict, keys: set[str]) -> int:
    changed = 0
    for key, value in after.items():
        if key[0] not in keys or before.get(key) == value:
            continue
        if isinstance(value, list) and isinstance(before.get(key), list) and key[1] in ("registrations", "memberships", "users"):
            changed += len(set(map(tuple, value)) ^ set(map(tuple, before[key])))
        elif isinstance(value, int):
            changed += abs(value - before.get(key, 0))
        else:
            changed += 1
    return changed


def api_operations():
    from jiuye.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield method.upper(), path, [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]


def web_routes():
    from django.urls import URLPattern, URLResolver

    from jiuye.web import urls

    for pattern in urls.urlpatterns:
        if isinstance(pattern, URLPattern):
            yield pattern.name, str(pattern.pattern)
        elif isinstance(pattern, URLResolver):  # pragma: no cover - none today
            raise RuntimeError("nested web routes: extend the walk")


SKIP_WEB = {"login", "logout", "password_change"}  # the session itself, not records


def _web_body(place, target_user, new_id: str) -> dict:
    return {
        "id_number": new_id, "name": "越权新建", "hukou_type": "urban", "region": place.community, "poverty_status": "none",
        "able_to_work": "on", "willing_to_work": "on", "phone": "13911112222", "address": "越权路",
        "effective_date": "2024-03-01", "employment_form": "flexible", "unemployment_reason": "dismissed",
        "ending_reason": "new_job", "mode": "void", "reason": "越权测试",
        "add-id_number": place.member.id_number, "add-relation": "spouse", "add-move": "on",
        "remove-person_id": str(place.person.pk),
        "username": f"tz_new_{new_id[-6:]}", "display_name": "越权账号", "role": "community_worker",
        "password1": "Qx7-越权-pL9#mZ2", "password2": "Qx7-越权-pL9#mZ2", "active": "0", "is_active": "",
    }


def _api_body(method: str, path: str, place, new_id: str) -> dict | None:
    if path.endswith("/persons") and method == "POST":
        return {"id_number": new_id, "name": "越权新建", "region_code": place.community, "hukou_type": "urban"}
    if path.endswith("{person_id}") and method == "PATCH":
        return {"name": "越权改名", "phone": "13911112222", "address": "越权路"}
    if path.endswith("/registrations"):
        return {"kind": "employment", "effective_date": "2024-03-01", "employment_form": "flexible"}
    if path.endswith("/corrections"):
        return {"reason": "越权作废"}
    return None


def _import_file(tmp: Path, place, new_id: str) -> tuple[str, bytes]:
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区"], ["越权改名", place.person.id_number, "农村", place.community],
            ["越权新建", new_id, "城镇", place.community]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return "越权.csv", buffer.getvalue().encode("utf-8")


class Tally:
    def __init__(self):
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.leaks: list[str] = []
        self.echoes = 0
        self.server_errors: list[str] = []
        self.answered: Counter[str] = Counter()  # route and status of the 2xx/3xx answers (writes: form re-shown, redirect)

    def as_dict(self) -> dict:
        return {"requests": self.requests, "leaks": len(self.leaks), "echoes": self.echoes,
                "server_errors": len(self.server_errors), "statuses": dict(sorted(self.statuses.items()))}


def cross_scope(world, tmp: Path) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    places = world["places"]
    reads, writes = Tally(), Tally()
    per_role: dict[str, dict] = {}
    changed_outside = 0
    serial = iter(range(10_000, 99_999))

    def fresh_id(place) -> str:
        return make_id(place.area6, "19770707", f"{next(serial) % 1000:03d}")

    def check(tally, role_tally, label, response, sent: str, markers: list[str], record_route: bool):
        tally.requests += 1
        role_tally["requests"] += 1
        tally.statuses[response.status_code] += 1
        if tally is writes and 200 <= response.status_code < 400:
            tally.answered[f"{label.split(' ', 1)[1].rsplit(' @', 1)[0]} {response.status_code}"] += 1
        if response.status_code >= 500:
            tally.server_errors.append(label)
            role_tally["server_errors"] += 1
        text = _text_of(response)
        found = [m for m in markers if m in text]
        leaked = [m for m in found if m not in sent]
        if len(leaked) < len(found):
            tally.echoes += 1
        if leaked or (record_route and 200 <= response.status_code < 300):
            tally.leaks.append(f"{label} -> {response.status_code} {leaked[:3]}")
            role_tally["leaks"] += 1

    for side, user in world["users"]:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        outside = [p for p in places.values() if not in_scope(user, p.community)]
        role_tally = per_role.setdefault(f"{side}:{user.role}", {"requests": 0, "leaks": 0, "server_errors": 0,
                                                                    "outside_places": "".join(p.key for p in outside)})
        markers = [m for p in outside for m in p.markers] + [m for p in outside for m in p.user_markers]
        before = _snapshot(places)
        for place in outside:
            ids = {"person_id": place.person.pk, "household_id": place.household.pk, "employer_id": place.employer.pk,
                   "registration_id": place.entry.pk, "batch_id": place.batch.pk, "code": place.community}
            # API
            for method, path, query in api_operations():
                url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
                record_route = "{" in path and "{code}" not in path
                label = f"{user.username} {method} {path} @{place.key}"
                if method == "GET":
                    variants = [{}]
                    if "q" in query:
                        variants += [{"q": place.person.name}, {"q": place.person.id_number}, {"q": place.household.number},
                                     {"q": place.employer.name}]
                    if "region" in query:
                        variants.append({"region": place.community})
                    if "object_id" in query:
                        variants.append({"object_type": "person", "object_id": place.person.pk})
                    if "on" in query:
                        variants.append({"on": "2024-06-01"})
                    if "parent" in query:
                        variants.append({"parent": place.street})
                    for params in variants:
                        full = url + ("?" + urlencode(params) if params else "")
                        sent = " ".join([full, *map(str, params.values())])  # the URL is percent-encoded
                        check(reads, role_tally, label, client.get(full), sent, markers, record_route)
                elif path.endswith("/imports"):
                    name, content = _import_file(tmp, place, fresh_id(place))
                    response = client.post(url, {"kind": "persons", "dry_run": "false",
                                                 "file": SimpleUploadedFile(name, content)})
                    check(writes, role_tally, label, response, content.decode(), markers, False)
                else:
                    body = json.dumps(_api_body(method, path, place, fresh_id(place)) or {}, ensure_ascii=False)
                    send = client.post if method == "POST" else client.patch
                    response = send(url, body, content_type="application/json")
                    check(writes, role_tally, label, response, body, markers, record_route)
            # Web
            for name, pattern in web_routes():
                if name in SKIP_WEB:
                    continue
                kwargs = {}
                if "<int:pk>" in pattern:
                    kwargs["pk"] = {"persons/": place.person.pk, "households/": place.household.pk,
                                    "employers/": place.employer.pk, "imports/": place.batch.pk,
                                    "users/": place.officer.pk}[pattern.split("<")[0]]
                if "<int:rid>" in pattern:
                    kwargs["rid"] = place.entry.pk
                url = reverse(f"web:{name}", kwargs=kwargs)
                record_route = bool(kwargs)
                label = f"{user.username} web:{name} @{place.key}"
                variants = [{}]
                if not kwargs:
                    variants += [{"q": place.person.name}, {"q": place.person.id_number}, {"q": place.household.number},
                                 {"q": place.employer.name}, {"q": place.officer.username}, {"region": place.community},
                                 {"object_type": "person", "object_id": place.person.pk}]
                for params in variants:
                    full = url + ("?" + urlencode(params) if params else "")
                    sent = " ".join([full, *map(str, params.values())])  # the URL is percent-encoded
                    check(reads, role_tally, label, client.get(full), sent, markers, record_route)
                body = _web_body(place, place.officer, fresh_id(place))
                if name == "imports":
                    file_name, content = _import_file(tmp, place, fresh_id(place))
                    body = {"kind": "persons", "file": SimpleUploadedFile(file_name, content)}
                    sent = content.decode()
                else:
                    sent = json.dumps(body, ensure_ascii=False)
                check(writes, role_tally, label, client.post(url, body), sent, markers, False)
        after = _snapshot(places)
        changed = _changed(before, after, {p.key for p in outside})
        role_tally["records_changed_outside_scope"] = changed
        changed_outside += changed
    for line in reads.leaks + writes.leaks + reads.server_errors + writes.server_errors:
        print("trial:", line, file=sys.stderr)  # stderr: for a person to read; stdout stays JSON
    result = {
        "users": len(world["users"]),
        "api_operations": len(list(api_operations())),
        "web_routes": len([n for n, _p in web_routes() if n not in SKIP_WEB]),
        "requests": reads.requests + writes.requests,
        "reads": reads.as_dict(),
        "writes": {**writes.as_dict(), "records_changed_outside_scope": changed_outside,
                   "answered_2xx_3xx": dict(sorted(writes.answered.items()))},
        "leaks": len(reads.leaks) + len(writes.leaks),
        "leak_examples": (reads.leaks + writes.leaks)[:10],
        "server_errors": len(reads.server_errors) + len(writes.server_errors),
        "server_error_examples": (reads.server_errors + writes.server_errors)[:10],
        "per_role": per_role,
    }
    result["control"] = _control(world, tmp)
    return result


def _control(world, tmp: Path) -> dict:
    """The same write bodies sent by the place's own street officer (in scope): how many change something,
    so that the zero above means refused, not malformed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    places = world["places"]
    place = places["D"]
    client = Client(raise_request_exception=False)
    client.force_login(place.officer)
    effective = attempts = 0
    serial = iter(range(500, 999))
    for method, path, _query in api_operations():
        if method == "GET":
            continue
        ids = {"person_id": place.person.pk, "registration_id": place.entry.pk}
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        new_id = make_id(place.area6, "19780808", f"{next(serial):03d}")
        before = _snapshot(places)
        if path.endswith("/imports"):
            name, content = _import_file(tmp, place, new_id)
            response = client.post(url, {"kind": "persons", "dry_run": "false", "file": SimpleUploadedFile(name, content)})
        else:
            send = client.post if method == "POST" else client.patch
            response = send(url, json.dumps(_api_body(method, path, place, new_id)), content_type="application/json")
        attempts += 1
        effective += bool(_changed(before, _snapshot(places), {"D"})) and response.status_code < 400
        place.entry = place.person.registrations.order_by("-pk").first() or place.entry
    for name, pattern in web_routes():
        if name in SKIP_WEB or name.startswith("user"):
            continue  # a street officer administers no accounts
        kwargs = {}
        if "<int:pk>" in pattern:
            kwargs["pk"] = {"persons/": place.person.pk, "households/": place.household.pk,
                            "employers/": place.employer.pk, "imports/": place.batch.pk}[pattern.split("<")[0]]
        if "<int:rid>" in pattern:
            kwargs["rid"] = place.entry.pk
        new_id = make_id(place.area6, "19780808", f"{next(serial):03d}")
        body = _web_body(place, place.officer, new_id)
        if name == "imports":
            file_name, content = _import_file(tmp, place, new_id)
            body = {"kind": "persons", "file": SimpleUploadedFile(file_name, content)}
        before = _snapshot(places)
        response = client.post(reverse(f"web:{name}", kwargs=kwargs), body)
        if response.status_code == 405 or not _changed(before, _snapshot(places), {"D"}):
            continue  # a read-only page, or a form this body does not fill
        attempts += 1
        effective += 1
        place.entry = place.person.registrations.order_by("-pk").first() or place.entry
    # The read detector, in scope: record routes answer 2xx and show the planted markers.
    seen = reads = 0
    ids = {"person_id": place.person.pk, "household_id": place.household.pk, "employer_id": place.employer.pk,
           "batch_id": place.batch.pk, "code": place.community}
    for method, path, query in api_operations():
        if method != "GET" or "{" not in path or "{code}" in path:
            continue
        response = client.get(re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
                              + ("?on=2024-06-01" if "on" in query else ""))
        reads += 1
        shown = response.status_code == 200 and any(m in _text_of(response) for m in place.markers)
        seen += shown
        if not shown:
            print("trial: control read without markers:", path, response.status_code, _text_of(response)[:300], file=sys.stderr)
    return {"write_probes_that_work_in_scope": effective, "of_api_writes_and_web_forms": attempts,
            "record_reads_showing_markers_in_scope": seen, "of_record_reads": reads}


# ------------------------------------------------------------------------------------------------
# The import as an oracle


def import_oracle(world, tmp: Path) -> dict:
    from jiuye.accounts.models import AuditEntry, Role, User
    from jiuye.imports import guard
    from jiuye.imports.services import run_import
    from jiuye.regions.models import Region
    from jiuye.regions.queries import within_q
    from jiuye.registry.models import Person
    from django.conf import settings
    from openpyxl import load_workbook

    places = world["places"]
    worker = User.objects.create_user("trial_oracle_cw", password=PASSWORD, role=Role.COMMUNITY_WORKER,
                                      region_id=places["A"].community)
    own = Region.objects.get(code=places["A"].community)
    targets = list(Person.objects.filter(within_q("610102002")).order_by("?")[: guard.PER_FILE - 1])
    targets += [places["C"].person, places["D"].person] if len(targets) + 2 < guard.PER_FILE else []
    rng = random.Random(6)
    randoms = []
    while len(randoms) < 30:
        number = make_id("610102", (datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))).strftime("%Y%m%d"),
                         f"{rng.randrange(1000):03d}")
        if not Person.objects.filter(id_number=number).exists():
            randoms.append(number)
    header = ["姓名", "公民身份号码", "户籍性质", "所在社区"]
    rows = [header] + [["某人", p.id_number, "城镇", own.name] for p in targets] + [["某人", n, "城镇", own.name] for n in randoms]
    batch = run_import(kind="persons", path=_write_csv(tmp / "oracle.csv", rows), actor=worker, dry_run=True)
    secret_words = set()
    for person in targets:
        region = person.region
        secret_words |= {person.name, region.name, region.parent.name if region.parent_id else ""}
    secret_words -= {"", own.name, own.parent.name}
    lines = []
    if batch.report_file:
        book = load_workbook(Path(settings.MEDIA_ROOT) / batch.report_file, read_only=True)
        lines = [row for sheet in book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]
    revealing = [r for r in lines if any(w and w in " ".join(str(v) for i, v in enumerate(r) if i != 2) for w in secret_words)]
    reasons = Counter(str(r[3]) for r in lines)
    # Over the limit: more out-of-scope numbers than one file may hold.
    more = list(Person.objects.filter(within_q("610102003")).order_by("pk")[: guard.PER_FILE + 5])
    over = [header] + [["某人", p.id_number, "城镇", own.name] for p in more]
    stopped = run_import(kind="persons", path=_write_csv(tmp / "oracle-over.csv", over), actor=worker, dry_run=True)
    alerts = AuditEntry.objects.filter(object_type=guard.ALERT_OBJECT_TYPE, actor=worker).count()
    audited = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk)).first()
    return {
        "out_of_scope_numbers": len(targets), "random_numbers": len(randoms),
        "report_lines": len(lines), "lines_revealing_place_or_name": len(revealing),
        "reasons": dict(reasons.most_common(4)),
        "batch": {"status": batch.status, "out_of_scope": batch.out_of_scope, "imported_dry": batch.imported},
        "audited_out_of_scope_rows": len((audited.changes or {}).get("out_of_scope_rows", [])) if audited else None,
        "limit_per_file": guard.PER_FILE,
        "over_limit_file": {"numbers": len(more), "status": stopped.status, "stopped": stopped.status == "unusable",
                            "out_of_scope_counted": stopped.out_of_scope, "message": stopped.error_message[:80]},
        "alerts_to_auditors": alerts,
    }


# ------------------------------------------------------------------------------------------------
# Killed imports


def _child_import(path: str, username: str, chunk: int) -> None:
    """In a subprocess: import ``path`` with the forked reader, in small chunks (killed by the parent)."""
    setup_django()
    from jiuye.accounts.models import User
    from jiuye.imports import services
    from jiuye.registry.importers.persons import PersonImporter

    services.PARALLEL_THRESHOLD = 0
    services._can_fork = lambda: True  # the forked reader even on a busy machine: its death is under trial
    PersonImporter.chunk_size = chunk
    process = PersonImporter.process

    def slowed(self, records):  # a long import: the parent kills it part-way through
        time.sleep(0.03)
        return process(self, records)

    PersonImporter.process = slowed
    services.run_import(kind="persons", path=Path(path), actor=User.objects.get(username=username))


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _idle_in_transaction() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def stuck_batches(world, tmp: Path, rows: int, kills: int) -> dict:
    from django.db import connection

    from jiuye.imports.models import ImportBatch
    from jiuye.imports.services import mark_stale_batches, run_import
    from jiuye.registry.models import Person

    officer = world["places"]["A"].officer
    community = world["places"]["A"].community
    existing = set(Person.objects.filter(id_number__startswith="61010219").values_list("id_number", flat=True))
    numbers = []
    day = datetime.date(1995, 1, 1)
    while len(numbers) < rows:
        for seq in range(1, 1000, 7):
            number = make_id("610102", day.strftime("%Y%m%d"), f"{seq:03d}")
            if number not in existing:
                numbers.append(number)
        day += datetime.timedelta(days=1)
    numbers = numbers[:rows]
    path = _write_csv(tmp / "kill.csv", [["姓名", "公民身份号码", "户籍性质", "所在社区"]]
                      + [["张明", n, "城镇", community] for n in numbers])
    env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
    killed, readers_seen, readers_outliving, at_rows = 0, 0, 0, []
    for k in range(kills):
        connection.close()
        known = set(ImportBatch.objects.values_list("pk", flat=True))
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child-import", str(path),
                                  officer.username, "200"], cwd=CHECKOUT, env=env, stderr=subprocess.DEVNULL)
        # Kill once the batch has written part of the file (at a different point each round).
        target = rows * (k + 1) // (kills + 2)

        def progressed():
            batch = ImportBatch.objects.exclude(pk__in=known).first()
            return batch is not None and batch.rows_written >= target

        reached = _wait(progressed, 120)
        readers = _children(child.pid)
        readers_seen += len(readers)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        killed += 1
        batch = ImportBatch.objects.exclude(pk__in=known).first()
        at_rows.append(batch.rows_written if batch else None)
        if not reached:
            at_rows[-1] = f"{at_rows[-1]} (finished before the kill)"
        readers_outliving += sum(not _wait(lambda r=r: _gone(r), 10) for r in readers)
        for r in readers:
            if not _gone(r):
                os.kill(r, signal.SIGKILL)
    idle = _wait(lambda: _idle_in_transaction() in (0, None), 10) and _idle_in_transaction()
    marked = mark_stale_batches()
    left = ImportBatch.objects.filter(status__in=ImportBatch.ACTIVE).count()
    started = time.perf_counter()
    again = run_import(kind="persons", path=path, actor=officer)
    stored = Person.objects.filter(id_number__in=numbers).count()
    return {
        "file_rows": rows, "kills": killed, "killed_at_rows_written": at_rows,
        "forked_readers_seen": readers_seen, "readers_outliving_their_parent": readers_outliving,
        "sessions_idle_in_transaction": idle,
        "marked_failed_by_stale_check": marked,
        "batches_left_running_or_queued": left,
        "next_import": {"status": again.status, "imported": again.imported, "unchanged": again.unchanged,
                        "rejected": again.rejected, "seconds": round(time.perf_counter() - started, 1),
                        "succeeded": again.status == "ok" and stored == rows},
    }


# ------------------------------------------------------------------------------------------------
# Overlapping imports


def rows_lost(world, tmp: Path, size: int) -> dict:
    from django.db import connection

    from jiuye.imports.base import Importer
    from jiuye.imports.models import ImportBatch
    from jiuye.imports.services import run_import
    from jiuye.registry import services
    from jiuye.registry.models import Person

    officer = world["places"]["A"].officer
    community = world["places"]["A"].community
    overlap = size // 3
    out = {"vendor": connection.vendor, "file_rows": size, "overlap_rows": overlap, "rounds": []}

    def numbers_for(year: int) -> list[str]:
        found, day = [], datetime.date(year, 1, 1)
        while len(found) < 2 * size - overlap:
            for seq in range(3, 1000, 11):
                found.append(make_id("610102", day.strftime("%Y%m%d"), f"{seq:03d}"))
            day += datetime.timedelta(days=1)
        taken = set(Person.objects.filter(id_number__in=found).values_list("id_number", flat=True))
        return [n for n in found if n not in taken][: 2 * size - overlap]

    def files(numbers, tag):
        parts = [numbers[:size], numbers[size - overlap:]]
        return [_write_csv(tmp / f"overlap-{tag}-{k}.csv", [["姓名", "公民身份号码", "户籍性质", "所在社区"]]
                           + [["重叠甲乙"[k] + "某", n, "城镇", community] for n in part]) for k, part in enumerate(parts)]

    def outcome(name, numbers, batches, errors, seconds):
        stored = Person.objects.filter(id_number__in=numbers).count()
        out["rounds"].append({
            "round": name, "expected": len(numbers), "stored": stored, "rows_lost": len(numbers) - stored,
            "batches": [{"status": b.status, "imported": b.imported, "unchanged": b.unchanged, "rejected": b.rejected,
                         "error": (b.error_message or "")[:80]} for b in batches if b is not None],
            "errors": errors, "seconds": round(seconds, 1)})

    original = Importer.write
    if connection.vendor == "postgresql":
        for name, forced in (("threads, free", False), ("threads, forced to meet before writing", True)):
            numbers = numbers_for(1996 if not forced else 1997)
            paths = files(numbers, "forced" if forced else "free")
            barrier = threading.Barrier(2, timeout=60)
            if forced:
                def write(self, work, items):
                    if items and not getattr(self, "_met", False):
                        self._met = True
                        try:
                            barrier.wait()
                        except threading.BrokenBarrierError:
                            pass
                    return original(self, work, items)

                Importer.write = write
            batches, errors = [None, None], []
            start = threading.Barrier(2, timeout=60)

            def run(k):
                try:
                    start.wait()
                    batches[k] = run_import(kind="persons", path=paths[k], actor=officer)
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                finally:
                    connection.close()

            began = time.perf_counter()
            threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
            Importer.write = original
            outcome(name, numbers, batches, errors, time.perf_counter() - began)
    else:
        numbers = numbers_for(1996)
        paths = files(numbers, "seq")
        conflict = numbers[size + 5]  # a row of the second file, created by someone else between lookup and write
        done = {"n": 0}

        def write(self, work, items):
            if done["n"] == 1:
                done["n"] = 2
                services.create_person(actor=world["root"], id_number=conflict, name="别人先录入", region=community,
                                       hukou_type="urban")
            return original(self, work, items)

        began = time.perf_counter()
        first = run_import(kind="persons", path=paths[0], actor=officer)
        done["n"] = 1
        Importer.write = write
        try:
            second = run_import(kind="persons", path=paths[1], actor=officer)
        finally:
            Importer.write = original
        outcome("sequential, a conflicting row created between lookup and write", numbers, [first, second], [],
                time.perf_counter() - began)
    out["rows_lost"] = sum(r["rows_lost"] for r in out["rounds"])
    out["failed_batches"] = sum(b["status"] in (ImportBatch.Status.FAILED, ImportBatch.Status.UNUSABLE)
                                for r in out["rounds"] for b in r["batches"])
    return out


# ------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--pg", default=None, help="postgres://user@host:port/NAME: a database of your own (created and dropped)")
    parser.add_argument("--kill-rows", type=int, default=20_000, help="rows of the file whose import is killed")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--overlap-rows", type=int, default=6000, help="rows of each overlapping file")
    parser.add_argument("--child-import", nargs=3, metavar=("FILE", "USER", "CHUNK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        sys.path.insert(0, str(CHECKOUT))
        _child_import(args.child_import[0], args.child_import[1], int(args.child_import[2]))
        return
    url, data_dir = configure(args)
    started = time.perf_counter()
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("seed", persons=args.persons, no_samples=True, stdout=quiet)
        tmp = data_dir / "files"
        tmp.mkdir()
        world = build_world(tmp)
        timings = {}
        clock = time.perf_counter()
        result = {"database": connection.vendor, "persons": args.persons}
        result["cross_scope"] = cross_scope(world, tmp)
        timings["cross_scope"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        result["import_oracle"] = import_oracle(world, tmp)
        timings["import_oracle"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        result["stuck_batches"] = stuck_batches(world, tmp, args.kill_rows, args.kills)
        timings["stuck_batches"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        result["rows_lost"] = rows_lost(world, tmp, args.overlap_rows)
        timings["rows_lost"] = round(time.perf_counter() - clock, 1)
        result["summary"] = {
            "cross_scope_requests": result["cross_scope"]["requests"],
            "cross_scope_leaks": result["cross_scope"]["leaks"],
            "records_changed_outside_scope": result["cross_scope"]["writes"]["records_changed_outside_scope"],
            "server_errors_5xx": result["cross_scope"]["server_errors"],
            "oracle_lines_revealing": result["import_oracle"]["lines_revealing_place_or_name"],
            "stuck_batches": result["stuck_batches"]["batches_left_running_or_queued"],
            "rows_lost": result["rows_lost"]["rows_lost"],
        }
        result["seconds"] = {**timings, "total": round(time.perf_counter() - started, 1)}
        result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    finally:
        from django.db import connections

        connections.close_all()
        if args.pg:
            _pg_admin(url, "drop")
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
