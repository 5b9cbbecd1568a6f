"""Storefront speed on the synthetic catalogue (default 20,000 products, 3 variants each).

    .venv/bin/python bench/storefront.py [--products 20000] [--runs 200]

Uses its own SQLite database (var/bench-storefront.sqlite3, WAL), created and filled on the
first run (a few minutes), reused afterwards. Server time is measured in-process through
Django's full request path (middleware, Wagtail routing, templates) with the test client,
so it excludes only the network. Each run picks different filters and search words, so
facet counts are mostly computed, not served from cache; "repeat" rows show the cached case.
"""

import argparse
import gzip
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-storefront.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.models import ProductPage, StorefrontEntry  # noqa: E402
from catalogue.synthetic import generate_catalogue  # noqa: E402

SEARCH_WORDS = ["che", "mien dong", "mat ong", "tra xanh", "gao nep", "ruou", "nam", "banh"]


def prepare(products: int) -> None:
    call_command("migrate", verbosity=0)
    have = StorefrontEntry.objects.count()
    if have >= products:
        return
    started = time.perf_counter()
    generate_catalogue(products - have, per_producer=100, seed=7)
    print(f"generated {products - have} products in {time.perf_counter() - started:.0f} s")


def measure(client: Client, urls: list[str]) -> tuple[list[float], list[int], bytes]:
    times, queries, body = [], [], b""
    for url in urls:
        connection.queries_log.clear()  # the log keeps 9,000 queries; counts need it fresh
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured.captured_queries))
        body = response.content
    return times, queries, body


def asset_bytes(html: bytes) -> tuple[int, int]:
    """HTML + the CSS and JS it loads (not images): raw and gzip-compressed bytes."""
    raw, packed = len(html), len(gzip.compress(html))
    pattern = rb'(?:href|src)="%s([^"]+\.(?:css|js))"' % settings.STATIC_URL.encode()
    for path in re.findall(pattern, html):
        found = finders.find(path.decode())
        assert found is not None, path
        data = Path(found).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data))
    return raw, packed


def report(client: Client, name: str, urls: list[str]) -> None:
    times, queries, _ = measure(client, urls)
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<34} p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  "
        f"queries {min(queries)}–{max(queries)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    prepare(args.products)

    rng = random.Random(1)
    client = Client()
    provinces = list(StorefrontEntry.objects.values_list("province_code", flat=True).distinct())
    product_urls = list(ProductPage.objects.live().values_list("url_path", flat=True)[:2000])
    runs = args.runs
    print(f"{StorefrontEntry.objects.count()} products listed; {runs} requests per row")

    # Warm-up: renditions of the placeholder images, Wagtail's site cache, reference data.
    measure(client, ["/san-pham/", "/api/v1/products", _product_url(product_urls[0])])

    first = ["/san-pham/"] * runs
    filtered = [
        f"/san-pham/?stars={rng.choice([3, 4, 5])}&province={rng.choice(provinces)}"
        for _ in range(runs)
    ]
    searched = [
        f"/san-pham/?q={rng.choice(SEARCH_WORDS).replace(' ', '+')}&page={rng.randint(1, 3)}"
        for _ in range(runs)
    ]
    products = [_product_url(rng.choice(product_urls)) for _ in range(runs)]
    api = [
        f"/api/v1/products?province={rng.choice(provinces)}&sort=price_asc&page_size=24"
        for _ in range(runs)
    ]
    report(client, "listing, first page (repeat)", first)
    report(client, "listing, stars + province", filtered)
    report(client, "listing, search query", searched)
    report(client, "product page", products)
    report(client, "API product list (province, sort)", api)
    _, _, listing_html = measure(client, ["/san-pham/"])
    _, _, product_html = measure(client, [products[0]])
    for name, html in (("listing page", listing_html), ("product page", product_html)):
        raw, packed = asset_bytes(html)
        kb, gz = raw / 1024, packed / 1024
        print(f"first load, {name:<13} HTML+CSS+JS {kb:5.1f} KB ({gz:.1f} KB gzip)")


def _product_url(url_path: str) -> str:
    # url_path is "/home/chu-the-ocop/…/": drop the site root's slug.
    return "/" + url_path.strip("/").split("/", 1)[1] + "/"


if __name__ == "__main__":
    main()
