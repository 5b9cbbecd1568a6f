"""Stock, orders and a sub-order on a 360 × 800 phone (issue 15, item 4), in a real browser
(Debian's Chromium) against the live server with the demo catalogue: cards instead of
tables, a big number box with − / + per SKU, status and total first, a confirmation before
cancelling, every control inside the screen. Screenshots go to the test artefacts."""

import re

import pytest
from django.urls import reverse

from catalogue import stock
from catalogue.models import ProducerPage, ProductVariant
from catalogue.money import format_vnd
from connectors.models import Channel
from orders.models import SubOrder
from tests.test_browser import browser, phone, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 360, "height": 800}
TAP = 44  # px: the smallest control a thumb hits reliably
WIDE_HEADERS = ["Số đơn", "Ngày đặt", "Chủ thể", "Người nhận", "Thanh toán", "Trạng thái đơn",
                "Trạng thái", "Tổng tiền"]  # fmt: skip


def sign_in_a_producer(page) -> ProducerPage:
    """The demo's first producer with products, signed in on `page`."""
    producer = ProducerPage.objects.filter(products__isnull=False).order_by("pk")[0]
    sign_in(page, producer.editors_group.user_set.order_by("pk")[0].username)
    return producer


@pytest.fixture
def producer_phone(phone, committed_demo):  # noqa: F811
    """A producer of the demo, signed in on a 360 × 800 phone."""
    phone.set_viewport_size(SCREEN)
    phone.producer = sign_in_a_producer(phone)
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


def on_the_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= SCREEN["width"]
        and box["y"] + box["height"] <= SCREEN["height"]
    )


def first_variant(producer: ProducerPage) -> ProductVariant:
    return ProductVariant.objects.filter(product__producer=producer).order_by(
        "product__title", "sort_order"
    )[0]


def positions(card) -> list[str]:
    controls = ("button.stock-step[data-step='-1']", "input[name=on_hand]",
                "button.stock-step[data-step='1']", "button.stock-save")  # fmt: skip
    boxes = [card.locator(control).bounding_box() for control in controls]
    return [f"{box['x']:.0f}–{box['x'] + box['width']:.0f}" for box in boxes]


def test_a_producer_sets_stock_with_plus_and_saves(producer_phone):
    page = producer_phone
    variant = first_variant(page.producer)
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
    print(f"\nstock card at 360 px: − / box / + / Lưu at x = {positions(card)}")
    plus.click()
    plus.click()
    assert box.input_value() == str(before + 2)
    save.click()
    page.get_by_text(f"Đã cập nhật tồn kho {variant.sku}.").wait_for()
    assert stock.get(variant.sku).on_hand == before + 2
    card = page.locator("tr.stock-card", has=page.locator(f"input[value='{variant.sku}']"))
    assert card.locator("input[name=on_hand]").input_value() == str(before + 2)
    shot(page, "cards-2-stock-saved")


def test_without_javascript_box_and_save_still_work(browser, live_server, committed_demo):  # noqa: F811
    context = browser.new_context(viewport=SCREEN, java_script_enabled=False)
    page = context.new_page()
    page.base = live_server.url
    variant = first_variant(sign_in_a_producer(page))
    before = stock.get(variant.sku).on_hand
    page.goto(page.base + reverse("catalogue_stock"))
    card = page.locator("tr.stock-card", has=page.locator(f"input[value='{variant.sku}']"))
    assert card.get_by_role("button", name="Thêm 1").is_hidden()
    card.get_by_label("Tồn kho").fill("²")
    card.get_by_role("button", name="Lưu").click()
    card.locator(".stock-error").get_by_text("Nhập số lượng bằng chữ số").wait_for()
    assert stock.get(variant.sku).on_hand == before  # nothing written
    shot(page, "cards-3a-stock-refused")
    card.get_by_label("Tồn kho").fill("1.000")
    card.get_by_role("button", name="Lưu").click()
    page.get_by_text(f"Đã cập nhật tồn kho {variant.sku}.").wait_for()
    assert stock.get(variant.sku).on_hand == 1000  # a thousand, not 1
    shot(page, "cards-3-stock-without-javascript")
    context.close()


