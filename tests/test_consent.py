"""No order and no account without the shopper's consent to the personal-data notice, and
each consent is kept with the exact text agreed (Decree 13/2023/NĐ-CP)."""

from catalogue.models import InfoPage
from orders.models import Order, PrivacyConsent
from tests.test_shop_views import add, expected_total, fill_address

REVIEW = "/thanh-toan/xac-nhan/"


def test_an_order_needs_consent_and_keeps_the_notice_agreed(client, shop):
    sku = shop["noodles"].variants.get().sku
    add(client, sku)
    fill_address(client)
    page = client.get(REVIEW)
    assert 'href="/chinh-sach-bao-mat/"' in page.text and 'name="consent"' in page.text
    total = expected_total(page)

    refused = client.post(REVIEW, {"payment_method": "cod", "expected_total": total}, follow=True)
    assert "Hãy đánh dấu đồng ý với chính sách bảo mật để đặt hàng." in refused.text
    assert not Order.objects.exists() and not PrivacyConsent.objects.exists()

    notice = InfoPage.objects.get(slug="chinh-sach-bao-mat")
    agreed_to = notice.live_revision
    placed = client.post(
        REVIEW, {"payment_method": "cod", "expected_total": total, "consent": "on"}
    )
    order = Order.objects.get()
    assert placed["Location"] == f"/don-hang/{order.number}/"
    record = PrivacyConsent.objects.get()
    assert (record.purpose, record.order, record.notice) == ("order", order, agreed_to)

    notice.body += "<p>Thêm một điều khoản mới.</p>"
    notice.save_revision().publish()  # a new version of the notice later on
    record.refresh_from_db()
    assert record.notice == agreed_to and "Thêm một điều khoản mới" not in str(
        record.notice.content["body"]
    )


def test_an_account_needs_consent_too(client, structure, django_user_model):
    data = {
        "username": "lan.nguyen",
        "password1": "Mat-khau-dai-2026",
        "password2": "Mat-khau-dai-2026",
    }
    refused = client.post("/tai-khoan/dang-ky/", data)
    assert refused.status_code == 200
    assert "Hãy đánh dấu đồng ý với chính sách bảo mật." in refused.text
    assert not django_user_model.objects.filter(username="lan.nguyen").exists()

    created = client.post("/tai-khoan/dang-ky/", {**data, "consent": "on"})
    assert created.status_code == 302
    user = django_user_model.objects.get(username="lan.nguyen")
    record = PrivacyConsent.objects.get(user=user)
    assert record.purpose == "account" and record.order is None
    assert record.notice == InfoPage.objects.get(slug="chinh-sach-bao-mat").live_revision
