"""Relocation communities (易地搬迁安置社区) and their three ledgers: labour force, transfer employment,
public-welfare posts, read from the registry on a date; counts that equal the lists; scope; export."""
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import RelocationCommunity
from jiuye.assistance.queries import ledgers
from jiuye.assistance.queries.ledgers import LABOUR, POSTS, TRANSFER, LedgerSearch
from jiuye.assistance.services import relocation
from jiuye.registry import services as registry
from jiuye.registry.models import Employer
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1

D = datetime.date
ON = D(2026, 6, 30)


def employer(code: str, region: str, name: str) -> Employer:
    return Employer.objects.create(credit_code=code, name=name, region_id=region)


@pytest.fixture
def community(district_officer):
    return relocation.flag_community(actor=district_officer, region=COMMUNITY_A1, project_name="长乐易地搬迁安置点",
                                     households_relocated=120, persons_relocated=450, since=D(2020, 5, 1))


@pytest.fixture
def residents(district_officer, make_person, community):
    """A household in the relocation community: workers in the county, in the city, in the province,
    outside it, on a public-welfare post, one unemployed; a child; a retired grandmother; a person of
    another community."""
    county = employer("91610102000000001A", "610102000000", "新城区示例公司")
    city = employer("91610103000000001B", "610103000000", "碑林区示例公司")
    province = employer("91610902000000001C", "610902000000", "汉滨区示例公司")
    outside = employer("91620602000000001D", "620602000000", "凉州区示例公司")
    post_employer = employer("12610102000000001E", COMMUNITY_A1, "长乐社区居委会")
    household = registry.create_household(actor=district_officer, region=COMMUNITY_A1, number="CL-001")
    people = {}
    specs = [
        ("county", "19900307", "011", county, "unit"),
        ("city", "19910307", "013", city, "unit"),
        ("province", "19920307", "015", province, "unit"),
        ("outside", "19930307", "017", outside, "unit"),
        ("post", "19800307", "012", post_employer, "public_welfare"),
        ("flexible", "19950307", "019", None, "flexible"),
    ]
    for key, birth, seq, emp, form in specs:
        p = make_person(birth=birth, seq=seq, name=f"居民{key}", skills=["电工"], preferred_occupation="保洁")
        registry.add_household_member(actor=district_officer, household=household, person=p, relation="head" if key == "county" else "child",
                                      joined_on=D(2020, 5, 1))
        registry.register_employment(actor=district_officer, person=p, effective_date=D(2025, 3, 1), employer=emp,
                                     employment_form=form, contract_type="fixed" if emp else "",
                                     contract_start=D(2025, 3, 1) if emp else None, contract_end=D(2028, 2, 29) if emp else None,
                                     social_insurance=True if emp else None)
        people[key] = p
    people["unemployed"] = make_person(birth="19880307", seq="021", name="居民失业")
    registry.register_unemployment(actor=district_officer, person=people["unemployed"], effective_date=D(2026, 1, 5),
                                   unemployment_reason="dismissed")
    people["child"] = make_person(birth="20150307", seq="023", name="居民儿童")
    people["grandmother"] = make_person(birth="19500307", seq="024", name="居民老人")
    people["elsewhere"] = make_person(birth="19900307", seq="025", name="外社区居民", region=COMMUNITY_B1)
    registry.register_unemployment(actor=district_officer, person=people["elsewhere"], effective_date=D(2026, 1, 5),
                                   unemployment_reason="dismissed")
    return people


def names(user, ledger, on=ON, region=COMMUNITY_A1):
    rows, _more = ledgers.search_ledger(user, LedgerSearch(ledger=ledger, region_code=region, on=on, limit=200, sort="name"))
    return [r.person.name for r in rows], rows


@pytest.mark.django_db
def test_the_three_ledgers_read_the_registry_on_the_date(street_officer, residents):
    labour, rows = names(street_officer, LABOUR)
    assert sorted(labour) == sorted(["居民county", "居民city", "居民province", "居民outside", "居民post", "居民flexible", "居民失业"])
    by_name = {r.person.name: r for r in rows}
    assert by_name["居民county"].person.household_number == "CL-001"
    assert by_name["居民county"].status_label == "就业" and by_name["居民county"].employer_name == "新城区示例公司"
    assert by_name["居民失业"].status_label == "登记失业"
    transfer, rows = names(street_officer, TRANSFER)
    assert len(transfer) == 6
    dest = {r.person.name: r.destination_label for r in rows}
    assert dest == {"居民county": "县内", "居民city": "县外市内", "居民province": "市外省内", "居民outside": "省外",
                    "居民post": "县内", "居民flexible": "未登记就业单位"}
    contract = {r.person.name: r.registration.contract_type for r in rows}
    assert contract["居民county"] == "fixed"
    posts, rows = names(street_officer, POSTS)
    assert posts == ["居民post"]
    assert rows[0].tenure == "1年3个月" and rows[0].employer_name == "长乐社区居委会"
    # Before the employment registrations nobody worked: the transfer ledger on an earlier date is empty.
    assert names(street_officer, TRANSFER, on=D(2025, 2, 28))[0] == []


