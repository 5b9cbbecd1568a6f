"""The products page: filters, facet counts that tell the truth, sorting, errors, and a
fixed number of queries however many products there are."""

import datetime

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import PageViewRestriction

from catalogue import stock
from catalogue.models import ProductPage, StorefrontEntry
from catalogue.storefront import listing

pytestmark = pytest.mark.usefixtures("demo_catalogue", "db")

LANG_SON, THAI_NGUYEN = "20", "19"


def run(query: str = "", **kwargs) -> listing.Listing:
    return listing.run(QueryDict(query), page_size=100, **kwargs)


def titles(query: str) -> set[str]:
    result = run(query)
    assert not result.errors, result.errors
    return {card.entry.title for card in result.cards}


@pytest.mark.parametrize("query", ["", "q=tra", "province=19&stars=4", "category=I&in_stock=1"])
def test_every_facet_count_is_the_number_of_results_its_link_gives(query):
    checked = 0
    for facet in run(query).facets:
        for choice in facet.choices:
            if choice.selected:
                continue
            assert run(choice.url.lstrip("?")).total == choice.count, (facet.name, choice)
            checked += 1
    assert checked > 10


def test_filters_narrow_the_results():
    five_star = titles("stars=5")
    assert "Chè Đinh Tân Cương" in five_star
    assert "Chè Tôm Nõn" not in five_star  # its certificate is not valid
    assert titles(f"province={LANG_SON}") & titles(f"province={THAI_NGUYEN}") == set()
    assert titles("category=II") == {"Rượu Hội Hoan", "Rượu men lá Thanh Tâm"}
    assert titles("category=I.2b") <= titles("q=mat+ong")  # I.3d: "…thủy sản, mật ong"
    cheap = run("price_max=50000")
    assert cheap.total and all(card.entry.min_price <= 50_000 for card in cheap.cards)


def test_commune_and_producer_facets_appear_once_a_province_is_chosen():
    assert "commune" not in [f.name for f in run().facets]
    facets = {f.name: f for f in run(f"province={THAI_NGUYEN}").facets}
    communes = [choice.label for choice in facets["commune"].choices]
    assert "Xã Tân Cương" in communes
    assert "Xã Chi Lăng" not in communes
    assert facets["province"].clear_url == "?"


def test_expired_certificate_loses_its_stars_everywhere():
    # Time passing, not an edit: the entry was written while the certificate was valid and
    # still says 5 stars; its validity ended yesterday.
    StorefrontEntry.objects.filter(title="Chè Đinh Tân Cương").update(
        certified_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Chè Đinh Tân Cương" not in titles("stars=5")
    assert "Chè Đinh Tân Cương" not in titles("certified=1")
    card = next(c for c in run("q=dinh+tan+cuong").cards)
    assert card.stars == 0


def test_sold_out_products_leave_the_in_stock_filter():
    page = ProductPage.objects.get(title="Miến dong Tài Hoan")
    assert "Miến dong Tài Hoan" in titles("in_stock=1")
    for variant in page.variants.all():
        stock.set_on_hand(variant.sku, 0)
    assert "Miến dong Tài Hoan" not in titles("in_stock=1")
    stock.set_on_hand(page.variants.first().sku, 3)
    assert "Miến dong Tài Hoan" in titles("in_stock=1")


def test_sorting():
    prices = [card.entry.min_price for card in run("sort=price_asc").cards]
    assert prices == sorted(prices)
    prices = [card.entry.min_price for card in run("sort=price_desc").cards]
    assert prices == sorted(prices, reverse=True)
    stars = [card.stars for card in run("sort=stars").cards]
    assert stars == sorted(stars, reverse=True)


def test_the_price_filter_reads_amounts_as_people_type_them():
    plain = [card.entry.pk for card in run("price_min=150000&price_max=300000").cards]
    typed = [card.entry.pk for card in run("price_min=150.000&price_max=300k").cards]
    assert typed == plain and plain


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stars=9", "stars"),
        ("price_min=²", "price_min"),
        ("province=99", "province"),
        ("commune=abc", "commune"),
        ("price_min=500000&price_max=1000", "price_max"),
        ("price_min=-5", "price_min"),
        ("price_min=1.5", "price_min"),
        ("in_stock=maybe", "in_stock"),
        ("sort=cheapest", "sort"),
        ("category=Z.9", "category"),
        ("marks=NOPE", "marks"),
        ("producer=abc", "producer"),
    ],
)
def test_bad_parameters_are_reported_not_ignored(client, query, field):
    assert field in run(query).errors
    response = client.get(f"/san-pham/?{query}")
    assert response.status_code == 400
    assert "Không đọc được bộ lọc" in response.content.decode()


def test_page_shows_results_facets_and_keeps_filters_in_links(client):
    response = client.get("/san-pham/?q=che+tan+cuong&province=19")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chè Đinh Tân Cương" in html
    assert 'value="che tan cuong"' in html
    # the sort form and every facet link carry the search and the province along
    assert 'name="province" value="19"' in html
    assert "q=che+tan+cuong&amp;province=19&amp;stars=5" in html


def test_pager_links_keep_the_filters(client):
    assert StorefrontEntry.objects.count() > listing.PAGE_SIZE
    html = client.get("/san-pham/?certified=&sort=price_asc").content.decode()
    assert "Trang 1 / 2" in html
    assert 'href="?certified=&amp;sort=price_asc&amp;page=2" rel="next"' in html
    html = client.get("/san-pham/?sort=price_asc&page=2").content.decode()
    assert 'href="?sort=price_asc&amp;page=1" rel="prev"' in html


def test_queries_do_not_grow_with_the_number_of_products(client, django_assert_max_num_queries):
    # Card renditions are generated once, on first view; afterwards a page is a fixed number
    # of queries, even with every cache cold (reference data, facet counts, and two for the
    # footer: the operator and the legal pages, catalogue/site_footer.py).
    client.get("/san-pham/?province=20")
    client.get("/san-pham/")
    counts = []
    for url in ("/san-pham/?province=20&commune=06463", "/san-pham/?province=20", "/san-pham/"):
        cache.clear()
        with django_assert_max_num_queries(16) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts


def test_private_products_leave_the_storefront_and_come_back():
    page = ProductPage.objects.get(title="Miến dong Tài Hoan")
    restriction = PageViewRestriction.objects.create(
        page=page.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "Miến dong Tài Hoan" not in titles("q=mien")
    restriction.delete()
    assert "Miến dong Tài Hoan" in titles("q=mien")


def test_renamed_commune_is_searchable_at_once():
    page = ProductPage.objects.get(title="Miến dong Tài Hoan")
    commune = page.producer.commune
    commune.full_name = "Xã Côn Minh Mới"
    commune.save()
    assert "Miến dong Tài Hoan" in titles("q=con+minh+moi")
