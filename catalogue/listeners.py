"""What the catalogue's models and services announce, and who is told, without either
importing the other.

The catalogue is the bottom layer: orders, connectors and background depend on it, never
the other way round; and inside it, the models know nothing of the storefront read model
or the page views, which import the models. Where a model or service must tell them
something, it calls an announcement here, and the interested module registers a listener
from its app's `AppConfig.ready()` (catalogue.apps, connectors.apps):

- `stock_changed(skus)`: the available stock of these SKUs changed (marketplaces);
- `certificates_changed(product_ids)`: a certificate of these products was awarded,
  renewed, revoked, deleted or expired, so channels that carry only certified products
  must look at them again (marketplaces);
- `products_changed(product_ids)`: what shoppers see of these products may have changed
  (saved, moved, a certificate awarded or revoked; the storefront read model);
- `product_published(product_id)`: a product was saved live (its photos' renditions);
- `producer_changed(producer_id)`, `places_changed(commune_ids)`: names shown with every
  product of a producer or a commune changed (the storefront read model).

Listeners are called at once, in order, inside the caller's transaction, so what they
write commits or rolls back with the change itself. Explicit calls rather than Django
signals: every announcement and every listener can be found by reading this module's users.

Three lookups work the same way: `page_context(page, request)` (what a page's template
shows beyond its fields, from catalogue.page_views), `product_links(product)` (other
places that sell the product) and `product_notes(product)` (where it is not sold, and
why, for its editor), the last two registered by the marketplace connectors.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from django.http import HttpRequest

    from catalogue.models import ProductPage

T = TypeVar("T")


class Announcement(Generic[T]):
    def __init__(self, what: str):
        self.what = what
        self._listeners: list[Callable[[T], None]] = []

    def listen(self, listener: Callable[[T], None]) -> None:
        if listener not in self._listeners:  # ready() may run twice under some runners
            self._listeners.append(listener)

    def __call__(self, value: T) -> None:
        for listener in self._listeners:
            listener(value)


stock_changed: Announcement[list[str]] = Announcement("available stock of these SKUs")
certificates_changed: Announcement[set[int]] = Announcement("products whose certificate changed")
products_changed: Announcement[list[int]] = Announcement("what shoppers see of these products")
product_published: Announcement[int] = Announcement("a product saved live")
producer_changed: Announcement[int] = Announcement("a producer's name, type or commune")
places_changed: Announcement[list[int]] = Announcement("communes added or renamed")


# Lookups

ContextBuilder = Callable[[Any, "HttpRequest"], dict[str, object]]
LinksProvider = Callable[["ProductPage"], list[tuple[str, str]]]
NotesProvider = Callable[["ProductPage"], list[str]]

_context_builders: dict[type, ContextBuilder] = {}
_links: list[LinksProvider] = []
_notes: list[NotesProvider] = []


def on_page_context(page_class: type, builder: ContextBuilder) -> None:
    _context_builders[page_class] = builder


def page_context(page: object, request: "HttpRequest") -> dict[str, object]:
    builder = _context_builders.get(type(page))
    return builder(page, request) if builder else {}


def on_product_links(provider: LinksProvider) -> None:
    if provider not in _links:
        _links.append(provider)


def product_links(product: "ProductPage") -> list[tuple[str, str]]:
    return [link for provider in _links for link in provider(product)]


def on_product_notes(provider: NotesProvider) -> None:
    if provider not in _notes:
        _notes.append(provider)


def product_notes(product: "ProductPage") -> list[str]:
    return [note for provider in _notes for note in provider(product)]
