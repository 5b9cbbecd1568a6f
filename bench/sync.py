"""Sync engine speed against every marketplace's sandbox on the synthetic catalogue.

    .venv/bin/python bench/sync.py [--products 20000]

Uses its own database (var/bench-sync.sqlite3) and sandbox state files
(var/bench-<kind>.json), created on the first run (generating the catalogue and
listing it on every sandbox takes several minutes) and reused afterwards. Prints:
the time of a pass with nothing changed (and its write calls), the calls made after
changing the stock of 1,000 SKUs, and how long an order taken on the first marketplace
(Shopee) takes to show on the second's stock (Lazada; one pass on each, back to back).
"""

import argparse
import os
import random
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-sync.sqlite3'}")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from catalogue import stock  # noqa: E402
from catalogue.models import OcopCategory, ProductPage, StockItem  # noqa: E402
from catalogue.synthetic import generate_catalogue  # noqa: E402
from connectors.engine import run_pass  # noqa: E402
from connectors.marketplace import Marketplace  # noqa: E402
from connectors.models import CategoryMapping, Channel, Listing  # noqa: E402
from connectors.registry import adapter_for, descriptors  # noqa: E402
from connectors.sandbox.server import Sandbox, running  # noqa: E402

VAR = ROOT / "var"


def prepare_catalogue(products: int) -> None:
    call_command("migrate", verbosity=0)
    have = ProductPage.objects.count()
    if have < products:
        started = time.perf_counter()
        generate_catalogue(products - have, per_producer=100, seed=7)
        print(f"generated {products - have} products in {time.perf_counter() - started:.0f} s")


def channel(market: Marketplace, url: str, sandbox) -> Channel:
    kind, base_url = market.kind, market.sandbox_api(url)
    found = Channel.objects.filter(slug=f"bench-{kind}").first()
    if found:
        found.base_url = base_url
        found.save()
        mappings = CategoryMapping.objects.filter(channel=found)
        mappings.update(attributes=dict(market.demo.mapping_attributes))
        return found
    made = Channel(
        kind=kind, name=kind, slug=f"bench-{kind}", base_url=base_url, calls_per_second=1000
    )
    made.set_secrets(market.sandbox_secrets(sandbox.issue_tokens()))
    made.save()
    CategoryMapping.objects.bulk_create(
        CategoryMapping(
            channel=made,
            ocop_category=c,
            category_id="100001",
            attributes=dict(market.demo.mapping_attributes),
        )
        for c in OcopCategory.objects.filter(is_leaf=True)
    )
    return made


def timed_pass(target: Channel) -> tuple[float, dict]:
    target.refresh_from_db()
    started = time.perf_counter()
    run = run_pass(target, adapter_for(target))
    return time.perf_counter() - started, run.counts


def writes(sandbox) -> dict[str, int]:
    return {path: n for path, n in sandbox.calls.items() if "get" not in path}


def delta(after: dict, before: dict) -> dict:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    args = parser.parse_args()
    prepare_catalogue(args.products)
    boxes: list[Sandbox] = [
        market.sandbox(state_file=VAR / f"bench-{market.kind}.json") for market in descriptors()
    ]
    with ExitStack() as stack:
        urls = [stack.enter_context(running(box)) for box in boxes]
        targets = [
            channel(market, url, box)
            for market, url, box in zip(descriptors(), urls, boxes, strict=True)
        ]
        for target in targets:  # list what is not listed yet (all, on a first run)
            seconds, counts = timed_pass(target)
            print(f"{target.kind}: catch-up pass {seconds:.0f} s {counts}")
        first, second = targets[:2]
        skus = Listing.objects.filter(channel=first, state="live").count()
        print(f"catalogue: {ProductPage.objects.count()} products, {skus} live SKUs per channel")

        for target, box in zip(targets, boxes, strict=True):
            before = writes(box)
            seconds, counts = timed_pass(target)
            print(
                f"{target.kind}: no-change pass {seconds:.2f} s, "
                f"write calls {sum(delta(writes(box), before).values())}"
            )

        changed = random.Random(1).sample(
            list(Listing.objects.filter(channel=first, state="live").values_list("sku", flat=True)),
            1000,
        )
        before_levels = stock.levels(changed)
        for sku in changed:
            stock.set_on_hand(sku, StockItem.objects.get(sku=sku).reserved + random.randint(1, 50))
        after_levels = stock.levels(changed)
        moved = [s for s in changed if after_levels[s].available != before_levels[s].available]
        items = len({sku.rsplit("-", 1)[0] for sku in moved})
        for target, box in zip(targets, boxes, strict=True):
            before = writes(box)
            seconds, counts = timed_pass(target)
            print(
                f"{target.kind}: 1,000 SKUs' stock changed ({len(moved)} SKUs of {items} "
                f"items moved) → {seconds:.2f} s, calls {delta(writes(box), before)}"
            )

        sku = changed[0]
        started = time.perf_counter()
        boxes[0].create_order([{"seller_sku": sku, "quantity": 1}])
        timed_pass(first)
        timed_pass(second)
        seconds = time.perf_counter() - started
        shown = next(
            s["stock"]
            for item in boxes[1].state.data["items"].values()
            for s in item["skus"]
            if s["seller_sku"] == sku
        )
        print(
            f"order on {first.kind} → {second.kind} stock {shown} (ours "
            f"{stock.get(sku).available}) in {seconds:.2f} s (two passes back to back)"
        )


if __name__ == "__main__":
    main()
