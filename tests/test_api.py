"""The public read API (/api/v1/) on the demo catalogue: the same products as the
`/san-pham/` page for the same query string, details, producers, facets, suggestions,
a 4xx JSON body for every bad parameter, and a fixed number of queries per page."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.http import QueryDict
from wagtail.images.models import Image

from catalogue import stock
from catalogue.models import ProducerPage, ProductGalleryImage, ProductPage, StorefrontEntry
from catalogue.storefront import index, listing

pytestmark = pytest.mark.usefixtures("demo_catalogue", "db")

API = "/api/v1"
THAI_NGUYEN = "19"
CHE_DINH = "Chè Đinh Tân Cương"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Reference data and facet counts are cached; each test rolls its data back."""
    cache.clear()
    yield
    cache.clear()


def get(client, path: str, status: int = 200) -> Any:
    """The decoded JSON body: an object or a list, depending on the endpoint."""
    response = client.get(f"{API}{path}")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def page_titles(client, query: str) -> list[str]:
    response = client.get(f"/san-pham/?{query}")
    assert response.status_code == 200
    return [card.entry.title for card in response.context["listing"].cards]


# Products --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2",
        "q=che+tan+cuong",
        "q=mat+ong&sort=price_desc",
        f"province={THAI_NGUYEN}&stars=4",
        "category=I&in_stock=1",
        "category=I.5&sort=price_asc",
        "certified=1&sort=stars",
        "marks=vietgap",
        "price_min=100000&price_max=300000",
        "producer_type=dn",
    ],
)
def test_products_are_those_of_the_products_page(client, query):
    body = get(client, f"/products?{query}")
    expected = page_titles(client, query)
    assert expected, "the case should list something"
    assert [product["title"] for product in body["results"]] == expected


