"""Fulfilment: the one place a sub-order's status changes (confirm, pack, ship, deliver,
cancel), with its stock step and its history line.

Each change runs in one transaction under the order's and the sub-order's row locks
(the order first, as `orders.payments` does), so a stock step happens exactly once
however many clicks or workers arrive, and "every part cancelled" is seen by the last
cancellation whatever the order they come in.
"""

from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue import stock
from catalogue.money import format_vnd
from catalogue.scope import scope_for
from orders import tasks
from orders.models import Order, OrderEvent, SubOrder, sku_quantities

Status = SubOrder.Status
StockState = SubOrder.StockState

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.CONFIRMED, Status.CANCELLED),
    Status.CONFIRMED: (Status.PACKED, Status.CANCELLED),
    Status.PACKED: (Status.SHIPPED, Status.CANCELLED),
    Status.SHIPPED: (Status.DELIVERED,),
}
# Card orders waiting for (or without) a payment are not the producer's to handle yet.
FULFILLABLE_ORDER_STATUSES = (Order.Status.PLACED, Order.Status.PAID)


class FulfilmentError(Exception):
    """A status change that was refused; the message is for the person who asked."""


def next_statuses(sub_order: SubOrder) -> tuple[str, ...]:
    """The statuses this sub-order may move to now (none while the order is unpaid)."""
    if sub_order.order.status not in FULFILLABLE_ORDER_STATUSES:
        return ()
    return TRANSITIONS.get(sub_order.status, ())


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _refuse_if_not_allowed(order: Order, sub_order: SubOrder, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(sub_order.status, ()):
        raise FulfilmentError(
            _("Không thể chuyển đơn %(number)s từ “%(from)s” sang “%(to)s”.")
            % {
                "number": sub_order.number,
                "from": _label(sub_order.status),
                "to": _label(to_status),
            }
        )
    if order.status not in FULFILLABLE_ORDER_STATUSES:
        raise FulfilmentError(
            _(
                "Đơn %(number)s đang ở trạng thái “%(status)s”: chỉ xử lý được đơn đã đặt "
                "(trả khi nhận hàng) hoặc đã thanh toán."
            )
            % {"number": order.number, "status": order.get_status_display()}
        )


def _move_stock(order: Order, sub_order: SubOrder, to_status: str) -> str:
    """The stock step of this change, if any; returns words for the history line."""
    quantities = sku_quantities([sub_order])
    state = sub_order.stock_state
    try:
        if to_status == Status.SHIPPED and state == StockState.RESERVED:
            stock.commit_many(quantities)  # a COD parcel leaves the shelf
            sub_order.stock_state = StockState.COMMITTED
            return _("Đã xuất kho.")
        if to_status == Status.CANCELLED and state == StockState.RESERVED:
            stock.release_many(quantities)
            sub_order.stock_state = StockState.RELEASED
            return _("Đã trả hàng giữ về kho.")
        if to_status == Status.CANCELLED and state == StockState.COMMITTED:
            stock.restock_many(quantities)
            sub_order.stock_state = StockState.RELEASED
            if order.status == Order.Status.PAID:
                _ask_for_refund(order, sub_order)
            return _("Đã nhập lại kho.")
    except stock.StockError as error:
        raise FulfilmentError(_("Không cập nhật được kho: %(error)s") % {"error": error}) from None
    return ""


def _ask_for_refund(order: Order, sub_order: SubOrder) -> None:
    order.add_note(
        _("Cần hoàn %(amount)s cho khách: đã huỷ %(number)s sau khi thanh toán thẻ.")
        % {"amount": format_vnd(sub_order.total), "number": sub_order.number}
    )


def change_status(
    sub_order_id: int,
    to_status: str,
    *,
    user: User | None = None,
    carrier: str = "",
    tracking_number: str = "",
    note: str = "",
) -> SubOrder:
    """Move a sub-order to `to_status` with its stock step, history line and shopper
    notice, or raise FulfilmentError and change nothing.

    `user` is who asked (None for the system); a user must be able to act for the
    producer. Shipping needs `carrier` and `tracking_number`.
    """
    carrier, tracking_number, note = carrier.strip(), tracking_number.strip(), note.strip()
    with transaction.atomic():
        order_id = SubOrder.objects.values_list("order_id", flat=True).get(pk=sub_order_id)
        order = Order.objects.select_for_update().get(pk=order_id)
        sub_order = SubOrder.objects.select_for_update().get(pk=sub_order_id)
        sub_order.order = order
        if user is not None and not scope_for(user).includes(sub_order.producer_id):
            raise FulfilmentError(_("Bạn không được xử lý đơn của chủ thể này."))
        _refuse_if_not_allowed(order, sub_order, to_status)
        order_before = (order.status, order.needs_attention)
        words = []
        if to_status == Status.SHIPPED:
            if not (carrier and tracking_number):
                raise FulfilmentError(_("Cần nhập đơn vị vận chuyển và mã vận đơn để giao hàng."))
            sub_order.carrier, sub_order.tracking_number = carrier, tracking_number
            words.append(
                _("%(carrier)s, mã vận đơn %(tracking)s.")
                % {"carrier": carrier, "tracking": tracking_number}
            )
        words += [_move_stock(order, sub_order, to_status), note]
        from_status, sub_order.status = sub_order.status, to_status
        sub_order.save(
            update_fields=["status", "stock_state", "carrier", "tracking_number", "updated_at"]
        )
        OrderEvent.objects.create(
            order=order,
            sub_order=sub_order,
            user=user,
            from_status=from_status,
            to_status=to_status,
            message=" ".join(word for word in words if word)[:255],
        )
        if to_status == Status.CANCELLED:
            _cancel_order_if_nothing_left(order, user)
        if (order.status, order.needs_attention) != order_before:
            order.save(update_fields=["status", "needs_attention"])
        transaction.on_commit(partial(tasks.send_sub_order_changed.enqueue, sub_order.pk))
    return sub_order


def _cancel_order_if_nothing_left(order: Order, user: User | None) -> None:
    if order.sub_orders.exclude(status=Status.CANCELLED).exists():
        return
    OrderEvent.objects.create(
        order=order,
        user=user,
        from_status=order.status,
        to_status=Order.Status.CANCELLED,
        message=_("Mọi phần của đơn đã huỷ"),
    )
    order.status = Order.Status.CANCELLED
