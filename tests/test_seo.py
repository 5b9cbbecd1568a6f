"""robots.txt, the sitemap and the product's schema.org JSON-LD."""

import json

from catalogue.seo import product_json_ld


def test_robots_txt(client, structure):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /django-admin/", "Allow: /"} <= set(lines)
    assert not any(line.startswith("Disallow: /api") for line in lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_live_pages_only(coop, make_product, client):
    live = make_product(coop.page)
    draft = make_product(coop.page, title="Chè nháp")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<urlset" in xml
    assert f"{live.url}</loc>" in xml and f"{coop.page.url}</loc>" in xml
    assert "/san-pham/</loc>" in xml
    assert draft.slug not in xml


def _ld(page, variants, image_url="http://testserver/media/che.webp") -> dict:
    return json.loads(
        product_json_ld(page, url="http://testserver/p/x/", image_url=image_url, variants=variants)
    )


def test_json_ld_with_several_variants_is_an_aggregate_offer(coop, make_product):
    page = make_product(coop.page)
    page.summary = "Chè búp non, sao tay"
    small, large = page.variants.all()
    data = _ld(page, [(small, 0), (large, 3)])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Chè Đinh Tân Cương"
    assert data["sku"] == page.product_code
    assert data["description"] == "Chè búp non, sao tay"
    assert data["brand"] == {"@type": "Brand", "name": "HTX Chè Hảo Đạt"}
    assert data["image"] == "http://testserver/media/che.webp"
    assert data["category"] == page.ocop_category.name_vi
    assert data["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": 150_000,
        "highPrice": 350_000,
        "offerCount": 2,
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock",
        "url": "http://testserver/p/x/",
    }
    assert _ld(page, [(small, 0), (large, 0)])["offers"]["availability"] == (
        "https://schema.org/OutOfStock"
    )


def test_json_ld_with_one_variant_is_an_offer(coop, make_product):
    page = make_product(coop.page, variants=[("Chai 500 ml", 250_000)])
    page.brand = "Mật ong Quảng Lạc"
    (variant,) = page.variants.all()
    data = _ld(page, [(variant, 0)], image_url=None)
    assert data["brand"]["name"] == "Mật ong Quảng Lạc"
    assert "image" not in data and "description" not in data
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["sku"] == variant.sku
    assert offer["price"] == 250_000 and isinstance(offer["price"], int)
    assert offer["priceCurrency"] == "VND"
    assert offer["availability"] == "https://schema.org/OutOfStock"


def test_tourism_services_have_no_offers(coop, make_product):
    page = make_product(coop.page, title="Du lịch cộng đồng", category="VI")
    variants = [(variant, 5) for variant in page.variants.all()]
    assert "offers" not in _ld(page, variants)


def test_json_ld_is_safe_inside_a_script_element(coop, make_product):
    page = make_product(coop.page)
    page.title = "Chè </script><script>alert(1)</script> & <!-- Tân Cương"
    text = product_json_ld(page, url="http://testserver/p/x/", image_url=None, variants=[])
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text and "\\u0026" in text
    assert "Tân Cương" in text  # Vietnamese stays readable (ensure_ascii=False)
    assert json.loads(text)["name"] == page.title
