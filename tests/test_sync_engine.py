"""The sync engine against the Shopee and Lazada sandboxes over real HTTP, with the demo
catalogue: first pass lists what is eligible, a pass with no change writes nothing, a
stock or price change sends only that, marketplace orders move our stock, and with 30 %
injected failures repeated passes converge with no duplicate listing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue import stock
from catalogue.models import Certificate, ProductPage
from connectors.engine import run_pass
from connectors.lease import ChannelBusy, LeaseLost, acquire, release, renew
from connectors.models import CategoryMapping, Channel, Listing, MarketplaceOrder, PendingPush
from connectors.registry import adapter_for
from connectors.sandbox.server import Faults
from tests.markets import make_channel, no_sleep, sync

pytestmark = pytest.mark.slow


def eligible_skus() -> dict[str, int]:
    """SKU → available, for live products with a valid certificate (the channel rule)."""
    today = timezone.localdate()
    products = ProductPage.objects.live().public().prefetch_related("variants", "certificates")
    skus = [
        v.sku
        for p in products
        if not p.is_service and p.valid_certificate(today)
        for v in p.variants.all()
    ]
    return {sku: item.available for sku, item in stock.levels(skus).items()}


@pytest.fixture
def demo(demo_catalogue, db):
    return eligible_skus()


def test_first_pass_lists_the_eligible_catalogue_and_a_second_writes_nothing(market, demo, client):
    channel = make_channel(market, price_markup_percent=10, stock_buffer=1, stock_share_percent=50)
    run = sync(channel)
    assert run.status == "ok", run.errors
    live = market.live_skus()
    assert set(live) == set(demo)  # expired certificates and tourism are not listed
    sku, available = max(demo.items(), key=lambda pair: pair[1])
    assert live[sku]["stock"] == available // 2 - 1  # half the stock, one unit held back
    assert Listing.objects.filter(channel=channel, state="live").count() == len(demo)
    # the product page links to a live listing with a URL ("Cũng bán trên"); a sandbox
    # that gives none (Lazada's) shows no link
    listing = Listing.objects.filter(channel=channel, state="live").order_by("-url").first()
    assert listing is not None
    html = client.get(listing.product.url).content.decode()
    assert ("Cũng bán trên" in html) is bool(listing.url)
    assert (f'href="{listing.url}"' in html) is bool(listing.url)

    writes = market.writes()
    again = sync(channel)
    assert again.status == "ok"
    assert market.writes() == writes  # nothing changed: zero write calls
    assert again.counts.get("stock", 0) == again.counts.get("price", 0) == 0


def test_changes_send_only_what_changed(market, demo):
    channel = make_channel(market, price_markup_percent=10)
    sync(channel)
    sku = next(iter(demo))
    stock.set_on_hand(sku, stock.get(sku).reserved + 3)
    before = dict(market.sandbox.calls)
    run = sync(channel)
    sent = {p: n - before.get(p, 0) for p, n in market.sandbox.calls.items() if "get" not in p}
    assert sum(sent.values()) == 1, sent  # one stock call, nothing else
    assert run.counts["stock"] == 1
    assert market.live_skus()[sku]["stock"] == 3

    variant = ProductPage.objects.get(variants__sku=sku).variants.get(sku=sku)
    variant.price = 123_400
    variant.save()
    sync(channel)
    assert market.live_skus()[sku]["price"] == 136_000  # +10 %, rounded up to 1.000 ₫


def test_unpublished_product_is_delisted_and_unmapped_is_reported(market, demo):
    channel = make_channel(market)
    sync(channel)
    product = ProductPage.objects.get(variants__sku=next(iter(demo)))
    product.unpublish()
    CategoryMapping.objects.filter(channel=channel).delete()
    run = sync(channel)
    rows = Listing.objects.filter(channel=channel, product=product)
    assert set(rows.values_list("state", flat=True)) == {"delisted"}
    assert not set(market.live_skus()) & set(rows.values_list("sku", flat=True))
    assert run.counts["unmapped"] > 0
    assert any("Chưa ánh xạ" in error for error in run.errors)


def test_marketplace_orders_move_our_stock_and_the_other_channel_follows(market, demo):
    channel = make_channel(market)
    sync(channel)
    sku = next(s for s, available in demo.items() if available >= 3)
    before = stock.get(sku)
    order_id = market.sandbox.create_order([{"seller_sku": sku, "quantity": 2}])
    sync(channel)
    after = stock.get(sku)
    assert after.reserved == before.reserved + 2
    assert market.live_skus()[sku]["stock"] == after.available  # pushed back as absolute
    assert MarketplaceOrder.objects.get(channel=channel).stock_state == "reserved"

    market.sandbox.set_order_state(order_id, "cancelled")
    sync(channel)
    assert stock.get(sku).reserved == before.reserved
    assert MarketplaceOrder.objects.get(channel=channel).stock_state == "released"
    sync(channel)  # the same order seen again changes nothing
    assert stock.get(sku).reserved == before.reserved


def test_thirty_percent_failures_converge_without_duplicates(market, demo):
    channel = make_channel(market)
    market.sandbox.faults = Faults(error_rate=0.3, lost_create_rate=0.3, seed=4)
    market.sandbox.random.seed(4)
    for _ in range(12):
        sync(channel)
        if len(market.live_skus()) == len(demo):
            break
    sku = next(iter(demo))
    stock.set_on_hand(sku, stock.get(sku).reserved + 7)
    for _ in range(12):
        run = sync(channel)
        if run.status == "ok" and market.live_skus().get(sku, {}).get("stock") == 7:
            break
    market.sandbox.faults = Faults()
    assert sync(channel).status == "ok"
    live = market.live_skus()
    assert set(live) == set(demo)
    seller_skus = [s["seller_sku"] for item in market.items() for s in item["skus"]]
    assert len(seller_skus) == len(set(seller_skus))  # no duplicate listing
    levels = stock.levels(list(demo))
    assert all(live[s]["stock"] == levels[s].available for s in demo)


def test_new_items_get_their_variations_after_one_wait_for_all(market, demo):
    """Shopee's guide: create variants 5 s after the item (creating-product.md), so a
    pass creates every new item, waits once, then adds each item's variations."""
    channel = make_channel(market)
    waits: list[float] = []
    market.sandbox.journal = []
    run = run_pass(channel, adapter_for(channel), sleep=waits.append)
    assert run.status == "ok", run.errors
    assert set(market.live_skus()) == set(demo)
    paths = [request.path.rsplit("/", 1)[-1] for request in market.sandbox.journal]
    long_waits = [seconds for seconds in waits if seconds > 1]
    if market.kind == "shopee":
        last_create = max(i for i, path in enumerate(paths) if path == "add_item")
        first_variation = paths.index("init_tier_variation")
        assert last_create < first_variation
        assert paths.count("init_tier_variation") == run.counts["create"] > 10
        assert len(long_waits) == 1 and 4 < long_waits[0] <= 5
    else:  # Lazada's /product/create carries the SKUs: nothing to wait for
        assert "init_tier_variation" not in paths and long_waits == []


