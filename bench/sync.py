"""Sync engine speed against the two sandboxes on the synthetic catalogue.

    .venv/bin/python bench/sync.py [--products 20000]

Uses its own database (var/bench-sync.sqlite3) and sandbox state files
(var/bench-{shopee,lazada}.json), created on the first run (generating the catalogue and
listing it on both sandboxes takes several minutes) and reused afterwards. Prints:
the time of a pass with nothing changed (and its write calls), the calls made after
changing the stock of 1,000 SKUs, and how long an order taken on Shopee takes to show
on Lazada's stock (one Shopee pass + one Lazada pass, back to back).
"""

import argparse
import os
import random
import sys
import time
from math import ceil
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
from connectors.lazada.sandbox import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, LazadaSandbox  # noqa: E402
from connectors.models import CategoryMapping, Channel, Listing  # noqa: E402
from connectors.registry import adapter_for  # noqa: E402
from connectors.sandbox.server import running  # noqa: E402
from connectors.shopee.sandbox import PARTNER_ID, PARTNER_KEY, SHOP_ID, ShopeeSandbox  # noqa: E402

VAR = ROOT / "var"


def prepare_catalogue(products: int) -> None:
    call_command("migrate", verbosity=0)
    have = ProductPage.objects.count()
    if have < products:
        started = time.perf_counter()
        generate_catalogue(products - have, per_producer=100, seed=7)
        print(f"generated {products - have} products in {time.perf_counter() - started:.0f} s")


def channel(kind: str, url: str, sandbox) -> Channel:
    found = Channel.objects.filter(slug=f"bench-{kind}").first()
    if found:
        found.base_url = url + ("/rest" if kind == "lazada" else "")
        found.save()
        return found
    tokens = sandbox.issue_tokens()
    keys = (
        {"partner_id": str(PARTNER_ID), "partner_key": PARTNER_KEY, "shop_id": str(SHOP_ID)}
        if kind == "shopee"
        else {"app_key": DEFAULT_APP_KEY, "app_secret": DEFAULT_APP_SECRET}
    )
    made = Channel(kind=kind, name=kind, slug=f"bench-{kind}", base_url=url, calls_per_second=1000)
    if kind == "lazada":
        made.base_url += "/rest"
    made.set_secrets(
        {**keys, "access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]}
    )
    made.save()
    CategoryMapping.objects.bulk_create(
        CategoryMapping(channel=made, ocop_category=c, category_id="100001")
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
    shopee_box = ShopeeSandbox(state_file=VAR / "bench-shopee.json")
    lazada_box = LazadaSandbox(state_file=VAR / "bench-lazada.json")
    with running(shopee_box) as shopee_url, running(lazada_box) as lazada_url:
        shopee, lazada = (
            channel("shopee", shopee_url, shopee_box),
            channel("lazada", lazada_url, lazada_box),
        )
        for target in (shopee, lazada):  # list what is not listed yet (all, on a first run)
            seconds, counts = timed_pass(target)
            print(f"{target.kind}: catch-up pass {seconds:.0f} s {counts}")
        skus = Listing.objects.filter(channel=shopee, state="live").count()
        print(f"catalogue: {ProductPage.objects.count()} products, {skus} live SKUs per channel")

        for target, box in ((shopee, shopee_box), (lazada, lazada_box)):
            before = writes(box)
            seconds, counts = timed_pass(target)
            print(
                f"{target.kind}: no-change pass {seconds:.2f} s, "
                f"write calls {sum(delta(writes(box), before).values())}"
            )

        changed = random.Random(1).sample(
            list(
                Listing.objects.filter(channel=shopee, state="live").values_list("sku", flat=True)
            ),
            1000,
        )
        before_levels = stock.levels(changed)
        for sku in changed:
            stock.set_on_hand(sku, StockItem.objects.get(sku=sku).reserved + random.randint(1, 50))
        after_levels = stock.levels(changed)
        moved = [s for s in changed if after_levels[s].available != before_levels[s].available]
        items = len({sku.rsplit("-", 1)[0] for sku in moved})
        for target, box, minimum in (
            (shopee, shopee_box, items),
            (lazada, lazada_box, ceil(len(moved) / 50)),
        ):
            before = writes(box)
            seconds, counts = timed_pass(target)
            print(
                f"{target.kind}: 1,000 SKUs' stock changed → {seconds:.2f} s, calls "
                f"{delta(writes(box), before)} (documented minimum {minimum})"
            )

        sku = changed[0]
        started = time.perf_counter()
        shopee_box.create_order([{"seller_sku": sku, "quantity": 1}])
        timed_pass(shopee)
        timed_pass(lazada)
        seconds = time.perf_counter() - started
        shown = next(
            s["stock"]
            for item in lazada_box.state.data["items"].values()
            for s in item["skus"]
            if s["seller_sku"] == sku
        )
        print(
            f"order on Shopee → Lazada stock {shown} (ours {stock.get(sku).available}) "
            f"in {seconds:.2f} s (two passes back to back)"
        )


if __name__ == "__main__":
    main()
