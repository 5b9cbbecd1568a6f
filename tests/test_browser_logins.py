"""Province staff create a producer on a phone and open its login card; the producer then
signs in from the card's QR link with its phone number typed as people type it. Real
Chromium at 360 × 800 against the live server with the demo; screenshots are saved."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageLogEntry

from catalogue.models import ProducerLogin
from tests.conftest import PASSWORD
from tests.test_browser import ARTEFACTS, browser, phone, shot  # noqa: F401  (fixtures)

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


def sign_in(page, typed: str, password: str, screenshot: str | None = None) -> None:
    """On the sign-in page already open."""
    assert page.get_by_label("Ghi nhớ đăng nhập").is_checked()
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(typed)
    page.get_by_label("Mật khẩu").fill(password)
    assert outside_the_viewport(page) == []
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def demo_sign_in(page, username: str) -> None:
    """A demo account (its password is random) with the test's password."""
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base + "/admin/login/")
    sign_in(page, username, PASSWORD)


def test_staff_create_a_producer_who_then_signs_in_with_its_phone_number(phone):  # noqa: F811
    demo_sign_in(phone, "canbo.tinh")

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
    printed = phone.pdf(prefer_css_page_size=True)  # the print CSS: one A6 page, 105 × 148 mm
    (ARTEFACTS / "logins-2-login-card.pdf").write_bytes(printed)
    assert len(re.findall(rb"/Type\s*/Page\b", printed)) == 1
    [box] = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", printed)
    width, height = (float(points) * 25.4 / 72 for points in box)
    assert abs(width - 105) < 1 and abs(height - 148) < 1
    phone.emulate_media(media="print")
    shot(phone, "logins-2-login-card-printed")
    phone.emulate_media(media="screen")
    (ARTEFACTS / "logins-2-login-card.pdf").write_bytes(printed)
    login = ProducerLogin.objects.select_related("user", "producer").get(phone="0912345678")
    assert login.producer.title == "HTX Mật ong Đại Từ" and login.user.check_password(password)
    qr_link = card.locator(".url").inner_text().strip()
    assert qr_link == f"{phone.base}/admin/login/?username=htx-mat-ong-dai-tu"

    phone.context.clear_cookies()
    phone.goto(qr_link)  # where the card's QR code leads
    username = phone.get_by_label("Tên đăng nhập hoặc số điện thoại")
    assert username.input_value() == "htx-mat-ong-dai-tu"
    sign_in(phone, "0912 345 678", password, screenshot="logins-3-producer-signs-in-by-phone")
    assert "HTX Mật ong Đại Từ" in phone.locator(".w-panel").first.inner_text()
    shot(phone, "logins-4-producer-home")
    session = next(c for c in phone.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] > 0  # remembered: not a cookie that ends with the browser


def test_a_helper_gives_a_producer_a_new_password_from_the_home_card(phone):  # noqa: F811
    demo_sign_in(phone, "hotro.so")
    first = phone.locator("article.producer-card").first
    title = first.locator(".producer-card__name").inner_text().strip()
    assert outside_the_viewport(phone) == []
    assert small_targets(phone, "article.producer-card .producer-card__actions") == []
    shot(phone, "logins-5-helper-home")
    first.get_by_role("link", name="Thẻ đăng nhập").click()
    phone.wait_for_url(re.compile(r"/admin/chu-the/\d+/the-dang-nhap/$"))
    assert phone.locator(".card .password").inner_text().strip().startswith("…")  # not shown
    asked: list[str] = []

    def dismiss(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    phone.once("dialog", dismiss)
    phone.get_by_role("button", name="Đặt mật khẩu mới").click()  # dismissed: nothing happens
    assert asked == ["Đặt mật khẩu mới? Mật khẩu cũ sẽ không dùng được nữa."]
    assert phone.locator(".card .password").inner_text().strip().startswith("…")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Đặt mật khẩu mới").click()
    phone.locator(".controls .notice").wait_for()
    password = phone.locator(".card .password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert small_targets(phone, ".controls") == []
    shot(phone, "logins-6-new-password")
    login = ProducerLogin.objects.select_related("user").get(producer__title=title)
    assert login.user.check_password(password)
    resets = PageLogEntry.objects.filter(page=login.producer_id, action="catalogue.new_password")
    assert resets.count() == 1  # the dismissed tap sent nothing

    phone.context.clear_cookies()
    phone.goto(phone.base + "/admin/login/")
    sign_in(phone, login.user.username, password)
    assert title in phone.locator(".w-panel").first.inner_text()
