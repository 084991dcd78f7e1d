"""Issue 6, finding 10: production settings, security headers, no-store, API docs behind login and
served from the app's own files, the upload size limit; `jiuye check --deploy` with production env."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from jiuye.accounts.models import ApiToken

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path, **extra) -> dict:
    # A clean environment: nothing of the test run (JIUYE_*, DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests).
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PGHOST"}}
    env.update(JIUYE_DEBUG="0", JIUYE_DATA_DIR=str(tmp_path / "data"), JIUYE_SECRET_KEY=secrets.token_urlsafe(50),
               JIUYE_ALLOWED_HOSTS="jiuye.example.gov.cn", **extra)
    return env


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(["-m", "jiuye.cli", "check", "--deploy", "--fail-level", "WARNING"],
                  _production_env(tmp_path, JIUYE_HTTPS="1", JIUYE_PROXY_SSL_HEADER="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_flags_plain_http(tmp_path):
    result = _run(["-m", "jiuye.cli", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stdout + result.stderr


def test_https_settings(tmp_path):
    code = ("import json, django; from django.conf import settings as s; django.setup(); print(json.dumps({k: getattr(s, k, None) "
            "for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', "
            "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'DEBUG', 'JIUYE_MAX_UPLOAD_SIZE']}))")
    env = _production_env(tmp_path, JIUYE_HTTPS="1", JIUYE_PROXY_SSL_HEADER="1", JIUYE_MAX_UPLOAD_MB="20",
                          DJANGO_SETTINGS_MODULE="jiuye.settings")
    values = json.loads(_run(["-c", code], env).stdout)
    assert values == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
                      "CSRF_COOKIE_HTTPONLY": True, "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
                      "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"], "DEBUG": False,
                      "JIUYE_MAX_UPLOAD_SIZE": 20 * 1024 * 1024}
    plain = json.loads(_run(["-c", code], _production_env(tmp_path, DJANGO_SETTINGS_MODULE="jiuye.settings")).stdout)
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SESSION_COOKIE_HTTPONLY"] is True and plain["CSRF_COOKIE_HTTPONLY"] is True


# ---------------------------------------------------------------------------------------------
# Headers


def _assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp and "unsafe" not in csp


def _assert_no_store(response):
    assert "no-store" in response["Cache-Control"]


def test_pages_and_api_send_security_headers_and_no_store(make_person, community_worker):
    person = make_person()
    anonymous = Client()
    login_page = anonymous.get(reverse("web:login"))
    _assert_security_headers(login_page)
    client = Client()
    client.force_login(community_worker)
    for url in (reverse("web:home"), reverse("web:person", args=[person.pk]), reverse("web:person_search"),
                f"/api/v1/persons/{person.pk}", "/api/v1/persons", "/api/v1/accounts/me", "/api/v1/docs",
                "/api/v1/openapi.json", f"/api/v1/persons/{person.pk + 999}"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _assert_security_headers(response)
        _assert_no_store(response)


def test_cookies_are_httponly_and_secure_over_https(community_worker, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get(reverse("web:login"), secure=True)
    response = client.post(reverse("web:login"), {"username": "cw_a1", "password": "pass-12345678"}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["secure"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_SSL_REDIRECT=True)
def test_hsts_and_redirect_to_https(db):
    client = Client()
    assert client.get(reverse("web:login")).status_code == 301
    response = client.get(reverse("web:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# ---------------------------------------------------------------------------------------------
# API docs


def test_api_docs_and_schema_need_login(district_officer):
    anonymous = Client()
    docs = anonymous.get("/api/v1/docs")
    assert docs.status_code == 302 and reverse("web:login") in docs["Location"]
    assert anonymous.get("/api/v1/openapi.json").status_code == 401
    key = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=district_officer, name="t", key_hash=ApiToken.hash_key(key))
    assert anonymous.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert anonymous.get("/api/v1/openapi.json", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_api_docs_served_from_own_static_files(district_officer):
    client = Client()
    client.force_login(district_officer)
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    assert '"validatorUrl": null' in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css", "ninja/favicon.png"):
        from django.contrib.staticfiles import finders

        assert finders.find(asset), asset


# ---------------------------------------------------------------------------------------------
# Upload size


@pytest.fixture
def small_limit(settings, tmp_path):
    settings.JIUYE_MAX_UPLOAD_SIZE = 1000
    settings.MEDIA_ROOT = tmp_path / "media"


def test_api_upload_over_limit_is_413(small_limit, street_officer):
    client = Client()
    client.force_login(street_officer)
    response = client.post("/api/v1/imports", {"kind": "persons", "file": SimpleUploadedFile("big.csv", b"x" * 5000)})
    assert response.status_code == 413
    assert "过大" in response.json()["detail"] and "MB" in response.json()["detail"]


def test_body_far_over_limit_refused_before_reading(small_limit, street_officer):
    client = Client()
    client.force_login(street_officer)
    big = b"x" * (2 * 1024 * 1024)
    api = client.post("/api/v1/imports", {"kind": "persons", "file": SimpleUploadedFile("big.csv", big)})
    assert api.status_code == 413 and "过大" in api.json()["detail"]
    web = client.post(reverse("web:imports"), {"kind": "persons", "file": SimpleUploadedFile("big.csv", big)})
    assert web.status_code == 413 and "文件过大" in web.content.decode()


def test_web_upload_over_limit_shows_message(small_limit, street_officer):
    client = Client()
    client.force_login(street_officer)
    page = client.get(reverse("web:imports")).content.decode()
    assert "最大 1 MB" in page
    response = client.post(reverse("web:imports"), {"kind": "persons", "file": SimpleUploadedFile("big.csv", b"x" * 5000)})
    assert response.status_code == 200
    assert "上传的文件过大" in response.content.decode()


def test_json_body_over_limit_is_413(district_officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = Client()
    client.force_login(district_officer)
    body = '{"name": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = client.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 413 and "请求内容过大" in response.json()["detail"]
