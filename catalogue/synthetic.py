"""A large synthetic catalogue for benchmarks, written with bulk inserts.

Going through `add_child` and revisions costs ~50 ms a product; 20,000 products
would take too long. Products are inserted directly as rows of the page tree
(treebeard materialised paths computed here), with variants, stock, a gallery
image and, for most, a certificate. Producers go through the normal page API.
Pages written this way have no revisions yet and are not in Wagtail's admin
search index until `manage.py update_index`.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, Page

from catalogue.models import (
    Certificate,
    CodeSequence,
    Commune,
    IssuerLevel,
    OcopCategory,
    ProducerPage,
    ProducerType,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    StockItem,
)
from catalogue.models.products import allocate_product_codes, format_sku, sku_sequence_key
from catalogue.placeholders import create_placeholder_image
from catalogue.site_setup import ensure_site_structure
from catalogue.storefront import index as storefront_index
from catalogue.text import slugify_vi

NAMES = [
    "Chè búp",
    "Chè xanh",
    "Mật ong rừng",
    "Miến dong",
    "Gạo nếp",
    "Na dai",
    "Quýt vàng",
    "Rượu men lá",
    "Tinh dầu hồi",
    "Măng khô",
    "Thạch đen",
    "Vịt quay",
    "Khau nhục",
    "Bánh chưng",
    "Phở khô",
    "Tinh bột nghệ",
    "Hồng không hạt",
    "Cao dược liệu",
    "Giỏ mây tre",
    "Khăn thổ cẩm",
]
VARIANTS = [("Gói 200 g", 250, 1), ("Hộp 500 g", 600, 2), ("Thùng 1 kg", 1200, 4)]
BATCH = 500


@dataclass
class SyntheticResult:
    producers: int
    products: int
    variants: int


def _create_producers(count: int, run: int, rng: random.Random) -> list[ProducerPage]:
    structure = ensure_site_structure()
    communes = list(Commune.objects.filter(retired=False).select_related("province"))
    collection = Collection.get_first_root_node().add_child(name=f"Dữ liệu mẫu {run}")
    producers = []
    for number in range(1, count + 1):
        producer = ProducerPage(
            title=f"Cơ sở mẫu {run}-{number:04d}",
            producer_type=rng.choice(ProducerType.values),
            commune=rng.choice(communes),
            phone=f"0912{rng.randrange(10**6):06d}",
            story="<p>Dữ liệu tổng hợp để đo hiệu năng.</p>",
            collection=collection,
        )
        structure.producers_index.add_child(instance=producer)
        producers.append(producer)
    return producers


def _product_rows(producer, count, categories, rng, now, content_type) -> list[ProductPage]:
    pages = []
    for index in range(count):
        name = f"{rng.choice(NAMES)} {producer.commune.name} {index + 1}"
        slug = slugify_vi(name)
        pages.append(
            ProductPage(
                title=name,
                draft_title=name,
                slug=slug,
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                url_path=f"{producer.url_path}{slug}/",
                depth=producer.depth + 1,
                path=Page._get_path(producer.path, producer.depth + 1, index + 1),
                numchild=0,
                locale_id=producer.locale_id,
                translation_key=uuid.uuid4(),
                producer_id=producer.pk,
                ocop_category=rng.choice(categories),
                summary=f"{name}: sản phẩm tổng hợp để đo hiệu năng.",
                description=f"<p>{name}. Dữ liệu tổng hợp.</p>",
            )
        )
    return pages


def _insert_product_pages(pages: list[ProductPage]) -> None:
    """Multi-table insert: base Page rows with bulk_create, then the ProductPage rows."""
    base_fields = [f.name for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages],
        batch_size=BATCH,
    )
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.page_ptr_id = base.pk
    local_fields = ProductPage._meta.local_concrete_fields
    for offset in range(0, len(pages), BATCH):
        ProductPage.objects._insert(pages[offset : offset + BATCH], fields=local_fields)


@transaction.atomic
def generate_catalogue(products: int, per_producer: int = 100, seed: int = 1) -> SyntheticResult:
    rng = random.Random(seed)
    run = CodeSequence.take("synthetic-run")[0]
    producer_count = max(1, -(-products // per_producer))
    producers = _create_producers(producer_count, run, rng)
    categories = list(OcopCategory.objects.filter(is_leaf=True))
    images = {
        sector: create_placeholder_image(f"Sản phẩm mẫu {sector}", sector, producers[0].collection)
        for sector in ("I", "II", "III", "IV", "V", "VI")
    }
    content_type = ContentType.objects.get_for_model(ProductPage)
    now = timezone.now()
    today = timezone.localdate()

    pages: list[ProductPage] = []
    remaining = products
    for producer in producers:
        count = min(per_producer, remaining)
        remaining -= count
        batch = _product_rows(producer, count, categories, rng, now, content_type)
        for page, code in zip(
            batch, allocate_product_codes(producer.commune.province.code, count), strict=True
        ):
            page.product_code = code
        pages.extend(batch)
        Page.objects.filter(pk=producer.pk).update(numchild=count)
    _insert_product_pages(pages)

    variants, stock_items, sequences, gallery, certificates = [], [], [], [], []
    for page in pages:
        base_price = rng.randrange(30, 400) * 1000
        for order, (label, grams, factor) in enumerate(VARIANTS, start=1):
            sku = format_sku(page.product_code, order)
            variants.append(
                ProductVariant(
                    product_id=page.pk,
                    sku=sku,
                    name=label,
                    price=base_price * factor,
                    weight_grams=grams,
                    sort_order=order,
                )
            )
            stock_items.append(StockItem(sku=sku, on_hand=rng.choice([0, 5, 20, 50, 120])))
        sequences.append(CodeSequence(key=sku_sequence_key(page.product_code), last=len(VARIANTS)))
        sector = page.ocop_category.code.split(".")[0]
        gallery.append(ProductGalleryImage(page_id=page.pk, image=images[sector], sort_order=0))
        if rng.random() < 0.8:
            stars = rng.choice([3, 3, 4, 4, 5])
            signed_on = today - datetime.timedelta(days=rng.randrange(0, 5 * 365))
            certificates.append(
                Certificate(
                    product_id=page.pk,
                    stars=stars,
                    decision_number=f"{rng.randrange(10**4)}/QĐ",
                    signed_on=signed_on,
                    issuer="UBND tỉnh (dữ liệu mẫu)",
                    issuer_level=IssuerLevel.NATIONAL if stars == 5 else IssuerLevel.PROVINCIAL,
                    valid_until=signed_on + datetime.timedelta(days=3 * 365),
                    status="valid"
                    if signed_on + datetime.timedelta(days=3 * 365) >= today
                    else "expired",
                )
            )
    ProductVariant.objects.bulk_create(variants, batch_size=BATCH)
    StockItem.objects.bulk_create(stock_items, batch_size=BATCH)
    CodeSequence.objects.bulk_create(sequences, batch_size=BATCH)
    ProductGalleryImage.objects.bulk_create(gallery, batch_size=BATCH)
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    storefront_index.refresh_products([page.pk for page in pages])
    return SyntheticResult(len(producers), len(pages), len(variants))
