"""The one place stock changes. Every change is a single conditional UPDATE
(`F()` expressions), so concurrent writers never lose each other's changes and
available stock (on hand − reserved) never goes below zero."""

from django.db import transaction
from django.db.models import F

from catalogue.models import StockItem
from catalogue.storefront import index as storefront_index


class StockError(Exception):
    """A stock change that would break the rules; carries a message for people."""


class InsufficientStock(StockError):
    def __init__(self, sku: str, requested: int, available: int):
        self.sku, self.requested, self.available = sku, requested, available
        super().__init__(f"Không đủ hàng cho {sku}: cần {requested}, còn {available}.")


def _require_positive(quantity: int) -> None:
    if quantity <= 0:
        raise StockError(f"Số lượng phải lớn hơn 0 (nhận {quantity}).")


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
        storefront_index.refresh_stock([sku])
    return item


def adjust(sku: str, delta: int) -> StockItem:
    """Add (goods received) or remove (damaged, sold elsewhere) units, atomically."""
    get(sku)
    changed = StockItem.objects.filter(sku=sku, on_hand__gte=F("reserved") - delta).update(
        on_hand=F("on_hand") + delta
    )
    if not changed:
        _fail_with_current(sku, -delta)
    storefront_index.refresh_stock([sku])
    return get(sku)


def reserve(sku: str, quantity: int) -> None:
    """Hold units for an order that is not paid or shipped yet."""
    _require_positive(quantity)
    get(sku)
    changed = StockItem.objects.filter(sku=sku, on_hand__gte=F("reserved") + quantity).update(
        reserved=F("reserved") + quantity
    )
    if not changed:
        _fail_with_current(sku, quantity)
    storefront_index.refresh_stock([sku])


def release(sku: str, quantity: int) -> None:
    """Give held units back (order cancelled, payment failed, hold expired)."""
    _require_positive(quantity)
    changed = StockItem.objects.filter(sku=sku, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity
    )
    if not changed:
        raise StockError(f"{sku}: không có {quantity} sản phẩm đang được giữ để trả lại.")
    storefront_index.refresh_stock([sku])


def commit(sku: str, quantity: int) -> None:
    """Held units leave the shelf (order paid or shipped)."""
    _require_positive(quantity)
    changed = StockItem.objects.filter(sku=sku, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity, on_hand=F("on_hand") - quantity
    )
    if not changed:
        raise StockError(f"{sku}: không có {quantity} sản phẩm đang được giữ để xuất kho.")
    storefront_index.refresh_stock([sku])