@pytest.mark.django_db
def test_counts_equal_the_lists(street_officer, residents):
    counts = ledgers.ledger_counts(street_officer, COMMUNITY_A1, ON)
    assert counts["labour"] == 7 and counts["employed"] == 6 and counts["unemployed"] == 1
    assert counts["transfer"] == 6 and counts["posts"] == 1
    assert (counts["county"], counts["city"], counts["province"], counts["outside"], counts["unknown"]) == (2, 1, 1, 1, 1)
    for ledger, key in ((LABOUR, "labour"), (TRANSFER, "transfer"), (POSTS, "posts")):
        s = LedgerSearch(ledger=ledger, region_code=COMMUNITY_A1, on=ON)
        assert ledgers.count_ledger(street_officer, s) == counts[key]
    rows = ledgers.community_rows(street_officer, ON)
    assert [r.community.region_id for r in rows] == [COMMUNITY_A1]
    assert rows[0].counts == counts


@pytest.mark.django_db
def test_key_groups_are_read_on_the_date(street_officer, residents, district_officer):
    _names, rows = names(street_officer, LABOUR)
    groups = {r.person.name: r.groups for r in rows}
    assert "就业困难人员" not in groups["居民失业"]
    registry.update_person(actor=district_officer, person=residents["unemployed"], has_disability=True)
    _names, rows = names(street_officer, LABOUR)
    groups = {r.person.name: r.groups for r in rows}
    assert "残疾人" in groups["居民失业"] and "就业困难人员" in groups["居民失业"]


@pytest.mark.django_db
def test_scope_and_flagging(street_officer, other_street_officer, community_worker, district_officer, residents):
    assert ledgers.community_rows(other_street_officer, ON) == []
    assert ledgers.count_ledger(other_street_officer, LedgerSearch(ledger=LABOUR, region_code=COMMUNITY_A1, on=ON)) == 0
    from django.http import Http404

    with pytest.raises(Http404):
        ledgers.get_relocation_community(other_street_officer, COMMUNITY_A1)
    with pytest.raises(Http404):
        ledgers.get_relocation_community(street_officer, COMMUNITY_A2)  # not flagged
    with pytest.raises(PermissionDenied):
        relocation.flag_community(actor=community_worker, region=COMMUNITY_A2, project_name="x")
    with pytest.raises(ValidationError) as exc:
        relocation.flag_community(actor=district_officer, region=COMMUNITY_A1, project_name="", households_relocated=10,
                                  persons_relocated=5, since=D(2099, 1, 1))
    errors = exc.value.message_dict
    assert set(errors) == {"region", "project_name", "persons_relocated", "since"}
    assert "已标记为易地搬迁安置社区" in errors["region"][0]
    row = RelocationCommunity.objects.get(pk=COMMUNITY_A1)
    relocation.update_community(actor=district_officer, community=row, households_relocated=130)
    entry = AuditEntry.objects.filter(object_type="relocation_community", action="update").get()
    assert entry.changes == {"households_relocated": [120, 130]}
    assert AuditEntry.objects.filter(object_type="relocation_community", action="create").count() == 1


# ---------------------------------------------------------------------------------------------
# Web and API


