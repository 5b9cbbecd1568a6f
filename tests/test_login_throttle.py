"""Wrong passwords are limited per account and per address on both login forms, with a
Vietnamese message; province staff can unlock; a lock also ends by itself."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from ocop_site.login_throttle import client_address
from tests.conftest import PASSWORD

ADMIN_LOGIN = "/admin/login/"
SHOP_LOGIN = "/tai-khoan/dang-nhap/"
LOCKED = "Mật khẩu đã bị nhập sai quá nhiều lần. Hãy thử lại sau 15 phút."


def attempt(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [ADMIN_LOGIN, SHOP_LOGIN])
def test_ten_wrong_passwords_pause_the_account_even_for_the_right_one(client, coop, url, caplog):
    username = coop.user.username
    with caplog.at_level(logging.DEBUG):
        for n in range(9):
            assert attempt(client, url, username, f"sai-{n}").status_code == 200
        assert attempt(client, url, username, "sai-9").status_code == 429  # the tenth
    response = attempt(client, url, username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # from another address too: the account itself is paused
    assert attempt(client, url, username, PASSWORD, address="198.51.100.9").status_code == 429
    assert "sai-3" not in caplog.text and PASSWORD not in caplog.text


def test_ten_wrong_passwords_from_one_address_pause_that_address(client, coop, other_coop):
    for n in range(10):
        attempt(client, ADMIN_LOGIN, f"doan-{n}", "sai")
    response = attempt(client, ADMIN_LOGIN, other_coop.user.username, PASSWORD)
    assert response.status_code == 429
    elsewhere = attempt(client, ADMIN_LOGIN, other_coop.user.username, PASSWORD, "198.51.100.9")
    assert elsewhere.status_code == 302 and signed_in(client)


def test_a_right_password_before_the_limit_clears_the_count(client, coop):
    username = coop.user.username
    for n in range(9):
        attempt(client, ADMIN_LOGIN, username, f"sai-{n}")
    assert attempt(client, ADMIN_LOGIN, username, PASSWORD).status_code == 302
    client.logout()
    for n in range(9):
        attempt(client, ADMIN_LOGIN, username, f"sai-{n}")
    assert attempt(client, ADMIN_LOGIN, username, PASSWORD).status_code == 302


def test_the_pause_ends_after_fifteen_minutes(client, coop):
    username = coop.user.username
    for n in range(10):
        attempt(client, ADMIN_LOGIN, username, f"sai-{n}")
    assert attempt(client, ADMIN_LOGIN, username, PASSWORD).status_code == 429
    earlier = datetime.timedelta(minutes=16)
    for row in AccessAttempt.objects.all():  # the clock moves on
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - earlier)
    assert attempt(client, ADMIN_LOGIN, username, PASSWORD).status_code == 302


def test_province_staff_unlock_a_paused_producer(client, coop, staff):
    username = coop.user.username
    for n in range(10):
        attempt(client, ADMIN_LOGIN, username, f"sai-{n}")
    client.force_login(staff)
    screen = client.get("/admin/khoa-dang-nhap/").content.decode()
    assert username in screen and "10 lần sai" in screen and "203.0.113.7" in screen
    row = AccessAttempt.objects.get(username=username)
    response = client.post("/admin/khoa-dang-nhap/", {"attempt": row.pk}, follow=True)
    assert f"Đã mở khoá đăng nhập cho {username}." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert attempt(client, ADMIN_LOGIN, username, PASSWORD).status_code == 302


def test_only_province_staff_see_the_locks(client, coop, other_coop):
    for n in range(10):
        attempt(client, ADMIN_LOGIN, other_coop.user.username, f"sai-{n}", "198.51.100.20")
    client.force_login(coop.user)
    denied = client.get("/admin/khoa-dang-nhap/")  # Wagtail's answer: back to the dashboard
    assert (denied.status_code, denied["Location"]) == (302, "/admin/")
    row = AccessAttempt.objects.get()
    denied = client.post("/admin/khoa-dang-nhap/", {"attempt": row.pk})
    assert (denied.status_code, denied["Location"]) == (302, "/admin/")
    assert AccessAttempt.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: a forged header is ignored
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # one proxy: its view of the client
        (1, "", "10.0.0.1"),
        (2, "203.0.113.7, 192.0.2.1", "203.0.113.7"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxy_saw(
    settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
