"""The public product page, served through Wagtail's routing as an anonymous shopper."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import listeners, stock
from catalogue.models import (
    Certificate,
    CertificateStatus,
    OcopCategory,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    QualityMark,
)
from catalogue.placeholders import create_placeholder_image
from tests.test_qr import _expected_matrix, _svg_matrix

# Routing (the site, home, the product with its producer and category: HomePage.route) and
# Wagtail's view-restriction check take 5 or so; the product's own data 6; related cards 3.
PAGE_QUERIES = 14


def _html(client, page: ProductPage) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def _add_photos(page: ProductPage, count: int) -> ProductPage:
    assert page.producer is not None
    for n in range(count):
        image = create_placeholder_image(f"{page.title} {n}", "I", page.producer.collection)
        page.gallery_images.add(ProductGalleryImage(image=image, caption=f"Ảnh {n + 1}"))
    page.save_revision().publish()
    return ProductPage.objects.get(pk=page.pk)


def _certify(page: ProductPage, signed_on: datetime.date, **fields) -> Certificate:
    values = {
        "stars": 4,
        "decision_number": "125/QĐ-UBND",
        "issuer": "UBND tỉnh Lạng Sơn",
        "signed_on": signed_on,
    }
    return Certificate.objects.create(product=page, **(values | fields))


def _meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    assert match is not None, prop
    return match.group(1)


def _canonical(html: str) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    assert match is not None
    return match.group(1)


def _json_ld(html: str) -> dict:
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None
    return json.loads(script.group(1))


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_variants_show_prices_and_stock_states(coop, make_product, client):
    page = make_product(
        coop.page,
        variants=[
            ("Hộp 100 g", 80_000),
            ("Hộp 200 g", 150_000),
            ("Hộp 500 g", 350_000),
            ("Túi 1 kg", 600_000),
        ],
    )
    plenty, low, sold_out, never_counted = (v.sku for v in page.variants.all())
    ProductVariant.objects.filter(sku=low).update(compare_at_price=180_000)
    stock.set_on_hand(plenty, 6)
    stock.set_on_hand(low, 8)
    stock.reserve(low, 3)  # 5 left to sell
    stock.set_on_hand(sold_out, 2)
    stock.reserve(sold_out, 2)

    html = _html(client, page)
    rows = re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td class=\"stock-(\w+)\">(.*?)</td>", html
    )
    assert [(name, state, label) for name, _price, state, label in rows] == [
        ("Hộp 100 g", "in", "Còn hàng"),
        ("Hộp 200 g", "low", "Sắp hết"),
        ("Hộp 500 g", "out", "Hết hàng"),
        ("Túi 1 kg", "out", "Hết hàng"),
    ]
    assert rows[0][1] == '<span class="price">80.000\u00a0₫</span>'
    assert rows[1][1] == (
        '<span class="price">150.000\u00a0₫</span> <s class="muted">180.000\u00a0₫</s>'
    )
    assert listeners.product_links(page) == [] and "Cũng bán trên" not in html


def test_valid_certificate_shows_stars_and_decision(coop, make_product, client):
    page = make_product(coop.page)
    certificate = _certify(page, signed_on=_days_ago(30))
    html = _html(client, page)
    assert '<span class="badge star">OCOP 4★</span>' in html
    for detail in (
        "125/QĐ-UBND",
        "UBND tỉnh Lạng Sơn",
        certificate.signed_on.strftime("%d/%m/%Y"),
        certificate.valid_until.strftime("%d/%m/%Y"),
    ):
        assert detail in html
    assert "hết hiệu lực" not in html


@pytest.mark.parametrize(
    "signed_days_ago, status",
    [(365 * 4, CertificateStatus.VALID), (30, CertificateStatus.EXPIRED)],
    ids=["past-valid-until", "marked-expired"],
)
def test_expired_certificate_shows_no_stars(coop, make_product, client, signed_days_ago, status):
    page = make_product(coop.page)
    _certify(page, signed_on=_days_ago(signed_days_ago), status=status)
    html = _html(client, page)
    assert "Chứng nhận OCOP đã hết hiệu lực" in html and "125/QĐ-UBND" in html
    assert "badge star" not in html and "★" not in html


def test_revoked_certificate_is_not_shown(coop, make_product, client):
    page = make_product(coop.page)
    _certify(page, signed_on=_days_ago(30), status=CertificateStatus.REVOKED)
    html = _html(client, page)
    assert "badge star" not in html and "125/QĐ-UBND" not in html
    assert "Đặc sản địa phương" in html


def test_tourism_service_shows_contact_instead_of_prices(make_producer, make_product, client):
    producer = make_producer(
        title="HTX Du lịch Mẫu Sơn",
        phone="0912 345 678",
        zalo="0987.654.321",
        address="Thôn Khuổi Tẳng",
    )
    page = make_product(producer.page, title="Homestay Mẫu Sơn", category="VI")
    html = _html(client, page)
    booking = html.split('<section class="booking">')[1].split("</section>")[0]
    assert "Liên hệ đặt dịch vụ" in booking
    assert 'href="tel:0912345678"' in booking and 'href="https://zalo.me/0987654321"' in booking
    assert "Thôn Khuổi Tẳng, Phường Đông Kinh, Lạng Sơn" in booking
    assert 'class="variants"' not in html and "150.000" not in html
    assert "offers" not in _json_ld(html)


def test_quality_marks_and_facts(coop, make_product, client):
    page = make_product(coop.page)
    page.quality_marks.set(QualityMark.objects.filter(code__in=["vietgap", "haccp"]))
    page.ingredients, page.net_content, page.shelf_life = "Búp chè tươi", "200 g", "24 tháng"
    page.storage, page.season = "Nơi khô ráo", "Tháng 3 – 10"
    page.save_revision().publish()
    html = _html(client, page)
    found = re.search(r'<ul class="marks"[^>]*>(.*?)</ul>', html)
    assert found is not None
    marks = found.group(1)
    assert marks == '<li class="badge mark">HACCP</li><li class="badge mark">VietGAP</li>'
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert facts == {
        "Mã sản phẩm": page.product_code,
        "Bộ sản phẩm": "Chè tươi, chế biến",
        "Thành phần": "Búp chè tươi",
        "Khối lượng tịnh": "200 g",
        "Hạn sử dụng": "24 tháng",
        "Bảo quản": "Nơi khô ráo",
        "Mùa vụ": "Tháng 3 – 10",
    }


def test_producer_card_links_to_producer_place_and_zalo(make_producer, make_product, client):
    producer = make_producer(phone="+84 912 345 678")
    page = make_product(producer.page)
    card = _html(client, page).split('<section class="producer-card">')[1].split("</section>")[0]
    assert f'href="{producer.page.url}"' in card and "HTX Chè Hảo Đạt" in card
    assert "Phường Đông Kinh, Lạng Sơn" in card
    assert 'href="tel:+84912345678"' in card
    assert 'href="https://zalo.me/84912345678"' in card  # no Zalo number: the phone's
    assert '<a href="/san-pham/?commune=05977">Xem sản phẩm cùng xã</a>' in card
    assert '<a href="/san-pham/?province=20">cùng tỉnh</a>' in card


def test_qr_code_of_the_short_url_with_downloads(coop, make_product, client):
    page = make_product(coop.page)
    html = _html(client, page)
    short = f"http://testserver/p/{page.product_code}/"
    found = re.search(r'<svg role="img".*?</svg>', html, re.S)
    assert found is not None
    svg = found.group(0)
    assert _svg_matrix(svg) == _expected_matrix(short)
    assert f'<a href="{short}">{short}</a>' in html
    assert f'href="/p/{page.product_code}/qr.svg?download=1" download>Tải QR (SVG)</a>' in html
    assert f'href="/p/{page.product_code}/qr.png?download=1" download>(PNG)</a>' in html


def test_json_ld_open_graph_and_canonical(coop, make_product, client):
    page = make_product(coop.page, variants=[("Chai 500 ml", 250_000)])
    page.summary = "Mật ong hoa rừng Mẫu Sơn"
    page = _add_photos(page, 2)
    stock.set_on_hand(page.variants.get().sku, 4)
    html = _html(client, page)

    canonical = _canonical(html)
    assert canonical == page.get_full_url() and canonical.startswith("http://")
    assert _meta(html, "og:url") == canonical
    assert _meta(html, "og:type") == "product"
    assert _meta(html, "og:title") == page.title
    assert _meta(html, "og:description") == "Mật ong hoa rừng Mẫu Sơn"
    og_image = _meta(html, "og:image")
    assert og_image.startswith("http://localhost/media/") and og_image.endswith(".jpg")
    width, height = int(_meta(html, "og:image:width")), int(_meta(html, "og:image:height"))
    assert width <= 1200 and abs(width / height - 1200 / 630) < 0.02

    data = _json_ld(html)
    assert data["url"] == canonical and data["image"] == og_image
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["priceCurrency"] == "VND"
    assert offer["price"] == 250_000 and isinstance(offer["price"], int)
    assert offer["availability"] == "https://schema.org/InStock"


def test_gallery_is_responsive_webp_and_lazy_after_the_first(coop, make_product, client):
    page = _add_photos(make_product(coop.page), 3)
    images = re.findall(r"<img [^>]*>", _html(client, page).split('class="gallery')[1])[:3]
    first, *rest = images
    assert 'fetchpriority="high"' in first and "loading=" not in first
    assert all('loading="lazy"' in tag and "fetchpriority" not in tag for tag in rest)
    for tag in images:
        assert re.search(r'srcset="[^"]+\.webp 360w, [^"]+\.webp 720w, [^"]+\.webp \d+w"', tag)
        assert 'sizes="' in tag and 'alt="Ảnh ' in tag


def test_related_products_same_group_first_then_same_producer(
    coop, other_coop, make_product, client
):
    page = make_product(coop.page)
    same_group = make_product(other_coop.page, title="Trà hoa vàng", category="I.5b")
    same_producer = make_product(coop.page, title="Miến dong", category="I.3c")
    make_product(other_coop.page, title="Miến dong Việt Cường", category="I.3c")
    related = _html(client, page).split("Sản phẩm liên quan")[1]
    links = re.findall(r'<h3><a href="([^"]+)">', related)
    assert links == [same_group.url, same_producer.url]


def test_related_products_are_at_most_four(coop, make_product, client):
    page = make_product(coop.page)
    for n in range(5):
        make_product(coop.page, title=f"Chè {n}")
    related = _html(client, page).split("Sản phẩm liên quan")[1]
    assert len(re.findall(r'<li class="card">', related)) == 4


def test_queries_do_not_grow_with_variants_photos_and_marks(
    coop, make_product, client, django_assert_max_num_queries
):
    small = _add_photos(make_product(coop.page, title="Chè nhỏ", variants=[("Gói", 50_000)]), 1)
    big = make_product(
        coop.page,
        title="Chè lớn",
        variants=[(f"Hộp {n}00 g", 100_000 * n) for n in range(1, 6)],
    )
    big.quality_marks.set(QualityMark.objects.all()[:3])
    big = _add_photos(big, 4)
    _certify(big, signed_on=_days_ago(4 * 365), decision_number="1/QĐ")
    _certify(big, signed_on=_days_ago(30), decision_number="2/QĐ")
    counts = []
    for page in (small, big):
        _html(client, page)  # renditions are made on the first view
        with CaptureQueriesContext(connection) as queries:
            _html(client, page)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(PAGE_QUERIES):
        _html(client, big)


def test_preview_shows_the_draft_and_new_pages(coop, make_product, client):
    page = make_product(coop.page)
    page.variants.add(ProductVariant(name="Túi 1 kg", price=600_000, weight_grams=1100))
    draft = page.save_revision().as_object()
    assert "600.000\u00a0₫" in draft.make_preview_request().content.decode()
    assert "600.000\u00a0₫" not in _html(client, page)

    new = ProductPage(
        title="Chè mới",
        slug="che-moi",
        ocop_category=OcopCategory.objects.get(code="I.5a"),
        variants=[ProductVariant(name="Gói 100 g", price=45_000, weight_grams=120)],
    )
    # As Wagtail's preview of the add form places it: a path under the parent, no row.
    new.depth = coop.page.depth + 1
    new.path = coop.page.get_last_child()._inc_path()
    new.full_clean()
    response = new.make_preview_request()
    assert response.status_code == 200 and "45.000\u00a0₫" in response.content.decode()


def test_publishing_a_product_makes_its_storefront_image_sizes(
    coop, make_product, django_capture_on_commit_callbacks
):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from catalogue.models import ProductGalleryImage
    from catalogue.product_view import GALLERY_RENDITIONS, OG_RENDITION

    image = get_image_model().objects.create(title="Chè", file=get_test_image_file())
    product = make_product(coop.page)
    ProductGalleryImage.objects.create(page=product, image=image, sort_order=0)
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()  # the task is enqueued (run, in tests) at commit
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made >= {*GALLERY_RENDITIONS, OG_RENDITION, "fill-480x480|format-webp"}
