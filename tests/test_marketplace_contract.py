"""Every request our adapters send, checked against the marketplace's own specification
(connectors/<kind>/spec/, through its sandbox's `specification_problems`), apart from how
the sandbox answered it: a whole working
life of a channel (token refresh, first listing of the demo catalogue, price and stock
changes, orders opened, shipped and cancelled, reconcile, a delisting and a relisting)
must send none that the specification refuses."""

import datetime

import pytest
from django.utils import timezone

from catalogue import stock
from catalogue.models import ProductPage
from connectors.engine import run_pass
from connectors.registry import adapter_for
from tests.markets import Market, make_channel, no_sleep, sync

pytestmark = pytest.mark.slow


@pytest.mark.usefixtures("demo_catalogue", "db")
def test_a_channels_working_life_sends_only_requests_the_specification_allows(
    market: Market,
) -> None:
    market.sandbox.journal = []
    channel = make_channel(
        market,
        price_markup_percent=10,
        stock_buffer=1,
        token_expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    runs = [sync(channel)]  # refreshes the token, then lists the catalogue
    listed = sorted(market.live_skus())
    assert len(listed) > 20

    first, second, third = listed[:3]
    stock.set_on_hand(first, stock.get(first).reserved + 5)
    variant = ProductPage.objects.get(variants__sku=second).variants.get(sku=second)
    variant.price += 10_000
    variant.save()
    runs.append(sync(channel))

    shipped = market.sandbox.create_order([{"seller_sku": first, "quantity": 1}])
    cancelled = market.sandbox.create_order([{"seller_sku": third, "quantity": 1}])
    runs.append(sync(channel))
    market.sandbox.set_order_state(shipped, "shipped")
    market.sandbox.set_order_state(cancelled, "cancelled")
    runs.append(sync(channel))

    channel.refresh_from_db()
    runs.append(run_pass(channel, adapter_for(channel), kind="reconcile", sleep=no_sleep))
    product = ProductPage.objects.get(variants__sku=third)
    product.unpublish()
    runs.append(sync(channel))  # delisted
    product.save_revision().publish()
    runs.append(sync(channel))  # listed again
    assert third in market.live_skus()

    assert [run.status for run in runs] == ["ok"] * len(runs), [run.errors for run in runs]
    paths = {request.path for request in market.sandbox.journal}
    assert len(paths) >= 10  # the scenario reached most of the API we call
    refused = [
        f"{request.method} {request.path}: {problem}"
        for request in market.sandbox.journal
        for problem in market.sandbox.specification_problems(request)
    ]
    assert refused == []