def test_expired_token_is_refreshed_and_a_dead_refresh_asks_for_reauthorisation(market, demo):
    channel = make_channel(market, token_expires_at=timezone.now() - datetime.timedelta(hours=1))
    old = channel.get_secrets()["access_token"]
    assert sync(channel).status == "ok"
    channel.refresh_from_db()
    assert channel.get_secrets()["access_token"] != old
    assert channel.token_expires_at is not None
    assert channel.token_expires_at > timezone.now()
    if market.kind == "lazada":  # the end of the refresh token, which a refresh keeps
        assert channel.authorisation_expires_at is not None
        assert channel.authorisation_expires_at > timezone.now() + datetime.timedelta(days=29)

    secrets = channel.get_secrets()
    channel.set_secrets({**secrets, "access_token": "revoked", "refresh_token": "revoked"})
    channel.save()
    run = sync(channel)
    channel.refresh_from_db()
    assert run.status == "failed" and channel.needs_reauth


def test_one_pass_per_channel_at_a_time(market, db):
    channel = make_channel(market)
    owner = acquire(channel)
    with pytest.raises(ChannelBusy):
        run_pass(channel, adapter_for(channel), sleep=no_sleep)
    release(channel, owner)
    later = timezone.now() + datetime.timedelta(hours=1)
    stale = acquire(channel)
    assert acquire(channel, now=later)  # a lease left by a killed pass runs out
    with pytest.raises(LeaseLost):
        renew(channel, stale)  # and the slow pass that held it stops


def test_reconcile_pass_undoes_edits_made_on_the_marketplace(market, demo):
    channel = make_channel(market)
    sync(channel)
    sku = next(iter(demo))
    other = next(s for s in demo if s.rsplit("-", 1)[0] != sku.rsplit("-", 1)[0])
    with market.sandbox.state.lock:
        items = market.sandbox.state.data["items"]
        for item in items.values():
            for remote in item["skus"]:
                if remote["seller_sku"] == sku:
                    remote["stock"] = 999  # a seller typed it on the marketplace
        gone = next(
            k for k, item in items.items() if other in {s["seller_sku"] for s in item["skus"]}
        )
        del items[gone]  # and deleted another item there
    assert sync(channel).counts.get("stock", 0) == 0  # a fast pass trusts its records

    channel.refresh_from_db()
    run = run_pass(channel, adapter_for(channel), kind="reconcile", sleep=no_sleep)
    assert run.status == "ok", run.errors
    assert run.counts["reconcile_drift"] >= 1 and run.counts["reconcile_missing"] >= 1
    live = market.live_skus()
    assert live[sku]["stock"] == stock.get(sku).available
    assert other in live  # listed again


