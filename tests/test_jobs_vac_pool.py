"""The talent reserve pool: leavers and joiners from registrations (any channel), placed when hired again,
one live entry per person; the page with filters, flags, masked numbers and export."""
import io

from django.urls import reverse
from openpyxl import load_workbook

from jiuye.jobs.models import PoolReason, PoolStatus, TalentPoolEntry
from jiuye.registry import services as registry
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


def test_leavers_and_joiners(occupations, client, community_worker, other_street_officer, make_person):
    firm = make_employer(community_worker)
    other = make_employer(community_worker, n=2)
    person = make_person()
    registry.register_employment(actor=community_worker, person=person, effective_date=D(2026, 3, 1), employer=firm,
                                 employment_form="unit", occupation="焊工")
    joiner = TalentPoolEntry.objects.get(person=person)
    assert joiner.reason == PoolReason.JOINER and joiner.employer == firm and joiner.occupation.code == "6-18-02-04"
    registry.register_unemployment(actor=community_worker, person=person, effective_date=D(2026, 9, 1),
                                   unemployment_reason="contract_ended")
    entries = list(TalentPoolEntry.objects.filter(person=person).order_by("pk"))
    assert [(e.reason, e.status) for e in entries] == [(PoolReason.JOINER, PoolStatus.WITHDRAWN),
                                                       (PoolReason.LEAVER, PoolStatus.ACTIVE)]
    registry.register_employment(actor=community_worker, person=person, effective_date=D(2026, 10, 1), employer=other,
                                 employment_form="unit")
    entries = list(TalentPoolEntry.objects.filter(person=person).order_by("pk"))
    assert [e.status for e in entries] == [PoolStatus.WITHDRAWN, PoolStatus.PLACED, PoolStatus.ACTIVE]
    assert entries[2].employer == other and entries[2].reason == PoolReason.JOINER
    client.force_login(community_worker)
    page = client.get(reverse("web:talent_pool")).content.decode()
    assert person.name in page and person.id_number not in page and "新入职人员" in page
    export = client.get(reverse("web:talent_pool"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A2"].value == person.name and "*" in sheet["B2"].value
    client.force_login(other_street_officer)
    assert person.name not in client.get(reverse("web:talent_pool")).content.decode()


def test_the_pool_api(occupations, community_worker, make_person):
    from django.test import Client

    person = make_person()
    registry.register_employment(actor=community_worker, person=person, effective_date=D(2026, 3, 1),
                                 employer=make_employer(community_worker), employment_form="unit")
    api = Client()
    api.force_login(community_worker)
    body = api.get("/api/v1/jobs/pool", {"reason": "joiner"}).json()
    assert body["count"] == 1 and body["items"][0]["id_number_masked"] != person.id_number