def test_a_producer_sees_status_and_total_first_and_confirms_a_cancel(producer_phone, place):
    page = producer_phone
    variant = first_variant(page.producer)
    order = place({variant.sku: 2})
    sub_order = order.sub_orders.get()
    held = stock.get(variant.sku).reserved

    page.goto(page.base + reverse("sub_orders:index"))
    card = page.locator("table.order-cards tbody tr", has_text=sub_order.number)
    status, total = card.locator("td.oc-status"), card.locator("td.oc-total")
    assert status.inner_text().strip() == "Mới"
    assert total.inner_text().strip() == format_vnd(sub_order.total)
    assert on_the_first_screen(status) and on_the_first_screen(total)
    assert outside_the_screen(page) == []
    shot(page, "cards-4-orders")
    open_button = card.get_by_role("link", name="Xem và xử lý đơn")
    assert height(open_button) >= TAP
    open_button.click()
    page.wait_for_url(re.compile(rf"/admin/orders/{sub_order.pk}/$"))

    headline = page.locator(".order-headline")
    assert on_the_first_screen(headline)
    assert headline.inner_text().split("\n") == ["Mới", format_vnd(sub_order.total)]
    assert outside_the_screen(page) == []
    update = page.get_by_role("button", name="Cập nhật")
    cancel = page.get_by_role("button", name="Huỷ đơn…")
    for control in (update, cancel, page.locator(".order-choice").first):
        assert height(control) >= TAP
    # "Đã huỷ" is no longer a choice beside "Đang giao": it is a button of its own, apart.
    assert "Đã huỷ" not in page.locator(".order-status-form fieldset").inner_text()
    assert cancel.bounding_box()["y"] - update.bounding_box()["y"] >= 2 * TAP
    shot(page, "cards-5-sub-order")
    page.locator(".order-lines").scroll_into_view_if_needed()
    shot(page, "cards-5b-sub-order-lines")
    cancel.scroll_into_view_if_needed()
    shot(page, "cards-5c-sub-order-steps")

    cancel.click()
    question = page.locator(".order-confirm")
    question.get_by_text("Huỷ đơn này? Hàng sẽ được trả về kho.").wait_for()
    assert on_the_first_screen(question.get_by_role("button", name="Có, huỷ đơn"))
    assert outside_the_screen(page) == []
    shot(page, "cards-6-cancel-question")
    sub_order.refresh_from_db()
    assert sub_order.status == SubOrder.Status.NEW  # asking changed nothing

    question.get_by_role("button", name="Có, huỷ đơn").click()
    page.get_by_text(f"Đơn {sub_order.number}: Đã huỷ.").wait_for()
    sub_order.refresh_from_db()
    assert sub_order.status == SubOrder.Status.CANCELLED
    assert stock.get(variant.sku).reserved == held - 2
    shot(page, "cards-7-cancelled")

    page.set_viewport_size({"width": 1280, "height": 800})  # a wide screen keeps its table
    page.goto(page.base + reverse("sub_orders:index"))
    headers = page.locator("table.order-cards thead th:visible").all_inner_texts()
    assert [header.strip() for header in headers] == WIDE_HEADERS
    shot(page, "cards-8-orders-wide")


def test_staff_see_the_marketplace_channels_as_cards(phone):  # noqa: F811
    channel = Channel.objects.create(
        kind=Channel.Kind.SHOPEE, name="Shopee OCOP Lạng Sơn", slug="shopee-ls",
        base_url="https://partner.example.vn", needs_reauth=True,
    )  # fmt: skip
    phone.set_viewport_size(SCREEN)
    sign_in(phone, "canbo.tinh")
    phone.goto(phone.base + reverse("marketplace_channels:index"))
    card = phone.locator("table.phone-cards tbody tr", has_text=channel.name)
    text = card.inner_text()
    assert "Cần cấp quyền lại:" in text and "Sàn: Shopee" in text
    assert "Token hết hạn" not in text  # an empty value shows no lonely label
    sync = card.get_by_role("button", name="Đồng bộ ngay")
    assert height(sync) >= TAP and sync.bounding_box()["width"] >= SCREEN["width"] / 2
    assert outside_the_screen(phone) == []
    shot(phone, "cards-9-channels")
