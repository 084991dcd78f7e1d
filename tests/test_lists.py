"""Lists that count, page, sort, filter and export (issue 7, finding 5): the total is the count of the
same filter, page numbers, sorting on the visible columns (whitelists in the apps' queries, ties broken
by record number, never a row out of scope), street and community filters, and an Excel export of
exactly what is shown, audited with its filter, sort and row count; identity numbers masked unless the
role may see full numbers and asks for them."""
from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.registry import queries
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Employer, Household, Person
from jiuye.web import exports

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B
from .test_read_layer import STAFF, town  # noqa: F401  (the fixture)
from .test_web import client_for

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def web_ids(response) -> list[int]:
    return [row["person"].pk if isinstance(row, dict) else row.pk for row in response.context["page"]["rows"]]


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def last_export(user) -> AuditEntry:
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=user).latest("id")


LISTS = {
    "web:person_search": ("/api/v1/persons", Person, queries.persons_visible_to, ["id", "name", "region", "status"]),
    "web:household_search": ("/api/v1/households", Household, queries.households_visible_to,
                             ["number", "region", "address", "members"]),
    "web:employer_search": ("/api/v1/employers", Employer, queries.employers_visible_to,
                            ["name", "credit_code", "region", "ownership", "size", "employees"]),
}


# ---------------------------------------------------------------------------------------------
# Counts, exports and the API agree


@PROPERTY
@given(data=st.data())
def test_total_equals_exported_rows_and_api_count(town, data):  # noqa: F811
    username = data.draw(st.sampled_from(STAFF))
    client = town["clients"][username]
    name = data.draw(st.sampled_from(sorted(LISTS)))
    api_path, _model, _visible, sorts = LISTS[name]
    region = data.draw(st.sampled_from(["", STREET_A, STREET_B, COMMUNITY_A1, COMMUNITY_B1]))
    choices = {c for c, _l in client.get(reverse(name)).context["form"].fields["region"].choices}
    params = {"region": region if region in choices else "",
              "sort": data.draw(st.sampled_from(["", *sorts, *("-" + s for s in sorts), "bogus"]))}
    if name == "web:person_search":
        params["status"] = data.draw(st.sampled_from(["", "employed", "unemployed", "none"]))
    page = client.get(reverse(name), params)
    total = page.context["page"]["total"]
    assert total == len(web_ids(page))  # fewer than a page here
    rows = sheet_rows(client.get(reverse(name), {**params, "format": "xlsx"}))
    assert len(rows) - 1 == total
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor_name=username).latest("id")
    assert entry.changes["rows"] == total
    assert entry.changes["filters"].get("region", "") == params["region"]
    api = client.get(api_path, {**params, "limit": 50}).json()
    assert api["count"] == total and [i["id"] for i in api["items"]] == web_ids(page)


# ---------------------------------------------------------------------------------------------
# Sorting


def _key(obj, key):
    return {"id": lambda o: 0, "name": lambda o: o.name, "region": lambda o: o.region_id,
            "status": lambda o: (o.employment_status, o.name), "number": lambda o: o.number, "address": lambda o: o.address,
            "members": lambda o: o.member_count, "credit_code": lambda o: o.credit_code,
            "ownership": lambda o: o.ownership, "size": lambda o: o.size_class,
            "employees": lambda o: o.employee_count or 0}[key](obj)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_sort_key_orders_the_list_and_keeps_the_scope(town, name):  # noqa: F811
    _api, model, visible, sorts = LISTS[name]
    for username in STAFF:
        client = town["clients"][username]
        user = client.get(reverse(name)).wsgi_request.user
        in_scope = set(visible(user).values_list("pk", flat=True))
        for key in sorts:
            for descending in (False, True):
                response = client.get(reverse(name), {"sort": ("-" if descending else "") + key})
                rows = [r["person"] if isinstance(r, dict) else r for r in response.context["page"]["rows"]]
                assert {r.pk for r in rows} == in_scope, (username, key)  # nothing out of scope, nothing lost
                text = {"name": ("name",), "address": ("address",), "status": ("employment_status", "name")}
                if key in text:  # text: the database's collation decides; compare with it
                    expected = list(model.objects.filter(pk__in=in_scope).order_by(
                        *(f"-{f}" if descending else f for f in (*text[key], "pk"))).values_list("pk", flat=True))
                    assert [r.pk for r in rows] == expected
                else:
                    pairs = [(_key(r, key), r.pk) for r in rows]
                    assert pairs == sorted(pairs, reverse=descending), (username, key, descending)
                header = response.content.decode()
                assert key == "id" or f'aria-sort="{"descending" if descending else "ascending"}" data-sort="{key}"' in header


