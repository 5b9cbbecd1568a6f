"""A shopper on a phone, in a real browser (Debian's Chromium driven by Playwright), against
the live test server with the demo catalogue. Screenshots at phone width are saved to
var/test-artefacts/ (or $OCOP_ARTEFACTS) for people to look at."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(
    os.environ.get("OCOP_ARTEFACTS", Path(__file__).resolve().parent.parent / "var/test-artefacts")
)
PHONE = {"width": 360, "height": 740}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # each test starts from committed_demo
]


@pytest.fixture(scope="module")
def browser(_demo_snapshot):  # the snapshot is taken before Playwright's event loop runs
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (scripts/install-browser)"
        if os.environ.get("OCOP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (loading the demo) are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server, committed_demo, request):
    """A phone in Vietnamese; a test module may set PHONE (its size) and PHONE_LOCALE."""
    context = browser.new_context(
        viewport=getattr(request.module, "PHONE", PHONE),
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=getattr(request.module, "PHONE_LOCALE", "vi-VN"),
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.extend(_refused(message.text)))
    page.base = live_server.url
    page.errors = errors  # a test may drop one it knows is Wagtail's own
    yield page
    context.close()
    assert errors == [], errors


def _refused(console_text: str) -> list[str]:
    """Chromium's console line for whatever the Content-Security-Policy blocked, if it is one."""
    return [console_text] if "Content Security Policy" in console_text else []


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTEFACTS / f"{name}.png", full_page=True)


