import threading

import pytest
from django.db import connection, connections

from catalogue import stock
from catalogue.models import ProductPage, StockItem


def test_stock_survives_publish_and_revert(coop, make_product):
    product = make_product(coop.page)
    sku = product.variants.first().sku
    stock.set_on_hand(sku, 10)
    old_revision = product.latest_revision

    product.title = "Chè Đinh mới"
    product.save_revision().publish()
    stock.adjust(sku, -3)
    old_revision.publish()  # revert content to the earlier revision

    assert StockItem.objects.get(sku=sku).on_hand == 7


def test_removing_and_restoring_a_variant_keeps_its_stock(coop, make_product):
    product = make_product(coop.page)
    variant = product.variants.get(sku=f"{product.product_code}-2")
    stock.set_on_hand(variant.sku, 5)
    with_variant = product.latest_revision
    product.variants.remove(variant)
    product.save_revision().publish()
    assert StockItem.objects.get(sku=variant.sku).on_hand == 5
    with_variant.publish()
    restored = ProductPage.objects.get(pk=product.pk).variants.get(sku=variant.sku)
    assert StockItem.objects.get(sku=restored.sku).on_hand == 5


def test_reserve_commit_release_and_never_below_zero(db):
    stock.set_on_hand("S1", 3)
    stock.reserve("S1", 2)
    with pytest.raises(stock.InsufficientStock) as error:
        stock.reserve("S1", 2)
    assert error.value.available == 1
    stock.commit("S1", 1)
    stock.release("S1", 1)
    item = StockItem.objects.get(sku="S1")
    assert (item.on_hand, item.reserved, item.available) == (2, 0, 2)
    with pytest.raises(stock.StockError):
        stock.release("S1", 1)
    with pytest.raises(stock.InsufficientStock):
        stock.adjust("S1", -3)
    assert StockItem.objects.get(sku="S1").on_hand == 2


def test_on_hand_cannot_drop_below_reserved(db):
    stock.set_on_hand("S2", 5)
    stock.reserve("S2", 4)
    with pytest.raises(stock.StockError):
        stock.set_on_hand("S2", 3)
    assert StockItem.objects.get(sku="S2").on_hand == 5


def test_stale_object_cannot_overwrite_an_atomic_change(db):
    stock.set_on_hand("S3", 10)
    stale = StockItem.objects.get(sku="S3")
    stock.adjust("S3", -4)
    stock.adjust("S3", 1)
    assert stale.on_hand == 10
    assert StockItem.objects.get(sku="S3").on_hand == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reservations_never_oversell():
    """Real connections racing for the last units (PostgreSQL; SQLite serialises writers)."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL (CI runs both)")
    stock.set_on_hand("LAST", 5)
    outcomes: list[bool] = []
    barrier = threading.Barrier(12)

    def buy():
        barrier.wait()
        try:
            stock.reserve("LAST", 1)
            outcomes.append(True)
        except stock.InsufficientStock:
            outcomes.append(False)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item = StockItem.objects.get(sku="LAST")
    assert outcomes.count(True) == 5
    assert (item.on_hand, item.reserved) == (5, 5)
