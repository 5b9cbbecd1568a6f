"""The one place stock changes. Every change is a single conditional UPDATE
(`F()` expressions), so concurrent writers never lose each other's changes and
available stock (on hand − reserved) never goes below zero."""

from collections.abc import Callable, Mapping

from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from catalogue import listeners
from catalogue.models import StockItem
from catalogue.storefront import index as storefront_index


class StockError(Exception):
    """A stock change that would break the rules; carries a message for people."""


class InsufficientStock(StockError):
    def __init__(self, sku: str, requested: int, available: int):
        self.sku, self.requested, self.available = sku, requested, available
        super().__init__(f"Không đủ hàng cho {sku}: cần {requested}, còn {available}.")


class StockShortage(StockError):
    """Several SKUs of one order could not all be held; lists every one that is short."""

    def __init__(self, shortages: list[InsufficientStock]):
        self.shortages = shortages
        super().__init__(" ".join(str(shortage) for shortage in shortages))


def _changed(skus: list[str], available: bool = True) -> None:
    """The storefront and whoever listens (the marketplaces) follow every change; a commit
    (held units leave the shelf) does not change what is available, so they need nothing."""
    storefront_index.refresh_stock(skus)
    if available:
        listeners.stock_changed(skus)


def _require_positive(quantity: int) -> None:
    if quantity <= 0:
        raise StockError(f"Số lượng phải lớn hơn 0 (nhận {quantity}).")


def units_available() -> Coalesce:
    """For `ProductVariant.objects.annotate(units=units_available())`: units left to sell
    of each variant's SKU; a SKU never counted has 0."""
    available = StockItem.objects.filter(sku=OuterRef("sku")).values(
        available=F("on_hand") - F("reserved")
    )
    return Coalesce(Subquery(available, output_field=IntegerField()), 0)


def get(sku: str) -> StockItem:
    item, _ = StockItem.objects.get_or_create(sku=sku)
    return item


def levels(skus: list[str]) -> dict[str, StockItem]:
    return {item.sku: item for item in StockItem.objects.filter(sku__in=skus)}


def _fail_with_current(sku: str, requested: int) -> None:
    raise InsufficientStock(sku, requested, get(sku).available)


def set_on_hand(sku: str, quantity: int, expected: int | None = None) -> StockItem:
    """Set the counted quantity (a stock-take); it cannot go below what is reserved.

    `expected` is the quantity the person saw: if a sale changed it since, nothing is
    written, so a stock-take never silently undoes an order.
    """
    if quantity < 0:
        raise StockError("Số lượng tồn kho không được âm.")
    with transaction.atomic():
        item, _ = StockItem.objects.select_for_update().get_or_create(sku=sku)
        if expected is not None and item.on_hand != expected:
            raise StockError(
                f"{sku}: tồn kho vừa đổi từ {expected} thành {item.on_hand} trong lúc bạn sửa "
                f"(có đơn hàng mới). Hãy kiểm tra và nhập lại."
            )
        if quantity < item.reserved:
            raise StockError(
                f"{sku}: đang có {item.reserved} sản phẩm được giữ cho đơn hàng; "
                f"tồn kho không thể nhỏ hơn số đó."
            )
        item.on_hand = quantity
        item.save(update_fields=["on_hand", "updated_at"])
        _changed([sku])
    return item


@transaction.atomic  # the change and its note for the marketplaces, or neither
def adjust(sku: str, delta: int) -> StockItem:
    """Add (goods received) or remove (damaged, sold elsewhere) units, atomically."""
    get(sku)
    changed = StockItem.objects.filter(sku=sku, on_hand__gte=F("reserved") - delta).update(
        on_hand=F("on_hand") + delta
    )
    if not changed:
        _fail_with_current(sku, -delta)
    _changed([sku])
    return get(sku)


