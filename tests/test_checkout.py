"""Placing orders: split by producer, stock held all-or-nothing, prices re-checked."""

import pytest

from catalogue import stock
from orders import checkout
from orders.models import Order, OrderEvent, PaymentMethod, ShippingRule, SubOrder


def skus(product):
    return [variant.sku for variant in product.variants.all()]


def test_order_is_split_by_producer_and_holds_stock(
    shop, place, mailoutbox, django_capture_on_commit_callbacks
):
    tea_small, tea_big = skus(shop["tea"])
    (noodles,) = skus(shop["noodles"])

    with django_capture_on_commit_callbacks(execute=True):
        order = place({tea_small: 2, tea_big: 1, noodles: 3})

    assert order.status == Order.Status.PLACED
    assert order.number.startswith("DH")
    parts = {s.producer_id: s for s in order.sub_orders.all()}
    assert set(parts) == {shop["tea"].producer_id, shop["noodles"].producer_id}
    tea_part = parts[shop["tea"].producer_id]
    assert tea_part.items_total == 2 * 150_000 + 350_000
    assert [line.quantity for line in tea_part.lines.all()] == [2, 1]
    assert order.items_total == 2 * 150_000 + 350_000 + 3 * 60_000
    assert order.total == order.items_total + order.shipping_total
    levels = stock.levels([tea_small, noodles])
    assert (levels[tea_small].reserved, levels[tea_small].available) == (2, 8)
    assert (levels[noodles].reserved, levels[noodles].on_hand) == (3, 10)
    assert OrderEvent.objects.filter(order=order, to_status="placed").exists()
    # the shopper is told, after commit
    (message,) = [m for m in mailoutbox if m.to == ["lan@example.vn"]]
    assert order.number in message.subject and "Chè Đinh Tân Cương" in message.body


def test_not_enough_stock_names_every_short_item_and_writes_nothing(shop, place):
    tea_small, tea_big = skus(shop["tea"])
    (noodles,) = skus(shop["noodles"])
    with pytest.raises(checkout.NotEnoughStock) as error:
        place({tea_small: 11, tea_big: 1, noodles: 12})
    message = str(error.value)
    assert "Chè Đinh Tân Cương (Hộp 200 g): còn 10, bạn đặt 11" in message
    assert "Miến dong Việt Cường (Gói 500 g): còn 10, bạn đặt 12" in message
    assert not Order.objects.exists() and not SubOrder.objects.exists()
    assert all(item.reserved == 0 for item in stock.levels([tea_small, tea_big, noodles]).values())


def test_changed_price_is_refused_until_the_shopper_sees_it(shop, address):
    (noodles,) = skus(shop["noodles"])
    lines = checkout.fresh_lines({noodles: 1})
    seen_total = checkout.quote(lines, address.province).total
    variant = shop["noodles"].variants.get()
    variant.price = 65_000
    variant.save()
    with pytest.raises(checkout.PriceChanged):
        checkout.place_order({noodles: 1}, address, PaymentMethod.COD, seen_total)
    assert not Order.objects.exists()
    assert stock.levels([noodles])[noodles].reserved == 0


def test_shipping_fee_follows_the_most_specific_rule(shop, address, place):
    (noodles,) = skus(shop["noodles"])
    producer = shop["noodles"].producer
    ShippingRule.objects.create(base_fee=25_000, included_grams=500, per_kg_fee=5_000)
    order = place({noodles: 1})  # 300 g: base fee only
    assert order.shipping_total == 25_000
    ShippingRule.objects.create(
        producer=producer,
        province=address.province,
        base_fee=15_000,
        included_grams=500,
        per_kg_fee=8_000,
        free_from=1_000_000,
    )
    order = place({noodles: 5})  # 1,500 g: 1 kg started beyond 500 g
    assert order.shipping_total == 15_000 + 8_000
    order = place({noodles: 4}, to=address)
    assert order.shipping_total == 15_000 + 8_000  # 1,200 g
    assert checkout.quote(checkout.fresh_lines({noodles: 1}), address.province).total == 75_000


def test_card_order_waits_for_payment_with_a_hold(shop, place, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    (noodles,) = skus(shop["noodles"])
    order = place({noodles: 2}, method=PaymentMethod.CARD)
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.hold_until is not None
    assert stock.levels([noodles])[noodles].reserved == 2


def test_card_refused_when_stripe_is_not_configured(shop, place, settings):
    settings.STRIPE_SECRET_KEY = ""
    (noodles,) = skus(shop["noodles"])
    with pytest.raises(checkout.CheckoutError, match="chưa được bật"):
        place({noodles: 1}, method=PaymentMethod.CARD)
