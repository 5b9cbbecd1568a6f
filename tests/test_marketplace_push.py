"""Orders pushed to us: each marketplace's sandbox sends its documented push to the
channel's webhook over HTTP, the webhook checks it as the marketplace documents, and
the order is pulled at once; forged pushes change nothing, repeated ones act once."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from background.models import Slot
from background.schedule import Scheduler
from catalogue import stock
from connectors import push
from connectors.lazada import push as lazada_push
from connectors.models import Channel, MarketplaceOrder, PushNotice
from connectors.shopee import push as shopee_push
from tests.markets import Market, make_channel, sync


def test_the_signatures_match_the_documented_examples():
    # Shopee: the reference's vector S5 (push-mechanism-notifications.md's formula).
    body = b'{"shop_id":14701711,"code":3}'
    assert shopee_push.sign("test_partner_key", "https://example.com/shopee/push", body) == (
        "e2774ecf95c5a63af180b985d3ee42ed393053aace7c0af234d60ba30020f3a9"
    )
    # Lazada: the worked example in lazada-push-mechanism.md's Java sample, body as printed.
    body = b'{"seller_id":"1234567", "message_type":0, "data":{...}..}'
    assert lazada_push.sign("123456", "3412gyo124goi3124", body) == (
        "f3d2ca947f16a50b577c036adecd18bec126ea19cadedd59816e255d3b6104ab"
    )


def _order_push(market: Market, channel: Channel, order_id: str, url: str) -> tuple[bytes, str]:
    """The first message the sandbox would push for the order, signed for `url`."""
    message = market.sandbox.push_messages(order_id, url)[0]
    return message.body, message.headers["Authorization"]


def _post(client, channel: Channel, body: bytes, authorization: str | None):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    url = reverse("marketplace_push", args=[channel.slug])
    return client.post(url, data=body, content_type="application/json", **headers)


@pytest.fixture
def listed(market, demo_catalogue, db):
    channel = make_channel(market)
    assert sync(channel).status == "ok"
    return channel


def _ordered(market: Market) -> tuple[str, str]:
    sku = next(iter(market.live_skus()))
    return sku, market.sandbox.create_order([{"seller_sku": sku, "quantity": 1}])


def test_a_forged_or_unsigned_push_is_refused_and_changes_nothing(market, listed, client):
    _, order_id = _ordered(market)
    url = "http://testserver" + push.webhook_path(listed)
    body, signature = _order_push(market, listed, order_id, url)
    forged_body = body.replace(order_id.encode(), b"999")
    for data, authorization in [
        (body, None),  # unsigned
        (body, "0" * 64),  # a made-up signature
        (forged_body, signature),  # the body changed after signing
        (body, signature + "00"),
        (body, "chữ ký giả"),  # not even hex, and not ASCII
    ]:
        answer = _post(client, listed, data, authorization)
        assert answer.status_code == 401
        assert answer.content.decode() == "Chữ ký không hợp lệ: thông báo không được ghi nhận."
    assert not PushNotice.objects.exists() and not Slot.objects.exists()
    assert Channel.objects.get(pk=listed.pk).orders_wanted_at is None
    # The same push, genuine, is taken.
    assert _post(client, listed, body, signature).status_code == 200
    assert PushNotice.objects.count() == 1


def _signed(market: Market, channel: Channel, url: str, body: bytes) -> str:
    """The signature the marketplace would send with `body` (its documented formula)."""
    secrets = channel.get_secrets()
    if market.kind == "shopee":
        return shopee_push.sign(secrets["partner_key"], url, body)
    return lazada_push.sign(secrets["app_key"], secrets["app_secret"], body)


def test_the_same_push_twice_has_one_effect(market, listed, client):
    _, order_id = _ordered(market)
    url = "http://testserver" + push.webhook_path(listed)
    body, signature = _order_push(market, listed, order_id, url)
    first, second = (_post(client, listed, body, signature) for _ in range(2))
    assert (first.status_code, first.content, second.status_code) == (200, b"", 200)
    [slot] = Slot.objects.filter(channel=listed)
    assert slot.job == "sync:orders"
    Slot.objects.filter(pk=slot.pk).update(started_at=timezone.now(), finished_at=timezone.now())
    # A retry stamped with a new delivery time (Lazada sends again every 30 min) is the
    # same push: still one notice, and no second pull.
    message = json.loads(body)
    message["timestamp"] += 1800_000
    again = json.dumps(message).encode()
    assert _post(client, listed, again, _signed(market, listed, url, again)).status_code == 200
    assert PushNotice.objects.filter(channel=listed).count() == 1
    assert Slot.objects.filter(channel=listed).count() == 1
    # A later change of the same order is a new push.
    market.sandbox.set_order_state(order_id, "cancelled")
    assert _post(client, listed, *_order_push(market, listed, order_id, url)).status_code == 200
    assert PushNotice.objects.filter(channel=listed).count() == 2
    assert Slot.objects.filter(channel=listed).count() == 2


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"code": 1e999}', b'{"data": 5}'])
def test_a_signed_push_we_cannot_read_is_acknowledged_and_pulls_the_orders(
    market, listed, client, body
):
    url = "http://testserver" + push.webhook_path(listed)
    answer = _post(client, listed, body, _signed(market, listed, url, body))
    assert (answer.status_code, answer.content) == (200, b"")
    assert list(Slot.objects.values_list("job", flat=True)) == ["sync:orders"]


def test_a_push_far_larger_than_documented_is_refused_unread(market, listed, client):
    url = "http://testserver" + push.webhook_path(listed)
    body = b'{"code": 3, "pad": "' + b"x" * 70_000 + b'"}'
    answer = _post(client, listed, body, _signed(market, listed, url, body))
    assert (answer.status_code, answer.content.decode()) == (413, "Thông báo quá lớn.")
    assert not PushNotice.objects.exists() and not Slot.objects.exists()


def _shopee_channel(slug: str, shop_id: int) -> Channel:
    from connectors.shopee.sandbox import PARTNER_ID, PARTNER_KEY

    channel = Channel(kind="shopee", name=slug, slug=slug, base_url="http://127.0.0.1:9")
    channel.set_secrets(
        {"partner_id": str(PARTNER_ID), "partner_key": PARTNER_KEY, "shop_id": str(shop_id)}
    )
    channel.save()
    return channel


def test_a_push_reaching_another_shops_webhook_pulls_the_shop_it_is_about(db, client):
    """Shopee takes one callback URL per app: every shop's pushes reach the one registered."""
    from connectors.shopee.sandbox import ShopeeSandbox

    registered, other = _shopee_channel("hao-dat", 1001), _shopee_channel("viet-cuong", 1002)
    sandbox = ShopeeSandbox(shop_id=1002)
    order_id = sandbox.create_order([{"seller_sku": "x", "quantity": 1}])
    url = "http://testserver" + push.webhook_path(registered)
    message = sandbox.push_messages(order_id, url)[0]
    answer = _post(client, registered, message.body, message.headers["Authorization"])
    assert (answer.status_code, answer.content) == (200, b"")
    assert list(Slot.objects.values_list("channel__slug", "job")) == [("viet-cuong", "sync:orders")]
    assert list(PushNotice.objects.values_list("channel__slug", flat=True)) == ["viet-cuong"]
    # A shop none of our channels has: acknowledged, nothing done.
    stranger = ShopeeSandbox(shop_id=1003)
    order_id = stranger.create_order([{"seller_sku": "x", "quantity": 1}])
    message = stranger.push_messages(order_id, url)[0]
    answer = _post(client, registered, message.body, message.headers["Authorization"])
    assert (answer.status_code, answer.content) == (200, b"")
    assert PushNotice.objects.count() == 1 and Slot.objects.count() == 1
    assert other.pk != registered.pk


