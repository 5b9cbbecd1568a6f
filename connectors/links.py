"""What the catalogue shows of a product's listings: "Cũng bán trên …" on its page (one
link per marketplace where it is live), and in its editor each channel that does not
carry it, or failed to, with the reason."""

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


def listing_notes(product: ProductPage) -> list[str]:
    """ "Shopee tỉnh — Không đăng: Sản phẩm chưa có ảnh", one per channel and reason."""
    rows = (
        Listing.objects.filter(
            product=product,
            channel__enabled=True,
            state__in=[Listing.State.SKIPPED, Listing.State.ERROR],
        )
        .exclude(last_error="")
        .select_related("channel")
        .order_by("channel__name", "sku")
    )
    notes = (f"{row.channel.name} — {row.get_state_display()}: {row.last_error}" for row in rows)
    return list(dict.fromkeys(notes))
