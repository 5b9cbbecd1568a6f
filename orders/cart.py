"""The shopper's cart, kept in the session ({sku: quantity}); no account needed.

Quantities are held to what is available when added or changed; prices and stock are
read fresh every time the cart is shown, and checked once more when the order is placed.
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from catalogue.models import ProducerPage, ProductPage, ProductVariant, StockItem

SESSION_KEY = "cart"
MAX_PER_LINE = 99


@dataclass(frozen=True)
class CartLine:
    variant: ProductVariant
    quantity: int
    available: int

    @property
    def sku(self) -> str:
        return self.variant.sku

    @property
    def product(self) -> ProductPage:
        return self.variant.product

    @property
    def producer(self) -> ProducerPage:
        return self.variant.product.producer

    @property
    def unit_price(self) -> int:
        return self.variant.price

    @property
    def line_total(self) -> int:
        return self.variant.price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.variant.weight_grams * self.quantity

    @property
    def short(self) -> bool:
        return self.quantity > self.available


_AVAILABLE = Coalesce(
    Subquery(
        StockItem.objects.filter(sku=OuterRef("sku"))
        .annotate(free=F("on_hand") - F("reserved"))
        .values("free")[:1]
    ),
    0,
)


def sellable_variants(skus) -> dict[str, ProductVariant]:
    """Variants that can be bought now (product live and public, not a tourism service),
    with their available stock, in one query."""
    products = ProductPage.objects.live().public().exclude(ocop_category__code__startswith="VI")
    variants = (
        ProductVariant.objects.filter(sku__in=list(skus), product__in=products)
        .select_related("product__producer")
        .annotate(available=_AVAILABLE)
    )
    return {variant.sku: variant for variant in variants}


class Cart:
    def __init__(self, session: SessionBase):
        self.session = session
        self.items: dict[str, int] = dict(session.get(SESSION_KEY, {}))

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.items

    def add(self, sku: str, quantity: int) -> tuple[int, int] | None:
        """Add up to `quantity`; returns (quantity now in the cart, available), or None
        when the SKU cannot be bought."""
        variant = sellable_variants([sku]).get(sku)
        if variant is None:
            return None
        wanted = self.items.get(sku, 0) + quantity
        return self._put(sku, wanted, variant.available)

    def update(self, sku: str, quantity: int) -> tuple[int, int] | None:
        if quantity <= 0:
            self.remove(sku)
            return (0, 0)
        variant = sellable_variants([sku]).get(sku)
        if variant is None:
            self.remove(sku)
            return None
        return self._put(sku, quantity, variant.available)

    def _put(self, sku: str, wanted: int, available: int) -> tuple[int, int]:
        quantity = max(0, min(wanted, available, MAX_PER_LINE))
        if quantity:
            self.items[sku] = quantity
        else:
            self.items.pop(sku, None)
        self._save()
        return quantity, available

    def remove(self, sku: str) -> None:
        self.items.pop(sku, None)
        self._save()

    def clear(self) -> None:
        self.items = {}
        self._save()

    def lines(self) -> list[CartLine]:
        """Lines that can still be bought, grouped by producer; SKUs that can no longer
        be bought (product withdrawn) leave the cart."""
        variants = sellable_variants(self.items)
        gone = [sku for sku in self.items if sku not in variants]
        for sku in gone:
            self.items.pop(sku)
        if gone:
            self._save()
        return cart_lines(self.items, variants)


def cart_lines(quantities: dict[str, int], variants: dict[str, ProductVariant]) -> list[CartLine]:
    """Lines in the order shoppers and producers read them: by producer, then product."""
    lines = [
        CartLine(variants[sku], quantity, variants[sku].available)
        for sku, quantity in quantities.items()
    ]
    return sorted(lines, key=lambda line: (line.producer.title, line.product.title, line.sku))


def by_producer(lines: list[CartLine]) -> list[tuple[ProducerPage, list[CartLine]]]:
    return [
        (group[0].producer, group)
        for _, grouped in groupby(lines, key=lambda line: line.producer.pk)
        if (group := list(grouped))
    ]
