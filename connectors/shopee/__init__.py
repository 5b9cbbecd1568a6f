"""Shopee Open Platform v2: request signing, an HTTP client, the adapter the sync engine
uses, and a local sandbox that speaks the same protocol."""

from collections.abc import Mapping

from connectors.images import ImageRules
from connectors.marketplace import Demo, Marketplace

from .adapter import ShopeeAdapter
from .push import RECEIVER
from .sandbox import PARTNER_ID, PARTNER_KEY, SHOP_ID, ShopeeSandbox


def adapter(base_url: str, secrets: Mapping[str, str]) -> ShopeeAdapter:
    """The adapter for a channel's base URL and decrypted secrets."""
    return ShopeeAdapter(
        base_url,
        partner_id=int(secrets["partner_id"]),
        partner_key=secrets["partner_key"],
        shop_id=int(secrets["shop_id"]),
        access_token=secrets.get("access_token", ""),
    )


MARKETPLACE = Marketplace(
    kind="shopee",
    label="Shopee",
    secret_keys=("partner_id", "partner_key", "shop_id", "access_token", "refresh_token"),
    image_rules=ImageRules(min_side=500, max_side=2000, max_bytes=2 * 1024 * 1024),
    adapter=adapter,
    push=RECEIVER,
    sandbox=ShopeeSandbox,
    api_prefix="",
    demo=Demo(
        name="Shopee (sandbox)",
        slug="shopee-sandbox",
        port=8801,
        secrets={
            "partner_id": str(PARTNER_ID),
            "partner_key": PARTNER_KEY,
            "shop_id": str(SHOP_ID),
        },
        mapping_attributes={"brand": "No brand", "brand_id": "0"},  # Shopee's No brand
    ),
)