def test_sorting_by_a_column_never_shows_another_region(town, other_street_officer):  # noqa: F811
    client = client_for(other_street_officer)  # 长乐中路街道 only
    for sort in ("name", "-name", "region", "-region", "status", "-status"):
        regions = {r["person"].region_id for r in client.get(reverse("web:person_search"), {"sort": sort})
                   .context["page"]["rows"]}
        assert regions and all(code.startswith("610102002") for code in regions)


def test_unknown_sort_falls_back_to_the_default(town):  # noqa: F811
    client = town["clients"]["do_xc"]
    plain = web_ids(client.get(reverse("web:person_search")))
    assert web_ids(client.get(reverse("web:person_search"), {"sort": "id_number"})) == plain
    assert web_ids(client.get(reverse("web:person_search"), {"sort": "-sex"})) == plain
    assert plain == sorted(plain)


# ---------------------------------------------------------------------------------------------
# Page numbers


@pytest.fixture
def crowd(make_person, district_officer):
    for i in range(123):
        make_person(name=f"人{i:03d}", region=COMMUNITY_A2 if i % 2 else COMMUNITY_A1)
    return client_for(district_officer)


def test_total_and_page_numbers(crowd):
    response = crowd.get(reverse("web:person_search"))
    page = response.context["page"]
    html = response.content.decode()
    assert page["total"] == 123 and page["pages"] == 3 and "共 123 条" in html
    assert [n["number"] for n in page["numbers"]] == [1, 2, 3]
    assert [n["current"] for n in page["numbers"]] == [True, False, False]
    third = crowd.get(reverse("web:person_search") + page["numbers"][2]["url"])
    assert len(third.context["page"]["rows"]) == 23 and third.context["page"]["current"] == 3
    assert "第 101–123 条" in third.content.decode() and not third.context["page"]["next_url"]
    # the same filter on every page: 61 in 建设社区
    street = crowd.get(reverse("web:person_search"), {"region": COMMUNITY_A2, "sort": "-name"})
    assert street.context["page"]["total"] == 61 and street.context["page"]["pages"] == 2
    second = crowd.get(reverse("web:person_search") + street.context["page"]["numbers"][1]["url"])
    names = [r["person"].name for r in street.context["page"]["rows"] + second.context["page"]["rows"]]
    assert len(names) == len(set(names)) == 61 and names == sorted(names, reverse=True)


def test_thousands_separators(crowd, monkeypatch):
    monkeypatch.setattr(queries, "count_persons", lambda user, search, on=None: 1234567)
    html = crowd.get(reverse("web:person_search")).content.decode()
    assert "共 1,234,567 条" in html and "末页（24,692）" in html


# ---------------------------------------------------------------------------------------------
# Street filter and street column (households, persons, employers)


def test_household_list_filters_by_street_and_shows_the_street(town):  # noqa: F811
    client = town["clients"]["do_xc"]
    response = client.get(reverse("web:household_search"), {"region": STREET_A})
    numbers = [h.number for h in response.context["page"]["rows"]]
    assert numbers == ["A1-0001", "A1-0002", "A2-0001"] and response.context["page"]["total"] == 3
    html = response.content.decode()
    assert "西一路街道" in html and "长乐中路街道" not in html.split("<tbody>")[1]
    assert "所在街道" in html
    other = client.get(reverse("web:household_search"), {"region": STREET_B})
    assert [h.number for h in other.context["page"]["rows"]] == ["B1-0001"]
    export = sheet_rows(client.get(reverse("web:household_search"), {"region": STREET_B, "format": "xlsx"}))
    assert export[0][:3] == ("户编号", "所在街道", "所在社区") and export[1][:3] == ("B1-0001", "长乐中路街道", "胡东社区")


def test_employer_list_filters_by_street(town):  # noqa: F811
    client = town["clients"]["do_xc"]
    response = client.get(reverse("web:employer_search"), {"region": STREET_B})
    assert [e.name for e in response.context["page"]["rows"]] == ["西安新城食品厂"]


# ---------------------------------------------------------------------------------------------
# Exports: exactly what is shown, audited, masked by default


