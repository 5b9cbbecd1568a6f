"""Keeps the storefront read model (StorefrontEntry, its words and marks) in step with the
catalogue. Told by whatever changes what a shopper sees: product and producer saves
(publish, unpublish, move, draft saves re-read the live row), certificate and place changes
(through catalogue.listeners, registered in CatalogueConfig.ready) and the stock service.
Everything is re-read from the database, never taken from the caller's in-memory object,
so a draft being edited can never leak into the storefront.
"""

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone

from catalogue.models import (
    Certificate,
    CertificateStatus,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    StockItem,
    StorefrontEntry,
    StorefrontMark,
    StorefrontWord,
)
from catalogue.text import plain_text

from . import reference, words

BATCH = 500
VERSION_KEY = "storefront:version"


def version() -> int:
    """A number that changes whenever the storefront's content does (keys result caches).

    Starts from the clock, not 1, so that a cleared cache never hands out a number that
    was already used for other content.
    """
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        value = cache.get(VERSION_KEY)
    return value


def _bump_version() -> None:
    """After the transaction commits: a process that reloads on the new number must see
    the new rows."""
    transaction.on_commit(_incr_version)


def _incr_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new number will do
        cache.set(VERSION_KEY, time.time_ns(), None)


def _products(ids: Sequence[int]):
    return (
        ProductPage.objects.filter(pk__in=ids)
        .live()
        .public()
        .select_related("producer__commune__province", "ocop_category")
        .prefetch_related(
            "variants",
            "quality_marks",
            Prefetch("certificates", queryset=Certificate.objects.order_by("-signed_on", "-pk")),
            Prefetch(
                "gallery_images",
                queryset=ProductGalleryImage.objects.order_by("sort_order", "pk"),
            ),
        )
    )


def _in_stock_skus(skus: list[str]) -> set[str]:
    return set(
        StockItem.objects.filter(sku__in=skus, on_hand__gt=F("reserved")).values_list(
            "sku", flat=True
        )
    )


def _entry(page: ProductPage, stocked: set[str], url: str) -> tuple:
    ref = reference.get()
    category = ref.categories[page.ocop_category.code]
    producer = page.producer
    # Indexed pages are saved ones, and every save sets `producer` from the parent page.
    assert producer is not None
    commune = producer.commune
    variants = list(page.variants.all())
    prices = [v.price for v in variants] or [0]
    certificate = page.current_certificate()
    valid = certificate is not None and certificate.status == CertificateStatus.VALID
    gallery = list(page.gallery_images.all())
    marks = list(page.quality_marks.all())
    entry = StorefrontEntry(
        product_id=page.pk,
        title=page.title,
        name_folded=" ".join(words.words(page.title)),
        url=url,
        image_id=gallery[0].image_id if gallery else None,
        published_at=page.first_published_at or page.last_published_at or timezone.now(),
        producer_id=producer.pk,
        producer_title=producer.title,
        producer_type=producer.producer_type,
        province_code=commune.province.code,
        province_name=commune.province.name,
        commune_code=commune.code,
        commune_name=commune.full_name,
        sector=category.sector,
        group=category.group,
        category=category.code,
        stars=certificate.stars if valid else 0,
        certified_until=certificate.valid_until if valid else None,
        min_price=min(prices),
        max_price=max(prices),
        in_stock=page.is_service or any(v.sku in stocked for v in variants),
        is_service=page.is_service,
    )
    lineage = [category.code, category.group, category.sector]
    weights = words.weigh(
        [
            (page.title, words.TITLE),
            (page.product_code, words.CODE),
            (page.brand, words.PRODUCER),
            (producer.title, words.PRODUCER),
            (f"{commune.full_name} {commune.province.name}", words.PLACE),
            *((ref.categories[c].name_vi, words.PLACE) for c in lineage),
            *((ref.categories[c].name_en, words.TEXT) for c in lineage),
            *((f"{m.name_vi} {m.name_en} {m.code}", words.TEXT) for m in marks),
            (page.summary, words.TEXT),
            (plain_text(page.description), words.TEXT),
            (page.ingredients, words.TEXT),
        ]
    )
    rows = [StorefrontWord(word=w, entry_id=page.pk, weight=n) for w, n in weights.items()]
    mark_rows = [StorefrontMark(entry_id=page.pk, code=m.code) for m in marks]
    return entry, rows, mark_rows


