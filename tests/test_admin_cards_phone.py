"""Stock, orders and a sub-order on a 360 × 800 phone (issue 15, item 4), in a real browser
(Debian's Chromium) against the live server with the demo catalogue: cards instead of
tables, a big number box with − / + per SKU, status and total first, a confirmation before
cancelling, every control inside the screen. Screenshots go to the test artefacts."""

import pytest
from django.urls import reverse

from catalogue import stock
from catalogue.models import ProducerPage, ProductVariant
from tests.test_browser import browser, phone, shot  # noqa: F401  (fixtures)
from tests.test_producer_phone import _sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 360, "height": 800}
TAP = 44  # px: the smallest control a thumb hits reliably


@pytest.fixture
def producer_phone(phone, committed_demo):  # noqa: F811
    """A producer of the demo, signed in on a 360 × 800 phone."""
    phone.set_viewport_size(SCREEN)
    producer = ProducerPage.objects.filter(products__isnull=False).order_by("pk").first()
    _sign_in(phone, producer.editors_group.user_set.first().username)
    phone.producer = producer
    return phone


def outside_the_screen(page) -> list[str]:
    """Visible inputs, buttons and links of the main area that do not lie wholly inside
    the screen's width."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll(
               'main input:not([type=hidden]), main button, main select, main .button')]
             .filter((el) => el.offsetParent !== null)
             .map((el) => [el, el.getBoundingClientRect()])
             .filter(([el, box]) => box.left < 0 || box.right > width)
             .map(([el, box]) => `${el.outerHTML.slice(0, 80)} at ${box.left}–${box.right}`)""",
        SCREEN["width"],
    )


def height(locator) -> float:
    return locator.bounding_box()["height"]


def test_a_producer_sets_stock_with_plus_and_saves(producer_phone):
    page = producer_phone
    variant = ProductVariant.objects.filter(product__producer=page.producer).order_by(
        "product__title", "sort_order"
    )[0]
    before = stock.get(variant.sku).on_hand
    page.goto(page.base + reverse("catalogue_stock"))
    card = page.locator("tr.stock-card", has=page.locator(f"input[value='{variant.sku}']"))
    shot(page, "cards-1-stock")
    assert outside_the_screen(page) == []
    plus = card.get_by_role("button", name="Thêm 1")
    save = card.get_by_role("button", name="Lưu")
    box = card.locator("input[name=on_hand]")
    for control in (plus, save, box, card.get_by_role("button", name="Bớt 1")):
        assert height(control) >= TAP
    assert box.get_attribute("inputmode") == "numeric"
    plus.click()
    plus.click()
    assert box.input_value() == str(before + 2)
    save.click()
    page.get_by_text(f"Đã cập nhật tồn kho {variant.sku}.").wait_for()
    assert stock.get(variant.sku).on_hand == before + 2
    card = page.locator("tr.stock-card", has=page.locator(f"input[value='{variant.sku}']"))
    assert card.locator("input[name=on_hand]").input_value() == str(before + 2)
    shot(page, "cards-2-stock-saved")
