"""The 人员迁移 and 网上自助登记 lists follow the one list rule: the total is the count of the same
filter, the export writes exactly those rows (audited, identity numbers masked unless the role may and
asks; the transfer list always masked), sorting on the visible columns never changes which rows are
listed, the filters (direction, status, kind, street/community, date range) narrow it, and rows outside
the user's scope are never listed."""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiuye.accounts.models import Role
from jiuye.registry import transfers
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import PendingRegistration, Transfer, TransferStatus

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, _user
from .test_lists import last_export, sheet_rows
from .test_web import client_for

D = datetime.date


def _at(day: D) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [row["t"].pk if "t" in row else row["p"].pk for row in response.context["rows"]]


# ---------------------------------------------------------------------------------------------
# 人员迁移


@pytest.fixture
def moves(make_person, community_worker, regions):
    """Transfers around community A1: three incoming from B1 (pending, accepted, rejected), two outgoing
    to B1 and A2 (pending), and one between B1 and A2's street neighbour that A1 never sees."""
    worker_b1 = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    worker_a2 = _user("cw_a2", Role.COMMUNITY_WORKER, COMMUNITY_A2)
    made = {}

    def move(name, frm, to, status, day):
        person = make_person(name=name, region=frm)
        t = Transfer.objects.create(person=person, from_region_id=frm, to_region_id=to, reason=f"{name}搬家",
                                    status=status, requested_at=_at(day))
        made[name] = t
        return t

    move("入甲", COMMUNITY_B1, COMMUNITY_A1, TransferStatus.PENDING, D(2025, 3, 1))
    move("入乙", COMMUNITY_B1, COMMUNITY_A1, TransferStatus.PENDING, D(2025, 4, 1))
    move("入丙", COMMUNITY_B1, COMMUNITY_A1, TransferStatus.REJECTED, D(2025, 5, 1))
    move("出甲", COMMUNITY_A1, COMMUNITY_B1, TransferStatus.PENDING, D(2025, 3, 15))
    move("出乙", COMMUNITY_A1, COMMUNITY_A2, TransferStatus.PENDING, D(2025, 6, 1))
    move("旁人", COMMUNITY_B1, COMMUNITY_A2, TransferStatus.PENDING, D(2025, 4, 10))
    return {"t": made, "cw_b1": worker_b1, "cw_a2": worker_a2}


def test_transfer_list_defaults_to_pending_incoming_with_badges_and_pager(moves, community_worker):
    t = moves["t"]
    page = client_for(community_worker).get(reverse("web:transfers"))
    assert listed(page) == [t["入乙"].pk, t["入甲"].pk]  # newest first
    assert page.context["page"]["total"] == 2
    html = page.content.decode()
    assert 'data-testid="list-count"' in html and "共 2 条" in html
    assert 'data-testid="incoming-count">2<' in html and 'data-testid="outgoing-count">2<' in html
    assert reverse("web:transfer_decide", args=[t["入甲"].pk]) in html
    assert t["入甲"].person.id_number not in html and mask_id_number(t["入甲"].person.id_number) in html
    assert "旁人" not in html


def test_transfer_filters_direction_status_region_and_dates(moves, community_worker, street_officer):
    t = moves["t"]
    c = client_for(community_worker)
    assert set(listed(c.get(reverse("web:transfers"), {"tab": "outgoing"}))) == {t["出甲"].pk, t["出乙"].pk}
    assert set(listed(c.get(reverse("web:transfers"), {"status": "all"}))) == {t["入甲"].pk, t["入乙"].pk, t["入丙"].pk}
    assert listed(c.get(reverse("web:transfers"), {"status": "rejected"})) == [t["入丙"].pk]
    assert listed(c.get(reverse("web:transfers"), {"status": "all", "date_from": "2025-03-20",
                                                  "date_to": "2025-04-30"})) == [t["入乙"].pk]
    bad = c.get(reverse("web:transfers"), {"date_from": "2025-05-01", "date_to": "2025-04-01"})
    assert "截止日期早于起始日期" in bad.content.decode() and listed(bad) == []
    # A street officer narrows to a community on the own side of the direction.
    s = client_for(street_officer)
    outgoing = {"tab": "outgoing", "status": "all"}
    assert set(listed(s.get(reverse("web:transfers"), outgoing))) == {t["出甲"].pk, t["出乙"].pk}
    assert set(listed(s.get(reverse("web:transfers"), {**outgoing, "region": COMMUNITY_A1}))) == {t["出甲"].pk,
                                                                                               t["出乙"].pk}
    assert listed(s.get(reverse("web:transfers"), {**outgoing, "region": COMMUNITY_A2})) == []
    # A2 lies in street A: the street officer sees 旁人 coming in; the community worker of A1 never does.
    assert set(listed(s.get(reverse("web:transfers"), {"region": COMMUNITY_A2}))) == {t["出乙"].pk, t["旁人"].pk}


