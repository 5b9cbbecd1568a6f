"""What a selling website must publish (Decree 52/2013 art. 29–34 as amended by Decree
85/2021): the operator in every footer, the terms, returns, shipping and privacy pages,
and each seller's registered name and number beside its products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from catalogue.legal_pages import PAGES
from catalogue.models import InfoPage, SiteOperator
from catalogue.site_setup import ensure_site_structure


def test_setup_site_adds_the_four_pages_once_and_keeps_staff_edits(structure):
    assert list(InfoPage.objects.live().values_list("slug", flat=True)) == [
        slug for slug, _title, _body in PAGES
    ]
    privacy = InfoPage.objects.get(slug="chinh-sach-bao-mat")
    privacy.title = "Bảo vệ dữ liệu cá nhân"
    privacy.save_revision().publish()
    ensure_site_structure()
    assert InfoPage.objects.count() == 4
    assert InfoPage.objects.get(slug="chinh-sach-bao-mat").title == "Bảo vệ dữ liệu cá nhân"


def test_every_page_shows_the_operator_and_the_legal_pages(client, structure):
    operator = SiteOperator.for_site(Site.objects.get(is_default_site=True))
    operator.name = "Sở Công Thương tỉnh Lạng Sơn"
    operator.licence = "Quyết định số 123/QĐ-UBND"
    operator.phone = "0205 3870 000"
    operator.moit_url = "http://online.gov.vn/Home/WebDetails/123"
    operator.save()
    for url in ("/", "/san-pham/", "/gio-hang/", "/chinh-sach-doi-tra/"):
        html = client.get(url).content.decode()
        assert "Sở Công Thương tỉnh Lạng Sơn" in html and "Quyết định số 123/QĐ-UBND" in html, url
        assert 'href="tel:020538700' in html
        assert 'href="http://online.gov.vn/Home/WebDetails/123"' in html
        for slug, title, _body in PAGES:
            assert f'<a href="/{slug}/">{title}</a>' in html, (url, slug)


def test_the_footer_costs_no_query_once_cached(client, structure):
    client.get("/gio-hang/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/gio-hang/")
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "catalogue_siteoperator" not in tables and "catalogue_infopage" not in tables


def test_a_legal_page_reads_as_written(client, structure):
    html = client.get("/chinh-sach-bao-mat/").content.decode()
    assert "<h1>Chính sách bảo mật thông tin cá nhân</h1>" in html
    assert "Nghị định 13/2023/NĐ-CP" in html


@pytest.mark.usefixtures("shop")
def test_the_seller_is_named_with_its_registration_on_its_pages(client, coop, shop):
    coop.page.legal_name = "Hợp tác xã Chè Hảo Đạt"
    coop.page.registration_code = "4600123456"
    coop.page.address = "Xóm Nam Đồng"
    coop.page.save_revision().publish()
    producer = client.get(coop.page.url).content.decode()
    assert "Hợp tác xã Chè Hảo Đạt" in producer and "4600123456" in producer
    product = client.get(shop["tea"].url).content.decode()
    assert "Tên đăng ký: Hợp tác xã Chè Hảo Đạt" in product
    assert "Mã số thuế / đăng ký kinh doanh: 4600123456" in product
    assert "Xóm Nam Đồng" in product
