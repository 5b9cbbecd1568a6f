"""The adapter for a channel, built from its kind, base URL and decrypted secrets."""

from connectors.base import Adapter
from connectors.lazada.adapter import LazadaAdapter
from connectors.models import Channel
from connectors.shopee.adapter import ShopeeAdapter

SECRET_KEYS: dict[str, tuple[str, ...]] = {
    Channel.Kind.SHOPEE: ("partner_id", "partner_key", "shop_id", "access_token", "refresh_token"),
    Channel.Kind.LAZADA: ("app_key", "app_secret", "access_token", "refresh_token"),
}


def adapter_for(channel: Channel) -> Adapter:
    secrets = channel.get_secrets()
    if channel.kind == Channel.Kind.SHOPEE:
        return ShopeeAdapter(
            channel.base_url,
            partner_id=int(secrets["partner_id"]),
            partner_key=secrets["partner_key"],
            shop_id=int(secrets["shop_id"]),
            access_token=secrets.get("access_token", ""),
        )
    if channel.kind == Channel.Kind.LAZADA:
        return LazadaAdapter(
            channel.base_url,
            app_key=secrets["app_key"],
            app_secret=secrets["app_secret"],
            access_token=secrets.get("access_token", ""),
        )
    raise ValueError(f"Unknown channel kind {channel.kind}")
