"""How long an order taken on one marketplace takes to show as lower stock on another,
measured end to end on a running demo (`./scripts/start`: site, worker, scheduler and
sandboxes with their pushes pointed at the site's webhooks), not computed from intervals.

    .venv/bin/python bench/order_push.py [--orders 5] [--from shopee] [--to lazada]

(`--from` and `--to` default to the first two marketplaces; sandbox ports are theirs.)

For each order: pick a SKU live on both sandboxes, place an order for one unit on the
first sandbox (its push goes to our webhook), and read the second sandbox's stock every
0.2 s until it is one lower. The order is then cancelled, and the stock waited back, so
the demo is left as it was. Prints each time, the median and the worst, and how long
our webhook took to answer the pushes (from the sandbox's delivery log)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings.dev")

import django  # noqa: E402

django.setup()

from connectors.registry import descriptors  # noqa: E402

PORTS = {market.kind: market.demo.port for market in descriptors()}
TIMEOUT = 120.0


def state(kind: str) -> dict:
    return requests.get(f"http://127.0.0.1:{PORTS[kind]}/_sandbox/state", timeout=5).json()


def stocks(kind: str) -> dict[str, int]:
    return {
        sku["seller_sku"]: sku["stock"]
        for item in state(kind)["items"].values()
        for sku in item["skus"]
    }


def wait_for(kind: str, sku: str, wanted: int) -> float:
    started = time.monotonic()
    while stocks(kind).get(sku) != wanted:
        if time.monotonic() - started > TIMEOUT:
            raise SystemExit(f"{kind}: {sku} never reached {wanted} within {TIMEOUT:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5)
    kinds = list(PORTS)
    parser.add_argument("--from", dest="source", default=kinds[0], choices=kinds)
    parser.add_argument("--to", dest="target", default=kinds[1], choices=kinds)
    args = parser.parse_args()
    source = f"http://127.0.0.1:{PORTS[args.source]}"
    there, here = stocks(args.target), stocks(args.source)
    candidates = sorted(sku for sku, n in there.items() if n >= 2 and here.get(sku, 0) >= 2)
    if len(candidates) < args.orders:
        sys.exit("Too few SKUs live on both sandboxes: is ./scripts/start running and synced?")
    times = []
    for sku in candidates[: args.orders]:
        before = stocks(args.target)[sku]
        placed = requests.post(
            f"{source}/_sandbox/orders",
            json={"lines": [{"seller_sku": sku, "quantity": 1}]},
            timeout=5,
        ).json()["order_id"]
        seconds = wait_for(args.target, sku, before - 1)
        times.append(seconds)
        print(f"order {placed} ({sku}): {args.target} stock −1 in {seconds:.1f} s")
        requests.post(f"{source}/_sandbox/orders/{placed}/cancelled", timeout=5).raise_for_status()
        back = wait_for(args.target, sku, before)
        print(f"  cancelled: back to {before} in {back:.1f} s")
    print(
        f"{args.source} order → {args.target} stock: median {statistics.median(times):.1f} s, "
        f"worst {max(times):.1f} s over {len(times)} orders"
    )
    ack_times(args.source)


def ack_times(kind: str) -> None:
    """The webhook's answers to the sandbox's pushes, as the sandbox timed them."""
    pushes = requests.get(f"http://127.0.0.1:{PORTS[kind]}/_sandbox/pushes", timeout=5).json()
    ms = sorted(push["ms"] for push in pushes)
    answers = sorted({push["status"] for push in pushes})
    print(
        f"{kind} pushes: {len(pushes)}, answers {answers}, acknowledged in "
        f"median {statistics.median(ms):.0f} ms, worst {ms[-1]} ms"
    )


if __name__ == "__main__":
    main()
