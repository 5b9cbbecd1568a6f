"""What the public product page shows, loaded in a fixed number of queries whatever the
number of variants, photos and quality marks. `ProductPage.get_context` calls `context`."""

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

from django.db.models import (
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextChoices,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from catalogue import listeners, qr, seo, stock
from catalogue.models import (
    ProducerPage,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    StockItem,
    StorefrontEntry,
)
from catalogue.storefront import listing, reference

LOW_STOCK = 5
RELATED_LIMIT = 4
# The template's `srcset_image … width-{360,720,1080} format-webp` asks for exactly these.
GALLERY_RENDITIONS = tuple(f"width-{w}|format-webp" for w in (360, 720, 1080))
# Link previews (Facebook, Zalo) want about 1200×630 and do not all read WebP.
OG_RENDITION = "fill-1200x630|format-jpeg"


class StockState(TextChoices):
    IN_STOCK = "in", _("Còn hàng")
    LOW = "low", _("Sắp hết")
    OUT = "out", _("Hết hàng")


@dataclass(frozen=True)
class VariantRow:
    variant: ProductVariant
    available: int

    @property
    def state(self) -> StockState:
        if self.available <= 0:
            return StockState.OUT
        return StockState.LOW if self.available <= LOW_STOCK else StockState.IN_STOCK


@dataclass(frozen=True)
class Contact:
    phone: str
    tel: str  # for tel: links
    zalo_url: str


class OgImage(NamedTuple):
    url: str
    width: int
    height: int


# Sellable quantity, read in the same query as the variants (0 without a stock row).
_AVAILABLE = Coalesce(
    Subquery(
        StockItem.objects.filter(sku=OuterRef("sku"))
        .annotate(free=F("on_hand") - F("reserved"))
        .values("free")[:1]
    ),
    0,
)


def load(page: ProductPage) -> None:
    """Prefetch onto `page` itself rather than re-reading it: a preview shows the draft's
    variants, photos and marks, which exist only on this instance."""
    lookups: list[str | Prefetch] = [
        Prefetch("producer", queryset=ProducerPage.objects.select_related("commune__province")),
        "ocop_category",
    ]
    if page.pk:  # the preview of a page being created has no rows of its own yet
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=(*GALLERY_RENDITIONS, OG_RENDITION))
        )
        lookups += [
            "certificates",
            "quality_marks",
            Prefetch("variants", queryset=ProductVariant.objects.annotate(available=_AVAILABLE)),
            Prefetch(
                "gallery_images",
                queryset=ProductGalleryImage.objects.select_related("image").prefetch_related(
                    Prefetch("image__renditions", queryset=renditions)
                ),
            ),
        ]
    prefetch_related_objects([page], *lookups)


def variant_rows(page: ProductPage) -> list[VariantRow]:
    """Each variant with the quantity available to sell: read with the variants (`load`),
    or in one query for a preview's variants that are not rows yet."""
    variants = list(page.variants.all())
    if all(hasattr(variant, "available") for variant in variants):
        return [VariantRow(variant, variant.available) for variant in variants]
    levels = stock.levels([variant.sku for variant in variants])
    return [
        VariantRow(variant, levels[variant.sku].available if variant.sku in levels else 0)
        for variant in variants
    ]


def related_cards(page: ProductPage) -> list[listing.Card]:
    """Other live products of the same OCOP group first, then of the same producer."""
    category = reference.get().categories[page.ocop_category.code]
    same_group = Q(sector=category.sector, group=category.group)
    entries = (
        StorefrontEntry.objects.filter(same_group | Q(producer_id=page.producer_id))
        .exclude(pk=page.pk)
        .annotate(rank=Case(When(same_group, then=0), default=1))
        .order_by("rank", "-published_at", "-product")[:RELATED_LIMIT]
    )
    return listing.cards(list(entries))


def contact(producer: ProducerPage) -> Contact:
    zalo = re.sub(r"\D", "", producer.zalo or producer.phone)
    return Contact(
        phone=producer.phone,
        tel=re.sub(r"[^\d+]", "", producer.phone),
        zalo_url=f"https://zalo.me/{zalo}" if zalo else "",
    )


def og_image(base_url: str, gallery: list[ProductGalleryImage]) -> OgImage | None:
    if not gallery:
        return None
    rendition = gallery[0].image.get_rendition(OG_RENDITION)
    return OgImage(urljoin(base_url, rendition.url), rendition.width, rendition.height)


def context(page: ProductPage, request: HttpRequest) -> dict[str, object]:
    load(page)
    rows = variant_rows(page)
    gallery = list(page.gallery_images.all())
    canonical_url = page.get_full_url(request)
    # On the site's own host, like the canonical URL (media may be on another host).
    image = og_image(canonical_url or request.build_absolute_uri(), gallery)
    certificate = page.current_certificate() if page.pk else None
    # full_clean sets `producer` from the parent page, for a preview too (_assign_codes).
    assert page.producer is not None
    return {
        "certificate": certificate,
        "valid_certificate": page.valid_certificate() if certificate else None,
        "variant_rows": rows,
        "gallery": gallery,
        "related_cards": related_cards(page),
        "sold_elsewhere": listeners.product_links(page) if page.pk else [],
        "contact": contact(page.producer),
        "canonical_url": canonical_url,
        "og_image": image,
        "short_url": qr.short_url(request, page.product_code),
        "ld_json": seo.product_json_ld(
            page,
            url=canonical_url,
            image_url=image.url if image else None,
            variants=[(row.variant, row.available) for row in rows],
        ),
    }
