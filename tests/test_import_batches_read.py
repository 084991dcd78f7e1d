"""Import batches are read in one place (jiuye.imports.queries): the web list and the API list return
the same batches, in the same order, for any user and filter."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.accounts import roles
from jiuye.accounts.models import Role, User
from jiuye.imports import kinds
from jiuye.imports.models import ImportBatch

from .conftest import COMMUNITY_A1

USERS = ["community_worker", "street_officer", "other_street_officer", "district_officer", "city_officer", "auditor",
         "admin", "resident"]
REGIONS = ["", COMMUNITY_A1, "610102001002", "610102002001", "610102000000", "610103001001", "610100000000"]
STATUSES = [s for s, _label in ImportBatch.Status.choices]


@pytest.fixture
def batches(request, regions):
    users = {name: request.getfixturevalue(name) for name in USERS[:6]}
    users["admin"] = User.objects.create_superuser(username="root", password="x" * 12)
    users["resident"] = User.objects.create_user(username="r1", password="x" * 12, role=Role.RESIDENT,
                                                 region_id=COMMUNITY_A1)
    actors = [None, *users.values()]
    kind_names = [k for k, _label in kinds.choices()] + ["retired_kind"]
    start = timezone.now() - datetime.timedelta(days=30)
    for i in range(60):
        actor = actors[i % len(actors)]
        ImportBatch.objects.create(
            kind=kind_names[i % len(kind_names)], file_name=f"f{i}.csv", actor=actor,
            region_code=REGIONS[(i * 5) % len(REGIONS)] if actor is None else (actor.region_id or ""),
            status=STATUSES[(i * 3) % len(STATUSES)], started_at=start + datetime.timedelta(hours=i % 17),
        )
    return users


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=st.sampled_from(USERS), kind=st.sampled_from(["", "persons", "households", "employers", "registrations",
                                                           "retired_kind", "cats"]),
       status=st.sampled_from(["", *STATUSES, "nonsense"]))
def test_web_and_api_list_the_same_batches(batches, user, kind, status):
    account = batches[user]
    client = Client()
    client.force_login(account)
    filters = {"kind": kind, "status": status}
    api = client.get("/api/v1/imports", {**filters, "limit": 50})  # the web list pages by 50
    assert api.status_code == 200
    api_ids = [b["id"] for b in api.json()]
    web = client.get(reverse("web:imports"), filters)
    if not roles.can_import(account):
        assert web.status_code == 403
        return
    assert web.status_code == 200
    assert [b.pk for b in web.context["batches"]] == api_ids
