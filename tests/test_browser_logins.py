"""Province staff create a producer on a phone and open its login card; the producer then
signs in from the card's QR link with its phone number typed as people type it. Real
Chromium at 360 × 800 against the live server with the demo; screenshots are saved."""

import re

import pytest
from django.contrib.auth import get_user_model

from catalogue.models import ProducerLogin
from tests.conftest import PASSWORD
from tests.test_browser import browser, phone, shot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROLS = "input:not([type=hidden]), select, textarea, button, a.button"


def outside_the_viewport(page) -> list[str]:
    """Visible controls that stick out left or right of the phone's screen."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => { const r = el.getBoundingClientRect();
                          return r.left < 0 || r.right > window.innerWidth; })
        .map((el) => el.outerHTML.slice(0, 80))""",
        CONTROLS,
    )


def small_targets(page, root: str) -> list[str]:
    """Visible buttons and links in `root` lower than a fingertip (44 px) or too small
    for their own words."""
    return page.evaluate(
        """(root) => [...document.querySelectorAll(`${root} button, ${root} a`)]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.getBoundingClientRect().height < 44
                        || el.scrollHeight > el.clientHeight + 1)  // or its words cut off
        .map((el) => el.outerHTML.slice(0, 80))""",
        root,
    )


def test_staff_create_a_producer_who_then_signs_in_with_its_phone_number(phone):  # noqa: F811
    phone.set_viewport_size({"width": 360, "height": 800})
    staff = get_user_model().objects.get(username="canbo.tinh")
    staff.set_password(PASSWORD)
    staff.save()
    phone.goto(phone.base + "/admin/login/")
    assert phone.get_by_label("Ghi nhớ đăng nhập").is_checked()
    phone.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("canbo.tinh")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url(re.compile(r"/admin/$"))

    phone.goto(phone.base + "/admin/chu-the/moi/")
    phone.get_by_label("Tên chủ thể OCOP").fill("HTX Mật ong Đại Từ")
    phone.get_by_label("Loại hình").select_option(label="Hợp tác xã (HTX)")
    phone.get_by_label("Xã/phường").select_option(label="Xã Tân Cương")
    phone.get_by_label("Số điện thoại di động").fill("0912 345 678")
    assert outside_the_viewport(phone) == []
    assert small_targets(phone, "form.quick-product") == []
    shot(phone, "logins-1-new-producer")
    phone.get_by_role("button", name="Tạo chủ thể").click()

    card = phone.locator("section.card")
    card.wait_for()
    assert "htx-mat-ong-dai-tu" in card.inner_text() and "0912 345 678" in card.inner_text()
    password = card.locator(".password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert card.locator("svg").is_visible()
    assert outside_the_viewport(phone) == []
    assert small_targets(phone, ".controls") == []
    shot(phone, "logins-2-login-card")
    login = ProducerLogin.objects.select_related("user", "producer").get(phone="0912345678")
    assert login.producer.title == "HTX Mật ong Đại Từ" and login.user.check_password(password)
    qr_link = card.locator(".url").inner_text().strip()
    assert qr_link == f"{phone.base}/admin/login/?username=htx-mat-ong-dai-tu"

    phone.context.clear_cookies()
    phone.goto(qr_link)  # where the card's QR code leads
    username = phone.get_by_label("Tên đăng nhập hoặc số điện thoại")
    assert username.input_value() == "htx-mat-ong-dai-tu"
    username.fill("0912 345 678")
    phone.get_by_label("Mật khẩu").fill(password)
    assert phone.get_by_label("Ghi nhớ đăng nhập").is_checked()
    assert outside_the_viewport(phone) == []
    shot(phone, "logins-3-producer-signs-in-by-phone")
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url(re.compile(r"/admin/$"))
    assert "HTX Mật ong Đại Từ" in phone.locator(".w-panel").first.inner_text()
    shot(phone, "logins-4-producer-home")
    session = next(c for c in phone.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] > 0  # remembered: not a cookie that ends with the browser
