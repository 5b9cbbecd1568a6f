"""Card payments against localstripe, a stateful fake Stripe server on 127.0.0.1, with its
webhooks delivered (signed like Stripe's) to the live test server over real HTTP."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from catalogue import stock
from orders import payments
from orders.models import Order, PaymentEvent, PaymentMethod
from orders.views import MY_ORDERS_KEY, STRIPE_CALLS, STRIPE_FRAMES, STRIPE_SCRIPTS
from tests.localstripe_server import register_webhook, reset
from tests.test_security_headers import directives

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET = "whsec_localstripe_tests"
PUBLISHABLE = "pk_test_localstripe"


class Recorder(BaseHTTPRequestHandler):
    """A second webhook endpoint: keeps each delivery (body and signature) for replay."""

    deliveries: list[tuple[bytes, str]] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.deliveries.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    Recorder.deliveries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def stripe_on(localstripe, live_server, settings, recorder):
    reset(localstripe)
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = localstripe
    register_webhook(localstripe, f"{live_server.url}/stripe/webhook/", SECRET, webhook_id="site")
    register_webhook(
        localstripe, f"http://127.0.0.1:{recorder.server_port}/", SECRET, webhook_id="recorder"
    )
    return localstripe


def card_token(base_url: str, number: str) -> str:
    """What Stripe.js does in the browser: the card goes to Stripe, never to our server."""
    response = requests.post(
        f"{base_url}/v1/tokens",
        data={
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
            "key": PUBLISHABLE,
        },
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["card"]["id"]


def wait_for(condition, seconds=20.0):
    """Poll until the webhook (sent about a second after the event) has been applied."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the webhook")
        time.sleep(0.1)


def test_the_pay_page_lets_the_browser_load_stripe_js_and_nothing_else(
    client, stripe_on, shop, place, settings
):
    settings.STRIPE_JS_URL = stripe_on + "/js.stripe.com/v3/"
    order = place({shop["noodles"].variants.get().sku: 1}, method=PaymentMethod.CARD)
    session = client.session
    session[MY_ORDERS_KEY] = [order.number]
    session.save()
    response = client.get(f"/don-hang/{order.number}/thanh-toan/")
    assert response.status_code == 200
    assert f'<script src="{settings.STRIPE_JS_URL}"></script>' in response.text
    policy = directives(response)
    assert policy["script-src"] == ["'self'", stripe_on, *STRIPE_SCRIPTS]
    assert policy["frame-src"] == ["'self'", stripe_on, *STRIPE_FRAMES]
    assert policy["connect-src"] == ["'self'", stripe_on, *STRIPE_CALLS]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_card_payment_is_settled_by_the_signed_webhook(stripe_on, shop, place, live_server):
    noodles = shop["noodles"].variants.get().sku
    order = place({noodles: 2}, method=PaymentMethod.CARD)
    assert order.total == 2 * 60_000 + 30_000  # VND, zero-decimal: no ×100 anywhere

    payments.create_intent(order)
    intent = payments.retrieve_intent(order.payment_intent_id)
    assert (intent.amount, intent.currency) == (150_000, "vnd")
    assert intent.metadata["order_number"] == order.number
    payments.create_intent(order)  # the pay page shown again reuses the same intent
    assert Order.objects.get(pk=order.pk).payment_intent_id == intent.id

    status, refused = payments.confirm_on_server(order, card_token(stripe_on, "4242424242424242"))
    assert (status, refused) == ("succeeded", "")
    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID)
    item = stock.levels([noodles])[noodles]
    assert (item.on_hand, item.reserved) == (8, 0)
    event = PaymentEvent.objects.get(type="payment_intent.succeeded")
    assert (event.order_id, event.outcome) == (order.pk, "applied")

    # The same event delivered again (replayed exactly as localstripe signed it): one effect.
    wait_for(lambda: any(b"payment_intent.succeeded" in body for body, _ in Recorder.deliveries))
    body, signature = next(d for d in Recorder.deliveries if b"payment_intent.succeeded" in d[0])
    replay = requests.post(
        f"{live_server.url}/stripe/webhook/",
        data=body,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        timeout=10,
    )
    assert replay.status_code == 200 and replay.json()["outcome"] == "already"
    assert PaymentEvent.objects.filter(type="payment_intent.succeeded").count() == 1
    item = stock.levels([noodles])[noodles]
    assert (item.on_hand, item.reserved) == (8, 0)

    # A forged copy (amount changed, signature kept) is refused and changes nothing.
    forged = json.loads(body)
    forged["id"] = "evt_forged"
    forged["data"]["object"]["amount"] = 1
    forged_reply = requests.post(
        f"{live_server.url}/stripe/webhook/",
        data=json.dumps(forged).encode(),
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        timeout=10,
    )
    assert forged_reply.status_code == 400
    assert not PaymentEvent.objects.filter(event_id="evt_forged").exists()


def test_declined_card_releases_the_hold_until_the_shopper_retries(stripe_on, shop, place):
    noodles = shop["noodles"].variants.get().sku
    order = place({noodles: 3}, method=PaymentMethod.CARD)
    payments.create_intent(order)

    status, refused = payments.confirm_on_server(order, card_token(stripe_on, "4000000000000341"))
    assert (status, refused) == ("requires_payment_method", "Your card was declined.")
    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAYMENT_FAILED)
    item = stock.levels([noodles])[noodles]
    assert (item.on_hand, item.reserved) == (10, 0)  # the hold went back on sale
    assert PaymentEvent.objects.get().outcome == "applied"

    order.refresh_from_db()
    payments.hold_again(order)  # "Thử thanh toán lại"
    assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
    assert stock.levels([noodles])[noodles].reserved == 3
