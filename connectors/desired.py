"""What a channel should show: for every product in its scope, the listing it wants
(category, attributes, photos, SKUs with the channel's price and stock), or why not.

Read with a handful of flat queries (no page objects): a pass over 20,000 products with
nothing to send must stay fast. Nothing here talks to a marketplace; `engine` compares
this with the Listing rows."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from django.db.models import Q
from django.utils import timezone

from catalogue import stock
from catalogue.models import Certificate, ProductGalleryImage, ProductPage, ProductVariant
from catalogue.text import plain_text
from connectors.base import SkuPayload
from connectors.models import CategoryMapping, Channel, Listing

PRICE_ROUNDING = 1000


def channel_price(channel: Channel, price: int) -> int:
    """Our price plus the channel's markup, rounded up to 1.000 ₫."""
    marked_up = price * (100 + channel.price_markup_percent) / 100
    return ceil(marked_up / PRICE_ROUNDING) * PRICE_ROUNDING


def channel_stock(channel: Channel, available: int) -> int:
    """Absolute quantity to show: the channel's share of what we can sell (rounded down),
    minus the units it holds back."""
    return max(0, available * channel.stock_share_percent // 100 - channel.stock_buffer)


@dataclass
class Desired:
    product_id: int
    product_code: str
    title: str
    wanted: bool  # False: take it off the channel
    reason: str = ""  # why it is not wanted or cannot be pushed, for people
    description: str = ""
    category_id: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    images: list[tuple[int, str]] = field(default_factory=list)  # (image id, file hash)
    skus: list[SkuPayload] = field(default_factory=list)

    @property
    def pushable(self) -> bool:
        return self.wanted and not self.reason

    def content_fingerprint(self) -> str:
        """Changes when what the listing says changes (not its price or stock)."""
        content = {
            "title": self.title,
            "description": self.description,
            "category": self.category_id,
            "attributes": self.attributes,
            "images": [file_hash for _, file_hash in self.images],
            "skus": [(s.seller_sku, s.name, s.weight_grams) for s in self.skus],
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


def _in_scope(channel: Channel) -> Q:
    producer_ids = list(channel.producers.values_list("pk", flat=True))
    return Q(producer_id__in=producer_ids) if producer_ids else Q()


def desired_products(channel: Channel, only: set[int] | None = None) -> list[Desired]:
    """Every product the channel should carry, plus every product it carries now
    (or, with `only`, just those of these products)."""
    listed = Listing.objects.filter(channel=channel).values("product_id")
    products = (
        ProductPage.objects.all() if only is None else ProductPage.objects.filter(pk__in=only)
    )
    rows = list(
        products.filter(Q(pk__in=listed) | (Q(live=True) & _in_scope(channel)))
        .order_by("pk")
        .values(
            "pk",
            "title",
            "product_code",
            "summary",
            "description",
            "ocop_category_id",
            "ocop_category__code",
            "producer_id",
        )
    )
    ids = [row["pk"] for row in rows]
    in_scope = set(ProductPage.objects.filter(_in_scope(channel)).values_list("pk", flat=True))
    public = set(ProductPage.objects.live().public().values_list("pk", flat=True))
    mappings = {m.ocop_category_id: m for m in CategoryMapping.objects.filter(channel=channel)}
    variants = defaultdict(list)
    for variant in (
        ProductVariant.objects.filter(product_id__in=ids)
        .order_by("product_id", "sort_order")
        .values("product_id", "sku", "name", "price", "weight_grams")
    ):
        variants[variant["product_id"]].append(variant)
    levels = stock.levels([v["sku"] for group in variants.values() for v in group])
    images = defaultdict(list)
    for image in (
        ProductGalleryImage.objects.filter(page_id__in=ids)
        .order_by("page_id", "sort_order")
        .values("page_id", "image_id", "image__file_hash")
    ):
        images[image["page_id"]].append((image["image_id"], image["image__file_hash"]))
    certificates = _valid_certificates(ids)

    result = []
    for row in rows:
        item = Desired(row["pk"], row["product_code"], row["title"], wanted=True)
        certificate = certificates.get(row["pk"])
        mapping = mappings.get(row["ocop_category_id"])
        if not (row["pk"] in public and row["pk"] in in_scope):
            item.wanted, item.reason = False, "Ngừng bán hoặc ngoài phạm vi kênh"
        elif row["ocop_category__code"].startswith("VI"):
            item.wanted, item.reason = False, "Dịch vụ du lịch không bán trên sàn"
        elif channel.requires_certificate and certificate is None:
            item.wanted, item.reason = False, "Chứng nhận OCOP hết hiệu lực"
        elif mapping is None:
            item.reason = f"Chưa ánh xạ bộ {row['ocop_category__code']} sang danh mục của sàn"
        elif not images[row["pk"]]:
            item.reason = "Sản phẩm chưa có ảnh"
        if item.wanted:
            item.skus = [
                SkuPayload(
                    seller_sku=v["sku"],
                    name=v["name"],
                    price=channel_price(channel, v["price"]),
                    stock=channel_stock(
                        channel, levels[v["sku"]].available if v["sku"] in levels else 0
                    ),
                    weight_grams=v["weight_grams"],
                )
                for v in variants[row["pk"]]
            ]
        if item.pushable:
            assert mapping is not None  # pushable: no reason was given above
            item.description = _description(row, certificate)
            item.category_id, item.attributes = mapping.category_id, dict(mapping.attributes)
            item.images = images[row["pk"]]
        result.append(item)
    return result


def _valid_certificates(product_ids: list[int]) -> dict[int, Mapping[str, Any]]:
    """The certificate that allows the OCOP stars today, per product: the newest one not
    revoked, if it is valid (as ProductPage.valid_certificate)."""
    today = timezone.localdate()
    current: dict[int, Mapping[str, Any]] = {}
    for certificate in (
        Certificate.objects.filter(product_id__in=product_ids)
        .exclude(status=Certificate.Status.REVOKED)
        .order_by("product_id", "-signed_on")
        .values("product_id", "stars", "decision_number", "status", "valid_until")
    ):
        current.setdefault(certificate["product_id"], certificate)
    return {
        product_id: c
        for product_id, c in current.items()
        if c["status"] == Certificate.Status.VALID and c["valid_until"] >= today
    }


def _description(row: dict, certificate: Mapping[str, Any] | None) -> str:
    parts = [row["summary"], plain_text(row["description"])]
    if certificate:
        stars, number = certificate["stars"], certificate["decision_number"]
        parts.append(f"Sản phẩm OCOP {stars} sao, quyết định {number}.")
    return "\n\n".join(part for part in parts if part).strip() or row["title"]
