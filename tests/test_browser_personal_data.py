"""A shopper on a phone signs up, downloads their data and deletes their account."""

import json

import pytest
from django.contrib.auth import get_user_model

from tests.test_browser import browser, fits_phone_width, phone, shot  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Mat-khau-dai-2026"


def test_shopper_downloads_their_data_and_deletes_the_account(phone):  # noqa: F811
    phone.goto(phone.base + "/tai-khoan/dang-ky/")
    phone.locator("#id_username").fill("lan.nguyen")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.locator("#id_consent").check()
    phone.locator("form button[type=submit]").click()
    phone.get_by_role("link", name="Dữ liệu cá nhân của tôi").click()
    assert fits_phone_width(phone)
    shot(phone, "personal-data-1-page")

    with phone.expect_download() as download:
        phone.get_by_role("button", name="Tải dữ liệu của tôi").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["tai_khoan"]["ten_dang_nhap"] == "lan.nguyen"

    phone.get_by_label("Mật khẩu").fill("sai")
    phone.get_by_role("button", name="Xoá tài khoản của tôi").click()
    assert phone.get_by_text("Mật khẩu không đúng.").is_visible()
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Xoá tài khoản của tôi").click()
    assert phone.get_by_text("Đã xoá tài khoản của bạn.").is_visible()
    shot(phone, "personal-data-2-deleted")
    assert not get_user_model().objects.filter(username="lan.nguyen").exists()
