"""What production sends and refuses: the Content-Security-Policy on every page (no inline
code on the shop's pages), HTTPS and HSTS, and no start without its keys."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize("url", ["/", "/san-pham/", "/gio-hang/", "/don-hang/tra-cuu/"])
def test_shop_pages_allow_only_their_own_scripts_and_styles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_the_admin_also_allows_the_inline_code_wagtail_writes(client, db):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]


def _production(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {"DJANGO_SETTINGS_MODULE": "ocop_site.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SECRET_KEY = "k" * 20 + "-production-test-secret-key-with-enough-entropy-9f3a"


def test_production_passes_the_deployment_checks():
    result = _production(
        "check", "--deploy", SECRET_KEY=SECRET_KEY,
        CONNECTORS_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "not-a-fernet-key"])
def test_production_refuses_to_start_without_an_encryption_key(key):
    result = _production("check", SECRET_KEY=SECRET_KEY, CONNECTORS_ENCRYPTION_KEY=key)
    assert result.returncode != 0
    assert "Set CONNECTORS_ENCRYPTION_KEY to a Fernet key for production" in result.stderr


def test_production_sends_plain_http_to_https_and_asks_for_hsts():
    """A request over plain HTTP (no X-Forwarded-Proto from the proxy) is redirected before
    any view runs; the HSTS values are those SecurityMiddleware sends on HTTPS."""
    result = _production(
        "shell", "-c",
        "from django.conf import settings as s; from django.test import Client; "
        "r = Client().get('/san-pham/'); print(r.status_code, r['Location']); "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        SECRET_KEY=SECRET_KEY, CONNECTORS_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["301 https://testserver/san-pham/", "31536000 True"]