def test_a_push_to_a_paused_channel_is_kept_for_when_it_runs_again(market, listed, client):
    Channel.objects.filter(pk=listed.pk).update(sync_paused=True)
    _, order_id = _ordered(market)
    url = "http://testserver" + push.webhook_path(listed)
    assert _post(client, listed, *_order_push(market, listed, order_id, url)).status_code == 200
    assert PushNotice.objects.count() == 1 and not Slot.objects.exists()
    Channel.objects.filter(pk=listed.pk).update(sync_paused=False)
    Scheduler(enqueue=lambda slot_id: None).tick()
    assert "sync:orders" in Slot.objects.filter(channel=listed).values_list("job", flat=True)


def test_the_scheduler_pulls_orders_a_push_asked_for_until_a_pull_has_worked(listed):
    scheduler = Scheduler(enqueue=lambda slot_id: None)
    now = timezone.now().replace(second=0, microsecond=0)
    seconds = [now + datetime.timedelta(seconds=n) for n in range(60)]
    scheduler.tick(now)  # this minute's periodic jobs
    Slot.objects.update(started_at=now, finished_at=now, outcome="ok")
    earlier = now - datetime.timedelta(minutes=1)  # the listing pass pulled orders then
    Channel.objects.filter(pk=listed.pk).update(
        orders_pulled_at=earlier, orders_wanted_at=seconds[5]
    )

    def pull(at: int) -> list[str]:
        return [slot.job for slot in scheduler.tick(seconds[at]) if slot.channel_id]

    assert pull(10) == ["sync:orders"]
    # the pull failed (the marketplace did not answer): not retried hot, but retried
    Slot.objects.filter(job="sync:orders", finished_at__isnull=True).update(
        started_at=seconds[10], finished_at=seconds[11], outcome="failed"
    )
    assert pull(20) == [] and pull(45) == ["sync:orders"]
    # this one worked: the push is answered, nothing more is due
    Slot.objects.filter(finished_at__isnull=True).update(
        started_at=seconds[45], finished_at=seconds[46], outcome="ok"
    )
    Channel.objects.filter(pk=listed.pk).update(orders_pulled_at=seconds[45])
    assert pull(50) == [] and pull(55) == []


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_sandbox_pushes_each_order_change_and_it_is_pulled_at_once(
    market, committed_demo, live_server
):
    channel = make_channel(market)
    assert sync(channel).status == "ok"
    market.sandbox.push_to(live_server.url + push.webhook_path(channel))
    sku = next(iter(market.live_skus()))
    before = stock.get(sku).available
    order_id = market.sandbox.create_order([{"seller_sku": sku, "quantity": 2}])
    assert market.sandbox.pushes_settled()
    order = MarketplaceOrder.objects.get(channel=channel, external_id=order_id)
    assert (order.stock_state, stock.get(sku).available) == ("reserved", before - 2)

    market.sandbox.set_order_state(order_id, "cancelled")
    assert market.sandbox.pushes_settled()
    order.refresh_from_db()
    assert (order.stock_state, stock.get(sku).available) == ("released", before)
    statuses = [delivery["status"] for delivery in market.sandbox.deliveries]
    assert statuses and set(statuses) == {200}
    # every pull came from a push: no periodic pass ran (there is no scheduler here)
    assert set(Slot.objects.filter(channel=channel).values_list("job", flat=True)) == {
        "sync:orders"
    }


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_sandbox_sends_a_push_again_until_it_is_acknowledged(market, committed_db, live_server):
    missing = f"{live_server.url}/webhooks/no-such-channel/"  # answers 404
    market.sandbox.push_to(missing, retry_seconds=0.01, retries=2)
    market.sandbox.create_order([{"seller_sku": "x", "quantity": 1}])
    assert market.sandbox.pushes_settled(attempts=3)
    assert [d["attempt"] for d in market.sandbox.deliveries] == [1, 2, 3]
    assert {d["status"] for d in market.sandbox.deliveries} == {404}


@pytest.mark.parametrize("pushed, follows", [(3600, True), (-3600, False)])
def test_a_push_that_came_during_a_pass_is_pulled_right_after_it(market, listed, pushed, follows):
    from background.tasks import run_slot

    now = timezone.now()
    slot = Slot.objects.create(
        key=f"sync:pass@{listed.pk}", job="sync:pass", channel=listed, due_at=now, enqueued_at=now
    )
    # a push after the pass's order pull (the clock says an hour on), or one before it
    at = now + datetime.timedelta(seconds=pushed)
    Channel.objects.filter(pk=listed.pk).update(orders_wanted_at=at, orders_pulled_at=None)
    assert run_slot.call(slot.pk) == "ok"
    follow_up = Slot.objects.exclude(pk=slot.pk).filter(channel=listed)
    assert list(follow_up.values_list("job", "started_at")) == (
        [("sync:orders", None)] if follows else []
    )
