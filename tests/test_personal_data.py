"""A shopper can download what the shop holds about them and delete their account; orders
lose their personal data when the retention period, or after erasure the hold, is over
(orders/personal_data.py)."""

import datetime
import json

from django.utils import timezone

from background import jobs
from orders import personal_data
from orders.models import Order, PrivacyConsent, SubOrder
from tests.conftest import PASSWORD as STAFF_PASSWORD
from tests.test_shop_views import ADDRESS, add, expected_total, fill_address

PASSWORD = "Mat-khau-dai-2026"
REVIEW = "/thanh-toan/xac-nhan/"
DATA = "/tai-khoan/du-lieu/"


def place_order(client, shop) -> Order:
    add(client, shop["noodles"].variants.get().sku)
    fill_address(client)
    total = expected_total(client.get(REVIEW))
    client.post(REVIEW, {"payment_method": "cod", "expected_total": total, "consent": "on"})
    return Order.objects.latest("pk")


def signed_in_shopper(client, django_user_model):
    user = django_user_model.objects.create_user("lan.nguyen", password=PASSWORD)
    client.force_login(user)
    return user


def deliver(order: Order) -> None:
    SubOrder.objects.filter(order=order).update(status=SubOrder.Status.DELIVERED)


def test_the_download_holds_the_shoppers_orders_and_consents(client, shop, django_user_model):
    signed_in_shopper(client, django_user_model)
    order = place_order(client, shop)

    assert client.get(DATA + "tai-ve/").status_code == 405
    download = client.post(DATA + "tai-ve/")
    assert download["Content-Disposition"] == 'attachment; filename="du-lieu-ca-nhan.json"'
    data = json.loads(download.content)
    assert data["tai_khoan"]["ten_dang_nhap"] == "lan.nguyen"
    [exported] = data["don_hang"]
    assert (exported["so_don"], exported["nguoi_nhan"], exported["tong_cong_dong"]) == (
        order.number,
        ADDRESS["name"],
        order.total,
    )
    assert exported["hang"][0]["so_luong"] == 1
    assert [consent["don_hang"] for consent in data["dong_y"]] == [order.number]


def test_the_data_page_is_for_signed_in_shoppers(client, structure):
    assert client.get(DATA)["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/du-lieu/"
    assert client.post(DATA + "tai-ve/").status_code == 302


def test_deleting_the_account_needs_the_password_and_keeps_open_orders_until_done(
    client, shop, django_user_model
):
    user = signed_in_shopper(client, django_user_model)
    order = place_order(client, shop)  # still to be shipped
    assert "Dữ liệu cá nhân của tôi" in client.get("/tai-khoan/don-hang/").text

    refused = client.post(DATA, {"password": "sai"})
    assert "Mật khẩu không đúng." in refused.text
    assert django_user_model.objects.filter(pk=user.pk).exists()

    erased = client.post(DATA, {"password": PASSWORD}, follow=True)
    assert "Đã xoá tài khoản của bạn." in erased.text
    assert "1 đơn hàng gần đây sẽ được xoá thông tin cá nhân sau 30 ngày" in erased.text
    assert not django_user_model.objects.filter(pk=user.pk).exists()
    order.refresh_from_db()
    assert (order.user, order.name, order.anonymised_at) == (None, ADDRESS["name"], None)
    assert PrivacyConsent.objects.get(order=order).user is None  # the proof stays

    later = timezone.now() + datetime.timedelta(days=31)
    assert personal_data.anonymise_due(later) == 0  # the parcel is not delivered yet
    deliver(order)
    assert personal_data.anonymise_due(timezone.now()) == 0  # within the hold
    assert personal_data.anonymise_due(later) == 1
    order.refresh_from_db()
    assert (order.name, order.phone, order.street, order.note) == ("(đã xoá)", "", "", "")
    assert order.total > 0 and order.sub_orders.get().lines.count() == 1  # the books stay


def test_a_finished_order_older_than_the_hold_is_erased_with_the_account(
    client, shop, django_user_model
):
    signed_in_shopper(client, django_user_model)
    order = place_order(client, shop)
    deliver(order)
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    erased = client.post(DATA, {"password": PASSWORD}, follow=True)
    assert "đơn hàng gần đây" not in erased.text
    order.refresh_from_db()
    assert order.phone == "" and order.anonymised_at is not None


def test_a_finished_order_loses_its_personal_data_after_the_retention_period(client, shop):
    order = place_order(client, shop)  # a guest's
    placed = order.created_at
    assert personal_data.anonymise_due(placed + datetime.timedelta(days=1826)) == 0  # open
    deliver(order)
    assert personal_data.anonymise_due(placed + datetime.timedelta(days=1824)) == 0
    assert personal_data.anonymise_due(placed + datetime.timedelta(days=1826)) == 1
    order.refresh_from_db()
    assert order.phone == "" and order.total > 0
    assert personal_data.anonymise_due(placed + datetime.timedelta(days=1900)) == 0  # once


def test_the_daily_prune_job_erases_what_is_due(client, shop, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    order = place_order(client, shop)
    deliver(order)
    assert jobs.prune().endswith("erased personal data of 1 orders")
    order.refresh_from_db()
    assert order.name == "(đã xoá)"


def test_an_admin_login_is_not_deleted_from_the_shop(as_staff, staff, django_user_model):
    page = as_staff.get(DATA)
    assert "Tài khoản này dùng để quản trị. Hãy nhờ cán bộ OCOP của tỉnh xoá giúp." in page.text
    assert 'name="password"' not in page.text
    kept = as_staff.post(DATA, {"password": STAFF_PASSWORD})
    assert kept.status_code == 200
    assert django_user_model.objects.filter(pk=staff.pk).exists()
