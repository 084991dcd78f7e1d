"""Findings 5 (account changes) and 6 (password guessing, weak passwords): every account change is
audited whatever makes it; logins are throttled per account and per address; the password policy holds
in `jiuye create_user`, the services and the admin."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jiuye.accounts import services
from jiuye.accounts.models import ApiToken, AuditEntry, Role, User

from .conftest import COMMUNITY_A1, STREET_A

PASSWORD = "pass-12345678"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user_entries(user, **filters):
    return AuditEntry.objects.filter(object_type="user", object_id=str(user.pk), **filters)


@pytest.fixture
def root(regions):
    return User.objects.create_superuser("root", password=PASSWORD)


# ---------------------------------------------------------------------------------------------
# Every account change is audited


def test_createsuperuser_and_create_user_are_audited(regions):
    call_command("createsuperuser", username="admin2", email="a@example.org", interactive=False, verbosity=0)
    admin2 = User.objects.get(username="admin2")
    created = user_entries(admin2, action="create").get()
    assert created.actor is None and created.changes["is_superuser"] is True
    call_command("create_user", "cw_new", role="community_worker", region=COMMUNITY_A1, password="Xinxi-gongzuo-2026")
    cw = User.objects.get(username="cw_new")
    assert user_entries(cw, action="create").count() == 1  # one entry, not one from the service and one caught


def test_admin_changes_of_role_region_password_and_activity_are_audited(root, community_worker):
    c = client_for(root)
    url = f"/admin/accounts/user/{community_worker.pk}/change/"
    data = {"username": "cw_a1", "role": Role.STREET_OFFICER, "region": STREET_A, "display_name": "社区协理员",
            "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
            "registry_link-TOTAL_FORMS": "0", "registry_link-INITIAL_FORMS": "0",
            "registry_link-MIN_NUM_FORMS": "0", "registry_link-MAX_NUM_FORMS": "1"}
    response = c.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = user_entries(community_worker, action="update").get()
    assert entry.actor == root and entry.channel == "web"
    assert entry.changes["role"] == ["community_worker", "street_officer"]
    assert entry.changes["region_id"] == [COMMUNITY_A1, STREET_A]
    # The admin's password form: audited, the hash never stored.
    response = c.post(f"/admin/accounts/user/{community_worker.pk}/password/",
                      {"password1": "Xinxi-gongzuo-2026", "password2": "Xinxi-gongzuo-2026", "usable_password": "true"})
    assert response.status_code == 302
    reset = user_entries(community_worker, action="update").latest("id")
    assert reset.summary == "重置密码" and reset.changes == {"password": ["***", "***"]}
    # The admin refuses a weak password (the policy).
    response = c.post(f"/admin/accounts/user/{community_worker.pk}/password/",
                      {"password1": "12345678901", "password2": "12345678901", "usable_password": "true"})
    assert response.status_code == 200 and "全都是数字" in response.content.decode()


def test_token_creation_revocation_and_deletion_are_audited(root, community_worker):
    services.issue_api_token(actor=root, user=community_worker, name="etl")
    tokens = AuditEntry.objects.filter(object_type="api_token", object_id=str(community_worker.pk))
    assert tokens.filter(action="create").count() == 1
    token = ApiToken.objects.get()
    token.revoked = True
    token.save()
    assert tokens.filter(action="update").get().changes == {"revoked": [False, True]}
    client_for(root).post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
    deleted = tokens.get(action="delete")
    assert deleted.actor == root and "etl" in deleted.summary


# ---------------------------------------------------------------------------------------------
# Finding 6: password guessing


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(community_worker, settings):
    client = Client()
    statuses = [login(client, "cw_a1", f"wrong-{i}").status_code for i in range(50)]
    assert statuses[:settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT:]) == {429}
    response = login(client, "cw_a1", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "已被暂时锁定" in response.content.decode()
    # From another address the account stays locked (per account).
    assert login(Client(), "cw_a1", PASSWORD, ip="10.0.0.2").status_code == 429
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT)
    assert lockouts.exists() and lockouts.first().object_label == "cw_a1"
    assert lockouts.first().region_code == COMMUNITY_A1


def test_one_address_guessing_many_accounts_is_locked(community_worker, street_officer, settings):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"someone{i}", "guess-guess", ip="10.0.0.9")
    # The address is locked: even a right password from it is refused; other addresses still log in.
    assert login(Client(), "so_a", PASSWORD, ip="10.0.0.9").status_code == 429
    assert login(Client(), "so_a", PASSWORD, ip="10.0.0.10").status_code == 302


def test_a_success_before_the_limit_resets_the_count(community_worker, settings):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        login(Client(), "cw_a1", "wrong-wrong")
    assert login(Client(), "cw_a1", PASSWORD).status_code == 302
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        login(Client(), "cw_a1", "wrong-wrong")
    assert login(Client(), "cw_a1", PASSWORD).status_code == 302


# ---------------------------------------------------------------------------------------------
# Finding 6: the password policy


@pytest.mark.parametrize("password,reason", [
    ("1", "太短"), ("password", "太短"), ("password1234", "太常见"), ("cw_weak_1", "太短"), ("cw_weak_user", "相似"),
    ("12345678901234", "数字"), ("CW_WEAK_USER-2026", "用户名"),
])
def test_create_user_refuses_weak_staff_passwords(regions, password, reason):
    with pytest.raises(CommandError) as exc:
        call_command("create_user", "cw_weak_user", role="community_worker", region=COMMUNITY_A1, password=password)
    assert reason in str(exc.value)
    assert not User.objects.filter(username="cw_weak_user").exists()


def test_services_apply_the_policy_to_password_resets(district_officer, community_worker):
    with pytest.raises(ValidationError) as exc:
        services.reset_password(actor=district_officer, user=community_worker, password="cw_a1")
    assert "password" in exc.value.message_dict
    services.reset_password(actor=district_officer, user=community_worker, password="Xinxi-gongzuo-2026")
    assert User.objects.get(pk=community_worker.pk).check_password("Xinxi-gongzuo-2026")


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(community_worker, street_officer, settings):
    settings.JIUYE_TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(username, password, client_ip):
        return Client().post(reverse("web:login"), {"username": username, "password": password},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{client_ip}, 127.0.0.1")

    for i in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(f"someone{i}", "guess-guess", "10.0.0.5")
    assert via_proxy("so_a", PASSWORD, "10.0.0.5").status_code == 429
    assert via_proxy("so_a", PASSWORD, "10.0.0.6").status_code == 302  # the proxy itself is not locked
    assert AuditEntry.objects.get(action="login").ip_address == "10.0.0.6"
    # Without a trusted proxy a forged X-Forwarded-For changes nothing.
    settings.JIUYE_TRUSTED_PROXIES = []
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("web:login"), {"username": f"x{i}", "password": "guess-guess"}, REMOTE_ADDR="10.0.0.7",
                      HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    assert Client().post(reverse("web:login"), {"username": "cw_a1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7",
                         HTTP_X_FORWARDED_FOR="10.9.9.99").status_code == 429


def test_staff_change_their_own_password_under_the_policy(community_worker):
    c = client_for(community_worker)
    assert c.get(reverse("web:password_change")).status_code == 200
    weak = c.post(reverse("web:password_change"), {"old_password": PASSWORD, "new_password1": "cw_a1cw_a1",
                                                   "new_password2": "cw_a1cw_a1"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    response = c.post(reverse("web:password_change"), {"old_password": PASSWORD, "new_password1": "Xinxi-gongzuo-2026",
                                                       "new_password2": "Xinxi-gongzuo-2026"})
    assert response.status_code == 302
    entry = user_entries(community_worker, action="update").get()
    assert entry.actor == community_worker and entry.summary == "修改本人密码"
    assert c.get(reverse("web:home")).status_code == 200  # still logged in
