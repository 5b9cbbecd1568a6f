"""Many shoppers racing for the last units, on real PostgreSQL connections (one per
thread): exactly the available number of orders succeed, the rest are told why, and
stock ends at zero, never below."""

import threading

import pytest
from django.db import connection, connections

from catalogue import stock
from orders import checkout
from orders.models import Order

SHOPPERS = 16
LAST_UNITS = 5


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checkouts_for_the_last_units(shop, place):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL (CI runs both)")
    tea = shop["tea"].variants.order_by("sort_order").first().sku
    noodles = shop["noodles"].variants.get().sku
    stock.set_on_hand(tea, LAST_UNITS)
    stock.set_on_hand(noodles, 100)
    barrier = threading.Barrier(SHOPPERS)
    placed: list[str] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []

    def shopper(index: int) -> None:
        # Half the carts list the SKUs the other way round: row locks are still taken in
        # SKU order, so the two kinds of order never deadlock.
        cart = {tea: 1, noodles: 1} if index % 2 else {noodles: 1, tea: 1}
        try:
            barrier.wait()
            placed.append(place(cart).number)
        except checkout.NotEnoughStock as error:
            refused.append(str(error))
        except BaseException as error:  # reported by the assertion below
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(placed) == LAST_UNITS
    assert len(refused) == SHOPPERS - LAST_UNITS
    assert all("Không đủ hàng" in message and "còn 0, bạn đặt 1" in message for message in refused)
    levels = stock.levels([tea, noodles])
    assert (levels[tea].on_hand, levels[tea].reserved, levels[tea].available) == (5, 5, 0)
    assert levels[noodles].reserved == LAST_UNITS  # refused orders held nothing
    assert Order.objects.count() == LAST_UNITS