@pytest.mark.parametrize("tab", ["incoming", "outgoing"])
def test_transfer_sort_keys_keep_scope_and_order(moves, community_worker, tab):
    c = client_for(community_worker)
    base = set(listed(c.get(reverse("web:transfers"), {"tab": tab, "status": "all"})))
    assert base and moves["t"]["旁人"].pk not in base
    for key in [*transfers.TRANSFER_SORTS, "bogus", "person__id_number"]:
        for sort in (key, "-" + key):
            page = c.get(reverse("web:transfers"), {"tab": tab, "status": "all", "sort": sort})
            assert set(listed(page)) == base, sort
    names = [r["t"].person.name for r in c.get(reverse("web:transfers"), {"tab": tab, "status": "all",
                                                                         "sort": "name"}).context["rows"]]
    assert names == sorted(names)
    html = c.get(reverse("web:transfers"), {"tab": tab, "sort": "-requested_at"}).content.decode()
    assert 'aria-sort="descending" data-sort="requested_at"' in html


def test_transfer_export_is_the_list_audited_and_always_masked(moves, community_worker):
    c = client_for(community_worker)
    params = {"tab": "incoming", "status": "all", "sort": "name"}
    page = c.get(reverse("web:transfers"), params)
    rows = sheet_rows(c.get(reverse("web:transfers"), {**params, "format": "xlsx", "full_id": "1"}))
    assert rows[0][:4] == ("姓名", "公民身份号码", "迁出社区", "迁入社区")
    assert len(rows) - 1 == page.context["page"]["total"] == 3
    assert [r[0] for r in rows[1:]] == [r["t"].person.name for r in page.context["rows"]]
    ids = {t.person.id_number for t in Transfer.objects.all()}
    assert all(r[1] not in ids and "*" in r[1] for r in rows[1:])  # masked even when asked for
    assert "旁人" not in {r[0] for r in rows}
    entry = last_export(community_worker)
    assert entry.object_type == "transfer" and entry.changes["rows"] == 3 and entry.changes["sort"] == "name"
    assert entry.changes["filters"]["tab"] == "incoming" and entry.changes["full_id_number"] is False
    assert "导出完整身份证号" not in page.content.decode()


def test_transfer_list_of_another_community_lists_none_of_ours(moves):
    other = _user("cw_a2x", Role.COMMUNITY_WORKER, COMMUNITY_A2)
    c = client_for(other)
    for tab in ("incoming", "outgoing"):
        page = c.get(reverse("web:transfers"), {"tab": tab, "status": "all"})
        names = {r["t"].person.name for r in page.context["rows"]}
        assert names <= {"出乙", "旁人"}
    rows = sheet_rows(c.get(reverse("web:transfers"), {"status": "all", "format": "xlsx"}))
    assert {r[0] for r in rows[1:]} == {"出乙", "旁人"}


# ---------------------------------------------------------------------------------------------
# 网上自助登记


@pytest.fixture
def requests_(make_person, regions):
    made = {}

    def req(name, region, kind, status, day):
        person = make_person(name=name, region=region)
        made[name] = PendingRegistration.objects.create(
            person=person, kind=kind, effective_date=day, values={}, origin=PendingRegistration.Origin.SELF_SERVICE,
            source="online", status=status, requested_at=_at(day))
        return made[name]

    W = PendingRegistration.Status.WAITING_CONFIRMATION
    req("甲", COMMUNITY_A1, "employment", W, D(2025, 3, 1))
    req("乙", COMMUNITY_A1, "unemployment", W, D(2025, 4, 1))
    req("丙", COMMUNITY_A2, "employment", W, D(2025, 2, 1))
    req("丁", COMMUNITY_A1, "employment", PendingRegistration.Status.REJECTED, D(2025, 5, 1))
    req("戊", COMMUNITY_B1, "employment", W, D(2025, 1, 1))
    hire = made["甲"].person
    PendingRegistration.objects.create(person=hire, kind="employment", effective_date=D(2025, 7, 1), values={},
                                       origin=PendingRegistration.Origin.PENDING_HIRE, source="online",
                                       status=PendingRegistration.Status.SCHEDULED)
    return made


def test_self_registration_list_defaults_to_waiting_oldest_first_scoped(requests_, community_worker, street_officer):
    r = requests_
    page = client_for(community_worker).get(reverse("web:self_registrations"))
    assert listed(page) == [r["甲"].pk, r["乙"].pk]
    html = page.content.decode()
    assert "共 2 条" in html and "戊" not in html and "丙" not in html
    assert r["甲"].person.id_number not in html and mask_id_number(r["甲"].person.id_number) in html
    assert reverse("web:self_registration", args=[r["甲"].pk]) in html
    assert listed(client_for(street_officer).get(reverse("web:self_registrations"))) == [r["丙"].pk, r["甲"].pk,
                                                                                        r["乙"].pk]