def test_person_export_is_the_filtered_sorted_list_masked_and_audited(town, district_officer):  # noqa: F811
    client = town["clients"]["do_xc"]
    params = {"region": STREET_A, "status": "unemployed", "sort": "-name"}
    page = client.get(reverse("web:person_search"), params)
    shown = [r["person"] for r in page.context["page"]["rows"]]
    rows = sheet_rows(client.get(reverse("web:person_search"), {**params, "format": "xlsx"}))
    assert rows[0] == ("姓名", "公民身份号码", "性别", "出生日期", "所在街道", "居住社区", "户籍", "就业状态", "联系电话")
    assert [r[0] for r in rows[1:]] == [p.name for p in shown]
    assert [r[1] for r in rows[1:]] == [mask_id_number(p.id_number) for p in shown]
    assert all(p.id_number not in str(rows) for p in town["people"])
    entry = last_export(district_officer)
    assert entry.object_type == "person" and entry.changes["rows"] == len(shown)
    assert entry.changes["filters"] == {"region": STREET_A, "status": "unemployed"}
    assert entry.changes["sort"] == "-name" and entry.changes["full_id_number"] is False
    assert "完整" not in entry.summary


def test_full_numbers_only_when_allowed_and_asked(town, district_officer, city_officer):  # noqa: F811
    numbers = {p.id_number for p in town["people"]}
    do = town["clients"]["do_xc"]
    asked = sheet_rows(do.get(reverse("web:person_search"), {"format": "xlsx", "full_id": "1"}))
    assert {r[1] for r in asked[1:]} == numbers
    entry = last_export(district_officer)
    assert entry.changes["full_id_number"] is True and "含完整公民身份号码" in entry.summary
    # The page offers the box to roles that may see full numbers only.
    assert "导出完整身份证号" in do.get(reverse("web:person_search")).content.decode()
    co = town["clients"]["co_xa"]  # city officers see masked numbers only
    assert "导出完整身份证号" not in co.get(reverse("web:person_search")).content.decode()
    refused = sheet_rows(co.get(reverse("web:person_search"), {"format": "xlsx", "full_id": "1"}))
    assert not {r[1] for r in refused[1:]} & numbers
    assert last_export(city_officer).changes["full_id_number"] is False


def test_export_over_the_cap_is_refused_with_a_message(town, monkeypatch, district_officer):  # noqa: F811
    monkeypatch.setattr(exports, "EXPORT_MAX", 2)
    client = town["clients"]["do_xc"]
    response = client.get(reverse("web:person_search"), {"region": STREET_A, "format": "xlsx"})
    assert response.status_code == 302 and "format" not in response.url and f"region={STREET_A}" in response.url
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("超过单次导出上限 2 条" in m for m in message)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=district_officer).exists()


def test_every_list_has_an_audited_export(town, district_officer):  # noqa: F811
    client = town["clients"]["do_xc"]
    for name, object_type in [("web:person_search", "person"), ("web:household_search", "household"),
                              ("web:employer_search", "employer"), ("web:users", "user"), ("web:audit", "audit")]:
        page = client.get(reverse(name))
        assert 'name="format" value="xlsx"' in page.content.decode(), name
        rows = sheet_rows(client.get(reverse(name), {"format": "xlsx"}))
        entry = last_export(district_officer)
        assert entry.object_type == object_type and entry.changes["rows"] == len(rows) - 1
        if name != "web:audit":  # the log grows with every export
            assert len(rows) - 1 == page.context["page"]["total"]


def test_import_batch_list_counts_sorts_and_exports(community_worker, settings, tmp_path):
    from jiuye.imports.models import ImportBatch

    for i in range(3):
        ImportBatch.objects.create(kind="persons", file_name=f"f{i}.csv", actor=community_worker,
                                   region_code=COMMUNITY_A1, status="ok", imported=10 - i)
    c = client_for(community_worker)
    page = c.get(reverse("web:imports"), {"sort": "imported"})
    assert page.context["page"]["total"] == 3
    assert [b.imported for b in page.context["batches"]] == [8, 9, 10]
    rows = sheet_rows(c.get(reverse("web:imports"), {"sort": "-imported", "format": "xlsx"}))
    assert [r[2] for r in rows[1:]] == ["f0.csv", "f1.csv", "f2.csv"]
    assert last_export(community_worker).changes["rows"] == 3
