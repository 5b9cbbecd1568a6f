"""The "Tổng quan tỉnh" admin screen (province staff only): producers by type and commune,
products by stars and OCOP group, certificates about to expire, orders and revenue by
month and channel, marketplace listings in error; charts with a table beside each, and
every table as an XLSX file."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl.worksheet.worksheet import Worksheet

from background import overview
from catalogue import stock
from catalogue.models import Certificate, IssuerLevel, ProducerType
from catalogue.money import format_vnd
from catalogue.producers import add_editor
from catalogue.synthetic import generate_catalogue
from catalogue.text import slugify_vi
from connectors.models import Listing, MarketplaceOrder
from orders.models import Order, SubOrder
from tests.conftest import PASSWORD
from tests.test_sync_admin import make_channel, menu_labels

URL = "/admin/tong-quan/"
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MAX_QUERIES = 30  # the whole admin page: 24 here and with 2,000 products more, 27 on the demo


def xlsx_url(key: str) -> str:
    return reverse("background_overview_xlsx", args=[key])


def sheet_of(response) -> Worksheet:
    """The one sheet of a downloaded XLSX file, read back with openpyxl."""
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def certify(product, stars: int, days_left: int, signed_days_ago: int = 400, **fields):
    today = timezone.localdate()
    return Certificate.objects.create(
        product=product,
        stars=stars,
        decision_number=f"{product.pk}{stars}{days_left}/QĐ-UBND",
        signed_on=today - datetime.timedelta(days=signed_days_ago),
        issuer="UBND tỉnh Thái Nguyên",
        issuer_level=IssuerLevel.NATIONAL if stars == 5 else IssuerLevel.PROVINCIAL,
        valid_until=today + datetime.timedelta(days=days_left),
        **fields,
    )


def month_start(today: datetime.date, back: int) -> datetime.date:
    year, month = today.year, today.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def placed_at(order: Order, moment: datetime.datetime) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=moment)


@pytest.fixture
def province(coop, other_coop, make_producer, make_product, place):
    """Three producers in two communes; five live products (4★, 3★, 5★ renewed, none,
    a tourism service); orders this month and last on our shop and two marketplaces;
    listings in each state."""
    company = make_producer(
        title="Công ty Mật ong Tam Đảo", commune_code="05977", producer_type=ProducerType.ENTERPRISE
    )
    tea = make_product(coop.page)
    noodles = make_product(
        other_coop.page, title="Miến dong", category="I.1a", variants=[("Gói 500 g", 60_000)]
    )
    honey = make_product(company.page, title="Mật ong rừng", category="I.2b")
    make_product(other_coop.page, title="Rau cải", category="I.1a")
    make_product(coop.page, title="Du lịch đồi chè", category="VI")
    certify(tea, 4, days_left=20)  # 0–30 days
    certify(noodles, 3, days_left=75)  # 61–90 days
    certify(honey, 4, days_left=40)  # renewed below: not counted as expiring
    certify(honey, 5, days_left=700, signed_days_ago=30)
    tea_sku = tea.variants.order_by("sku").first().sku
    noodles_sku = noodles.variants.get().sku
    for sku in (tea_sku, noodles_sku):
        stock.set_on_hand(sku, 50)
    today = timezone.localdate()
    this_month = month_start(today, 0)
    # 00:30 on the 1st, Hanoi time, is still last month in UTC: it counts this month.
    first_minute = datetime.datetime.combine(this_month, datetime.time(0, 30), tzinfo=HANOI)
    placed_at(place({tea_sku: 2}), first_minute)  # 300.000 ₫ of goods
    both = place({tea_sku: 1, noodles_sku: 1})  # 150.000 + 60.000, one order
    placed_at(both, first_minute + datetime.timedelta(hours=1))
    SubOrder.objects.filter(order=both, producer=other_coop.page).update(
        status=SubOrder.Status.CANCELLED
    )  # only the tea sub-order counts: 150.000 ₫
    last_evening = first_minute - datetime.timedelta(hours=1)  # 23:30 on the last day
    placed_at(place({noodles_sku: 3}), last_evening)  # 180.000 ₫, last month
    cancelled = place({tea_sku: 1})
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)

    shopee, lazada, off = make_channel(1), make_channel(2), make_channel(3, enabled=False)
    for n, state in enumerate(["open", "shipped", "cancelled"]):
        MarketplaceOrder.objects.create(
            channel=shopee, external_id=f"S{n}", state=state, stock_state="reserved"
        )
    old = MarketplaceOrder.objects.create(
        channel=lazada, external_id="L1", state="shipped", stock_state="committed"
    )
    MarketplaceOrder.objects.filter(pk=old.pk).update(created_at=last_evening)
    Listing.objects.create(
        channel=shopee, sku=tea_sku, product=tea, state="error", last_error="Ảnh quá nhỏ"
    )
    Listing.objects.create(channel=shopee, sku=noodles_sku, product=noodles, state="live")
    Listing.objects.create(channel=lazada, sku=tea_sku, product=tea, state="pending")
    Listing.objects.create(channel=off, sku=tea_sku, product=tea, state="error", last_error="x")
    return {"today": today, "tea": tea, "tea_sku": tea_sku, "company": company}


def rows(key: str, today: datetime.date) -> list[tuple]:
    return overview.TABLES[key](today).rows


def test_producers_by_type_and_commune(province):
    today = province["today"]
    assert rows("chu-the-theo-loai-hinh", today) == [
        ("Hợp tác xã (HTX)", 2),
        ("Doanh nghiệp (DN)", 1),
        ("Tổ hợp tác", 0),
        ("Hộ kinh doanh", 0),
    ]
    assert rows("chu-the-theo-xa-phuong", today) == [
        ("Phường Đông Kinh", "Lạng Sơn", 2),
        ("Phường Lương Văn Tri", "Lạng Sơn", 1),
    ]


def test_products_by_stars_and_group(province):
    today = province["today"]
    assert rows("san-pham-dang-ban-theo-hang-sao", today) == [
        ("5 sao", 1),
        ("4 sao", 1),
        ("3 sao", 1),
        ("Chưa có sao còn hiệu lực", 2),
    ]
    # Columns: 5★, 4★, 3★, none, total; a sector without groups (VI) stands for itself.
    assert rows("san-pham-dang-ban-theo-nhom-ocop", today) == [
        ("I.1 Thực phẩm tươi sống", 0, 0, 1, 1, 2),
        ("I.2 Thực phẩm thô, sơ chế", 1, 0, 0, 0, 1),
        ("I.5 Chè", 0, 1, 0, 0, 1),
        ("VI Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", 0, 0, 0, 1, 1),
    ]
    # Stars follow the certificate: expired or revoked, the product has none.
    Certificate.objects.filter(product=province["tea"]).update(status=Certificate.Status.REVOKED)
    assert rows("san-pham-dang-ban-theo-hang-sao", today)[1] == ("4 sao", 0)


def test_certificates_expiring_in_30_60_90_days(province):
    today = province["today"]
    assert rows("giay-chung-nhan-sap-het-hieu-luc", today) == [
        ("0–30 ngày tới", 1),
        ("31–60 ngày tới", 0),
        ("61–90 ngày tới", 1),
    ]
    listed = rows("danh-sach-giay-chung-nhan-sap-het-hieu-luc", today)
    assert [(row[0], row[1], row[2], row[5]) for row in listed] == [
        ("Chè Đinh Tân Cương", "HTX Chè Hảo Đạt", 4, 20),
        ("Miến dong", "HTX Miến Việt Cường", 3, 75),
    ]
    assert listed[0][4] == today + datetime.timedelta(days=20)


def test_orders_and_revenue_by_month_in_the_provinces_time_zone(province):
    today = province["today"]
    table = overview.orders_by_month(today)
    assert [c.title for c in table.columns] == [
        "Tháng",
        "Cửa hàng: số đơn",
        "Cửa hàng: doanh thu",
        "Shopee tỉnh 1: số đơn",
        "Shopee tỉnh 2: số đơn",
        "Shopee tỉnh 3: số đơn",
        "Tổng số đơn",
    ]
    assert len(table.rows) == overview.MONTHS
    this_month, last_month = month_start(today, 0), month_start(today, 1)
    # Two shop orders (the cancelled one left out), two Shopee orders not cancelled.
    assert table.rows[-1] == (f"{this_month:%m/%Y}", 2, 450_000, 2, 0, 0, 4)
    assert table.rows[-2] == (f"{last_month:%m/%Y}", 1, 180_000, 0, 1, 0, 2)
    assert all(row[1:] == (0, 0, 0, 0, 0, 0) for row in table.rows[:-2])
    assert rows("don-hang-12-thang-qua-theo-kenh-ban", today) == [
        ("Cửa hàng của tỉnh", 3, 630_000),
        ("Shopee tỉnh 1", 2, None),  # marketplaces send no order value
        ("Shopee tỉnh 2", 1, None),
        ("Shopee tỉnh 3", 0, None),
    ]


def test_listings_by_channel_and_in_error(province):
    today = province["today"]
    # Enabled channels only; columns: error, live, pending, skipped.
    assert rows("tin-dang-tren-san-theo-kenh", today) == [
        ("Shopee tỉnh 1", 1, 1, 0, 0),
        ("Shopee tỉnh 2", 0, 0, 1, 0),
    ]
    assert rows("tin-dang-bi-loi", today) == [
        (
            "Shopee tỉnh 1",
            province["tea_sku"],
            "Chè Đinh Tân Cương",
            "HTX Chè Hảo Đạt",
            "Ảnh quá nhỏ",
        )
    ]


def test_each_table_is_named_by_its_titles_slug(db):
    today = timezone.localdate()
    for key, table in overview.TABLES.items():
        assert slugify_vi(table(today).title) == key


def test_staff_see_every_table_with_its_chart_and_download_link(as_staff, province):
    response = as_staff.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key, table in overview.TABLES.items():
        assert table(province["today"]).title in html
        assert f'href="{xlsx_url(key)}"' in html
    assert format_vnd(450_000) in html and "450.000" in html
    assert 'role="img" aria-label="Hợp tác xã (HTX) — Số chủ thể: 2"' in html
    assert "<title>Hợp tác xã (HTX) — Số chủ thể: 2</title>" in html
    # The stacked monthly chart names each channel's part of the bar.
    this_month = f"{month_start(province['today'], 0):%m/%Y}"
    assert f"{this_month} — Cửa hàng: số đơn: 2; Shopee tỉnh 1: số đơn: 2;" in html
    assert "Sàn không gửi giá trị đơn" in html


def test_an_xlsx_file_has_vietnamese_headers_and_numbers(as_staff, province):
    key = "don-hang-va-doanh-thu-theo-thang"
    response = as_staff.get(xlsx_url(key))
    sheet = sheet_of(response)
    today = province["today"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{key}-{today:%Y-%m-%d}.xlsx"'
    )
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Tháng", "Cửa hàng: số đơn", "Cửa hàng: doanh thu")
    assert values[overview.MONTHS] == (f"{month_start(today, 0):%m/%Y}", 2, 450_000, 2, 0, 0, 4)
    assert sheet.cell(row=overview.MONTHS + 1, column=3).number_format == '#,##0 "₫"'
    assert str(values[-1][0]).startswith("Sàn không gửi giá trị đơn")

    sheet = sheet_of(as_staff.get(xlsx_url("danh-sach-giay-chung-nhan-sap-het-hieu-luc")))
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header == (
        "Sản phẩm",
        "Chủ thể",
        "Hạng sao",
        "Số quyết định",
        "Hiệu lực đến",
        "Còn (ngày)",
    )
    assert first[4] == datetime.datetime.combine(
        today + datetime.timedelta(days=20), datetime.time()
    )
    assert first[5] == 20

    assert as_staff.get(xlsx_url("khong-co-bang-nay")).status_code == 404


@pytest.fixture
def helper(coop, other_coop):
    user = get_user_model().objects.create_user("hotro", password=PASSWORD)
    add_editor(user, [coop.page, other_coop.page])
    return user


def test_producers_and_helpers_are_turned_away(client, coop, helper):
    for user in (coop.user, helper):
        client.force_login(user)
        for url in (URL, xlsx_url("chu-the-theo-loai-hinh")):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"] == reverse("wagtailadmin_home")
            with translation.override("vi"):
                expected = translation.gettext(
                    "Sorry, you do not have permission to access this area."
                )
            home = client.get(response["Location"])  # where Wagtail shows why
            assert [str(m).strip() for m in home.context["messages"]] == [expected]
        assert "Tổng quan tỉnh" not in menu_labels(user)
    assert expected != "Sorry, you do not have permission to access this area."


def test_the_menu_item_is_shown_to_staff(staff):
    assert "Tổng quan tỉnh" in menu_labels(staff)


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.slow
def test_the_page_takes_as_many_queries_with_many_more_products(as_staff, province):
    small = count_queries(as_staff)
    generate_catalogue(300, per_producer=100)
    large = count_queries(as_staff)
    assert small == large <= MAX_QUERIES