def test_marketplace_order_changes_are_applied_line_by_line(db, structure):
    """Orders as a marketplace reports them over time: a refused cancellation, a unit
    cancelled out of two, a line we cannot hold beside one we can, shipping."""
    from connectors.base import RemoteOrder, RemoteOrderLine
    from connectors.orders import apply_order

    channel = Channel.objects.create(kind="shopee", name="S", slug="s", base_url="http://x")
    stock.set_on_hand("A", 10)

    def seen(state, *lines):
        remote_lines = [RemoteOrderLine(sku, n) for sku, n in lines]
        return apply_order(channel, RemoteOrder("o1", state, remote_lines, 0))

    assert seen("open", ("A", 2), ("GIFT-1", 1)) == "unmatched"  # A is held all the same
    assert stock.get("A").reserved == 2
    assert seen("cancelled", ("A", 2)) == "cancelled"
    assert stock.get("A").reserved == 0
    assert seen("open", ("A", 2)) == "open"  # the buyer's cancel request was refused
    assert stock.get("A").reserved == 2
    assert seen("open", ("A", 1)) == "open"  # one unit cancelled of two
    assert stock.get("A").reserved == 1
    assert seen("shipped", ("A", 1)) == "shipped"
    assert (stock.get("A").on_hand, stock.get("A").reserved) == (9, 0)
    assert seen("shipped", ("A", 1)) == "shipped"  # seen again: nothing more
    assert (stock.get("A").on_hand, stock.get("A").reserved) == (9, 0)
    assert MarketplaceOrder.objects.get().stock_state == "committed"


def test_a_product_published_again_is_listed_again(market, demo):
    channel = make_channel(market)
    sync(channel)
    sku = next(iter(demo))
    product = ProductPage.objects.get(variants__sku=sku)
    product.unpublish()
    sync(channel)
    assert sku not in market.live_skus()
    product.save_revision().publish()
    run = sync(channel)
    assert run.status == "ok" and run.counts["relist"] == 1
    assert sku in market.live_skus()
    assert Listing.objects.get(channel=channel, sku=sku).state == "live"


def test_a_quick_push_sends_only_the_waiting_skus_and_an_orders_pass_only_pulls(market, demo):
    channel = make_channel(market)
    assert sync(channel).status == "ok"
    sku = max(demo, key=demo.get)
    stock.adjust(sku, 3)
    assert PendingPush.objects.filter(channel=channel, sku=sku).count() == 1
    writes = market.writes()

    run = run_pass(channel, adapter_for(channel), kind="push", sleep=no_sleep)
    assert run.status == "ok" and run.kind == "push"
    assert run.counts.get("stock") == 1 and market.writes() == writes + 1
    assert market.live_skus()[sku]["stock"] == demo[sku] + 3
    assert not PendingPush.objects.filter(channel=channel).exists()  # consumed

    stock.adjust(sku, -1)
    run = run_pass(channel, adapter_for(channel), kind="orders", sleep=no_sleep)
    assert run.status == "ok" and market.writes() == writes + 1  # pulled, pushed nothing
    assert PendingPush.objects.filter(channel=channel, sku=sku).count() == 1  # still waiting


def test_every_product_not_carried_says_why_and_a_new_certificate_lists_it(market, demo, as_staff):
    """No silent skips: each product the channel does not carry has rows in state "Không
    đăng" with a reason a cooperative can read; awarding the missing certificate queues a
    quick pass that lists the product."""
    channel = make_channel(market)
    first = sync(channel)
    assert first.status == "ok" and first.counts["skipped"] > 0
    assert first.skipped == []  # a scheduled pass keeps the reasons on the rows only
    skipped = Listing.objects.filter(channel=channel, state=Listing.State.SKIPPED)
    reasons = {row.product.title: row.last_error for row in skipped.select_related("product")}
    uncertified = ProductPage.objects.exclude(certificates__isnull=False).get(live=True)
    assert reasons[uncertified.title] == "Chưa có chứng nhận OCOP (kênh chỉ bán sản phẩm OCOP)"
    assert any("đã hết hiệu lực ngày" in reason for reason in reasons.values())
    assert "Dịch vụ du lịch không bán trên sàn" in reasons.values()
    assert not set(skipped.values_list("sku", flat=True)) & set(demo)  # the carried ones

    # The product's listings screen (its "Trên sàn" button) shows the reason.
    url = reverse("marketplace_listings:index") + f"?product={uncertified.pk}"
    html = as_staff.get(url).content.decode()
    assert "Không đăng" in html and "Chưa có chứng nhận OCOP" in html

    # A pass with nothing new rewrites none of those rows.
    written = dict(skipped.values_list("pk", "updated_at"))
    assert sync(channel).status == "ok"
    assert dict(skipped.values_list("pk", "updated_at")) == written

    Certificate.objects.create(
        product=uncertified,
        stars=3,
        score=60,
        decision_number="7/QĐ-UBND",
        issuer="UBND tỉnh Lạng Sơn",
        signed_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    assert PendingPush.objects.filter(channel=channel).exists()  # the quick pass is due
    channel.refresh_from_db()
    run = run_pass(channel, adapter_for(channel), kind="push", sleep=no_sleep)
    assert run.status == "ok", run.errors
    skus = set(uncertified.variants.values_list("sku", flat=True))
    assert skus <= set(market.live_skus())
    assert set(
        Listing.objects.filter(channel=channel, sku__in=skus).values_list("state", flat=True)
    ) == {Listing.State.LIVE}
