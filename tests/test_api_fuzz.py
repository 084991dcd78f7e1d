"""A bounded schemathesis run against the OpenAPI schema, logged in as a district officer: no operation
answers a generated request, valid or invalid, with a 5xx; a 4xx carries no English pydantic message.

Per operation JIUYE_FUZZ_EXAMPLES valid and as many invalid cases, and for operations on a record as many
valid cases aimed at existing records (default 12, deterministic; set e.g.
JIUYE_FUZZ_EXAMPLES=200 JIUYE_FUZZ_RANDOM=1 for a deeper, random run). Runs on SQLite and PostgreSQL
with the suite (PostgreSQL refuses NUL characters and integers beyond 64 bits, SQLite overflows)."""
from __future__ import annotations

import datetime
import os
import secrets
from collections import Counter

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core import signals  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from stdnum.cn import uscc  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from jiuye.accounts.models import ApiToken  # noqa: E402
from jiuye.api import api  # noqa: E402
from jiuye.registry import services  # noqa: E402

from .conftest import COMMUNITY_A1, COMMUNITY_B1  # noqa: E402

EXAMPLES = int(os.environ.get("JIUYE_FUZZ_EXAMPLES", "12"))
RANDOM = os.environ.get("JIUYE_FUZZ_RANDOM") == "1"


@pytest.fixture
def data(make_person, district_officer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    a = make_person(region=COMMUNITY_A1)
    b = make_person(region=COMMUNITY_B1)
    entry = services.register_unemployment(actor=district_officer, person=a, effective_date=datetime.date(2024, 1, 1),
                                           unemployment_reason="dismissed")
    household = services.create_household(actor=district_officer, number="XC-0001", region=COMMUNITY_A1)
    services.add_household_member(actor=district_officer, household=household, person=b, relation="head")
    body = "91610102MA6U7QX2A"
    employer = services.create_employer(actor=district_officer, credit_code=body + uscc.calc_check_digit(body),
                                        name="甲公司", region=COMMUNITY_A1)
    # Path parameters of existing records: a third pass sends generated bodies and queries to them.
    return {"person_id": a.pk, "household_id": household.pk, "employer_id": employer.pk, "registration_id": entry.pk,
            "code": COMMUNITY_A1}


def test_no_server_error_for_any_generated_request(data, district_officer):
    key = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=district_officer, name="fuzz", key_hash=ApiToken.hash_key(key))
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    app = get_wsgi_application()
    # As django.test.Client does: the real handler would close the test's database connection after
    # each request (request_finished -> close_old_connections), ending the test transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        failures, statuses, operations = _run(schema, app, headers, data)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert operations >= 15
    assert statuses[200] and statuses[422] and not statuses[401], statuses  # logged in, valid and invalid requests
    print(f"schemathesis: {operations} operations, {sum(statuses.values())} requests, {dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(failures[:20])


def _run(schema, app, headers, known_ids):
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if names and names <= set(known_ids):
            passes.append((GenerationMode.POSITIVE, {n: known_ids[n] for n in names}))
        for mode, path_parameters in passes:

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                response = case.call(headers=headers, app=app)
                statuses[response.status_code] += 1
                body = response.text if "json" in response.headers.get("Content-Type", "") else ""
                if response.status_code >= 500 or "Input should" in body:
                    failures.append(f"{response.status_code} {case.method} {case.formatted_path} "
                                    f"query={case.query!r} body={case.body!r:.200} {body[:200]}")

            run()
    return failures, statuses, operations