def test_self_registration_filters(requests_, community_worker, street_officer, district_officer):
    r = requests_
    c = client_for(community_worker)
    url = reverse("web:self_registrations")
    assert listed(c.get(url, {"status": "rejected"})) == [r["丁"].pk]
    assert listed(c.get(url, {"status": "all"})) == [r["甲"].pk, r["乙"].pk, r["丁"].pk]
    assert listed(c.get(url, {"kind": "unemployment"})) == [r["乙"].pk]
    assert listed(c.get(url, {"status": "all", "date_from": "2025-03-15", "date_to": "2025-05-01"})) == [r["乙"].pk,
                                                                                                         r["丁"].pk]
    s = client_for(street_officer)
    assert listed(s.get(url, {"region": COMMUNITY_A2})) == [r["丙"].pk]
    d = client_for(district_officer)
    assert listed(d.get(url, {"region": STREET_A, "kind": "employment"})) == [r["丙"].pk, r["甲"].pk]


def test_self_registration_sort_keys_keep_scope(requests_, street_officer):
    from jiuye.registry.queries import SELF_REGISTRATION_SORTS

    c = client_for(street_officer)
    url = reverse("web:self_registrations")
    base = set(listed(c.get(url, {"status": "all"})))
    assert base == {requests_[n].pk for n in "甲乙丙丁"}
    for key in [*SELF_REGISTRATION_SORTS, "bogus", "values"]:
        for sort in (key, "-" + key):
            assert set(listed(c.get(url, {"status": "all", "sort": sort}))) == base, sort
    assert listed(c.get(url, {"sort": "-requested_at"})) == [requests_[n].pk for n in "乙甲丙"]


def test_self_registration_export_counts_audits_and_masks_unless_asked(requests_, street_officer, regions):
    c = client_for(street_officer)
    url = reverse("web:self_registrations")
    params = {"status": "all", "sort": "name"}
    page = c.get(url, params)
    rows = sheet_rows(c.get(url, {**params, "format": "xlsx"}))
    assert rows[0][:3] == ("提交时间", "姓名", "公民身份号码")
    assert len(rows) - 1 == page.context["page"]["total"] == 4
    assert [r[1] for r in rows[1:]] == [row["p"].person.name for row in page.context["rows"]]
    assert all(r[2] == mask_id_number(requests_[r[1]].person.id_number) for r in rows[1:])
    entry = last_export(street_officer)
    assert entry.object_type == "pending_registration" and entry.changes["rows"] == 4
    assert entry.changes["filters"]["status"] == "all" and entry.changes["full_id_number"] is False
    full = sheet_rows(c.get(url, {**params, "format": "xlsx", "full_id": "1"}))
    assert all(r[2] == requests_[r[1]].person.id_number for r in full[1:])
    assert last_export(street_officer).changes["full_id_number"] is True
    assert "导出完整身份证号" in page.content.decode()  # every writer may see full numbers


def test_self_registration_list_is_for_writers_and_in_the_menu(requests_, community_worker, city_officer):
    assert client_for(city_officer).get(reverse("web:self_registrations")).status_code == 403
    home = client_for(community_worker).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:self_registrations")}"' in home and "网上自助登记" in home
    other = _user("cw_b1x", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    rows = sheet_rows(client_for(other).get(reverse("web:self_registrations"), {"status": "all", "format": "xlsx"}))
    assert [r[1] for r in rows[1:]] == ["戊"]



def test_the_employers_a_list_names_are_read_once_not_per_row(requests_, street_officer, district_officer):
    """Each request's content names its employer; the list page and its export read the named employers
    in one query (queries.with_summaries), however many rows name one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiuye.registry import services

    from .test_web import credit_code

    for i, name in enumerate("甲乙丙丁"):
        employer = services.create_employer(actor=district_officer, credit_code=credit_code(f"12345678{i}"),
                                            name=f"示例单位{i}", region=COMMUNITY_A1)
        key = "employer" if requests_[name].kind == "employment" else "former_employer"
        PendingRegistration.objects.filter(pk=requests_[name].pk).update(values={key: employer.pk})
    c = client_for(street_officer)
    url = reverse("web:self_registrations")
    for params in ({"status": "all"}, {"status": "all", "format": "xlsx"}):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url, params)
        reads = [q["sql"] for q in ctx.captured_queries
                 if 'FROM "registry_employer"' in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]
        assert len(reads) == 1, params
    rows = sheet_rows(response)
    assert sum("示例单位" in str(r[6]) for r in rows[1:]) == 4