def test_product_list_fields(client):
    body = get(client, "/products?q=dinh+tan+cuong&page_size=5")
    assert (body["page"], body["page_size"]) == (1, 5)
    assert body["pages"] == -(-body["count"] // 5)
    first = body["results"][0]
    page = ProductPage.objects.get(title=CHE_DINH)
    entry = StorefrontEntry.objects.get(pk=page.pk)
    assert first["title"] == CHE_DINH
    assert first["code"] == page.product_code
    assert first["url"] == f"http://testserver{entry.url}"
    assert first["image"].startswith("http://testserver/media/images/")
    assert first["image"].endswith(".webp") and ".fill-480x480" in first["image"]
    assert entry.certified_until is not None
    assert first["stars"] == 5 and first["certified_until"] == entry.certified_until.isoformat()
    assert (first["min_price"], first["max_price"]) == (entry.min_price, entry.max_price)
    assert isinstance(first["min_price"], int) and first["currency"] == "VND"
    assert first["producer"] == {"id": page.producer_id, "title": entry.producer_title}
    assert first["province"] == {"code": THAI_NGUYEN, "name": entry.province_name}
    assert first["commune"] == {"code": entry.commune_code, "name": entry.commune_name}
    assert (first["sector"], first["group"], first["category"]) == ("I", "I.5", "I.5a")


def test_product_list_is_cacheable(client):
    response = client.get(f"{API}/products")
    assert "max-age=60" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("page_size", [5, 50])
def test_product_list_queries_do_not_grow_with_page_size(
    client, page_size, django_assert_max_num_queries
):
    url = f"{API}/products?page_size={page_size}"
    assert client.get(url).status_code == 200  # renditions are made on the first view
    with django_assert_max_num_queries(8):
        body = client.get(url).json()
    assert len(body["results"]) == min(page_size, body["count"])
    assert all(product["image"] for product in body["results"])


def test_product_detail(client):
    page = ProductPage.objects.get(title=CHE_DINH)
    variants = list(page.variants.all())
    stock.set_on_hand(variants[0].sku, 7)
    stock.reserve(variants[0].sku, 2)
    body = get(client, f"/products/{page.product_code}")
    assert body["title"] == CHE_DINH and body["code"] == page.product_code
    assert body["summary"] == page.summary
    assert "<" not in body["description"]
    assert [v["sku"] for v in body["variants"]] == [v.sku for v in variants]
    assert body["variants"][0]["available"] == 5
    assert body["variants"][0]["price"] == variants[0].price
    certificate = body["certificate"]
    assert certificate["stars"] == 5 and certificate["valid"] is True
    assert certificate["decision_number"] == page.current_certificate().decision_number
    assert [mark["code"] for mark in body["quality_marks"]] == [
        mark.code for mark in page.quality_marks.all()
    ]
    assert body["images"] and all(".width-1080" in url for url in body["images"])
    assert body["short_url"] == f"http://testserver/p/{page.product_code}/"
    assert body["qr_svg_url"] == f"http://testserver/p/{page.product_code}/qr.svg"
    assert client.get(body["qr_svg_url"]).status_code == 200


def test_missing_image_file_is_no_image_not_an_error(client):
    page = ProductPage.objects.get(title=CHE_DINH)
    lost = Image.objects.create(title="lost", file="original_images/lost.png", width=9, height=9)
    ProductGalleryImage.objects.filter(page=page).update(image=lost)
    index.refresh_products([page.pk])
    assert get(client, "/products?q=dinh+tan+cuong")["results"][0]["image"] is None
    body = get(client, f"/products/{page.product_code}")
    assert (body["image"], body["images"]) == (None, [])


def test_unknown_or_unpublished_product_is_a_json_404(client):
    body = get(client, "/products/99-99999", status=404)
    assert "detail" in get(client, "/products/a%00b", status=404)  # PostgreSQL refuses NUL
    assert "99-99999" in body["detail"]
    page = ProductPage.objects.get(title=CHE_DINH)
    page.unpublish()
    assert "detail" in get(client, f"/products/{page.product_code}", status=404)


# Producers -------------------------------------------------------------------------------


def test_producers(client):
    body = get(client, "/producers?page_size=100")
    live = ProducerPage.objects.live()
    assert body["count"] == live.count()
    assert [producer["title"] for producer in body["results"]] == list(
        live.order_by("title", "pk").values_list("title", flat=True)
    )
    in_province = get(client, f"/producers?province={THAI_NGUYEN}&page_size=100")
    assert 0 < in_province["count"] < body["count"]
    assert {p["province"]["code"] for p in in_province["results"]} == {THAI_NGUYEN}

    producer = live.get(title=ProductPage.objects.get(title=CHE_DINH).producer.title)
    detail = get(client, f"/producers/{producer.pk}")
    assert detail["title"] == producer.title
    assert (
        detail["product_count"] == StorefrontEntry.objects.filter(producer_id=producer.pk).count()
    )
    assert detail["commune"]["code"] == producer.commune.code
    assert detail["url"] == f"http://testserver{producer.url}"
    assert detail in in_province["results"]
    commune = get(client, f"/producers?commune={producer.commune.code}")
    assert detail in commune["results"]


def test_unknown_producer_is_a_json_404(client):
    assert "detail" in get(client, "/producers/999999", status=404)


# Facets and suggestions ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", f"province={THAI_NGUYEN}&in_stock=1"])
def test_facet_counts_are_what_their_params_give(client, query):
    facets = get(client, f"/facets?{query}")
    assert [facet["name"] for facet in facets] == [
        facet.name for facet in listing.run(QueryDict(query)).facets
    ]
    checked = 0
    for facet in facets:
        for choice in facet["choices"]:
            if choice["count"] and not choice["selected"]:
                assert get(client, f"/products?{choice['params']}")["count"] == choice["count"]
                checked += 1
    assert checked > 10


def test_active_facets_are_selected_and_can_be_cleared(client):
    facets = {facet["name"]: facet for facet in get(client, "/facets?stars=5&q=che")}
    stars = facets["stars"]
    assert [c["label"] for c in stars["choices"] if c["selected"]] == ["5★"]
    assert stars["clear_params"] == "q=che"
    assert facets["province"]["clear_params"] is None


def test_suggest(client):
    titles = [item["title"] for item in get(client, "/suggest?q=che+tan")]
    assert CHE_DINH in titles
    first = get(client, "/suggest?q=dinh+tan+cuong&limit=1")
    assert len(first) == 1 and first[0]["title"] == CHE_DINH
    assert first[0]["url"].startswith("http://testserver/")
    assert first[0]["province"] and first[0]["producer"]
    assert get(client, "/suggest?q=") == []
    assert get(client, "/suggest") == []
    assert "max-age=60" in client.get(f"{API}/suggest?q=che")["Cache-Control"]


# Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "status"),
    [
        ("/products?stars=9", "stars", 400),
        ("/products?province=99", "province", 400),
        ("/products?commune=abc", "commune", 400),
        ("/products?price_min=500000&price_max=1000", "price_max", 400),
        ("/products?price_min=-5", "price_min", 400),
        ("/products?in_stock=maybe", "in_stock", 400),
        ("/products?sort=cheapest", "sort", 400),
        ("/products?category=Z.9", "category", 400),
        ("/products?marks=NOPE", "marks", 400),
        ("/products?producer=abc", "producer", 400),
        ("/products?q=" + "a" * 201, "q", 400),
        ("/products?page=abc", "page", 400),
        ("/products?page=0", "page", 400),
        ("/products?page=-1", "page", 400),
        ("/products?page=999", "page", 404),
        ("/products?page_size=1000", "page_size", 400),
        ("/products?page_size=0", "page_size", 400),
        ("/products?page_size=1.5", "page_size", 400),
        ("/facets?stars=9", "stars", 400),
        ("/facets?price_min=abc", "price_min", 400),
        ("/producers?province=99", "province", 400),
        ("/producers?commune=abc", "commune", 400),
        ("/producers?page=abc", "page", 400),
        ("/producers?page=999", "page", 404),
        ("/producers?page_size=101", "page_size", 400),
        ("/producers/abc", "producer_id", 400),
        ("/producers/0", "producer_id", 400),
        ("/producers/99999999999999999999", "producer_id", 400),
        ("/suggest?q=che&limit=0", "limit", 400),
        ("/suggest?q=che&limit=21", "limit", 400),
        ("/suggest?q=che&limit=abc", "limit", 400),
        ("/suggest?q=" + "a" * 201, "q", 400),
    ],
)
def test_bad_parameters_are_4xx_json_naming_the_parameter(client, path, field, status):
    body = get(client, path, status=status)
    assert isinstance(body["detail"], str) and body["detail"]
    assert list(body["errors"]) == [field]
    assert all(isinstance(m, str) and m for m in body["errors"][field])


def test_all_bad_parameters_are_reported_at_once(client):
    body = get(client, "/products?stars=9&page=abc&page_size=1000", status=400)
    assert set(body["errors"]) == {"stars", "page", "page_size"}


def test_huge_producer_id_filter_is_not_a_server_error(client):
    assert get(client, "/products?producer=99999999999999999999")["count"] == 0


# Schema ----------------------------------------------------------------------------------


def test_openapi_schema_lists_every_endpoint_and_parameter(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in [
        "products",
        "products/{code}",
        "producers",
        "producers/{producer_id}",
        "facets",
        "suggest",
    ]:
        assert f"{API}/{path}" in paths
    names = {p["name"] for p in paths[f"{API}/products"]["get"]["parameters"]}
    assert names >= {"q", "stars", "province", "marks", "sort", "page", "page_size"}
    assert client.get(f"{API}/docs").status_code == 200
