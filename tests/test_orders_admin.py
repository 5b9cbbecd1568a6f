"""The "Đơn hàng" admin: producers see and move only their own sub-orders, province
staff see and export everything, and the home page shows what needs attention."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from catalogue import stock
from catalogue.models import Certificate
from catalogue.scope import scope_for
from orders.dashboard import OrdersPanel
from orders.models import OrderEvent, SubOrder
from tests.conftest import admin_denied

Status = SubOrder.Status
INDEX = "sub_orders:index"


def detail_url(sub_order: SubOrder) -> str:
    return reverse("sub_orders:detail", args=[sub_order.pk])


@pytest.fixture
def parts(shop, place, coop, other_coop):
    """One COD order split in two: the tea for `coop`, the noodles for `other_coop`."""
    tea_sku = shop["tea"].variants.first().sku
    noodles_sku = shop["noodles"].variants.get().sku
    order = place({tea_sku: 1, noodles_sku: 1})
    return {
        "mine": order.sub_orders.get(producer=coop.page),
        "theirs": order.sub_orders.get(producer=other_coop.page),
    }


def test_a_producer_lists_only_its_own_sub_orders(as_coop, parts):
    html = as_coop.get(reverse(INDEX)).content.decode()
    assert parts["mine"].number in html
    assert parts["theirs"].number not in html
    assert "Nguyễn Thị Lan" in html and "Đơn hàng" in html
    # searching by the shopper's phone (typed with spaces) still shows only its own
    html = as_coop.get(reverse(INDEX), {"q": "0912 345 678"}).content.decode()
    assert parts["mine"].number in html and parts["theirs"].number not in html
    html = as_coop.get(reverse(INDEX), {"status": "cancelled"}).content.decode()
    assert parts["mine"].number not in html


def test_search_finds_by_number_name_or_phone_and_nothing_else(as_coop, parts):
    mine = parts["mine"]
    for query in (mine.number, mine.number.lower()[-6:], "thị lan", "0912 345 678", "+84912345678"):
        html = as_coop.get(reverse(INDEX), {"q": query}).content.decode()
        assert mine.number in html, query
    html = as_coop.get(reverse(INDEX), {"q": "ZZZNOTHING"}).content.decode()
    assert mine.number not in html
    assert 'name="q" value="ZZZNOTHING"' in html  # the search box is shown and kept


def test_a_producer_cannot_open_or_move_another_producers_sub_order(as_coop, parts):
    theirs = parts["theirs"]
    response = as_coop.get(detail_url(theirs))
    assert admin_denied(response)
    assert "Miến dong" not in response.content.decode()

    response = as_coop.post(detail_url(theirs), {"to_status": Status.CONFIRMED})
    assert admin_denied(response)
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert not OrderEvent.objects.filter(sub_order=theirs).exists()


def test_the_detail_page_shows_the_parcel_and_only_the_next_steps(as_coop, parts):
    mine, theirs = parts["mine"], parts["theirs"]
    html = as_coop.get(detail_url(mine)).content.decode()
    line = mine.lines.get()
    for text in (line.sku, line.product_title, line.variant_name, "12 Lê Lợi", "0912345678"):
        assert text in html
    assert 'value="confirmed"' in html and 'value="cancelled"' in html
    assert 'value="shipped"' not in html and 'name="tracking_number"' not in html
    # the other producer's part: its number and producer only, not its contents
    assert theirs.number in html and "HTX Miến Việt Cường" in html
    assert "Miến dong" not in html and detail_url(theirs) not in html


def test_a_producer_moves_its_own_sub_order_to_delivered(as_coop, parts, coop):
    mine = parts["mine"]
    for status in (Status.CONFIRMED, Status.PACKED):
        response = as_coop.post(detail_url(mine), {"to_status": status})
        assert response.status_code == 302

    response = as_coop.post(detail_url(mine), {"to_status": Status.SHIPPED, "carrier": "GHN"})
    assert response.status_code == 200
    assert "Cần nhập đơn vị vận chuyển và mã vận đơn" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Status.PACKED

    html = as_coop.get(detail_url(mine)).content.decode()
    assert 'name="tracking_number"' in html
    as_coop.post(
        detail_url(mine),
        {"to_status": Status.SHIPPED, "carrier": "GHN", "tracking_number": "GA99"},
    )
    response = as_coop.post(detail_url(mine), {"to_status": Status.DELIVERED}, follow=True)
    mine.refresh_from_db()
    assert (mine.status, mine.tracking_number) == (Status.DELIVERED, "GA99")
    assert list(mine.events.values_list("user", flat=True)) == [coop.user.pk] * 4
    assert "Đã giao" in response.content.decode()

    response = as_coop.post(detail_url(mine), {"to_status": Status.CANCELLED})
    assert "Không thể chuyển" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Status.DELIVERED


def test_staff_see_every_sub_order_and_export_them(as_staff, parts):
    html = as_staff.get(reverse(INDEX)).content.decode()
    assert parts["mine"].number in html and parts["theirs"].number in html
    assert "export=xlsx" in html and "export=csv" in html

    response = as_staff.get(reverse(INDEX), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert parts["mine"].number in text and parts["theirs"].number in text
    assert "Nguyễn Thị Lan" in text and "Số đơn" in text

    response = as_staff.get(reverse(INDEX), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số đơn"
    assert {row[0] for row in rows[1:]} == {parts["mine"].number, parts["theirs"].number}
    totals = {row[0]: row[11] for row in rows[1:]}
    assert totals[parts["mine"].number] == parts["mine"].total


def test_csv_export_does_not_let_a_shopper_plant_a_formula(as_staff, parts):
    from orders.models import Order

    Order.objects.update(name='=HYPERLINK("http://evil.example","Lan")', street="@SUM(1)")
    response = as_staff.get(reverse(INDEX), {"export": "csv"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {row["Người nhận"] for row in rows} == {'\'=HYPERLINK("http://evil.example","Lan")'}
    assert all(row["Địa chỉ"].startswith("'@SUM(1)") for row in rows)


def test_a_producer_cannot_export(as_coop, parts):
    html = as_coop.get(reverse(INDEX)).content.decode()
    assert "export=csv" not in html
    for export_format in ("csv", "xlsx"):
        response = as_coop.get(reverse(INDEX), {"export": export_format})
        assert admin_denied(response)
        assert parts["mine"].number.encode() not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


def menu_labels(rf, user) -> set[str]:
    request = rf.get("/admin/")
    request.user = user
    return {str(item.label) for item in admin_menu.menu_items_for_request(request)}


def test_shipping_rules_are_for_staff_only(rf, client, as_coop, coop, staff):
    url = reverse("wagtailsnippets_orders_shippingrule:list")
    assert admin_denied(as_coop.get(url))
    assert admin_denied(as_coop.get(reverse("wagtailsnippets_orders_shippingrule:add")))
    assert "Phí vận chuyển" not in menu_labels(rf, coop.user)
    assert "Đơn hàng" in menu_labels(rf, coop.user)

    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert {"Phí vận chuyển", "Đơn hàng"} <= menu_labels(rf, staff)


@pytest.fixture
def attention(shop, parts):
    """Low stock and a certificate about to expire, for both producers."""
    today = timezone.localdate()
    tea, noodles = shop["tea"], shop["noodles"]
    stock.set_on_hand(tea.variants.first().sku, 4)  # 1 held for the order: 3 to sell
    stock.set_on_hand(noodles.variants.get().sku, 3)
    for number, product in (("11/QĐ-UBND", tea), ("22/QĐ-UBND", noodles)):
        Certificate.objects.create(
            product=product,
            stars=4,
            decision_number=number,
            signed_on=today - datetime.timedelta(days=1000),
            issuer="UBND tỉnh Thái Nguyên",
            valid_until=today + datetime.timedelta(days=30),
        )
    Certificate.objects.create(
        product=tea,
        stars=3,
        decision_number="33/QĐ-UBND",
        signed_on=today,
        issuer="UBND tỉnh Thái Nguyên",
        valid_until=today + datetime.timedelta(days=400),
    )
    return {"tea_sku": tea.variants.first().sku, "noodles_sku": noodles.variants.get().sku}


def test_the_home_page_shows_a_producer_what_needs_attention(as_coop, parts, attention):
    html = as_coop.get(reverse("wagtailadmin_home")).content.decode()
    assert parts["mine"].number in html and detail_url(parts["mine"]) in html
    assert attention["tea_sku"] in html
    assert "11/QĐ-UBND" in html
    assert "33/QĐ-UBND" not in html  # not expiring soon
    for foreign in (parts["theirs"].number, attention["noodles_sku"], "22/QĐ-UBND"):
        assert foreign not in html


def test_the_home_page_shows_staff_every_producer(as_staff, parts, attention):
    html = as_staff.get(reverse("wagtailadmin_home")).content.decode()
    for text in (parts["mine"].number, parts["theirs"].number, "11/QĐ-UBND", "22/QĐ-UBND"):
        assert text in html
    assert attention["noodles_sku"] in html


def test_the_panel_does_not_query_per_row(rf, staff, shop, place, make_product, coop):
    sku = shop["tea"].variants.first().sku

    def queries_to_render() -> int:
        panel = OrdersPanel(scope_for(staff))
        with CaptureQueriesContext(connection) as queries:
            panel.render_html({"request": rf.get("/")})
        return len(queries)

    place({sku: 1})
    one = queries_to_render()
    for _ in range(4):
        place({sku: 1})
    make_product(coop.page, title="Chè Tân Cương đặc biệt")  # two more unstocked SKUs
    assert queries_to_render() == one
