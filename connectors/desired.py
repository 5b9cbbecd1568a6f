"""What a channel should show: for every product in its scope, the listing it wants
(category, attributes, photos, SKUs with the channel's price and stock), or why not.

Nothing here talks to a marketplace; `engine` compares this with the Listing rows."""

import hashlib
import json
from dataclasses import dataclass, field
from math import ceil

from django.db.models import Q
from django.utils import timezone

from catalogue import stock
from catalogue.models import ProductPage
from catalogue.text import plain_text
from connectors.base import SkuPayload
from connectors.models import CategoryMapping, Channel, Listing

PRICE_ROUNDING = 1000


def channel_price(channel: Channel, price: int) -> int:
    """Our price plus the channel's markup, rounded up to 1.000 ₫."""
    marked_up = price * (100 + channel.price_markup_percent) / 100
    return ceil(marked_up / PRICE_ROUNDING) * PRICE_ROUNDING


def channel_stock(channel: Channel, available: int) -> int:
    """Absolute quantity to show: what we can sell minus what this channel holds back."""
    return max(0, available - channel.stock_buffer)


@dataclass
class Desired:
    product: ProductPage
    wanted: bool  # False: take it off the channel
    reason: str = ""  # why it is not wanted or cannot be pushed, for people
    category_id: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    images: list = field(default_factory=list)  # Wagtail images, uploaded by the engine
    skus: list[SkuPayload] = field(default_factory=list)

    @property
    def pushable(self) -> bool:
        return self.wanted and not self.reason

    def content_fingerprint(self) -> str:
        """Changes when what the listing says changes (not its price or stock)."""
        content = {
            "title": self.product.title,
            "description": self.description(),
            "category": self.category_id,
            "attributes": self.attributes,
            "images": [image.get_file_hash() for image in self.images],
            "skus": [(s.seller_sku, s.name, s.weight_grams) for s in self.skus],
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def description(self) -> str:
        parts = [self.product.summary, plain_text(self.product.description)]
        certificate = self.product.valid_certificate()
        if certificate:
            parts.append(
                f"Sản phẩm OCOP {certificate.stars} sao, quyết định {certificate.decision_number}."
            )
        return "\n\n".join(part for part in parts if part).strip() or self.product.title


def _in_scope(channel: Channel) -> Q:
    producer_ids = list(channel.producers.values_list("pk", flat=True))
    return Q(producer_id__in=producer_ids) if producer_ids else Q()


def desired_products(channel: Channel) -> list[Desired]:
    """Every product the channel should carry, plus every product it carries now."""
    listed = Listing.objects.filter(channel=channel).values("product_id")
    candidates = (
        ProductPage.objects.filter(Q(pk__in=listed) | (Q(live=True) & _in_scope(channel)))
        .select_related("ocop_category", "producer")
        .prefetch_related("variants", "certificates", "gallery_images__image")
        .order_by("pk")
    )
    in_scope = set(ProductPage.objects.filter(_in_scope(channel)).values_list("pk", flat=True))
    public = set(ProductPage.objects.live().public().values_list("pk", flat=True))
    mappings = {m.ocop_category_id: m for m in CategoryMapping.objects.filter(channel=channel)}
    products = list(candidates)
    skus = [v.sku for product in products for v in product.variants.all()]
    levels = stock.levels(skus)
    today = timezone.localdate()
    return [
        _desired(channel, p, p.pk in in_scope, p.pk in public, mappings, levels, today)
        for p in products
    ]


def _desired(channel, product, in_scope, public, mappings, levels, today) -> Desired:
    if not (public and in_scope):
        return Desired(product, wanted=False, reason="Ngừng bán hoặc ngoài phạm vi kênh")
    if product.is_service:
        return Desired(product, wanted=False, reason="Dịch vụ du lịch không bán trên sàn")
    if channel.requires_certificate and product.valid_certificate(today) is None:
        return Desired(product, wanted=False, reason="Chứng nhận OCOP hết hiệu lực")
    mapping = mappings.get(product.ocop_category_id)
    skus = [
        SkuPayload(
            seller_sku=variant.sku,
            name=variant.name,
            price=channel_price(channel, variant.price),
            stock=channel_stock(
                channel, levels[variant.sku].available if variant.sku in levels else 0
            ),
            weight_grams=variant.weight_grams,
        )
        for variant in product.variants.all()
    ]
    images = [item.image for item in product.gallery_images.all()]
    if mapping is None:
        reason = f"Chưa ánh xạ bộ {product.ocop_category.code} sang danh mục của sàn"
    elif not images:
        reason = "Sản phẩm chưa có ảnh"
    else:
        reason = ""
    return Desired(
        product,
        wanted=True,
        reason=reason,
        category_id=mapping.category_id if mapping else "",
        attributes=dict(mapping.attributes) if mapping else {},
        images=images,
        skus=skus,
    )
