"""Card payment through Stripe Payment Intents, in VND (a zero-decimal currency:
`amount=150000` is 150.000 ₫; there is no ×100).

The webhook and the shopper's return from the payment page both end in `mark_paid` or
`mark_failed`, which are idempotent: whichever arrives first does the work.
"""

import datetime
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import stock
from orders import notify
from orders.models import Order, OrderEvent, PaymentEvent, SubOrder

logger = logging.getLogger(__name__)
CURRENCY = "vnd"


class PaymentError(Exception):
    """The payment provider could not be reached or refused; words for the shopper."""


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def _event(order: Order, message: str, to_status: str = "", user=None) -> None:
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to_status, message=message, user=user
    )


def _hold(order: Order) -> dict[str, int]:
    """SKU → quantity of the order's sub-orders whose units are still held."""
    quantities: dict[str, int] = {}
    for sub_order in order.sub_orders.filter(stock_state=SubOrder.StockState.RESERVED):
        for line in sub_order.lines.all():
            quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
    return quantities


def _all_lines(order: Order) -> dict[str, int]:
    quantities: dict[str, int] = {}
    for sub_order in order.sub_orders.all():
        for line in sub_order.lines.all():
            quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
    return quantities


def create_intent(order: Order) -> str:
    """The order's PaymentIntent, created once and reused while the shopper retries.
    Returns its client secret. The idempotency key (the order number) makes a doubled
    request create one intent, not two."""
    try:
        if order.payment_intent_id:
            intent = retrieve_intent(order.payment_intent_id)
        else:
            intent = client().v1.payment_intents.create(
                params={
                    "amount": order.total,
                    "currency": CURRENCY,
                    "payment_method_types": ["card"],
                    "metadata": {"order_number": order.number},
                },
                options={"idempotency_key": f"order-{order.number}-intent"},
            )
    except stripe.StripeError as error:
        logger.warning("Stripe PaymentIntent failed for %s: %s", order.number, type(error).__name__)
        raise PaymentError(
            _("Chưa kết nối được cổng thanh toán thẻ. Hãy thử lại sau ít phút.")
        ) from None
    if intent.amount != order.total or intent.currency != CURRENCY:
        raise PaymentError(_("Cổng thanh toán trả về số tiền không khớp; chưa thu tiền."))
    if not order.payment_intent_id:
        Order.objects.filter(pk=order.pk, payment_intent_id__isnull=True).update(
            payment_intent_id=intent.id
        )
        order.payment_intent_id = intent.id
    return intent.client_secret


def confirm_on_server(order: Order, payment_method: str) -> tuple[str, str]:
    """Confirm the order's intent with a payment method the browser created, for Stripe.js
    builds without `confirmPayment` (see orders/static/orders/pay.js). Returns (intent
    status, message for the shopper if the card was refused)."""
    try:
        intents = client().v1.payment_intents
        intents.update(order.payment_intent_id, params={"payment_method": payment_method})
        intent = intents.confirm(order.payment_intent_id)
    except stripe.CardError as error:
        return "requires_payment_method", error.user_message or _("Thẻ bị từ chối.")
    except stripe.StripeError as error:
        logger.warning("Stripe confirm failed for %s: %s", order.number, type(error).__name__)
        raise PaymentError(_("Chưa kết nối được cổng thanh toán thẻ. Hãy thử lại.")) from None
    refused = intent.last_payment_error.message if intent.last_payment_error else ""
    return intent.status, refused


def retrieve_intent(intent_id: str):
    return client().v1.payment_intents.retrieve(intent_id)


def mark_paid(order_id: int, amount: int) -> bool:
    """The card payment succeeded: held stock leaves the shelf. Returns False when the
    order was already paid (a second webhook, or the shopper's return came first)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == Order.Status.PAID:
            return False
        if amount != order.total:
            order.needs_attention = _("Số tiền đã thu (%(paid)s) khác tổng đơn.") % {"paid": amount}
        held = _hold(order)
        stock_state = SubOrder.StockState.COMMITTED
        if held:
            stock.commit_many(held)
        else:
            # The hold had expired or the first card failed, then the payment went
            # through: take the stock again if it is still there.
            quantities = _all_lines(order)
            try:
                stock.reserve_many(quantities)
                stock.commit_many(quantities)
            except stock.StockShortage as error:
                order.needs_attention = _("Đã thu tiền nhưng hết hàng: cần hoàn tiền. ") + str(
                    error
                )
                stock_state = SubOrder.StockState.RELEASED  # nothing left the shelf
        order.sub_orders.update(stock_state=stock_state)
        _event(order, _("Đã thanh toán thẻ"), Order.Status.PAID)
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.hold_until = None
        order.save(update_fields=["status", "paid_at", "hold_until", "needs_attention"])
        transaction.on_commit(lambda: notify.order_placed(order.pk))
    return True


def release_hold(order: Order, status: str, message: str, user=None) -> bool:
    """Give back the stock of an unpaid card order and set its status (payment failed,
    hold expired). Takes the order's row lock; does nothing to a paid order."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return False
        held = _hold(order)
        if held:
            stock.release_many(held)
        order.sub_orders.filter(stock_state=SubOrder.StockState.RESERVED).update(
            stock_state=SubOrder.StockState.RELEASED
        )
        _event(order, message, status, user)
        order.status = status
        order.hold_until = None
        order.save(update_fields=["status", "hold_until"])
    return True


def hold_again(order: Order, now: datetime.datetime | None = None) -> None:
    """The shopper tries to pay again after a failed card or an expired hold: hold the
    stock again (raises stock.StockShortage when it is gone)."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in (Order.Status.PAYMENT_FAILED, Order.Status.EXPIRED):
            return
        stock.reserve_many(_all_lines(order))
        order.sub_orders.update(stock_state=SubOrder.StockState.RESERVED)
        _event(order, _("Giữ hàng lại để thanh toán"), Order.Status.AWAITING_PAYMENT)
        order.status = Order.Status.AWAITING_PAYMENT
        order.hold_until = now + datetime.timedelta(minutes=settings.ORDERS_HOLD_MINUTES)
        order.save(update_fields=["status", "hold_until"])


def handle_event(event: stripe.Event) -> str:
    """Apply one verified webhook event, at most once (PaymentEvent.event_id is unique).
    Returns the recorded outcome."""
    intent = event.data.object if event.type.startswith("payment_intent.") else None
    intent_id = intent.id if intent is not None else ""
    with transaction.atomic():
        record, created = PaymentEvent.objects.get_or_create(
            event_id=event.id,
            defaults={
                "type": event.type,
                "payment_intent_id": intent_id,
                "outcome": PaymentEvent.Outcome.IGNORED,
            },
        )
        if not created:
            return PaymentEvent.Outcome.ALREADY
        record.outcome = _apply(event.type, intent, record)
        record.save(update_fields=["outcome", "order"])
    return record.outcome


def _apply(event_type: str, intent, record: PaymentEvent) -> str:
    if event_type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return PaymentEvent.Outcome.IGNORED
    order = Order.objects.filter(payment_intent_id=intent.id).first()
    if order is None:
        return PaymentEvent.Outcome.UNKNOWN_ORDER
    record.order = order
    if event_type == "payment_intent.succeeded":
        applied = mark_paid(order.pk, intent.amount)
    else:
        applied = release_hold(
            order, Order.Status.PAYMENT_FAILED, _("Thanh toán thẻ không thành công")
        )
    return PaymentEvent.Outcome.APPLIED if applied else PaymentEvent.Outcome.ALREADY