@transaction.atomic
def reserve(sku: str, quantity: int) -> None:
    """Hold units for an order that is not paid or shipped yet."""
    _require_positive(quantity)
    get(sku)
    changed = StockItem.objects.filter(sku=sku, on_hand__gte=F("reserved") + quantity).update(
        reserved=F("reserved") + quantity
    )
    if not changed:
        _fail_with_current(sku, quantity)
    _changed([sku])


@transaction.atomic
def release(sku: str, quantity: int) -> None:
    """Give held units back (order cancelled, payment failed, hold expired)."""
    _require_positive(quantity)
    changed = StockItem.objects.filter(sku=sku, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity
    )
    if not changed:
        raise StockError(f"{sku}: không có {quantity} sản phẩm đang được giữ để trả lại.")
    _changed([sku])


@transaction.atomic
def commit(sku: str, quantity: int) -> None:
    """Held units leave the shelf (order paid or shipped)."""
    _require_positive(quantity)
    changed = StockItem.objects.filter(sku=sku, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity, on_hand=F("on_hand") - quantity
    )
    if not changed:
        raise StockError(f"{sku}: không có {quantity} sản phẩm đang được giữ để xuất kho.")
    _changed([sku], available=False)


# Orders touch several SKUs at once: all change or none does. Rows are locked in SKU
# order, so two orders over the same SKUs queue behind each other instead of deadlocking.


def _locked(quantities: Mapping[str, int]) -> dict[str, StockItem]:
    for quantity in quantities.values():
        _require_positive(quantity)
    rows = StockItem.objects.select_for_update().filter(sku__in=list(quantities)).order_by("sku")
    return {item.sku: item for item in rows}


def _apply_many(
    quantities: Mapping[str, int],
    problem: Callable[[StockItem | None, str, int], StockError | None],
    change: Callable[[int], dict],
    available: bool = True,
) -> None:
    with transaction.atomic():
        items = _locked(quantities)
        problems = [
            error
            for sku, quantity in sorted(quantities.items())
            if (error := problem(items.get(sku), sku, quantity))
        ]
        if problems:
            if all(isinstance(error, InsufficientStock) for error in problems):
                raise StockShortage(problems)  # type: ignore[arg-type]
            raise problems[0]
        for sku, quantity in quantities.items():
            StockItem.objects.filter(sku=sku).update(**change(quantity))
        _changed(sorted(quantities), available)


def _short_of_available(item: StockItem | None, sku: str, quantity: int) -> StockError | None:
    available = item.available if item else 0
    return InsufficientStock(sku, quantity, available) if available < quantity else None


def _not_held(item: StockItem | None, sku: str, quantity: int) -> StockError | None:
    if item is None or item.reserved < quantity:
        return StockError(f"{sku}: không có {quantity} sản phẩm đang được giữ.")
    return None


def _missing_row(item: StockItem | None, sku: str, quantity: int) -> StockError | None:
    return None if item else StockError(f"{sku}: chưa có dòng tồn kho.")


def reserve_many(quantities: Mapping[str, int]) -> None:
    """Hold units of several SKUs for one order; raises StockShortage naming every SKU
    that is short, and holds nothing, if any of them is."""
    _apply_many(quantities, _short_of_available, lambda q: {"reserved": F("reserved") + q})


def commit_many(quantities: Mapping[str, int]) -> None:
    """Held units of an order leave the shelf (paid by card, or a COD parcel shipped)."""
    _apply_many(
        quantities,
        _not_held,
        lambda q: {"reserved": F("reserved") - q, "on_hand": F("on_hand") - q},
        available=False,
    )


def release_many(quantities: Mapping[str, int]) -> None:
    """Give an order's held units back (cancelled, payment failed, hold expired)."""
    _apply_many(quantities, _not_held, lambda q: {"reserved": F("reserved") - q})


def restock_many(quantities: Mapping[str, int]) -> None:
    """Units that had left the shelf come back (an order cancelled after payment)."""
    _apply_many(quantities, _missing_row, lambda q: {"on_hand": F("on_hand") + q})
