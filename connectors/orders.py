"""Marketplace orders pulled back into our stock, through the same stock service as the
storefront: an open order holds its units, a shipped one takes them off the shelf, a
cancelled one gives held units back. Every other channel sees the change on its next
stock pass (stock is always pushed as an absolute value)."""

from django.db import transaction

from catalogue import stock
from connectors.base import MarketplaceError, RemoteOrder
from connectors.models import Channel, MarketplaceOrder

State = MarketplaceOrder.StockState


def pull_orders(channel: Channel, caller, report) -> None:
    """Fetch orders changed since the channel's cursor and apply each one; the cursor
    moves only after every order of the batch is applied, so a pass that dies re-reads
    them and applying them again changes nothing."""
    try:
        orders, cursor = caller("orders_since", channel.orders_cursor)
    except MarketplaceError as error:
        report.error("orders", error.message)
        return
    for order in orders:
        outcome = apply_order(channel, order)
        report.counts[f"orders_{outcome}"] += 1
        if outcome == "unmatched":
            report.errors.append(f"Đơn {order.external_id}: SKU không khớp hoặc thiếu hàng")
    Channel.objects.filter(pk=channel.pk).update(orders_cursor=cursor)
    channel.orders_cursor = cursor


def apply_order(channel: Channel, remote: RemoteOrder) -> str:
    """Bring one marketplace order's stock effect up to date; returns what was done."""
    quantities: dict[str, int] = {}
    for line in remote.lines:
        quantities[line.seller_sku] = quantities.get(line.seller_sku, 0) + line.quantity
    with transaction.atomic():
        order, created = MarketplaceOrder.objects.select_for_update().get_or_create(
            channel=channel,
            external_id=remote.external_id,
            defaults={
                "state": remote.state,
                "stock_state": State.RELEASED,
                "lines": sorted(quantities.items()),
            },
        )
        if not created and order.state == remote.state:
            return "unchanged"
        before = State.RELEASED if created else order.stock_state
        try:
            order.stock_state = _step(before, remote.state, quantities, fresh=created)
        except stock.StockError as error:
            order.stock_state, order.note = State.UNMATCHED, str(error)[:255]
        order.state = remote.state
        order.save()
    return "unmatched" if order.stock_state == State.UNMATCHED else remote.state


def _step(before: str, state: str, quantities: dict[str, int], fresh: bool) -> str:
    if fresh and state == "open":
        stock.reserve_many(quantities)
        return State.RESERVED
    if fresh and state == "shipped":
        stock.reserve_many(quantities)
        stock.commit_many(quantities)
        return State.COMMITTED
    if before == State.RESERVED and state == "shipped":
        stock.commit_many(quantities)
        return State.COMMITTED
    if before == State.RESERVED and state == "cancelled":
        stock.release_many(quantities)
        return State.RELEASED
    return before  # cancelled before we saw it, or a return after shipping: no stock step
