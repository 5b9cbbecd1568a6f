"""Short product URLs, QR codes and the QR label sheet."""

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import PageViewRestriction

from catalogue.models import Certificate, ProductPage
from catalogue.qr import short_url
from catalogue.roles import PROVINCE_STAFF_GROUP
from tests.conftest import PASSWORD

SVG = "{http://www.w3.org/2000/svg}"


def _expected_matrix(url: str) -> list[list[bool]]:
    """Dark modules of the QR code of `url`, without quiet zone."""
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m").matrix]


def _svg_matrix(markup: str) -> list[list[bool]]:
    """Read the dark modules back from segno's SVG drawing: one horizontal stroke per run of
    dark modules, at half-module y offsets, in (relative) path commands."""
    root = ET.fromstring(markup)
    dark = next(p for p in root.iter(f"{SVG}path") if p.get("stroke") == "#000")
    cells: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", dark.attrib["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            cells.update((int(x) + i, int(y)) for i in range(int(a)))
            x += int(a)
    # The finder pattern fills the last column and row of the symbol; border is 2 modules.
    size = max(max(c for c, _r in cells), max(r for _c, r in cells)) + 1 - 2
    return [[(col + 2, row + 2) in cells for col in range(size)] for row in range(size)]


def _png_matrix(data: bytes, modules: int) -> list[list[bool]]:
    """Sample the PNG at the centre of each module (quiet zone of 2 modules)."""
    image = Image.open(io.BytesIO(data)).convert("L")
    step = image.width / (modules + 4)

    def dark(col: int, row: int) -> bool:
        pixel = image.getpixel((int((col + 2.5) * step), int((row + 2.5) * step)))
        assert isinstance(pixel, int)  # "L": one grey level a pixel
        return pixel < 128

    return [[dark(col, row) for col in range(modules)] for row in range(modules)]


@pytest.fixture
def product(coop, make_product):
    return make_product(coop.page)


def _short(product) -> str:
    return f"http://testserver/p/{product.product_code}/"


def test_short_url_is_absolute():
    request = RequestFactory().get("/", HTTP_HOST="ocop.example.vn")
    assert short_url(request, "20-00017") == "http://ocop.example.vn/p/20-00017/"


def test_short_url_follows_renames_and_moves(product, other_coop, client):
    old_url = product.url
    response = client.get(f"/p/{product.product_code}/")
    assert response.status_code == 302 and response.url == old_url

    product.title, product.slug = "Chè Búp Tân Cương", "che-bup-tan-cuong"
    product.save_revision().publish()
    renamed = ProductPage.objects.get(pk=product.pk)
    assert renamed.url != old_url and renamed.url.endswith("/che-bup-tan-cuong/")
    assert client.get(f"/p/{product.product_code}/").url == renamed.url

    renamed.move(other_coop.page, pos="last-child")
    moved = ProductPage.objects.get(pk=product.pk)
    assert moved.url.startswith(other_coop.page.url)
    response = client.get(f"/p/{product.product_code}/")
    assert response.url == moved.url
    assert client.get(response.url).status_code == 200


def test_unknown_draft_and_private_products_have_no_short_url(coop, make_product, client):
    draft = make_product(coop.page, title="Chè nháp")
    draft.unpublish()
    private = make_product(coop.page, title="Chè riêng")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for code in ("99-99999", draft.product_code, private.product_code):
        for suffix in ("", "qr.svg", "qr.png"):
            assert client.get(f"/p/{code}/{suffix}").status_code == 404, (code, suffix)


def test_qr_svg_encodes_the_short_url(product, client):
    response = client.get(f"/p/{product.product_code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] in (
        "public, max-age=86400",
        "max-age=86400, public",
    )
    assert "Content-Disposition" not in response
    markup = response.content.decode()
    assert not markup.startswith("<?xml")
    root = ET.fromstring(markup)  # well-formed, namespaced: opens on its own as a file
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert "Chè Đinh Tân Cương" in title.text
    assert _svg_matrix(markup) == _expected_matrix(_short(product))

    download = client.get(f"/p/{product.product_code}/qr.svg?download=1")
    assert download["Content-Disposition"] == (
        f'attachment; filename="ocop-{product.product_code}.svg"'
    )


def test_qr_png_encodes_the_short_url(product, client):
    response = client.get(f"/p/{product.product_code}/qr.png?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="ocop-{product.product_code}.png"'
    )
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == image.height
    assert 500 <= image.width <= 600
    expected = _expected_matrix(_short(product))
    assert _png_matrix(response.content, len(expected)) == expected


def test_product_qr_tag_renders_inline_svg(product):
    request = RequestFactory().get(product.url)
    html = Template("{% load qr_tags %}<p>{% product_qr page %}</p>").render(
        Context({"request": request, "page": product})
    )
    assert html.startswith('<p><svg role="img" ') and "<title>" in html
    markup = html.removeprefix("<p>").removesuffix("</p>")
    assert _svg_matrix(markup) == _expected_matrix(_short(product))


