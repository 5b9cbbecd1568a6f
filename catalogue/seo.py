"""schema.org Product data for a product page, as JSON-LD."""

import json

from catalogue.models import ProductPage, ProductVariant

SCHEMA = "https://schema.org/"
# Safe inside <script type="application/ld+json">: no "</script>" or "<!--" can appear.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _offers(variants: list[tuple[ProductVariant, int]], url: str) -> dict | None:
    if not variants:
        return None
    availability = SCHEMA + (
        "InStock" if any(available > 0 for _v, available in variants) else "OutOfStock"
    )
    if len(variants) == 1:
        variant = variants[0][0]
        return {
            "@type": "Offer",
            "sku": variant.sku,
            "price": int(variant.price),
            "priceCurrency": "VND",
            "availability": availability,
            "url": url,
        }
    prices = [int(variant.price) for variant, _available in variants]
    return {
        "@type": "AggregateOffer",
        "lowPrice": min(prices),
        "highPrice": max(prices),
        "offerCount": len(variants),
        "priceCurrency": "VND",
        "availability": availability,
        "url": url,
    }


def product_json_ld(
    page: ProductPage,
    *,
    url: str,
    image_url: str | None,
    variants: list[tuple[ProductVariant, int]],
) -> str:
    """JSON text for the product's ld+json script; `variants` pairs each variant with the
    quantity available to sell. Tourism services are booked by contact: no offers."""
    brand = page.brand
    if not brand:
        # Every save sets `producer` from the parent page (ProductPage._assign_codes).
        assert page.producer is not None
        brand = page.producer.title
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "sku": page.product_code,
        "url": url,
        "brand": {"@type": "Brand", "name": brand},
        "category": page.ocop_category.name_vi,
    }
    if page.summary:
        data["description"] = page.summary
    if image_url:
        data["image"] = image_url
    offers = None if page.is_service else _offers(variants, url)
    if offers:
        data["offers"] = offers
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
