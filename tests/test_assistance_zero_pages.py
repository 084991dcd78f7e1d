"""The zero-employment pages and API: the current list with its case and deadline, the history, the
per-street overview (resolved and no-longer-qualifies apart, marks that cleared a household apart),
the capacity mark form with evidence, the lists' exports and scope, and the one rule that the work
flags are taken away only through a mark (person form, API, import)."""
from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiuye.accounts.models import AuditEntry, Role
from jiuye.assistance.models import CapacityKind, CapacityMark, SpellEnd, ZeroEmploymentSpell
from jiuye.assistance.services import zero
from jiuye.imports.services import run_import
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, Household, Person, Relation, UnemploymentReason

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, _user, make_id
from .import_files import write_xlsx
from .test_lists import last_export, sheet_rows

SEP = datetime.date(2026, 9, 14)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city(district_officer, community_worker, make_person):
    """Three zero-employment households: two in A1 (one of which is later resolved), one in B1."""
    actor = district_officer
    made = {}
    for key, region in (("a", COMMUNITY_A1), ("b", COMMUNITY_A1), ("c", COMMUNITY_B1)):
        household = registry.create_household(actor=actor, region=region)
        person = make_person(region=region, name=f"户主{key}")
        registry.add_household_member(actor=actor, household=household, person=person, relation=Relation.HEAD)
        registry.register_unemployment(actor=actor, person=person, effective_date=SEP,
                                       unemployment_reason=UnemploymentReason.DISMISSED)
        made[key] = (household, person)
    registry.register_employment(actor=actor, person=made["b"][1], effective_date=datetime.date(2026, 10, 12),
                                 employment_form=EmploymentForm.FLEXIBLE)
    return made


def test_the_current_list_shows_the_households_with_their_case_in_scope_only(city, community_worker, district_officer):
    response = client_for(community_worker).get(reverse("web:zero_households"))
    assert response.status_code == 200
    listed = [row["h"].pk for row in response.context["rows"]]
    assert listed == [city["a"][0].pk]  # b resolved, c outside the worker's community
    assert response.context["rows"][0]["h"].zero_case is not None
    content = response.content.decode()
    assert "援助中" in content and city["a"][0].number in content
    wide = client_for(district_officer).get(reverse("web:zero_households"))
    assert wide.context["page"]["total"] == 2
    narrowed = client_for(district_officer).get(reverse("web:zero_households"), {"region": STREET_A})
    assert narrowed.context["page"]["total"] == 1
    # A household flagged behind the registry's back has no case: the "no case" filter finds it (the
    # reconcile repairs it).
    Household.objects.filter(pk=city["b"][0].pk).update(is_zero_employment=True)
    no_case = client_for(district_officer).get(reverse("web:zero_households"), {"state": "no_case"})
    assert [row["h"].pk for row in no_case.context["rows"]] == [city["b"][0].pk]
    overdue = client_for(district_officer).get(reverse("web:zero_households"), {"state": "overdue"})
    assert overdue.context["page"]["total"] == 0


def test_the_history_lists_every_spell_and_exports_it(city, district_officer):
    client = client_for(district_officer)
    response = client.get(reverse("web:zero_spells"))
    assert response.context["page"]["total"] == 3
    resolved = client.get(reverse("web:zero_spells"), {"end": "resolved"})
    assert [row["s"].household_id for row in resolved.context["rows"]] == [city["b"][0].pk]
    rows = sheet_rows(client.get(reverse("web:zero_spells"), {"format": "xlsx"}))
    assert rows[0][0] == "户编号" and len(rows) == 4
    assert last_export(district_officer).changes["rows"] == 3
    # A period before anything happened lists nothing.
    before = client.get(reverse("web:zero_spells"), {"date_to": "2020-01-01"})
    assert before.context["page"]["total"] == 0


