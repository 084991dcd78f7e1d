"""Unflagging a relocation community (取消标记): district and city officers, in scope, with a reason and
the date from which it leaves the list; the row is kept so that the list and the ledgers of an earlier
date are unchanged; audited; the web confirmation form and the API."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from jiuye.accounts.models import AuditEntry, Role
from jiuye.assistance.models import RelocationCommunity
from jiuye.assistance.queries import ledgers
from jiuye.assistance.queries.ledgers import LABOUR, LedgerSearch
from jiuye.assistance.services import relocation
from jiuye.web.forms.assistance_ledgers import RelocationCommunityForm
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, _user
from tests.test_assistance_ledgers import ON, community, residents  # noqa: F401 (fixtures)

D = datetime.date
END = D(2026, 7, 1)  # the first day the community is no longer on the list
REASON = "安置点已整体并入长乐社区常规管理"


def labour(user, on, region=COMMUNITY_A1):
    return ledgers.count_ledger(user, LedgerSearch(ledger=LABOUR, region_code=region, on=on))


@pytest.mark.django_db
def test_an_unflagged_community_leaves_the_list_but_earlier_ledgers_stay(street_officer, district_officer, residents):
    assert labour(street_officer, ON) == 7
    row = relocation.end_community(actor=district_officer, community=RelocationCommunity.objects.get(pk=COMMUNITY_A1),
                                   reason=REASON, ended_on=END)
    assert row.ended_on == END and row.end_reason == REASON and row.ended_by == district_officer
    # The day before the end: the list, the ledger and the counts are what they were.
    assert [r.community.region_id for r in ledgers.community_rows(street_officer, ON)] == [COMMUNITY_A1]
    assert ledgers.get_relocation_community(street_officer, COMMUNITY_A1, ON).project_name == "长乐易地搬迁安置点"
    assert labour(street_officer, ON) == 7 and labour(street_officer, ON, region="") == 7
    assert ledgers.ledger_counts(street_officer, COMMUNITY_A1, ON)["labour"] == 7
    # From the end date on, and today: gone from the list and the ledgers (the row is kept).
    for on in (END, None):
        assert ledgers.community_rows(street_officer, on) == []
        with pytest.raises(Http404):
            ledgers.get_relocation_community(street_officer, COMMUNITY_A1, on)
    assert labour(street_officer, END) == 0 and labour(street_officer, END, region="") == 0
    assert RelocationCommunity.objects.filter(pk=COMMUNITY_A1).exists()
    entry = AuditEntry.objects.get(object_type="relocation_community", action="update")
    assert entry.object_id == COMMUNITY_A1 and entry.changes == {"ended_on": [None, "2026-07-01"], "end_reason": ["", REASON]}
    assert REASON in entry.summary


@pytest.mark.django_db
def test_every_mistake_at_once_and_only_editors_in_scope(district_officer, street_officer, residents):
    row = RelocationCommunity.objects.get(pk=COMMUNITY_A1)  # since 2020-05-01
    with pytest.raises(ValidationError) as exc:
        relocation.end_community(actor=district_officer, community=row, reason=" ", ended_on=D(2099, 1, 1))
    assert set(exc.value.message_dict) == {"reason", "ended_on"}
    assert "晚于今天" in exc.value.message_dict["ended_on"][0]
    with pytest.raises(ValidationError) as exc:
        relocation.end_community(actor=district_officer, community=row, reason=REASON, ended_on=D(2020, 5, 1))
    assert "不晚于搬迁入住时间 2020-05-01" in exc.value.message_dict["ended_on"][0]
    with pytest.raises(PermissionDenied):
        relocation.end_community(actor=street_officer, community=row, reason=REASON)
    beilin = _user("do_bl", Role.DISTRICT_OFFICER, "610103000000", display_name="碑林区人社局")
    with pytest.raises(PermissionDenied):
        relocation.end_community(actor=beilin, community=row, reason=REASON)
    assert RelocationCommunity.objects.get(pk=COMMUNITY_A1).ended_on is None
    relocation.end_community(actor=district_officer, community=row, reason=REASON)  # today by default
    with pytest.raises(ValidationError) as exc:
        relocation.end_community(actor=district_officer, community=row, reason=REASON)
    assert "已于" in exc.value.message_dict["region"][0]
    assert not AuditEntry.objects.filter(object_type="relocation_community", action="update").exclude(
        changes__end_reason=["", REASON]).exists()


@pytest.mark.django_db
def test_flagging_it_again_puts_it_back_on_the_list(street_officer, district_officer, residents):
    relocation.end_community(actor=district_officer, community=RelocationCommunity.objects.get(pk=COMMUNITY_A1),
                             reason=REASON, ended_on=END)
    choices = [c[0] for c in RelocationCommunityForm(user=district_officer).fields["region"].choices]
    assert COMMUNITY_A1 in choices
    relocation.flag_community(actor=district_officer, region=COMMUNITY_A1, project_name="长乐安置点（重新纳入）")
    row = RelocationCommunity.objects.get(pk=COMMUNITY_A1)
    assert row.ended_on is None and row.end_reason == "" and row.project_name == "长乐安置点（重新纳入）"
    assert [r.community.region_id for r in ledgers.community_rows(street_officer)] == [COMMUNITY_A1]
    assert COMMUNITY_A1 not in [c[0] for c in RelocationCommunityForm(user=district_officer).fields["region"].choices]
    entry = AuditEntry.objects.filter(object_type="relocation_community", action="update").latest("pk")
    assert "重新标记" in entry.summary and entry.changes["ended_on"] == ["2026-07-01", None]


@pytest.mark.django_db
def test_the_edit_page_offers_the_confirmation_form(client, district_officer, street_officer, residents):
    client.force_login(street_officer)
    assert client.get(reverse("web:relocation_end", args=[COMMUNITY_A1])).status_code == 403
    client.force_login(district_officer)
    edit = client.get(reverse("web:relocation_edit", args=[COMMUNITY_A1])).content.decode()
    url = reverse("web:relocation_end", args=[COMMUNITY_A1])
    assert f'href="{url}"' in edit and "取消标记" in edit
    page = client.get(url).content.decode()
    assert 'id="end-warning"' in page and "此前日期的台账仍可查看和导出" in page and "确认取消标记" in page
    response = client.post(url, {"reason": "", "ended_on": "2099-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in html
    response = client.post(url, {"reason": "", "ended_on": "2020-01-01"})
    assert RelocationCommunity.objects.get(pk=COMMUNITY_A1).ended_on is None
    response = client.post(url, {"reason": REASON, "ended_on": "2099-01-01"})
    assert response.status_code == 200 and "取消标记日期 2099-01-01 晚于今天" in response.content.decode()
    response = client.post(url, {"reason": REASON, "ended_on": END.isoformat()})
    assert response.status_code == 302 and response["Location"] == reverse("web:relocation_ledgers")
    listing = client.get(reverse("web:relocation_ledgers")).content.decode()
    assert 'data-total="0"' in listing and "已取消标记" in listing
    # The ledger of an earlier date is still there (without the edit button); today it is not found.
    ledger = reverse("web:relocation_ledger", args=[COMMUNITY_A1])
    earlier = client.get(ledger, {"ledger": "labour", "on": ON.isoformat()})
    assert earlier.status_code == 200 and 'data-total="7"' in earlier.content.decode()
    assert reverse("web:relocation_edit", args=[COMMUNITY_A1]) not in earlier.content.decode()
    assert client.get(ledger, {"ledger": "labour", "on": ON.isoformat(), "format": "xlsx"}).status_code == 200
    assert client.get(ledger).status_code == 404
    assert client.get(reverse("web:relocation_edit", args=[COMMUNITY_A1])).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_api_ends_a_community(client, district_officer, street_officer, residents):
    url = f"/api/v1/relocation-ledgers/{COMMUNITY_A1}/end"
    client.force_login(street_officer)
    assert client.post(url, {"reason": REASON}, content_type="application/json").status_code == 403
    client.force_login(district_officer)
    assert client.post(f"/api/v1/relocation-ledgers/{COMMUNITY_A2}/end", {"reason": REASON},
                       content_type="application/json").status_code == 404  # not flagged
    response = client.post(url, {"reason": " ", "ended_on": "2099-01-01"}, content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["reason"] == ["请填写取消标记的原因"] and "晚于今天" in detail["ended_on"][0]
    response = client.post(url, {"reason": REASON, "ended_on": END.isoformat()}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["region_code"] == COMMUNITY_A1 and body["ended_on"] == "2026-07-01" and body["end_reason"] == REASON
    assert client.get("/api/v1/relocation-ledgers").json()["count"] == 0
    assert client.get("/api/v1/relocation-ledgers", {"on": ON.isoformat()}).json()["count"] == 1
    assert client.get(f"/api/v1/relocation-ledgers/{COMMUNITY_A1}/labour", {"on": ON.isoformat()}).json()["count"] == 7
    assert client.get(f"/api/v1/relocation-ledgers/{COMMUNITY_A1}/labour").status_code == 404
    assert client.post(url, {"reason": REASON}, content_type="application/json").status_code == 404
