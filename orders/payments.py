"""Card payment through Stripe Payment Intents, in VND (a zero-decimal currency:
`amount=150000` is 150.000 ₫; there is no ×100).

The webhook and the shopper's return from the payment page both end in `mark_paid` or
`mark_failed`, which are idempotent: whichever arrives first does the work.
"""

import datetime
import logging
from functools import partial

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import stock
from catalogue.money import format_vnd
from orders import tasks
from orders.models import Order, OrderEvent, PaymentEvent, SubOrder, sku_quantities

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
                    # Not in the SDK's typed params (they follow its pinned API version and
                    # list allowed_payment_method_types instead); sent as before, the name
                    # localstripe reads.
                    "payment_method_types": ["card"],  # type: ignore[typeddict-unknown-key]
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
    intent_id = order.payment_intent_id
    assert intent_id, "the caller checks that the order has its intent"
    try:
        intents = client().v1.payment_intents
        intents.update(intent_id, params={"payment_method": payment_method})
        intent = intents.confirm(intent_id)
    except stripe.CardError as error:
        return "requires_payment_method", error.user_message or _("Thẻ bị từ chối.")
    except stripe.StripeError as error:
        logger.warning("Stripe confirm failed for %s: %s", order.number, type(error).__name__)
        raise PaymentError(_("Chưa kết nối được cổng thanh toán thẻ. Hãy thử lại.")) from None
    refused = (intent.last_payment_error.message or "") if intent.last_payment_error else ""
    return intent.status, refused


def retrieve_intent(intent_id: str):
    return client().v1.payment_intents.retrieve(intent_id)


# Orders that a successful card payment settles: waiting, or waiting again after a
# refused card or a hold that ran out. A paid or cancelled order is never settled twice.
SETTLED_BY_PAYMENT = (
    Order.Status.AWAITING_PAYMENT,
    Order.Status.PAYMENT_FAILED,
    Order.Status.EXPIRED,
)


def mark_paid(order_id: int, amount: int, currency: str) -> str:
    """The card payment succeeded: held stock leaves the shelf. Returns the outcome:
    APPLIED; ALREADY when there is nothing to do (a second webhook, the shopper's return
    came first, or the order was paid and then cancelled); MISMATCH when Stripe took
    another amount or currency than the order's, which leaves the order unpaid, its stock
    held with no time limit and a note for staff to sort out by hand."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status not in SETTLED_BY_PAYMENT:
            return PaymentEvent.Outcome.ALREADY
        if amount != order.total or currency != CURRENCY:
            _flag_mismatch(order, amount, currency)
            return PaymentEvent.Outcome.MISMATCH
        for sub_order in order.sub_orders.order_by("pk"):
            _take_stock_for_payment(order, sub_order)
        _event(order, _("Đã thanh toán thẻ"), Order.Status.PAID)
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.hold_until = None
        order.save(update_fields=["status", "paid_at", "hold_until", "needs_attention"])
        transaction.on_commit(partial(tasks.send_order_placed.enqueue, order.pk))
    return PaymentEvent.Outcome.APPLIED


def _flag_mismatch(order: Order, amount: int, currency: str) -> None:
    message = _("Cổng thẻ báo đã thu %(paid)s %(currency)s, đơn là %(total)s: cần kiểm tra.") % {
        "paid": amount,
        "currency": currency.upper(),
        "total": format_vnd(order.total),
    }
    _event(order, message)
    order.add_note(message)
    order.hold_until = None  # what is still held stays held until staff decide
    order.save(update_fields=["needs_attention", "hold_until"])


def _take_stock_for_payment(order: Order, sub_order: SubOrder) -> None:
    """Commit the sub-order's held units. If its hold had been given back (hold ran out,
    first card refused), take the units again; if they are gone, that part is cancelled
    and staff are asked to refund it, while the other producers' parts go ahead."""
    quantities = sku_quantities([sub_order])
    try:
        if sub_order.stock_state == SubOrder.StockState.RELEASED:
            stock.reserve_many(quantities)
        stock.commit_many(quantities)
        sub_order.stock_state = SubOrder.StockState.COMMITTED
    except stock.StockShortage as error:
        sub_order.stock_state = SubOrder.StockState.RELEASED
        sub_order.status = SubOrder.Status.CANCELLED
        order.add_note(
            _("Đã thu tiền nhưng hết hàng, cần hoàn %(amount)s cho %(number)s: %(error)s")
            % {"amount": format_vnd(sub_order.total), "number": sub_order.number, "error": error}
        )
        OrderEvent.objects.create(
            order=order,
            sub_order=sub_order,
            from_status=SubOrder.Status.NEW,
            to_status=SubOrder.Status.CANCELLED,
            message=_("Hết hàng khi thanh toán đến muộn"),
        )
    sub_order.save(update_fields=["stock_state", "status", "updated_at"])


def release_hold(order: Order, status: str, message: str, user=None) -> bool:
    """Give back the stock of an unpaid card order and set its status (payment failed,
    hold expired). Takes the order's row lock; does nothing to a paid order."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return False
        held = order.sub_orders.filter(stock_state=SubOrder.StockState.RESERVED)
        quantities = sku_quantities(held)
        if quantities:
            stock.release_many(quantities)
        held.update(stock_state=SubOrder.StockState.RELEASED)
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
        stock.reserve_many(sku_quantities(order.sub_orders.all()))
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
        record.outcome = _apply(event, intent, record)
        record.save(update_fields=["outcome", "order"])
    return record.outcome


def _apply(event: stripe.Event, intent, record: PaymentEvent) -> str:
    if event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return PaymentEvent.Outcome.IGNORED
    order = Order.objects.filter(payment_intent_id=intent.id).first()
    if order is None:
        return PaymentEvent.Outcome.UNKNOWN_ORDER
    record.order = order
    if event.type == "payment_intent.succeeded":
        return mark_paid(order.pk, intent.amount, intent.currency)
    if _held_again_since(order, event.created):
        applied = False  # a failure from before the shopper's new attempt
    else:
        applied = release_hold(
            order, Order.Status.PAYMENT_FAILED, _("Thanh toán thẻ không thành công")
        )
    return PaymentEvent.Outcome.APPLIED if applied else PaymentEvent.Outcome.ALREADY


def _held_again_since(order: Order, created: int) -> bool:
    happened = datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
    return order.events.filter(
        to_status=Order.Status.AWAITING_PAYMENT,
        from_status__in=SETTLED_BY_PAYMENT[1:],
        at__gt=happened,
    ).exists()
