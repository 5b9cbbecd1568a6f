"""Every marketplace the site connects to (one `Marketplace` per package under
`connectors/`), and the adapter for a channel, built from its kind, base URL and
decrypted secrets."""

from connectors import lazada, shopee
from connectors.base import Adapter
from connectors.marketplace import Marketplace
from connectors.models import Channel

MARKETPLACES: dict[str, Marketplace] = {
    market.kind: market for market in (shopee.MARKETPLACE, lazada.MARKETPLACE)
}


def descriptors() -> list[Marketplace]:
    """Every marketplace."""
    return list(MARKETPLACES.values())


def descriptor(kind: str) -> Marketplace:
    """The marketplace of a channel kind (ValueError for an unknown one)."""
    try:
        return MARKETPLACES[kind]
    except KeyError:
        raise ValueError(f"Unknown channel kind {kind}") from None


def adapter_for(channel: Channel) -> Adapter:
    return descriptor(channel.kind).adapter(channel.base_url, channel.get_secrets())