# The label sheet ------------------------------------------------------------------------


def _certify(product, *, signed_on: datetime.date, stars: int = 4) -> None:
    Certificate.objects.create(
        product=product,
        stars=stars,
        decision_number=f"{product.pk}/QĐ-UBND",
        signed_on=signed_on,
        issuer="UBND tỉnh Thái Nguyên",
    )


@pytest.fixture
def catalogue(coop, other_coop, make_product):
    today = timezone.localdate()
    own = make_product(coop.page)
    _certify(own, signed_on=today - datetime.timedelta(days=30))
    expired = make_product(coop.page, title="Trà hoa vàng")
    _certify(expired, signed_on=today - datetime.timedelta(days=365 * 4), stars=3)
    draft = make_product(coop.page, title="Chè nháp")
    draft.unpublish()
    foreign = make_product(other_coop.page, title="Miến dong Việt Cường", category="I.3c")
    return own, expired, draft, foreign


def _labels_url(*products, **copies) -> str:
    query = "&".join(f"product={p.pk}" for p in products)
    query += "".join(f"&copies-{pk}={n}" for pk, n in copies.items())
    return f"{reverse('catalogue_qr_labels')}?{query}"


def _labels(html: str) -> list[str]:
    return re.findall(r'<div class="label">(.*?)</div>\s*</div>', html, re.S)


def test_label_sheet_prints_only_own_live_products(catalogue, coop, client):
    own, expired, draft, foreign = catalogue
    client.login(username=coop.user.username, password=PASSWORD)

    chooser = client.get(reverse("catalogue_qr_labels")).content.decode()
    assert own.title in chooser and expired.title in chooser
    assert draft.title not in chooser and foreign.title not in chooser
    assert 'class="label"' not in chooser

    response = client.get(
        _labels_url(own, expired, draft, foreign, **{f"{own.pk}": 2, f"{foreign.pk}": 5})
    )
    assert response.status_code == 200
    html = response.content.decode()
    labels = _labels(html)
    assert len(labels) == 3  # own ×2, expired ×1; draft and foreign dropped
    assert foreign.title not in html and foreign.product_code not in html
    assert draft.product_code not in html
    own_labels = [label for label in labels if own.product_code in label]
    assert len(own_labels) == 2
    for label in own_labels:
        assert "OCOP 4★" in label and coop.page.title in label
        assert f"testserver/p/{own.product_code}/" in label
        svg = re.search(r"<svg.*?</svg>", label, re.S)
        assert svg is not None
        assert _svg_matrix(svg.group()) == _expected_matrix(_short(own))
    (expired_label,) = [label for label in labels if expired.product_code in label]
    assert "★" not in expired_label  # stars only while the certificate is valid


def test_ids_and_copies_that_are_not_numbers_are_ignored(catalogue, coop, client):
    own = catalogue[0]
    client.login(username=coop.user.username, password=PASSWORD)
    url = _labels_url(own) + f"&product=²&product={'9' * 5000}&copies-{own.pk}=²"
    response = client.get(url)
    assert response.status_code == 200
    assert len(_labels(response.content.decode())) == 1


def test_copies_are_bounded_and_sheets_hold_24_labels(catalogue, coop, client):
    own, expired, _draft, _foreign = catalogue
    client.login(username=coop.user.username, password=PASSWORD)
    html = client.get(_labels_url(own, expired, **{f"{own.pk}": 99, f"{expired.pk}": 0})).content
    html = html.decode()
    assert len(_labels(html)) == 25  # 99 → 24, 0 → 1
    assert html.count('<section class="sheet">') == 2
    assert "@page" in html and "size: A4" in html


def test_province_staff_print_every_producer(catalogue, client):
    own, _expired, _draft, foreign = catalogue
    staff = get_user_model().objects.create_user("canbo", password=PASSWORD)
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    client.login(username="canbo", password=PASSWORD)
    html = client.get(_labels_url(own, foreign)).content.decode()
    assert len(_labels(html)) == 2
    assert foreign.product_code in html and "HTX Miến Việt Cường" in html


def test_label_sheet_queries_do_not_grow_with_products(coop, make_product, client):
    client.login(username=coop.user.username, password=PASSWORD)
    today = timezone.localdate()

    def queries_for(count: int) -> int:
        products = [make_product(coop.page, title=f"Sản phẩm {count}-{n}") for n in range(count)]
        for product in products:
            _certify(product, signed_on=today)
        with CaptureQueriesContext(connection) as context:
            assert client.get(_labels_url(*products)).status_code == 200
        return len(context.captured_queries)

    assert queries_for(1) == queries_for(5)


def test_label_sheet_needs_an_admin_login(client, structure):
    response = client.get(reverse("catalogue_qr_labels"))
    assert response.status_code == 302 and "login" in response.url
