"""What the catalogue tells the apps built on it, without knowing them.

The catalogue is the bottom layer: orders, connectors and background depend on it, never
the other way round. Where it must tell them something, an app registers a function
here from its `AppConfig.ready()`:

- `on_stock_changed(f)`: `f(skus)` after the available stock of those SKUs changed;
- `on_products_changed(f)`: `f(product_ids)` when products must be looked at again
  (their OCOP certificate expired, so they may no longer be listed everywhere);
- `on_product_links(f)`: `f(product)` returns (name, URL) pairs of other places that
  sell the product, shown as "Cũng bán trên" on its page.

Listeners are called at once, inside the caller's transaction, so what they write
commits or rolls back with the change itself. Explicit calls rather than Django
signals: every caller and every listener can be found by reading this module's users.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogue.models import ProductPage

StockListener = Callable[[list[str]], None]
ProductsListener = Callable[[set[int]], None]
LinksProvider = Callable[["ProductPage"], list[tuple[str, str]]]

_stock: list[StockListener] = []
_products: list[ProductsListener] = []
_links: list[LinksProvider] = []


def _add(listeners: list, listener: Callable) -> None:
    if listener not in listeners:  # ready() may run twice (e.g. under some test runners)
        listeners.append(listener)


def on_stock_changed(listener: StockListener) -> None:
    _add(_stock, listener)


def on_products_changed(listener: ProductsListener) -> None:
    _add(_products, listener)


def on_product_links(provider: LinksProvider) -> None:
    _add(_links, provider)


def stock_changed(skus: Iterable[str]) -> None:
    skus = sorted(set(skus))
    for listener in _stock:
        listener(skus)


def products_changed(product_ids: Iterable[int]) -> None:
    ids = set(product_ids)
    for listener in _products:
        listener(ids)


def product_links(product: "ProductPage") -> list[tuple[str, str]]:
    return [link for provider in _links for link in provider(product)]
