"""A shopper on a phone, in a real browser (Debian's Chromium driven by Playwright), against
the live test server with the demo catalogue. Screenshots at phone width are saved to
var/test-artefacts/ (or $OCOP_ARTEFACTS) for people to look at."""

import os
import re
from pathlib import Path

import pytest

from catalogue.demo import load_demo

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(
    os.environ.get("OCOP_ARTEFACTS", Path(__file__).resolve().parent.parent / "var/test-artefacts")
)
PHONE = {"width": 360, "height": 740}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def browser():
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
def phone(browser, live_server):
    load_demo()
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base = live_server.url
    yield page
    context.close()
    assert errors == [], errors


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTEFACTS / f"{name}.png", full_page=True)


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
    suggestion.wait_for()
    assert suggestion.inner_text().startswith("Miến dong Tài Hoan")
    shot(phone, "5-suggestions")
    phone.get_by_role("combobox", name="Tìm sản phẩm").press("ArrowDown")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/mien-dong-tai-hoan/$"))


def test_filters_work_without_javascript(browser, live_server):
    load_demo()
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
