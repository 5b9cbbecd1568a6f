"""A sub-order on a phone: cancelling asks first and works without JavaScript (a cancel
without confirm=yes changes nothing), the list and the detail carry the card layout, and
another producer's sub-order stays out of reach."""

from django.urls import reverse

from catalogue import stock
from orders.models import OrderEvent, SubOrder
from tests.test_orders_admin import detail_url as url
from tests.test_orders_admin import parts  # noqa: F401  (fixture)

Status = SubOrder.Status
QUESTION = "Huỷ đơn này? Hàng sẽ được trả về kho."


def tea(sub_order: SubOrder) -> str:
    return sub_order.lines.get().sku


def test_a_cancel_without_confirmation_asks_and_changes_nothing(as_coop, parts):  # noqa: F811
    mine = parts["mine"]
    response = as_coop.post(url(mine), {"to_status": Status.CANCELLED, "note": "hết hàng"})
    html = response.content.decode()
    assert response.status_code == 200
    assert QUESTION in html and 'name="confirm" value="yes"' in html
    assert 'value="hết hàng"' in html  # the reason typed is carried to the question
    mine.refresh_from_db()
    assert mine.status == Status.NEW
    assert stock.get(tea(mine)).reserved == 1
    assert not OrderEvent.objects.filter(sub_order=mine).exists()


def test_a_confirmed_cancel_cancels_and_gives_the_stock_back(as_coop, parts):  # noqa: F811
    mine = parts["mine"]
    response = as_coop.post(
        url(mine), {"to_status": Status.CANCELLED, "confirm": "yes", "note": "hết hàng"}
    )
    assert (response.status_code, response.url) == (302, url(mine))
    mine.refresh_from_db()
    assert (mine.status, mine.stock_state) == (Status.CANCELLED, SubOrder.StockState.RELEASED)
    item = stock.get(tea(mine))
    assert (item.on_hand, item.reserved) == (10, 0)
    assert OrderEvent.objects.get(sub_order=mine).message == "Đã trả hàng giữ về kho. hết hàng"


def test_other_steps_need_no_confirmation(as_coop, parts):  # noqa: F811
    mine = parts["mine"]
    response = as_coop.post(url(mine), {"to_status": Status.CONFIRMED})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED


def test_cancel_is_apart_from_the_other_steps(as_coop, parts):  # noqa: F811
    html = as_coop.get(url(parts["mine"])).content.decode()
    steps, cancel = html.split('class="order-status-form order-cancel"')
    assert 'value="confirmed"' in steps and 'value="cancelled"' not in steps
    assert 'value="cancelled"' in cancel and "Huỷ đơn…" in cancel
    assert 'class="order-headline"' in html


def test_another_producers_sub_order_is_not_found_even_confirmed(as_coop, parts):  # noqa: F811
    theirs = parts["theirs"]
    for data in ({"to_status": Status.CANCELLED}, {"to_status": "cancelled", "confirm": "yes"}):
        assert as_coop.post(url(theirs), data).status_code == 404
    assert as_coop.get(url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW


def test_the_list_has_status_total_items_and_a_button_per_card(as_coop, parts):  # noqa: F811
    html = as_coop.get(reverse("sub_orders:index")).content.decode()
    assert "order-cards" in html and "orders/admin_phone.css" in html
    assert 'class="oc-status"' in html and 'class="oc-total"' in html
    assert "1 × Chè Đinh Tân Cương (Hộp 200 g)" in html
    assert f'href="{url(parts["mine"])}">Xem và xử lý đơn' in html
