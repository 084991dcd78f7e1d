"""User administration in the workbench: district and city officers manage the accounts of their region;
an officer cannot touch an account outside their region, raise a role above their own, or change their
own account; every change is audited."""
from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts import queries, services
from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.accounts.queries import UserSearch

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, STREET_B, XIAN, XINCHENG, _user

GOOD = "Xinxi-gongzuo-2026"
OTHER_DISTRICT = "610103000000"  # 碑林区 (loaded with the seed counties)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries(user, **filters):
    return AuditEntry.objects.filter(object_type="user", object_id=str(user.pk), **filters)


def test_list_is_scoped_counted_sorted_filtered_and_exported(community_worker, street_officer, other_street_officer,
                                                             district_officer, city_officer, auditor):
    bl = _user("do_bl", Role.DISTRICT_OFFICER, OTHER_DISTRICT)
    names = lambda rows: [u.username for u in rows]  # noqa: E731
    rows, _more = queries.search_users(district_officer, UserSearch(limit=50))
    # Own region, roles not above a district officer's, no auditors, no other district.
    assert names(rows) == ["cw_a1", "do_xc", "so_a", "so_b"]
    assert queries.count_users(district_officer, UserSearch()) == 4
    assert "co_xa" in names(queries.search_users(city_officer, UserSearch(limit=50))[0])
    assert bl.username in names(queries.search_users(city_officer, UserSearch(limit=50))[0])
    assert names(queries.search_users(district_officer, UserSearch(region_code=STREET_A))[0]) == ["cw_a1", "so_a"]
    assert names(queries.search_users(district_officer, UserSearch(role=Role.STREET_OFFICER, sort="-username"))[0]) \
        == ["so_b", "so_a"]
    for user in (community_worker, street_officer, auditor):
        assert queries.search_users(user, UserSearch())[0] == []
    c = client_for(district_officer)
    page = c.get(reverse("web:users"), {"sort": "role"})
    html = page.content.decode()
    assert page.status_code == 200 and "共 4 条" in html and "co_xa" not in html and "au_xc" not in html
    export = c.get(reverse("web:users"), {"status": "active", "format": "xlsx"})
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["cw_a1", "do_xc", "so_a", "so_b"]
    assert AuditEntry.objects.filter(action="export", object_type="user", actor=district_officer).get().changes[
        "rows"] == 4
    # Only district and city officers (and superusers) administer accounts.
    for user in (community_worker, street_officer, auditor):
        assert client_for(user).get(reverse("web:users")).status_code == 403


