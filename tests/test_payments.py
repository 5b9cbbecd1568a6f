"""Card payment state without the network: the webhook endpoint (signatures checked by
Stripe's own library), idempotent paid/failed steps, and hold expiry. The same paths
against a running fake Stripe server are in test_stripe_localstripe.py."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from catalogue import stock
from orders import expiry, payments
from orders.models import Order, PaymentEvent, PaymentMethod, SubOrder
from orders.views import MY_ORDERS_KEY

SECRET = "whsec_test_secret"


@pytest.fixture
def card_order(shop, place, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    noodles = shop["noodles"].variants.get().sku
    order = place({noodles: 3}, method=PaymentMethod.CARD)
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_test_1")
    order.refresh_from_db()
    order.sku = noodles
    return order


def event(
    event_type, amount, event_id="evt_1", intent="pi_test_1", created=None, currency="vnd"
) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "created": int(created or time.time()),
            "type": event_type,
            "data": {
                "object": {
                    "id": intent,
                    "object": "payment_intent",
                    "amount": amount,
                    "currency": currency,
                }
            },
        }
    ).encode()


def signed(payload: bytes, secret=SECRET, timestamp=None) -> str:
    timestamp = int(timestamp or time.time())
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client, payload: bytes, signature: str):
    return client.post(
        "/stripe/webhook/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )


def levels(order):
    item = stock.levels([order.sku])[order.sku]
    return item.on_hand, item.reserved


def test_succeeded_marks_paid_and_commits_stock_once(client, card_order):
    payload = event("payment_intent.succeeded", card_order.total)
    first = deliver(client, payload, signed(payload))
    assert first.status_code == 200 and first.json()["outcome"] == "applied"
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.PAID and card_order.paid_at
    assert levels(card_order) == (7, 0)
    assert set(card_order.sub_orders.values_list("stock_state", flat=True)) == {"committed"}

    again = deliver(client, payload, signed(payload))  # Stripe retries deliveries
    assert again.status_code == 200 and again.json()["outcome"] == "already"
    other = event("payment_intent.succeeded", card_order.total, event_id="evt_2")
    assert deliver(client, other, signed(other)).json()["outcome"] == "already"
    assert levels(card_order) == (7, 0)
    assert PaymentEvent.objects.count() == 2


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda p: signed(p, secret="whsec_forged"), id="forged"),
        pytest.param(lambda p: signed(p, timestamp=time.time() - 3600), id="stale"),
        pytest.param(lambda p: "", id="missing"),
        pytest.param(lambda p: signed(p + b" "), id="altered-body"),
    ],
)
def test_bad_signature_is_400_and_changes_nothing(client, card_order, signature):
    payload = event("payment_intent.succeeded", card_order.total)
    response = deliver(client, payload, signature(payload))
    assert response.status_code == 400
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.AWAITING_PAYMENT
    assert levels(card_order) == (10, 3)
    assert not PaymentEvent.objects.exists()


def test_webhook_refused_when_no_secret_is_configured(client, card_order, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = event("payment_intent.succeeded", card_order.total)
    assert deliver(client, payload, signed(payload, secret="")).status_code == 400
    assert not PaymentEvent.objects.exists()


def test_unknown_intent_is_recorded_and_acknowledged(client, card_order):
    payload = event("payment_intent.succeeded", 5000, intent="pi_someone_else")
    response = deliver(client, payload, signed(payload))
    assert response.status_code == 200 and response.json()["outcome"] == "unknown_order"
    assert PaymentEvent.objects.get().outcome == "unknown_order"
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.AWAITING_PAYMENT


def test_failed_payment_releases_the_hold_and_retry_holds_again(client, card_order):
    payload = event("payment_intent.payment_failed", card_order.total)
    assert deliver(client, payload, signed(payload)).json()["outcome"] == "applied"
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.PAYMENT_FAILED
    assert levels(card_order) == (10, 0)

    payments.hold_again(card_order)
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.AWAITING_PAYMENT
    assert levels(card_order) == (10, 3)


def test_late_payment_after_expiry_takes_stock_again_or_flags_a_refund(card_order):
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert expiry.expire_holds(now=later) == 1
    assert expiry.expire_holds(now=later) == 0  # a second run changes nothing
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.EXPIRED
    assert levels(card_order) == (10, 0)
    stock.set_on_hand(card_order.sku, 2)  # sold elsewhere meanwhile

    assert payments.mark_paid(card_order.pk, card_order.total, "vnd") == "applied"
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.PAID
    assert "hết hàng, cần hoàn 210.000\u00a0₫ cho DH" in card_order.needs_attention
    assert card_order.sub_orders.get().status == SubOrder.Status.CANCELLED
    assert levels(card_order) == (2, 0)  # nothing oversold
    # nothing left the shelf, so a later cancellation must not put units back
    assert set(card_order.sub_orders.values_list("stock_state", flat=True)) == {"released"}


def test_hold_is_kept_until_it_runs_out(card_order):
    assert expiry.expire_holds(now=timezone.now()) == 0
    assert levels(card_order) == (10, 3)
    assert SubOrder.objects.filter(stock_state="reserved").count() == 1


def test_cash_on_delivery_orders_never_expire(shop, place):
    noodles = shop["noodles"].variants.get().sku
    place({noodles: 1})
    assert expiry.expire_holds(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert stock.levels([noodles])[noodles].reserved == 1


def test_a_late_failure_does_not_undo_the_shoppers_new_attempt(client, card_order):
    first = event("payment_intent.payment_failed", card_order.total, created=time.time() - 60)
    assert deliver(client, first, signed(first)).json()["outcome"] == "applied"
    card_order.refresh_from_db()
    payments.hold_again(card_order)
    assert levels(card_order) == (10, 3)
    # Stripe delivers an older failure again (or late): the new hold stays.
    again = event(
        "payment_intent.payment_failed",
        card_order.total,
        event_id="evt_old",
        created=time.time() - 30,
    )
    assert deliver(client, again, signed(again)).json()["outcome"] == "already"
    assert levels(card_order) == (10, 3)
    assert Order.objects.get(pk=card_order.pk).status == Order.Status.AWAITING_PAYMENT


def test_paid_then_cancelled_order_is_never_settled_again(card_order):
    from orders import fulfilment

    assert payments.mark_paid(card_order.pk, card_order.total, "vnd") == "applied"
    sub_order = card_order.sub_orders.get()
    fulfilment.change_status(sub_order.pk, SubOrder.Status.CANCELLED)
    assert levels(card_order) == (10, 0)
    assert Order.objects.get(pk=card_order.pk).status == Order.Status.CANCELLED
    # the shopper reloads the order page (intent still "succeeded"), or Stripe retries
    assert payments.mark_paid(card_order.pk, card_order.total, "vnd") == "already"
    assert levels(card_order) == (10, 0)
    assert Order.objects.get(pk=card_order.pk).status == Order.Status.CANCELLED


def test_late_payment_short_for_one_producer_still_ships_the_other(shop, place, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    tea = shop["tea"].variants.order_by("sort_order").first().sku
    noodles = shop["noodles"].variants.get().sku
    order = place({tea: 2, noodles: 3}, method=PaymentMethod.CARD)
    expiry.expire_holds(now=timezone.now() + datetime.timedelta(hours=1))
    stock.set_on_hand(noodles, 1)  # the noodles sold out meanwhile

    assert payments.mark_paid(order.pk, order.total, "vnd") == "applied"
    parts = {part.producer_id: part for part in order.sub_orders.all()}
    tea_part, noodle_part = parts[shop["tea"].producer_id], parts[shop["noodles"].producer_id]
    assert (tea_part.status, tea_part.stock_state) == ("new", "committed")
    assert (noodle_part.status, noodle_part.stock_state) == ("cancelled", "released")
    assert stock.levels([tea])[tea].on_hand == 8
    assert stock.levels([noodles])[noodles].on_hand == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and noodle_part.number in order.needs_attention


def test_staff_notes_stay_within_the_column(card_order):
    for _ in range(20):
        card_order.add_note("Cần hoàn 1.000.000 ₫ cho DH000001-1: hết hàng " * 2)
    card_order.save()
    assert len(Order.objects.get(pk=card_order.pk).needs_attention) == 255


def test_the_scheduler_runs_hold_expiry(card_order, shop, django_capture_on_commit_callbacks):
    from background.models import Slot
    from background.schedule import Scheduler
    from connectors.models import Channel, Listing, PendingPush

    shopee = Channel.objects.create(kind="shopee", name="S", slug="s", base_url="http://x.invalid")
    Listing.objects.create(channel=shopee, sku=card_order.sku, product=shop["noodles"])
    Channel.objects.filter(pk=shopee.pk).update(sync_paused=True)  # only the release here
    Order.objects.filter(pk=card_order.pk).update(
        hold_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        Scheduler().tick()
    assert Slot.objects.get(job="expire_holds").outcome == "released 1"
    assert levels(card_order) == (10, 0)
    # the units are visible again on the marketplaces with the next quick push
    assert PendingPush.objects.filter(channel=shopee, sku=card_order.sku).exists()


@pytest.mark.parametrize(
    ("amount", "currency"),
    [pytest.param(1_000, "vnd", id="short"), pytest.param(None, "usd", id="dollars")],
)
def test_a_payment_that_does_not_match_the_order_leaves_it_unpaid_and_held(
    client, card_order, amount, currency
):
    payload = event("payment_intent.succeeded", amount or card_order.total, currency=currency)
    response = deliver(client, payload, signed(payload))
    assert response.status_code == 200 and response.json()["outcome"] == "mismatch"
    card_order.refresh_from_db()
    assert card_order.status == Order.Status.AWAITING_PAYMENT and card_order.paid_at is None
    assert "cần kiểm tra" in card_order.needs_attention
    assert currency.upper() in card_order.needs_attention
    assert levels(card_order) == (10, 3)  # still held for this order
    later = timezone.now() + datetime.timedelta(days=2)
    assert expiry.expire_holds(now=later) == 0  # and not given back by the hold timer
    assert levels(card_order) == (10, 3)


def test_confirming_a_paid_order_again_says_it_is_paid(client, card_order):
    assert payments.mark_paid(card_order.pk, card_order.total, "vnd") == "applied"
    session = client.session
    session[MY_ORDERS_KEY] = [card_order.number]
    session.save()
    response = client.post(
        f"/don-hang/{card_order.number}/thanh-toan/xac-nhan/", {"payment_method": "pm_card"}
    )
    assert response.status_code == 200
    assert response.json() == {"status": "succeeded", "message": "Đơn này đã thanh toán."}