def sign_in(page, username: str) -> None:
    """Sign in through the admin's login form as a demo user (password set here)."""
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    page.goto(page.base + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def fits_phone_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_shopper_searches_filters_and_opens_a_product(phone):
    phone.goto(phone.base + "/san-pham/")
    assert fits_phone_width(phone)
    shot(phone, "1-listing")

    phone.get_by_role("combobox", name="Tìm sản phẩm").fill("che tan cuong")
    phone.get_by_role("combobox", name="Tìm sản phẩm").press("Enter")
    phone.wait_for_url(re.compile(r"q=che\+tan\+cuong"))
    first = phone.locator(".results .card h3 a").first
    assert first.inner_text() == "Chè Đinh Tân Cương"
    shot(phone, "2-search-without-diacritics")

    # Filters are folded on a phone; open them, then filter by stars and place.
    phone.locator("#filters > summary").click()
    phone.locator("#facet-stars ~ ul a", has_text="5★").click()
    phone.wait_for_url(re.compile(r"stars=5"))
    phone.locator("#filters > summary").click()
    phone.locator("#facet-province ~ ul a", has_text="Thái Nguyên").click()
    phone.wait_for_url(re.compile(r"province=19"))
    phone.locator("#filters > summary").click()
    phone.locator("#facet-commune ~ ul a", has_text="Xã Tân Cương").click()
    phone.wait_for_url(re.compile(r"commune="))
    assert "q=che+tan+cuong" in phone.url and "stars=5" in phone.url
    cards = phone.locator(".results .card h3 a")
    assert cards.all_inner_texts() == ["Chè Đinh Tân Cương"]
    shot(phone, "3-filtered-by-star-and-commune")

    cards.first.click()
    phone.wait_for_url(re.compile(r"/che-dinh-tan-cuong/$"))
    assert phone.locator(".badge.star").first.inner_text().strip() == "OCOP 5★"
    qr = phone.locator("svg").filter(has=phone.locator("title"))
    assert qr.count() >= 1 and qr.first.is_visible()
    assert "150.000\u00a0₫" in phone.locator("body").inner_text()
    assert fits_phone_width(phone)
    shot(phone, "4-product-with-star-badge-and-qr")


def test_search_suggestions_as_the_shopper_types(phone):
    phone.goto(phone.base + "/san-pham/")
    phone.get_by_role("combobox", name="Tìm sản phẩm").press_sequentially("mien do", delay=40)
    suggestion = phone.locator("#suggestions a").first
    # The list may first show what a shorter prefix ("mien") found, on a busy machine:
    # wait for the answer to the whole query (a timeout here is the failure).
    phone.wait_for_function(
        "() => (document.querySelector('#suggestions a')?.innerText || '')"
        ".startsWith('Miến dong Tài Hoan')"
    )
    assert suggestion.inner_text().startswith("Miến dong Tài Hoan")
    shot(phone, "5-suggestions")
    phone.get_by_role("combobox", name="Tìm sản phẩm").press("ArrowDown")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/mien-dong-tai-hoan/$"))


def test_filters_work_without_javascript(browser, live_server, committed_demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/san-pham/?q=mat+ong")
    page.locator("#filters > summary").click()
    page.locator("#facet-stars ~ ul a", has_text="4★").click()
    page.wait_for_url(re.compile(r"stars=4"))
    assert page.locator(".results .card h3 a").all_inner_texts() == ["Mật ong ngũ gia bì"]
    page.select_option("#sort", "price_desc")
    page.locator("form.sort button").click()
    page.wait_for_url(re.compile(r"sort=price_desc"))
    assert "stars=4" in page.url and "q=mat+ong" in page.url
    context.close()


def order_from_search(phone, query: str, product_url: str) -> None:
    """Search, open the product, put one of its first variant in the cart, go to checkout."""
    phone.goto(phone.base + "/san-pham/")
    phone.get_by_role("combobox", name="Tìm sản phẩm").fill(query)
    phone.get_by_role("combobox", name="Tìm sản phẩm").press("Enter")
    phone.locator(".results .card h3 a").first.click()
    phone.wait_for_url(re.compile(product_url))
    phone.locator("form.add-to-cart button").first.click()
    phone.wait_for_url(re.compile(product_url))
    assert phone.locator(".cart-link .count").inner_text() == "1"
    phone.locator(".cart-link").click()
    phone.wait_for_url(re.compile(r"/gio-hang/$"))
    shot(phone, "6-cart")
    phone.get_by_role("link", name="Đặt hàng").click()
    phone.wait_for_url(re.compile(r"/thanh-toan/$"))


def fill_address(phone) -> None:
    phone.get_by_label("Họ tên người nhận").fill("Nguyễn Thị Lan")
    phone.get_by_label("Số điện thoại di động").fill("0912 345 678")
    # The "choose commune" button is for browsers without JavaScript; here the list
    # follows the province at once.
    assert phone.get_by_role("button", name="Chọn xã/phường của tỉnh này").is_hidden()
    phone.get_by_label("Tỉnh/thành phố").select_option(label="Thái Nguyên")
    phone.locator("#id_commune option", has_text="Phường Phan Đình Phùng").wait_for(
        state="attached"
    )
    phone.get_by_label("Xã/phường").select_option(label="Phường Phan Đình Phùng")
    phone.get_by_label("Số nhà, đường, thôn/xóm").fill("12 Hoàng Văn Thụ")
    shot(phone, "7-address")
    phone.get_by_role("button", name="Tiếp tục: xem phí vận chuyển").click()
    phone.wait_for_url(re.compile(r"/thanh-toan/xac-nhan/$"))
    assert "Phí vận chuyển" in phone.locator("body").inner_text()
    assert fits_phone_width(phone)


def test_cash_on_delivery_purchase_from_search_to_confirmation(phone):
    from orders.models import Order

    order_from_search(phone, "che tan cuong", r"/che-dinh-tan-cuong/$")
    fill_address(phone)
    shot(phone, "8-review")
    phone.get_by_label("Tôi đồng ý để người bán").check()
    phone.get_by_role("button", name="Đặt hàng").click()
    phone.wait_for_url(re.compile(r"/don-hang/DH\d+/$"))
    number = phone.locator(".order-number").inner_text()
    assert "trả tiền khi nhận hàng" in phone.locator("body").inner_text()
    shot(phone, "9-confirmation")
    order = Order.objects.get(number=number)
    assert (order.status, order.payment_method, order.phone) == ("placed", "cod", "0912345678")
    assert order.sub_orders.get().lines.get().product_title == "Chè Đinh Tân Cương"


def test_card_purchase_with_localstripe_stripe_js(phone, live_server, localstripe, settings):
    from orders.models import Order
    from tests.localstripe_server import JS_PATH, register_webhook, reset

    reset(localstripe)
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_ls", "pk_test_ls"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_browser"
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = localstripe + JS_PATH
    register_webhook(localstripe, f"{live_server.url}/stripe/webhook/", "whsec_browser")

    order_from_search(phone, "mien dong", r"/mien-dong-tai-hoan/$")
    fill_address(phone)
    phone.get_by_label("Thẻ quốc tế (Visa, Mastercard)").check()
    phone.get_by_label("Tôi đồng ý để người bán").check()
    phone.get_by_role("button", name="Đặt hàng").click()
    phone.wait_for_url(re.compile(r"/don-hang/DH\d+/thanh-toan/$"))
    card = phone.locator("#card-element")
    card.locator('input[placeholder="number"]').fill("4242424242424242")
    card.locator('input[placeholder="exp_month"]').fill("12")
    card.locator('input[placeholder="exp_year"]').fill("30")
    card.locator('input[placeholder="cvc"]').fill("123")
    card.locator('input[placeholder="postal_code"]').fill("24000")
    shot(phone, "10-card")
    phone.get_by_role("button", name=re.compile("^Trả ")).click()
    phone.wait_for_url(re.compile(r"/don-hang/DH\d+/$"))
    assert "Đã thanh toán thẻ thành công" in phone.locator("body").inner_text()
    shot(phone, "11-paid")
    order = Order.objects.get(number=phone.locator(".order-number").inner_text())
    assert (order.status, order.payment_method) == ("paid", "card")
    assert order.paid_at is not None
