"""Gửi duyệt is the producer's main button; staff review a product on one screen and
approve or send it back with a reason the producer reads."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from catalogue.models import Certificate, OcopCategory, ProductPage
from catalogue.quick_product import NewVariant, create_product
from tests.conftest import PASSWORD, admin_denied


def send_new_product(producer, title: str, category: str, variant: NewVariant) -> ProductPage:
    """A new product with one variant, sent for review by the producer's first editor."""
    return create_product(
        user=producer.user,
        producer=producer.page,
        title=title,
        category=OcopCategory.objects.get(code=category),
        variants=[variant],
        photos=[],
        submit=True,
    )


@pytest.fixture
def sent(coop):
    """A new product the cooperative sent for review."""
    return send_new_product(
        coop, "Mật ong Quảng Lạc", "I.2b", NewVariant("Chai 500 ml", 250_000, 10, 800)
    )


def _review(client, page):
    return client.get(reverse("catalogue_review", args=[page.pk]))


def _decide(client, page, decision: str, revision=None, reason: str = ""):
    revision = revision or ProductPage.objects.get(pk=page.pk).latest_revision_id
    return client.post(
        reverse("catalogue_review", args=[page.pk]),
        {"decision": decision, "revision": revision, "reason": reason},
    )


def _main_button(html: str) -> str:
    """The opening tag of the big button of Wagtail's action menu (it renders it first)."""
    footer = html[html.index('<footer class="footer') :]
    button = re.search(r"<button[^>]*>", footer)
    assert button is not None
    return button.group(0)


def test_send_for_review_is_the_producers_main_button(coop, make_product, client):
    product = make_product(coop.page)
    client.login(username=coop.user.username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[product.pk])).content.decode()
    assert 'name="action-submit"' in _main_button(html)
    assert 'class="button action-save' in html  # "Lưu nháp" is still there, in the menu


def test_while_it_waits_the_main_button_says_so_not_withdraw(sent, coop, client):
    client.login(username=coop.user.username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[sent.pk])).content.decode()
    assert "disabled" in _main_button(html)  # Wagtail's "page locked" while it waits
    assert 'name="action-cancel-workflow"' in html  # withdrawing stays possible, in the menu


def test_staff_keep_publish_as_their_main_button(as_staff, coop, make_product):
    product = make_product(coop.page)
    html = as_staff.get(reverse("wagtailadmin_pages:edit", args=[product.pk])).content.decode()
    assert 'name="action-submit"' not in _main_button(html)


def test_the_review_queue_comes_first_on_the_staff_dashboard(as_staff, sent):
    html = as_staff.get(reverse("wagtailadmin_home")).content.decode()
    panels = re.findall(r'<section[^>]+id="([^"]+)"', html)
    assert panels[0] == "ocop-review-queue-section" or panels[0].startswith("ocop-review-queue")
    assert "Chờ duyệt (1)" in html and "Mật ong Quảng Lạc" in html
    assert json.dumps("Duyệt sản phẩm (1)") in html  # the menu item (JSON), with the number
    assert "workflow_objects_to_moderate" not in html


def test_staff_see_the_product_certificate_and_producer_then_approve(as_staff, sent, coop):
    Certificate.objects.create(
        product=sent,
        stars=4,
        decision_number="1234/QĐ-UBND",
        signed_on=datetime.date(2025, 3, 1),
        valid_until=datetime.date(2028, 3, 1),
        issuer="UBND tỉnh Thái Nguyên",
        issuer_level="provincial",
    )
    page = _review(as_staff, sent).content.decode()
    expected = ["HTX Chè Hảo Đạt", "1234/QĐ-UBND", "4★", "Sản phẩm mới"]
    expected.append("Chai 500 ml: 250.000\u00a0₫")
    for text in expected:
        assert text in page, text
    response = _decide(as_staff, sent, "approve")
    assert response.status_code == 302 and response.url == reverse("catalogue_review_queue")
    product = ProductPage.objects.get(pk=sent.pk)
    assert product.live and not product.has_unpublished_changes
    queue = as_staff.get(response.url).content.decode()
    assert "Đã duyệt “Mật ong Quảng Lạc”: sản phẩm đã lên gian hàng." in queue
    assert "Không có sản phẩm nào chờ duyệt." in queue


def test_a_change_to_a_live_product_shows_before_and_after(as_staff, coop, make_product, client):
    product = make_product(coop.page, variants=[("Hộp 200 g", 150_000)])
    draft = ProductPage.objects.get(pk=product.pk)
    draft.summary = "Chè búp non, sao tay"
    variants = list(draft.variants.all())
    variants[0].price = 165_000
    draft.variants = variants
    draft.save_revision(user=coop.user)
    draft.get_workflow().start(draft, coop.user)
    page = _review(as_staff, product).content.decode()
    assert "Thay đổi so với bản đang bán" in page
    assert "Chè búp non, sao tay" in page
    assert "Hộp 200 g: 150.000\u00a0₫, 300 g" in page and "Hộp 200 g: 165.000\u00a0₫, 300 g" in page


def test_sending_back_needs_a_reason_that_the_producer_then_reads(as_staff, sent, coop, client):
    response = _decide(as_staff, sent, "reject", reason="   ")
    assert response.status_code == 302
    message = as_staff.get(response.url).content.decode()
    assert "Hãy ghi lý do để chủ thể biết cần sửa gì." in message
    state = WorkflowState.objects.get(object_id=str(sent.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    _decide(as_staff, sent, "reject", reason="Ảnh mờ, hãy chụp lại nhãn chai.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not ProductPage.objects.get(pk=sent.pk).live

    client.logout()
    client.login(username=coop.user.username, password=PASSWORD)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[sent.pk])).content.decode()
    assert "Cán bộ OCOP tỉnh đề nghị sửa" in editor
    assert "Ảnh mờ, hãy chụp lại nhãn chai." in editor


def test_a_decision_on_a_version_the_reviewer_did_not_see_is_refused(as_staff, sent, coop):
    seen = ProductPage.objects.get(pk=sent.pk).latest_revision_id
    newer = ProductPage.objects.get(pk=sent.pk)
    newer.summary = "Sửa sau khi gửi"
    newer.save_revision(user=coop.user)
    state = WorkflowState.objects.get(object_id=str(sent.pk))
    state.current_task_state.revision = newer.latest_revision
    state.current_task_state.save()

    response = _decide(as_staff, sent, "approve", revision=seen)
    message = as_staff.get(response.url).content.decode()
    assert "Chủ thể vừa sửa sản phẩm trong lúc bạn xem." in message
    assert not ProductPage.objects.get(pk=sent.pk).live


def test_a_producer_cannot_review(sent, coop, client):
    client.login(username=coop.user.username, password=PASSWORD)
    assert admin_denied(_review(client, sent))
    assert admin_denied(_decide(client, sent, "approve"))
    assert not ProductPage.objects.get(pk=sent.pk).live
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Duyệt sản phẩm" not in html


def test_staff_see_the_queue_first_even_when_nothing_waits(as_staff):
    html = as_staff.get(reverse("wagtailadmin_home")).content.decode()
    assert "Chờ duyệt (0)" in html and "Không có sản phẩm nào chờ duyệt." in html
