"""What the storefront's pages show beyond their own fields. Registered per page type
in CatalogueConfig.ready() and looked up by CataloguePage.get_context (through
catalogue.listeners), since these views import the models they render."""

from django.http import HttpRequest

from catalogue.models import HomePage, ProducerPage, ProductsIndexPage, StorefrontEntry
from catalogue.storefront import listing


def home(page: HomePage, request: HttpRequest) -> dict[str, object]:
    newest = StorefrontEntry.objects.order_by("-published_at", "-pk")[:8]
    return {"latest_cards": listing.cards(list(newest))}


def products_index(page: ProductsIndexPage, request: HttpRequest) -> dict[str, object]:
    """Search, filters with counts, sorting and pages, all from the query string."""
    return {"listing": listing.run(request.GET, page_number=request.GET.get("page"))}


def producer(page: ProducerPage, request: HttpRequest) -> dict[str, object]:
    """The producer's own products, without facets."""
    return {
        "listing": listing.run(
            request.GET,
            page_number=request.GET.get("page"),
            producer_id=page.pk,
            with_facets=False,
        )
    }