_batch = threading.local()  # .ids: products to refresh when the batch ends (or None)


def _batching() -> set[int] | None:
    """The products collected by the batch in progress, if any."""
    return getattr(_batch, "ids", None)


@contextmanager
def batched() -> Iterator[None]:
    """Refresh each product once, when the block ends, instead of at every write: a bulk
    load writes each product several times (page, revision, publish, stock, certificates)."""
    if _batching() is not None:  # already inside a batch
        yield
        return
    _batch.ids = set()
    try:
        yield
    finally:
        ids, _batch.ids = _batch.ids, None
    refresh_products(ids)


def refresh_products(ids: Iterable[int]) -> None:
    """Re-derive the entries of these products: live and public ones are (re)written,
    the others removed."""
    if (batch := _batching()) is not None:
        batch.update(ids)
        return
    ids = list(dict.fromkeys(ids))
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            _refresh_batch(ids[start : start + BATCH])
    _bump_version()


def _refresh_batch(ids: list[int]) -> None:
    pages = list(_products(ids))
    skus = [v.sku for page in pages for v in page.variants.all()]
    stocked = _in_stock_skus(skus)
    entries, word_rows, mark_rows = [], [], []
    for page in pages:
        entry, page_words, page_marks = _entry(page, stocked, page.get_url() or page.url_path)
        entries.append(entry)
        word_rows += page_words
        mark_rows += page_marks
    StorefrontEntry.objects.filter(pk__in=ids).delete()
    StorefrontEntry.objects.bulk_create(entries)
    StorefrontWord.objects.bulk_create(word_rows, batch_size=BATCH * 4)
    StorefrontMark.objects.bulk_create(mark_rows, batch_size=BATCH * 4)


def refresh_producer(producer_id: int) -> None:
    """A producer's name, type or commune is on each of its products' entries."""
    refresh_products(
        ProductPage.objects.filter(producer_id=producer_id).values_list("pk", flat=True)
    )


def places_changed(commune_ids: Iterable[int]) -> None:
    """A commune or province was added or renamed in the admin: the filter choices and
    the names copied onto the products there must follow."""
    transaction.on_commit(reference.forget)
    refresh_products(
        ProductPage.objects.filter(producer__commune_id__in=list(commune_ids)).values_list(
            "pk", flat=True
        )
    )


def refresh_stock(skus: Iterable[str]) -> None:
    """After stock changes: recompute "in stock" for the products of these SKUs."""
    product_ids = ProductVariant.objects.filter(sku__in=list(skus)).values("product_id")
    if (batch := _batching()) is not None:
        batch.update(row["product_id"] for row in product_ids)
        return
    available = StockItem.objects.filter(
        sku__in=ProductVariant.objects.filter(product_id=OuterRef(OuterRef("pk"))).values("sku"),
        on_hand__gt=F("reserved"),
    )
    changed = StorefrontEntry.objects.filter(pk__in=product_ids, is_service=False).update(
        in_stock=Exists(available)
    )
    if changed:
        _bump_version()


def rebuild() -> int:
    """Rebuild the whole read model (after a bulk import or when in doubt)."""
    ids = list(ProductPage.objects.live().values_list("pk", flat=True))
    with transaction.atomic():
        StorefrontEntry.objects.exclude(pk__in=ProductPage.objects.live().values("pk")).delete()
        refresh_products(ids)
    return StorefrontEntry.objects.count()
