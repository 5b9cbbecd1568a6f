"""A marketplace sandbox served over HTTP, and a channel of ours bound to it: the pieces
the engine and contract tests share."""

import pytest

from catalogue.models import ProductPage
from connectors.engine import run_pass
from connectors.lazada.sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, LazadaSandbox
from connectors.models import CategoryMapping, Channel
from connectors.registry import adapter_for
from connectors.sandbox.server import Sandbox, running
from connectors.shopee.sandbox import PARTNER_ID, PARTNER_KEY, SHOP_ID, ShopeeSandbox


def no_sleep(seconds: float) -> None:
    """Backoff and rate-limit waits are skipped in tests (the sandbox has no real
    clock to wait for); the engine's retry counts still apply."""


class Market:
    def __init__(self, kind: str, sandbox, url: str):
        self.kind, self.sandbox, self.url = kind, sandbox, url

    def items(self) -> list[dict]:
        with self.sandbox.state.lock:
            return [dict(item) for item in self.sandbox.state.data["items"].values()]

    def live_skus(self) -> dict[str, dict]:
        return {
            sku["seller_sku"]: sku
            for item in self.items()
            if item.get("status") in ("NORMAL", "active", "live", "Active")
            for sku in item["skus"]
        }

    def writes(self) -> int:
        return sum(n for path, n in self.sandbox.calls.items() if "get" not in path)


@pytest.fixture(params=["shopee", "lazada"])
def market(request, tmp_path):
    sandbox: Sandbox
    if request.param == "shopee":
        sandbox = ShopeeSandbox(state_file=tmp_path / "shopee.json")
    else:
        sandbox = LazadaSandbox(state_file=tmp_path / "lazada.json")
    with running(sandbox) as url:
        yield Market(request.param, sandbox, url)


def make_channel(market: Market, **fields) -> Channel:
    tokens = market.sandbox.issue_tokens()
    if market.kind == "shopee":
        channel = Channel(kind="shopee", base_url=market.url, name="Shopee", slug="shopee")
        secrets = {
            "partner_id": str(PARTNER_ID),
            "partner_key": PARTNER_KEY,
            "shop_id": str(SHOP_ID),
        }
    else:
        channel = Channel(
            kind="lazada", base_url=market.url + "/rest", name="Lazada", slug="lazada"
        )
        secrets = {"app_key": DEFAULT_APP_KEY, "app_secret": DEFAULT_APP_SECRET}
    channel.set_secrets(
        {
            **secrets,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
        }
    )
    for key, value in fields.items():
        setattr(channel, key, value)
    channel.save()
    categories = set(ProductPage.objects.values_list("ocop_category_id", flat=True))
    for category_id in categories:
        CategoryMapping.objects.create(
            channel=channel,
            ocop_category_id=category_id,
            category_id="100001",
            # Shopee's brand_id 0 is "No brand"; Lazada's brand_id comes from GetBrandByPages
            # (30768 is the one create-a-product.md's example uses).
            attributes={
                "brand": "No brand",
                "brand_id": "0" if market.kind == "shopee" else "30768",
            },
        )
    return channel


def sync(channel: Channel):
    channel.refresh_from_db()
    return run_pass(channel, adapter_for(channel), sleep=no_sleep)
