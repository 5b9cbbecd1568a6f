"""Placing an order: re-read prices and stock, split by producer, hold the stock.

Everything happens in one transaction: the order, its sub-orders and lines are written
and the stock is held (`catalogue.stock.reserve_many`), or nothing is.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import stock
from catalogue.models import Commune, ProducerPage, Province
from catalogue.models.codes import CodeSequence
from orders import shipping, tasks
from orders.cart import CartLine, by_producer, cart_lines, sellable_variants
from orders.models import Order, OrderEvent, OrderLine, PaymentMethod, SubOrder
from orders.payments import card_payments_enabled


class CheckoutError(Exception):
    """Why an order could not be placed, in words for the shopper."""


class PriceChanged(CheckoutError):
    def __init__(self):
        super().__init__(
            _("Giá hoặc phí vận chuyển vừa thay đổi. Hãy xem lại tổng tiền rồi đặt hàng lần nữa.")
        )


class NotEnoughStock(CheckoutError):
    def __init__(self, error: stock.StockShortage, names: dict[str, str]):
        self.shortages = error.shortages
        parts = [
            _("%(name)s: còn %(available)s, bạn đặt %(requested)s")
            % {"name": names.get(s.sku, s.sku), "available": s.available, "requested": s.requested}
            for s in error.shortages
        ]
        super().__init__(_("Không đủ hàng. ") + "; ".join(parts) + ".")


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    email: str
    province: Province
    commune: Commune
    street: str
    note: str = ""


@dataclass(frozen=True)
class Parcel:
    """One producer's part of the order, with its shipping fee."""

    producer: ProducerPage
    lines: list[CartLine]
    shipping_fee: int

    @property
    def items_total(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams for line in self.lines)


@dataclass(frozen=True)
class Quote:
    parcels: list[Parcel]

    @property
    def items_total(self) -> int:
        return sum(parcel.items_total for parcel in self.parcels)

    @property
    def shipping_total(self) -> int:
        return sum(parcel.shipping_fee for parcel in self.parcels)

    @property
    def total(self) -> int:
        return self.items_total + self.shipping_total


def quote(lines: list[CartLine], province: Province) -> Quote:
    groups = by_producer(lines)
    rules = shipping.rules_for({producer.pk for producer, _ in groups}, province.pk)
    parcels = []
    for producer, group in groups:
        items_total = sum(line.line_total for line in group)
        weight = sum(line.weight_grams for line in group)
        parcels.append(
            Parcel(producer, group, shipping.fee(rules[producer.pk], weight, items_total))
        )
    return Quote(parcels)


def fresh_lines(quantities: dict[str, int]) -> list[CartLine]:
    """Cart lines with today's prices; a SKU that can no longer be bought is an error."""
    variants = sellable_variants(quantities)
    missing = [sku for sku in quantities if sku not in variants]
    if missing:
        raise CheckoutError(
            _("Sản phẩm %(skus)s không còn bán. Hãy xem lại giỏ hàng.")
            % {"skus": ", ".join(missing)}
        )
    return cart_lines(quantities, variants)


def _order_number() -> str:
    # Taken outside the order's transaction, so the counter row is not locked while the
    # order is written; a failed checkout leaves a gap, never a duplicate.
    return f"DH{CodeSequence.take('order')[0]:06d}"


def place_order(
    quantities: dict[str, int],
    address: Address,
    method: str,
    expected_total: int,
    user=None,
    now: datetime.datetime | None = None,
) -> Order:
    """Write the order and hold its stock, all or nothing.

    `expected_total` is the total the shopper confirmed: if prices or fees changed since,
    nothing is written (PriceChanged). Raises NotEnoughStock naming every short item.
    """
    if not quantities:
        raise CheckoutError(_("Giỏ hàng đang trống."))
    if method == PaymentMethod.CARD and not card_payments_enabled():
        raise CheckoutError(_("Thanh toán thẻ chưa được bật. Hãy chọn trả khi nhận hàng."))
    now = now or timezone.now()
    number = _order_number()
    with transaction.atomic():
        lines = fresh_lines(quantities)
        priced = quote(lines, address.province)
        if priced.total != expected_total:
            raise PriceChanged()
        order = Order.objects.create(
            number=number,
            user=user if user is not None and user.is_authenticated else None,
            status=Order.Status.PLACED
            if method == PaymentMethod.COD
            else Order.Status.AWAITING_PAYMENT,
            payment_method=method,
            name=address.name,
            phone=address.phone,
            email=address.email,
            province=address.province,
            commune=address.commune,
            street=address.street,
            note=address.note,
            items_total=priced.items_total,
            shipping_total=priced.shipping_total,
            total=priced.total,
            hold_until=(
                now + datetime.timedelta(minutes=settings.ORDERS_HOLD_MINUTES)
                if method == PaymentMethod.CARD
                else None
            ),
        )
        for index, parcel in enumerate(priced.parcels, start=1):
            sub_order = SubOrder.objects.create(
                order=order,
                number=f"{number}-{index}",
                producer=parcel.producer,
                items_total=parcel.items_total,
                shipping_fee=parcel.shipping_fee,
                weight_grams=parcel.weight_grams,
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    sub_order=sub_order,
                    sku=line.sku,
                    product=line.product,
                    product_title=line.product.title,
                    variant_name=line.variant.name,
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    weight_grams=line.variant.weight_grams,
                )
                for line in parcel.lines
            )
        OrderEvent.objects.create(order=order, to_status=order.status, message=_("Đặt hàng"))
        try:
            stock.reserve_many(quantities)
        except stock.StockShortage as error:
            names = {line.sku: f"{line.product.title} ({line.variant.name})" for line in lines}
            raise NotEnoughStock(error, names) from None
        if method == PaymentMethod.COD:
            transaction.on_commit(partial(tasks.send_order_placed.enqueue, order.pk))
    return order