def test_the_overview_counts_resolved_no_longer_qualifies_and_marks_apart(city, district_officer, street_officer):
    household, person = city["c"]
    zero.mark_capacity(district_officer, person, CapacityKind.UNWILLING, "本人书面声明不愿就业", [pdf()])
    response = client_for(district_officer).get(reverse("web:zero_overview"))
    assert response.status_code == 200
    total = dict(zip([k for k, _l in response.context["labels"]], response.context["total"]))
    assert total == {"current": 1, "overdue": 0, "opened": 3, "resolved": 1, "no_longer_qualifies": 1,
                     "marks": 1, "marks_cleared": 1}
    # The street officer of A sees its own communities only.
    street = client_for(street_officer).get(reverse("web:zero_overview"))
    assert sum(r["cells"][0] for r in street.context["rows"]) == 1
    assert "劳动能力/就业意愿标记" in street.content.decode()


def test_the_mark_form_requires_reason_and_evidence_and_clears_the_household(city, community_worker):
    household, person = city["a"]
    client = client_for(community_worker)
    url = reverse("web:capacity_mark_new", args=[person.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"kind": CapacityKind.UNABLE, "reason": ""})
    assert refused.status_code == 200 and not CapacityMark.objects.exists()
    assert "证明材料" in refused.content.decode()
    done = client.post(url, {"kind": CapacityKind.UNABLE, "reason": "重度残疾", "evidence": [pdf("残疾人证.jpg")]})
    assert done.status_code == 302
    mark = CapacityMark.objects.get()
    assert mark.cleared_zero_household and mark.marked_by == community_worker
    assert not Household.objects.get(pk=household.pk).is_zero_employment
    assert AuditEntry.objects.filter(object_type="capacity_mark", object_id=str(mark.pk)).exists()
    page = client.get(reverse("web:household", args=[household.pk]))
    content = page.content.decode()
    assert "零就业家庭记录" in content and "标记无劳动能力" in content
    detail = client.get(reverse("web:capacity_mark_lift", args=[mark.pk]))
    assert "残疾人证.jpg" in detail.content.decode()
    lifted = client.post(reverse("web:capacity_mark_lift", args=[mark.pk]), {"note": "已康复"})
    assert lifted.status_code == 302
    assert Household.objects.get(pk=household.pk).is_zero_employment
    # Another community's worker does not find the mark.
    other = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    assert client_for(other).get(reverse("web:capacity_mark_lift", args=[mark.pk])).status_code == 404


def test_the_person_form_and_the_api_say_where_to_mark(city, community_worker):
    household, person = city["a"]
    client = client_for(community_worker)
    form = client.get(reverse("web:person_edit", args=[person.pk])).content.decode()
    assert "劳动能力/就业意愿标记" in form
    api = client.patch(f"/api/v1/persons/{person.pk}", json.dumps({"able_to_work": False}), content_type="application/json")
    assert api.status_code == 422
    assert "劳动能力/就业意愿标记" in api.json()["detail"]["able_to_work"][0]
    assert Person.objects.get(pk=person.pk).able_to_work
    assert Household.objects.get(pk=household.pk).is_zero_employment


def test_the_import_rejects_a_row_that_takes_a_flag_away(city, regions, tmp_path):
    household, person = city["a"]
    path = write_xlsx(tmp_path / "花名册.xlsx", [
        ["姓名", "公民身份号码", "户籍性质", "所在社区", "有无劳动能力"],
        [person.name, person.id_number, "城镇", COMMUNITY_A1, "无"],
    ], text_columns=[2])
    batch = run_import(kind="persons", path=path, actor=None)
    assert batch.rejected == 1 and batch.updated == 0
    assert Person.objects.get(pk=person.pk).able_to_work


