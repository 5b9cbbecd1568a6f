""" "Cũng bán trên …" on a product page: one link per channel where the product is live."""

from catalogue.models import ProductPage
from connectors.models import Listing


def live_listing_links(product: ProductPage) -> list[tuple[str, str]]:
    """(marketplace name, listing URL) pairs, one per marketplace, by channel name."""
    live = (
        Listing.objects.filter(product=product, state=Listing.State.LIVE, channel__enabled=True)
        .exclude(url="")
        .select_related("channel")
        .order_by("channel__name", "sku")
    )
    links: dict[str, str] = {}
    for listing in live:
        links.setdefault(listing.channel.get_kind_display(), listing.url)
    return list(links.items())
