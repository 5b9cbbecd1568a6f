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
    """Every live product, and every product the channel has a row for (or, with `only`,
    just those of these products): what the channel should carry, or why it does not."""
    listed = Listing.objects.filter(channel=channel).values("product_id")
    products = (
        ProductPage.objects.all() if only is None else ProductPage.objects.filter(pk__in=only)
    )
    rows = list(
        products.filter(Q(pk__in=listed) | Q(live=True))
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
    current = _current_certificates(ids)
    certificates = {pk: c for pk, c in current.items() if _valid(c)}

    result = []
    for row in rows:
        item = Desired(row["pk"], row["product_code"], row["title"], wanted=True)
        certificate = certificates.get(row["pk"])
        mapping = mappings.get(row["ocop_category_id"])
        if row["pk"] not in public:
            item.wanted, item.reason = False, "Sản phẩm chưa được duyệt đăng hoặc đã ngừng bán"
        elif row["pk"] not in in_scope:
            item.wanted, item.reason = False, "Kênh này chỉ bán sản phẩm của các chủ thể đã chọn"
        elif row["ocop_category__code"].startswith("VI"):
            item.wanted, item.reason = False, "Dịch vụ du lịch không bán trên sàn"
        elif channel.requires_certificate and certificate is None:
            item.wanted = False
            item.reason = _certificate_missing(current.get(row["pk"]))
        elif mapping is None:
            item.reason = f"Chưa ánh xạ bộ {row['ocop_category__code']} sang danh mục của sàn"
        elif not images[row["pk"]]:
            item.reason = "Sản phẩm chưa có ảnh"
        item.skus = [  # also for products not carried: their rows say why
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


def _current_certificates(product_ids: list[int]) -> dict[int, Mapping[str, Any]]:
    """Per product, the certificate that decides its OCOP stars: the newest one not
    revoked (as ProductPage.current_certificate), or else the newest revoked one, so
    that the reason can say it was revoked."""
    current: dict[int, Mapping[str, Any]] = {}
    for certificate in (
        Certificate.objects.filter(product_id__in=product_ids)
        .order_by("product_id", "-signed_on")
        .values("product_id", "stars", "decision_number", "status", "valid_until")
    ):
        known = current.get(certificate["product_id"])
        if known is None or (
            known["status"] == Certificate.Status.REVOKED
            and certificate["status"] != Certificate.Status.REVOKED
        ):
            current[certificate["product_id"]] = certificate
    return current


def _valid(certificate: Mapping[str, Any]) -> bool:
    """Allows the OCOP stars today (as ProductPage.valid_certificate)."""
    return (
        certificate["status"] == Certificate.Status.VALID
        and certificate["valid_until"] >= timezone.localdate()
    )


def _certificate_missing(certificate: Mapping[str, Any] | None) -> str:
    """Why a channel that carries only OCOP products does not carry this one."""
    if certificate is None:
        return "Chưa có chứng nhận OCOP (kênh chỉ bán sản phẩm OCOP)"
    if certificate["status"] == Certificate.Status.REVOKED:
        return f"Chứng nhận OCOP {certificate['decision_number']} đã bị thu hồi"
    return (
        f"Chứng nhận OCOP {certificate['decision_number']} đã hết hiệu lực "
        f"ngày {certificate['valid_until']:%d/%m/%Y}"
    )


def _description(row: dict, certificate: Mapping[str, Any] | None) -> str:
    parts = [row["summary"], plain_text(row["description"])]
    if certificate:
        stars, number = certificate["stars"], certificate["decision_number"]
        parts.append(f"Sản phẩm OCOP {stars} sao, quyết định {number}.")
    return "\n\n".join(part for part in parts if part).strip() or row["title"]
