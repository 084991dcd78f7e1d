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
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, make_id

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