@pytest.mark.django_db
def test_the_list_page_shows_the_counts_and_links_to_the_ledgers(client, street_officer, residents):
    client.force_login(street_officer)
    response = client.get(reverse("web:relocation_ledgers"), {"on": ON.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "长乐社区" in html and "长乐易地搬迁安置点" in html
    assert 'data-measure="labour" href="/assistance/relocation-ledgers/610102001001/?ledger=labour&amp;on=2026-06-30">7<' in html
    assert "标记安置社区" not in html  # street officers read; the bureau flags


@pytest.mark.django_db
def test_the_ledger_page_lists_counts_and_masks(client, street_officer, residents):
    client.force_login(street_officer)
    url = reverse("web:relocation_ledger", args=[COMMUNITY_A1])
    response = client.get(url, {"ledger": "transfer", "on": ON.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="6"' in html and 'data-count="outside">1<' in html and 'data-count="posts">1<' in html
    assert "凉州区示例公司" in html and "省外" in html
    assert f'<a href="{reverse("web:person", args=[residents["outside"].pk])}">居民outside</a>' in html
    assert residents["county"].id_number not in html and residents["county"].id_number[:6] + "********" in html
    # A community of the street never flagged: not found.
    assert client.get(reverse("web:relocation_ledger", args=[COMMUNITY_A2])).status_code == 404


@pytest.mark.django_db
def test_other_scopes_get_not_found(client, other_street_officer, residents):
    client.force_login(other_street_officer)
    assert client.get(reverse("web:relocation_ledger", args=[COMMUNITY_A1])).status_code == 404
    response = client.get(reverse("web:relocation_ledger", args=["all"]), {"on": ON.isoformat()})
    assert response.status_code == 200 and 'data-total="0"' in response.content.decode()


@pytest.mark.django_db
def test_the_export_is_a_street_office_ledger_masked_unless_asked(client, street_officer, residents):
    client.force_login(street_officer)
    url = reverse("web:relocation_ledger", args=[COMMUNITY_A1])
    response = client.get(url, {"ledger": "labour", "on": ON.isoformat(), "format": "xlsx", "sort": "name"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "西一路街道 长乐社区 劳动力数据台账"
    assert "台账日期：2026年6月30日" in rows[1][0]
    assert rows[2][:4] == ("序号", "姓名", "公民身份号码", "性别")
    body = rows[3:]
    assert [r[0] for r in body] == list(range(1, 8))
    assert all("********" in r[2] for r in body)
    entry = AuditEntry.objects.filter(action="export", object_type="relocation_ledger").get()
    assert entry.changes["rows"] == 7 and entry.changes["full_id_number"] is False
    response = client.get(url, {"ledger": "labour", "on": ON.isoformat(), "format": "xlsx", "full_id": "1"})
    ws = load_workbook(io.BytesIO(response.content)).active
    ids = {r[2] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert residents["county"].id_number in ids
    assert AuditEntry.objects.filter(action="export", object_type="relocation_ledger").latest("pk").changes["full_id_number"] is True


@pytest.mark.django_db
def test_flag_and_edit_on_the_web(client, district_officer, street_officer, regions):
    client.force_login(street_officer)
    assert client.get(reverse("web:relocation_flag")).status_code == 403
    client.force_login(district_officer)
    response = client.post(reverse("web:relocation_flag"), {"region": COMMUNITY_A2, "project_name": "", "households_relocated": "10",
                                                            "persons_relocated": "5"})
    html = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in html
    response = client.post(reverse("web:relocation_flag"), {"region": COMMUNITY_A2, "project_name": "建设安置点",
                                                            "households_relocated": "10", "persons_relocated": "30"})
    assert response.status_code == 302 and RelocationCommunity.objects.filter(pk=COMMUNITY_A2).exists()
    response = client.post(reverse("web:relocation_edit", args=[COMMUNITY_A2]), {"project_name": "建设安置点（二期）",
                                                                              "households_relocated": "12", "persons_relocated": "30"})
    assert response.status_code == 302
    assert RelocationCommunity.objects.get(pk=COMMUNITY_A2).project_name == "建设安置点（二期）"


@pytest.mark.django_db
def test_api_lists_communities_and_ledgers(client, street_officer, district_officer, residents):
    client.force_login(street_officer)
    body = client.get("/api/v1/relocation-ledgers", {"on": ON.isoformat()}).json()
    assert body["count"] == 1 and body["items"][0]["counts"]["labour"] == 7
    body = client.get(f"/api/v1/relocation-ledgers/{COMMUNITY_A1}/transfer", {"on": ON.isoformat(), "sort": "name"}).json()
    assert body["count"] == 6 and body["counts"]["outside"] == 1
    assert {i["destination_label"] for i in body["items"]} == {"县内", "县外市内", "市外省内", "省外", "未登记就业单位"}
    assert all("********" in i["id_number_masked"] for i in body["items"])
    # A street's code: every relocation community under it.
    assert client.get("/api/v1/relocation-ledgers/610102001/labour", {"on": ON.isoformat()}).json()["count"] == 7
    assert client.get(f"/api/v1/relocation-ledgers/{COMMUNITY_A2}/labour").status_code == 404
    assert client.get(f"/api/v1/relocation-ledgers/{COMMUNITY_A1}/nonsense").status_code == 404
    assert client.post("/api/v1/relocation-ledgers", {"region": COMMUNITY_A2, "project_name": "x"},
                       content_type="application/json").status_code == 403
    client.force_login(district_officer)
    response = client.post("/api/v1/relocation-ledgers", {"region": COMMUNITY_A2, "project_name": ""},
                           content_type="application/json")
    assert response.status_code == 422 and "project_name" in response.json()["detail"]
    response = client.post("/api/v1/relocation-ledgers", {"region": COMMUNITY_A2, "project_name": "建设安置点", "since": "2021-01-01"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["region_name"] == "建设社区"
    response = client.patch(f"/api/v1/relocation-ledgers/{COMMUNITY_A2}", {"households_relocated": 40},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["households_relocated"] == 40


@pytest.mark.django_db
def test_sex_age_and_household_registration_never_order_a_ledger(street_officer, residents):
    assert not {"sex", "age", "birth_date", "hukou_type", "ethnicity"} & set(ledgers.LEDGER_SORTS)
    assert not any(f in ("sex", "birth_date", "hukou_type", "ethnicity") for fields in ledgers.LEDGER_SORTS.values() for f in fields)
    default = [r.person.pk for r in ledgers.search_ledger(street_officer, LedgerSearch(region_code=COMMUNITY_A1, on=ON))[0]]
    for key in ("sex", "-sex", "age", "birth_date", "hukou_type"):
        rows, _more = ledgers.search_ledger(street_officer, LedgerSearch(region_code=COMMUNITY_A1, on=ON, sort=key))
        assert [r.person.pk for r in rows] == default


@pytest.mark.django_db
def test_the_ledgers_agree_with_the_status_replayed_in_python(street_officer, residents, district_officer):
    """The set-based ledger (one pass over the registrations) and ``status.status_on`` (one person's
    history replayed) agree on every date of the history."""
    from hypothesis import given, settings as hsettings, strategies as st

    from jiuye.registry.models import EmploymentStatus, Person
    from jiuye.registry.status import status_on

    registry.end_status(actor=district_officer, person=residents["city"], effective_date=D(2026, 3, 1), ending_reason="job_ended")
    registry.register_unemployment(actor=district_officer, person=residents["city"], effective_date=D(2026, 4, 1),
                                   unemployment_reason="contract_ended")
    # A household of one registered unemployed member: zero-employment from 5 January 2026.
    alone = registry.create_household(actor=district_officer, region=COMMUNITY_A1, number="CL-002")
    registry.add_household_member(actor=district_officer, household=alone, person=residents["unemployed"], relation="head",
                                  joined_on=D(2025, 6, 1))
    persons = list(Person.objects.filter(region_id=COMMUNITY_A1).prefetch_related("registrations"))
    from jiuye.registry.groups import groups_of

    @hsettings(max_examples=25, deadline=None)
    @given(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 11, 30)))
    def check(on):
        transfer = {r.person.pk: r for r in ledgers.search_ledger(
            street_officer, LedgerSearch(ledger=TRANSFER, region_code=COMMUNITY_A1, on=on, limit=200))[0]}
        labour = {r.person.pk: r for r in ledgers.search_ledger(
            street_officer, LedgerSearch(ledger=LABOUR, region_code=COMMUNITY_A1, on=on, limit=200))[0]}
        for pk, row in labour.items():
            assert sorted(row.groups) == sorted(g.label for g in groups_of(Person.objects.get(pk=pk), on)), (on, row.person.name)
        for p in persons:
            s = status_on(list(p.registrations.all()), on)
            assert (p.pk in transfer) == (s.status == EmploymentStatus.EMPLOYED)
            if p.pk in transfer:
                assert transfer[p.pk].person.employer_on_date == s.employer_id
                assert transfer[p.pk].person.status_since_on_date == s.since

    check()
    on = D(2026, 6, 30)
    row = next(r for r in ledgers.search_ledger(street_officer, LedgerSearch(region_code=COMMUNITY_A1, on=on, limit=200))[0]
               if r.person.pk == residents["unemployed"].pk)
    assert "零就业家庭成员" in row.groups and "就业困难人员" in row.groups


@pytest.mark.django_db
def test_each_count_cell_opens_the_list_it_counts(client, street_officer, residents):
    import re

    client.force_login(street_officer)
    url = reverse("web:relocation_ledger", args=[COMMUNITY_A1])
    html = client.get(url, {"on": ON.isoformat()}).content.decode()
    cells = re.findall(r'<a class="stat" href="([^"]+)"><span class="stat-num" data-count="(\w+)">(\d+)<', html)
    assert len(cells) == 11
    for query, key, count in cells:
        page = client.get(url + query.replace("&amp;", "&")).content.decode()
        assert f'data-testid="list-count" data-total="{count}"' in page, key


@pytest.mark.django_db
def test_the_communities_list_exports_its_counts(client, street_officer, residents):
    client.force_login(street_officer)
    response = client.get(reverse("web:relocation_ledgers"), {"on": ON.isoformat(), "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("安置社区", "区划代码", "搬迁安置项目")
    assert rows[1][0] == "西一路街道 长乐社区" and rows[1][rows[0].index("劳动力")] == 7
    assert AuditEntry.objects.filter(action="export", object_type="relocation_community").exists()
