"""The admin home of producers and helpers: a card per producer with what it needs."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from catalogue import stock
from catalogue.models import Certificate
from catalogue.producers import add_editor
from catalogue.quick_product import NewVariant
from catalogue.review import queue as review_queue
from catalogue.review import reject
from tests.conftest import PASSWORD
from tests.test_review import send_new_product


def _cards(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", c)
        for c in re.findall(r'<article class="producer-card">(.*?)</article>', html, re.S)
    ]


def test_a_helper_sees_what_each_producer_needs_and_switches_in_one_tap(
    client, django_user_model, coop, other_coop, make_product, staff
):
    tea = make_product(coop.page)  # two SKUs, never counted: both at 0
    Certificate.objects.create(
        product=tea,
        stars=4,
        decision_number="12/QĐ-UBND",
        signed_on=datetime.date(2024, 1, 10),
        valid_until=timezone.localdate() + datetime.timedelta(days=20),
        issuer="UBND tỉnh",
        issuer_level="provincial",
    )
    noodles = make_product(other_coop.page, title="Miến dong", category="I.3c")
    for variant in noodles.variants.all():
        stock.set_on_hand(variant.sku, 5)
    sent = send_new_product(other_coop, "Miến dong sợi nhỏ", "I.3c", NewVariant("", 60_000, 3, 500))
    state = review_queue(staff).get(revision__object_id=str(sent.pk))
    reject(state, staff, state.revision_id, "Thiếu ảnh nhãn")

    helper = django_user_model.objects.create_user("hotro", password=PASSWORD)
    add_editor(helper, [coop.page, other_coop.page])
    client.login(username="hotro", password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Các chủ thể bạn hỗ trợ" in html
    first, second = _cards(html)
    assert "HTX Chè Hảo Đạt" in first and "HTX Miến Việt Cường" in second
    assert "2 loại hàng đã hết (0 còn bán)" in first
    assert "1 chứng nhận OCOP hết hạn trong 90 ngày tới" in first
    assert "Cần sửa: Miến dong sợi nhỏ</a> — Thiếu ảnh nhãn" in second
    assert "đã hết" not in second
    assert f"/admin/san-pham-nhanh/?producer={other_coop.page.pk}" in second
    assert reverse("wagtailadmin_explore", args=[other_coop.page.pk]) in second


def test_a_cooperative_sees_its_own_card_and_staff_none(client, coop, staff):
    client.login(username=coop.user.username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    [card] = _cards(html)
    assert "Không có việc gì cần làm." in card
    assert html.index("ocop-producer-home") < html.index("ocop-new-orders")
    client.force_login(staff)
    assert "producer-card" not in client.get(reverse("wagtailadmin_home")).content.decode()
