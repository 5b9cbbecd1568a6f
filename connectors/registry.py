"""Every marketplace the site connects to, and the adapter for a channel, built from its
kind, base URL and decrypted secrets. Each `Channel.Kind` value names a package under
`connectors/` whose `__init__.py` declares its `MARKETPLACE`."""

from importlib import import_module

from connectors.base import Adapter
from connectors.marketplace import Marketplace
from connectors.models import Channel

MARKETPLACES: dict[str, Marketplace] = {
    kind: import_module(f"connectors.{kind}").MARKETPLACE for kind in Channel.Kind.values
}


def descriptors() -> list[Marketplace]:
    """Every marketplace, in the order of `Channel.Kind`."""
    return list(MARKETPLACES.values())


def descriptor(kind: str) -> Marketplace:
    """The marketplace of a channel kind (ValueError for an unknown one)."""
    try:
        return MARKETPLACES[kind]
    except KeyError:
        raise ValueError(f"Unknown channel kind {kind}") from None


def adapter_for(channel: Channel) -> Adapter:
    return descriptor(channel.kind).adapter(channel.base_url, channel.get_secrets())
