"""Lazada Open Platform (Lazop) connector: signing, HTTP client, adapter and sandbox."""

from collections.abc import Mapping

from connectors.images import ImageRules
from connectors.marketplace import Demo, Marketplace

from .adapter import LazadaAdapter
from .push import RECEIVER
from .sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, LazadaSandbox


def adapter(base_url: str, secrets: Mapping[str, str]) -> LazadaAdapter:
    """The adapter for a channel's base URL and decrypted secrets."""
    return LazadaAdapter(
        base_url,
        app_key=secrets["app_key"],
        app_secret=secrets["app_secret"],
        access_token=secrets.get("access_token", ""),
    )


MARKETPLACE = Marketplace(
    kind="lazada",
    label="Lazada",
    secret_keys=("app_key", "app_secret", "access_token", "refresh_token"),
    image_rules=ImageRules(min_side=500, max_side=2000, max_bytes=3_000_000),
    adapter=adapter,
    push=RECEIVER,
    sandbox=LazadaSandbox,
    api_prefix="/rest",
    demo=Demo(
        name="Lazada (sandbox)",
        slug="lazada-sandbox",
        port=8802,
        secrets={"app_key": DEFAULT_APP_KEY, "app_secret": DEFAULT_APP_SECRET},
        # A brand_id from GetBrandByPages: 30768 is the one create-a-product.md's example uses.
        mapping_attributes={"brand_id": "30768"},
    ),
)
