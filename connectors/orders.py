"""Marketplace orders pulled back into our stock, through the same stock service as the
storefront: an open order holds its units, a shipped one takes them off the shelf, a
cancelled one gives held units back. Every other channel sees the change on its next
stock pass (stock is always pushed as an absolute value).

Each order keeps what it holds and what it took off the shelf, per SKU, and every pull
moves those towards what the marketplace says now, one SKU at a time: an order seen
again changes nothing, a refused cancellation holds the units again, a unit cancelled
out of several is released alone, and a SKU we cannot hold (unknown, sold out) is noted
without blocking the order's other lines."""

from django.db import transaction
from django.utils import timezone

from catalogue import stock
from connectors.base import MarketplaceError, RemoteOrder
from connectors.models import Channel, MarketplaceOrder

State = MarketplaceOrder.StockState


def pull_orders(channel: Channel, caller, report) -> None:
    """Fetch orders changed since the channel's cursor and apply each one; the cursor
    moves only after every order of the batch is applied, so a pass that dies re-reads
    them and applying them again changes nothing. `orders_pulled_at` then says from
    when the channel's orders are known (a push after it asks for another pull)."""
    started = timezone.now()
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
    Channel.objects.filter(pk=channel.pk).update(orders_cursor=cursor, orders_pulled_at=started)
    channel.orders_cursor, channel.orders_pulled_at = cursor, started


def apply_order(channel: Channel, remote: RemoteOrder) -> str:
    """Bring one marketplace order's stock effect up to date; returns what was done."""
    wanted: dict[str, int] = {}
    for line in remote.lines:
        wanted[line.seller_sku] = wanted.get(line.seller_sku, 0) + line.quantity
    with transaction.atomic():
        order, _ = MarketplaceOrder.objects.select_for_update().get_or_create(
            channel=channel,
            external_id=remote.external_id,
            defaults={"state": remote.state, "stock_state": State.RELEASED, "lines": {}},
        )
        applied = order.lines or {}
        held, shipped = dict(applied.get("held", {})), dict(applied.get("shipped", {}))
        problems: list[str] = []
        for sku in sorted(set(wanted) | set(held)):
            target = wanted.get(sku, 0)
            if remote.state == "shipped":
                _ship(sku, target - shipped.get(sku, 0), held, shipped, problems)
            _hold(sku, target if remote.state == "open" else 0, held, problems)
        order.lines = {"held": _nonzero(held), "shipped": _nonzero(shipped)}
        order.state, order.note = remote.state, "; ".join(problems)[:255]
        order.stock_state = (
            State.UNMATCHED
            if problems
            else State.RESERVED
            if order.lines["held"]
            else State.COMMITTED
            if order.lines["shipped"]
            else State.RELEASED
        )
        order.save()
    return "unmatched" if problems else remote.state


def _ship(sku: str, more: int, held: dict, shipped: dict, problems: list[str]) -> None:
    """Take `more` units off the shelf: the held ones first, then any still there."""
    if more <= 0:
        return  # a return after shipping is handled by a stock-take, not here
    from_hold = min(more, held.get(sku, 0))
    try:
        if from_hold:
            stock.commit_many({sku: from_hold})
            held[sku] -= from_hold
        if more - from_hold:
            stock.reserve_many({sku: more - from_hold})
            stock.commit_many({sku: more - from_hold})
        shipped[sku] = shipped.get(sku, 0) + more
    except stock.StockError as error:
        problems.append(str(error))


def _hold(sku: str, target: int, held: dict, problems: list[str]) -> None:
    """Hold exactly `target` units of `sku` for the order (release or reserve the gap)."""
    gap = target - held.get(sku, 0)
    try:
        if gap > 0:
            stock.reserve_many({sku: gap})
        elif gap < 0:
            stock.release_many({sku: -gap})
        held[sku] = target
    except stock.StockError as error:
        problems.append(str(error))


def _nonzero(quantities: dict[str, int]) -> dict[str, int]:
    return {sku: n for sku, n in quantities.items() if n}
