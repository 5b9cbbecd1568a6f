"""Telling people about orders. Each configured notifier (settings.ORDERS_NOTIFIERS)
gets every message; email is built in, an SMS or Zalo sender is another class with the
same two methods. Called after commit, so a failing sender never undoes an order."""

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from orders.models import Order, SubOrder

logger = logging.getLogger(__name__)


class Notifier(Protocol):
    def order_placed(self, order: Order) -> None:
        """To the shopper: the order number and what happens next."""

    def sub_order_changed(self, sub_order: SubOrder) -> None:
        """To the shopper: a producer confirmed, shipped (with tracking) or cancelled."""


class EmailNotifier:
    """Email to the shopper (when they gave an address) and to each producer."""

    def order_placed(self, order: Order) -> None:
        sub_orders = order.sub_orders.select_related("producer")
        context = {"order": order, "sub_orders": sub_orders}
        if order.email:
            send_mail(
                f"Đơn hàng {order.number} đã được ghi nhận",
                render_to_string("orders/email/order_placed.txt", context),
                None,
                [order.email],
            )
        for sub_order in sub_orders:
            if sub_order.producer.email:
                send_mail(
                    f"Đơn hàng mới {sub_order.number}",
                    render_to_string(
                        "orders/email/producer_new_order.txt", {**context, "sub_order": sub_order}
                    ),
                    None,
                    [sub_order.producer.email],
                )

    def sub_order_changed(self, sub_order: SubOrder) -> None:
        if sub_order.order.email:
            send_mail(
                f"Đơn hàng {sub_order.number}: {sub_order.get_status_display()}",
                render_to_string("orders/email/sub_order_changed.txt", {"sub_order": sub_order}),
                None,
                [sub_order.order.email],
            )


def notifiers() -> list[Notifier]:
    return [import_string(path)() for path in settings.ORDERS_NOTIFIERS]


def _each(method: str, obj) -> None:
    for notifier in notifiers():
        try:
            getattr(notifier, method)(obj)
        except Exception:  # one broken channel must not stop the others
            logger.exception("Notifier %s.%s failed", type(notifier).__name__, method)


def order_placed(order_id: int) -> None:
    _each("order_placed", Order.objects.select_related("commune", "province").get(pk=order_id))


def sub_order_changed(sub_order_id: int) -> None:
    _each(
        "sub_order_changed",
        SubOrder.objects.select_related("order", "producer").get(pk=sub_order_id),
    )
