"""Placing orders: time per order and throughput when many shoppers buy at once.

    .venv/bin/python bench/checkout.py [--orders 300] [--threads 8]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/checkout.py

Uses its own database (default var/bench-checkout.sqlite3) with the demo catalogue. Each
order has 3 lines from 2-3 producers and goes through `orders.checkout.place_order`: fresh
prices, shipping rules, order + sub-orders + lines, stock held with row locks in SKU order.
The race part sends every thread after the same SKU with only `--threads * 5` units left and
checks that exactly that many units were sold.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-checkout.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue import stock  # noqa: E402
from catalogue.models import Commune, ProductPage  # noqa: E402
from orders import checkout  # noqa: E402
from orders.cart import sellable_variants  # noqa: E402
from orders.models import PaymentMethod  # noqa: E402


def prepare() -> list[str]:
    call_command("migrate", verbosity=0)
    if not ProductPage.objects.exists():
        call_command("load_demo", verbosity=0)
    skus = sorted(sellable_variants(ProductPage.objects.values_list("variants__sku", flat=True)))
    for sku in skus:
        stock.set_on_hand(sku, 1_000_000)
    return skus


def address() -> checkout.Address:
    commune = Commune.objects.select_related("province").get(code="05443")
    return checkout.Address(
        "Nguyễn Thị Lan", "0912345678", "", commune.province, commune, "12 Hoàng Văn Thụ"
    )


def place(quantities: dict[str, int], to: checkout.Address):
    lines = checkout.fresh_lines(quantities)
    total = checkout.quote(lines, to.province).total
    return checkout.place_order(quantities, to, PaymentMethod.COD, total)


def sequential(skus: list[str], orders: int, to: checkout.Address) -> None:
    rng = random.Random(7)
    times, queries = [], []
    for _ in range(orders):
        cart = {sku: rng.randint(1, 3) for sku in rng.sample(skus, 3)}
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            place(cart, to)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    times.sort()
    print(
        f"one shopper, {orders} orders: p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms, "
        f"queries/order {statistics.median(queries):.0f}"
    )


def race(sku: str, threads: int, to: checkout.Address) -> None:
    units = threads * 5
    stock.set_on_hand(sku, stock.get(sku).reserved + units)
    sold, refused, errors = [], [], []
    barrier = threading.Barrier(threads)

    def shopper() -> None:
        barrier.wait()
        try:
            while True:
                try:
                    place({sku: 1}, to)
                    sold.append(1)
                except checkout.NotEnoughStock:
                    refused.append(1)
                    return
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=shopper) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    item = stock.get(sku)
    print(
        f"{threads} shoppers racing for {units} units of {sku}: {len(sold)} sold, "
        f"{len(refused)} told 'not enough stock', {len(sold) / seconds:.0f} orders/s, "
        f"available now {item.available}, errors {errors[:3]}"
    )
    assert len(sold) == units and item.available == 0 and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    skus = prepare()
    to = address()
    print(f"database: {connection.vendor}, {len(skus)} SKUs")
    sequential(skus, args.orders, to)
    race(skus[0], args.threads, to)


if __name__ == "__main__":
    main()
