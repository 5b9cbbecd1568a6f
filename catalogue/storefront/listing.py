"""One listing request, the same for the products page, a producer's page and the API:
validate the parameters with the FilterSet, count, take one page of the read model, and
attach the card images with their renditions, in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, Filter

from catalogue.models import StorefrontEntry
from catalogue.models.storefront import stars_shown

from . import facets as facet_counts
from .facets import Facet
from .filters import ProductFilter

PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
# Card image: 240 px wide on a phone grid, 480 px for 2x screens. Filter objects are made
# once: parsing a spec per card per request is a measurable share of the page's time.
CARD_RENDITIONS = ("fill-240x240|format-webp", "fill-480x480|format-webp")
_CARD_FILTERS = [Filter(spec=spec) for spec in CARD_RENDITIONS]


@dataclass
class Card:
    """What a product card shows, taken from the read model."""

    entry: StorefrontEntry
    stars: int  # 0 when the certificate is missing or no longer valid today
    image: AbstractImage | None = None  # a Wagtail image with CARD_RENDITIONS prefetched

    @property
    def from_price(self) -> bool:
        return self.entry.min_price != self.entry.max_price

    @cached_property
    def renditions(self) -> list:
        """The card image in each CARD_RENDITIONS size (from the prefetched renditions)."""
        if self.image is None:
            return []
        return [self.image.get_rendition(spec) for spec in _CARD_FILTERS]

    @property
    def src(self) -> str:
        return self.renditions[0].url if self.renditions else ""

    @property
    def srcset(self) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)


@dataclass
class Listing:
    filterset: ProductFilter
    errors: dict[str, list[str]]
    page: Page | None
    cards: list[Card] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def active_filters(self) -> int:
        return sum(1 for facet in self.facets if facet.clear_url)


def shown_stars(entry: StorefrontEntry, today: datetime.date) -> int:
    return stars_shown(entry.stars, entry.certified_until, today)


def cards(entries: list[StorefrontEntry]) -> list[Card]:
    """Cards for these entries, their images fetched with renditions in two queries."""
    today = timezone.localdate()
    image_ids = {e.image_id for e in entries if e.image_id}
    images = {}
    if image_ids:
        images = {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_renditions(*CARD_RENDITIONS)
        }
    return [Card(e, shown_stars(e, today), images.get(e.image_id)) for e in entries]


def _base(producer_id: int | None):
    qs = StorefrontEntry.objects.all()
    return qs.filter(producer_id=producer_id) if producer_id else qs


def run(
    params: QueryDict,
    *,
    page_number: str | int | None = None,
    page_size: int = PAGE_SIZE,
    producer_id: int | None = None,
    with_facets: bool = True,
    strict_page: bool = False,
) -> Listing:
    """Filter, count and page the storefront.

    An invalid parameter gives a Listing with `errors` and no results, so the page can show
    the message and the API can answer 400. With `strict_page` a page number that is not a
    page of the results raises Paginator's InvalidPage (the API answers it); the HTML page
    shows the nearest page instead.
    """
    filterset = ProductFilter(params, queryset=_base(producer_id))
    if not filterset.is_valid():
        return Listing(filterset, _messages(filterset.errors), None)
    paginator = Paginator(filterset.qs, page_size)
    page = paginator.page(page_number or 1) if strict_page else paginator.get_page(page_number)
    listing = Listing(filterset, {}, page, cards(list(page.object_list)))
    if with_facets:
        listing.facets = facet_counts.build(filterset, dict(params.lists()))
    return listing


def _messages(errors) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in errors.items()}