def test_officer_creates_accounts_in_scope_and_never_above_their_role(district_officer, regions):
    c = client_for(district_officer)
    response = c.post(reverse("web:user_create"), {
        "username": "cw_new", "display_name": "新协理员", "role": Role.COMMUNITY_WORKER, "region": COMMUNITY_B1,
        "password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    new = User.objects.get(username="cw_new")
    assert new.role == Role.COMMUNITY_WORKER and new.region_id == COMMUNITY_B1 and new.check_password(GOOD)
    created = entries(new, action="create").get()
    assert created.actor == district_officer and created.region_code == COMMUNITY_B1
    # A city officer's role is above a district officer's: not offered, and refused by the service.
    response = c.post(reverse("web:user_create"), {
        "username": "co_new", "display_name": "x", "role": Role.CITY_OFFICER, "region": XIAN,
        "password1": GOOD, "password2": GOOD})
    assert response.status_code == 200 and not User.objects.filter(username="co_new").exists()
    with pytest.raises(PermissionDenied):
        services.create_user(actor=district_officer, username="co_new", password=GOOD, role=Role.CITY_OFFICER,
                             region_code=XIAN)
    with pytest.raises(PermissionDenied):
        services.create_user(actor=district_officer, username="au_new", password=GOOD, role=Role.AUDITOR,
                             region_code=XINCHENG)
    with pytest.raises(PermissionDenied):  # another district
        services.create_user(actor=district_officer, username="do_new", password=GOOD, role=Role.DISTRICT_OFFICER,
                             region_code=OTHER_DISTRICT)
    # A weak password is refused with the policy's reason on the form.
    response = c.post(reverse("web:user_create"), {
        "username": "cw_weak", "display_name": "x", "role": Role.COMMUNITY_WORKER, "region": COMMUNITY_A1,
        "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert not User.objects.filter(username="cw_weak").exists()


def test_officer_cannot_touch_accounts_outside_region_or_raise_roles(district_officer, city_officer,
                                                                   community_worker, auditor):
    bl = _user("do_bl", Role.DISTRICT_OFFICER, OTHER_DISTRICT)
    c = client_for(district_officer)
    for target in (bl, city_officer, auditor):
        for name in ("web:user", "web:user_edit", "web:user_password"):
            assert c.get(reverse(name, args=[target.pk])).status_code == 404, (target, name)
        assert c.post(reverse("web:user_unlock", args=[target.pk])).status_code == 404
        assert c.post(reverse("web:user_active", args=[target.pk]), {"active": "0"}).status_code == 404
        assert c.post(reverse("web:user_password", args=[target.pk]),
                      {"password1": GOOD, "password2": GOOD}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.reset_password(actor=district_officer, user=target, password=GOOD)
        with pytest.raises(PermissionDenied):
            services.set_active(actor=district_officer, user=target, active=False)
    # Raising a community worker to city officer, or moving them to another district: refused.
    with pytest.raises(PermissionDenied):
        services.update_user(actor=district_officer, user=community_worker, role=Role.CITY_OFFICER, region_code=XIAN)
    with pytest.raises(PermissionDenied):
        services.update_user(actor=district_officer, user=community_worker, role=Role.AUDITOR, region_code=XINCHENG)
    with pytest.raises(PermissionDenied):
        services.update_user(actor=district_officer, user=community_worker, role=Role.DISTRICT_OFFICER,
                            region_code=OTHER_DISTRICT)
    # Not their own account either.
    with pytest.raises(PermissionDenied):
        services.update_user(actor=district_officer, user=district_officer, role=Role.CITY_OFFICER, region_code=XIAN)
    with pytest.raises(PermissionDenied):
        services.set_active(actor=district_officer, user=district_officer, active=False)
    # Lower roles administer nothing.
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=community_worker, user=community_worker, password=GOOD)
    for u in (bl, city_officer, auditor, community_worker, district_officer):
        u.refresh_from_db()
    assert community_worker.role == Role.COMMUNITY_WORKER and community_worker.region_id == COMMUNITY_A1
    assert bl.is_active and auditor.is_active and not entries(bl).exists()


def test_role_region_password_unlock_and_disable_are_audited(district_officer, street_officer, community_worker,
                                                             settings):
    c = client_for(district_officer)
    response = c.post(reverse("web:user_edit", args=[community_worker.pk]), {
        "display_name": "社区协理员", "role": Role.STREET_OFFICER, "region": STREET_B})
    assert response.status_code == 302
    community_worker.refresh_from_db()
    assert community_worker.role == Role.STREET_OFFICER and community_worker.region_id == STREET_B
    changed = entries(community_worker, action="update").get()
    assert changed.actor == district_officer and changed.changes == {
        "role": ["community_worker", "street_officer"], "region": [COMMUNITY_A1, STREET_B]}
    assert changed.region_code == XINCHENG  # the node holding both streets: both sides' readers see the move
    # A role bound to the wrong level is refused with a reason on the form.
    response = c.post(reverse("web:user_edit", args=[community_worker.pk]), {
        "display_name": "社区协理员", "role": Role.COMMUNITY_WORKER, "region": STREET_A})
    assert response.status_code == 200 and response.context["form"].errors["region"]

    # Locked out by failed logins, then unlocked by the officer.
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("web:login"), {"username": "so_a", "password": f"wrong-{i}"}, REMOTE_ADDR="10.1.1.1")
    assert queries.get_user_for_admin(district_officer, street_officer.pk).is_locked
    assert [u.username for u in queries.search_users(district_officer, UserSearch(status="locked"))[0]] == ["so_a"]
    assert "登录已锁定" in c.get(reverse("web:user", args=[street_officer.pk])).content.decode()
    assert c.post(reverse("web:user_unlock", args=[street_officer.pk])).status_code == 302
    assert not queries.get_user_for_admin(district_officer, street_officer.pk).is_locked
    assert entries(street_officer, action="update", summary="解除登录锁定").get().actor == district_officer
    assert Client().post(reverse("web:login"), {"username": "so_a", "password": "pass-12345678"},
                         REMOTE_ADDR="10.1.1.2").status_code == 302

    # Password reset.
    response = c.post(reverse("web:user_password", args=[street_officer.pk]), {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    assert User.objects.get(pk=street_officer.pk).check_password(GOOD)
    reset = entries(street_officer, summary="重置密码").get()
    assert reset.changes == {"password": ["***", "***"]} and GOOD not in str(reset.changes)

    # A leaver is disabled: no login, API tokens revoked.
    services.issue_api_token(actor=district_officer, user=street_officer, name="etl")
    response = c.post(reverse("web:user_active", args=[street_officer.pk]), {"active": "0", "reason": "调离"})
    assert response.status_code == 302
    street_officer.refresh_from_db()
    assert not street_officer.is_active and not ApiToken.objects.filter(user=street_officer, revoked=False).exists()
    disabled = entries(street_officer, summary="停用账号").get()
    assert disabled.changes == {"is_active": [True, False], "tokens_revoked": 1, "reason": "调离"}
    assert Client().post(reverse("web:login"), {"username": "so_a", "password": GOOD},
                         REMOTE_ADDR="10.1.1.3").status_code == 200
    assert c.post(reverse("web:user_active", args=[street_officer.pk]), {"active": "1"}).status_code == 302
    assert User.objects.get(pk=street_officer.pk).is_active


def test_city_officer_manages_districts_of_the_city(city_officer, district_officer):
    services.update_user(actor=city_officer, user=district_officer, display_name="新城区人社局（改）")
    assert entries(district_officer, action="update").get().actor == city_officer
    new = services.create_user(actor=city_officer, username="co_2", password=GOOD, role=Role.CITY_OFFICER,
                               region_code=XIAN)
    assert new.region_id == XIAN
    assert client_for(city_officer).get(reverse("web:user_create")).status_code == 200