def test_the_api_lists_and_marks(city, community_worker, district_officer):
    client = client_for(district_officer)
    households = client.get("/api/v1/zero-employment/households").json()
    assert households["count"] == 2 and all(item["case_id"] for item in households["items"])
    spells = client.get("/api/v1/zero-employment/spells", {"end": "resolved"}).json()
    assert spells["count"] == 1 and spells["items"][0]["end_kind"] == SpellEnd.RESOLVED
    household, person = city["a"]
    refused = client.post("/api/v1/zero-employment/capacity-marks",
                          {"person_id": person.pk, "kind": "unable", "reason": "重度残疾"})
    assert refused.status_code in (422, 400)
    created = client.post("/api/v1/zero-employment/capacity-marks",
                          {"person_id": person.pk, "kind": "unable", "reason": "重度残疾", "evidence": [pdf()]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["cleared_zero_household"] and body["evidence"] == ["证明.pdf"]
    overview = client.get("/api/v1/zero-employment/overview").json()
    assert overview["total"]["marks_cleared"] == 1 and overview["total"]["no_longer_qualifies"] == 1
    marks = client.get("/api/v1/zero-employment/capacity-marks", {"cleared": True}).json()
    assert marks["count"] == 1 and "*" in marks["items"][0]["id_number_masked"]
    lifted = client.post(f"/api/v1/zero-employment/capacity-marks/{body['id']}/lift", json.dumps({"note": "已康复"}),
                         content_type="application/json")
    assert lifted.status_code == 200 and lifted.json()["lifted_on"]
    # Out of scope: another community's worker gets a 404 for the mark.
    other = client_for(_user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1))
    assert other.get(f"/api/v1/zero-employment/capacity-marks/{body['id']}").status_code == 404


def test_the_reconcile_command_checks_and_repairs(city, capsys):
    from django.core.management import call_command

    household, _person = city["a"]
    Household.objects.filter(pk=household.pk).update(is_zero_employment=False)
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile_zero_employment", "--check")
    assert exit_.value.code == 1
    assert "应为零就业家庭但未标记：1 户" in capsys.readouterr().out
    call_command("reconcile_zero_employment")
    assert "已修正" in capsys.readouterr().out
    call_command("reconcile_zero_employment", "--check")
    assert "一致" in capsys.readouterr().out
    assert ZeroEmploymentSpell.objects.filter(household=household, ended_on__isnull=True).count() == 1


def test_an_import_chunk_of_many_households_opens_their_cases_set_based(district_officer, regions, tmp_path,
                                                                       django_assert_max_num_queries):
    """Many households flipping at once (an import chunk, the daily refresh) cost a bounded number of
    queries for the spells and cases, not a few per household."""
    actor = district_officer
    ids = []
    for i in range(30):
        household = registry.create_household(actor=actor, region=COMMUNITY_A1)
        person = registry.create_person(actor=actor, id_number=make_id("610102", "19900101", f"{100 + i * 2 + 1:03d}"),
                                        name=f"批量{i}", region=COMMUNITY_A1, hukou_type="urban")
        registry.add_household_member(actor=actor, household=household, person=person, relation=Relation.HEAD)
        ids.append(household.pk)
    Household.objects.filter(pk__in=ids).update(is_zero_employment=True)
    with django_assert_max_num_queries(60):
        counts = zero.households_flipped(ids)
    assert counts["opened"] == 30
    assert ZeroEmploymentSpell.objects.filter(household_id__in=ids, ended_on__isnull=True, case__isnull=False).count() == 30


def test_the_guide_names_the_labels_the_pages_have(city, community_worker):
    from .test_help_pages import text_of

    guide = text_of(Client().get(reverse("web:help_role", args=["community_worker"])))
    household, person = city["a"]
    client = client_for(community_worker)
    person_page = client.get(reverse("web:person", args=[person.pk])).content.decode()
    household_page = client.get(reverse("web:household", args=[household.pk])).content.decode()
    form = client.get(reverse("web:capacity_mark_new", args=[person.pk])).content.decode()
    for label, page in [("标记无劳动能力/无就业意愿", person_page), ("零就业家庭记录", household_page), ("确认标记", form)]:
        assert label in guide and label in page, label
    lists = client.get(reverse("web:zero_households")).content.decode()
    for label in ["历史记录", "动态清零情况"]:
        assert label in guide and label in lists, label
