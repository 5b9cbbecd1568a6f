"""A cooperative's editors work only inside their own producer page and collection."""

import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.models import Page, WorkflowState

from catalogue import stock
from catalogue.models import ProductPage, StockItem
from catalogue.placeholders import create_placeholder_image
from catalogue.roles import PROVINCE_STAFF_GROUP
from tests.conftest import PASSWORD, admin_denied


@pytest.fixture
def setup(coop, other_coop, make_product, client):
    own = make_product(coop.page)
    foreign = make_product(other_coop.page, title="Miến dong", category="I.3c")
    foreign_image = create_placeholder_image("Miến dong", "I", other_coop.collection)
    client.login(username=coop.user.username, password=PASSWORD)
    return own, foreign, foreign_image


def _denied_to_xhr(client, url) -> bool:
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    return response.status_code in (403, 404)


def test_other_producers_pages_are_closed(setup, client, other_coop):
    _own, foreign, _image = setup
    revision = foreign.latest_revision
    urls = [
        reverse("wagtailadmin_pages:edit", args=[foreign.pk]),
        reverse("wagtailadmin_pages:delete", args=[foreign.pk]),
        reverse("wagtailadmin_pages:history", args=[foreign.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[foreign.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_revert", args=[foreign.pk, revision.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[foreign.pk]),
        reverse("wagtailadmin_pages:add", args=["catalogue", "productpage", other_coop.page.pk]),
        reverse("wagtailadmin_pages:edit", args=[other_coop.page.pk]),
    ]
    for url in urls:
        assert admin_denied(client.get(url)), url
        assert _denied_to_xhr(client, url), url
    response = client.post(
        reverse("wagtailadmin_pages:delete", args=[foreign.pk]), {"confirm": "1"}
    )
    assert admin_denied(response)
    assert Page.objects.filter(pk=foreign.pk).exists()


def test_other_producers_images_are_closed(setup, client):
    _own, _foreign, image = setup
    for name in ("wagtailimages:edit", "wagtailimages:delete"):
        assert admin_denied(client.get(reverse(name, args=[image.pk]))), name
        assert _denied_to_xhr(client, reverse(name, args=[image.pk])), name
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert Image.objects.filter(pk=image.pk).exists()
    listing = client.get(reverse("wagtailimages:index"))
    assert "Miến dong" not in listing.content.decode()


def test_own_pages_are_editable_in_a_vietnamese_admin(setup, client):
    own, _foreign, _image = setup
    # The admin stays Vietnamese even for a browser that asks for English.
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[own.pk]), headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lưu nháp" in html and "Gửi duyệt" in html  # save draft, submit for moderation


def test_cooperative_cannot_publish_its_own_product(setup, client):
    own, _foreign, _image = setup
    form = client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).context["form"]
    data = _form_data(form, title="Chè Đinh (đã sửa)")
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[own.pk]), data)
    own.refresh_from_db()
    assert own.title == "Chè Đinh Tân Cương"  # live version unchanged
    assert own.has_unpublished_changes
    assert own.latest_revision.content["title"] == "Chè Đinh (đã sửa)"  # kept as a draft

    data.pop("action-publish")
    data["action-submit"] = "action-submit"
    client.post(reverse("wagtailadmin_pages:edit", args=[own.pk]), data)
    state = WorkflowState.objects.get(object_id=str(own.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific.groups.filter(name=PROVINCE_STAFF_GROUP).exists()
    own.refresh_from_db()
    assert own.title == "Chè Đinh Tân Cương"


def _bound_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.field.widget.format_value(bound.value())
        if value is not None:
            data[bound.html_name] = value
    return data


def _form_data(form, **overrides) -> dict:
    """POST data reproducing an admin page form as the browser would send it."""
    data = _bound_values(form)
    for formset in form.formsets.values():
        data.update(_bound_values(formset.management_form))
        for subform in formset.forms:
            data.update(_bound_values(subform))
    data.update({form.add_prefix(k): v for k, v in overrides.items()})
    return data


def test_stock_screen_changes_stock_at_once_only_for_own_skus(setup, client):
    own, foreign, _image = setup
    own_sku, foreign_sku = own.variants.first().sku, foreign.variants.first().sku
    stock.set_on_hand(foreign_sku, 4)
    page = client.get(reverse("catalogue_stock"))
    assert own_sku in page.content.decode() and foreign_sku not in page.content.decode()

    form = {"sku": own_sku, "on_hand": "12", "expected_on_hand": "0"}
    response = client.post(reverse("catalogue_stock"), form)
    assert response.status_code == 302
    assert StockItem.objects.get(sku=own_sku).on_hand == 12
    assert ProductPage.objects.get(pk=own.pk).latest_revision == own.latest_revision  # no revision

    response = client.post(
        reverse("catalogue_stock"), {"sku": foreign_sku, "on_hand": "0", "expected_on_hand": "4"}
    )
    assert admin_denied(response)
    assert StockItem.objects.get(sku=foreign_sku).on_hand == 4


def test_helper_may_edit_several_producers(coop, other_coop, make_product, client):
    from django.contrib.auth import get_user_model

    from catalogue.producers import add_editor

    helper = get_user_model().objects.create_user("helper", password=PASSWORD)
    add_editor(helper, [coop.page, other_coop.page])
    first, second = make_product(coop.page), make_product(other_coop.page, title="Miến")
    client.login(username="helper", password=PASSWORD)
    for product in (first, second):
        assert client.get(reverse("wagtailadmin_pages:edit", args=[product.pk])).status_code == 200


def _add_product_form(client, producer_page, title: str, slug: str, category: str):
    """URL, add form and POST data for a new product typed into the admin."""
    from catalogue.models import OcopCategory

    add_url = reverse("wagtailadmin_pages:add", args=["catalogue", "productpage", producer_page.pk])
    form = client.get(add_url).context["form"]
    category_id = OcopCategory.objects.get(code=category).pk
    return add_url, form, _form_data(form, title=title, slug=slug, ocop_category=category_id)


def _submit_new_product(client, producer_page, title: str, slug: str, variant: tuple):
    """Type a new product with one variant (name, price as typed, weight) into the admin
    and send it for review; returns the add form it was typed into."""
    add_url, form, data = _add_product_form(client, producer_page, title, slug, "I.2b")
    variants = form.formsets["variants"]
    data[variants.management_form.add_prefix("TOTAL_FORMS")] = 1
    name, price, weight = variant
    data.update(
        {
            f"{variants.prefix}-0-name": name,
            f"{variants.prefix}-0-price": price,
            f"{variants.prefix}-0-weight_grams": weight,
            f"{variants.prefix}-0-barcode": "",
            f"{variants.prefix}-0-ORDER": "1",
        }
    )
    data["action-submit"] = "action-submit"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    return form


def test_cooperative_adds_a_product_through_the_admin(setup, client, coop):
    # The slug as typed; stored as ASCII.
    variant = ("Chai 500 ml", "250000", "800")
    _submit_new_product(client, coop.page, "Mật ong Quảng Lạc", "mật-ong-quảng-lạc", variant)
    product = ProductPage.objects.get(title="Mật ong Quảng Lạc")
    assert not product.live  # waits for province staff
    assert product.slug == "mat-ong-quang-lac"
    assert product.producer_id == coop.page.pk
    assert product.product_code.startswith("20-")
    assert [v.sku for v in product.variants.all()] == [f"{product.product_code}-1"]
    state = WorkflowState.objects.get(object_id=str(product.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def _add_tea(client, coop, slug_from_browser: str):
    variant = ("Hộp 100 g", "250.000", "300")  # the price as people write it
    title = "Trà Hoa Vàng Đặc Biệt Thử Nghiệm"
    form = _submit_new_product(client, coop.page, title, slug_from_browser, variant)
    assert "slug" not in form.fields  # a producer never sees it


def test_the_server_makes_the_slug_not_the_browser(setup, client, coop):
    # What Wagtail's script made of the title, sent anyway: ignored.
    _add_tea(client, coop, "tra-hoa-vang-djc-bit-th-nghim")
    _add_tea(client, coop, "")
    first, second = ProductPage.objects.filter(title__startswith="Trà Hoa Vàng").order_by("pk")
    assert first.slug == "tra-hoa-vang-dac-biet-thu-nghiem"
    assert second.slug == "tra-hoa-vang-dac-biet-thu-nghiem-2"  # a sibling has the first
    assert [v.price for v in first.variants.all()] == [250_000]
    # Editing keeps the address, whatever the new title.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[first.pk]))
    assert "slug" not in edit.context["form"].fields
    assert 'data-w-sync-target-value="#id_slug"' not in edit.content.decode()


def test_province_staff_may_set_a_slug_in_a_plain_box(client, staff, coop, make_product):
    product = make_product(coop.page)
    client.force_login(staff)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[product.pk])).content.decode()
    assert 'name="slug"' in html and "w-slug" not in html


def test_stock_take_never_undoes_a_sale_made_meanwhile(setup, client):
    own, _foreign, _image = setup
    sku = own.variants.first().sku
    stock.set_on_hand(sku, 10)
    stock.reserve(sku, 2)
    stock.commit(sku, 2)  # an order shipped while the editor had the screen open
    response = client.post(
        reverse("catalogue_stock"),
        {"sku": sku, "on_hand": "15", "expected_on_hand": "10"},
        follow=True,
    )
    assert "vừa đổi từ 10 thành 8" in response.content.decode()
    assert StockItem.objects.get(sku=sku).on_hand == 8


def test_cooperative_cannot_delete_certificate_history(setup, client):
    import datetime

    from catalogue.models import Certificate

    own, _foreign, _image = setup
    Certificate.objects.create(
        product=own,
        stars=4,
        decision_number="1/QĐ-UBND",
        signed_on=datetime.date(2020, 1, 1),
        issuer="UBND tỉnh Lạng Sơn",
        status="revoked",
    )
    own.unpublish()
    client.post(reverse("wagtailadmin_pages:delete", args=[own.pk]))
    assert ProductPage.objects.filter(pk=own.pk).exists()
    assert Certificate.objects.filter(product=own).count() == 1


def test_another_producers_image_cannot_be_attached_by_id(setup, client):
    own, _foreign, foreign_image = setup
    url = reverse("wagtailadmin_pages:edit", args=[own.pk])
    form = client.get(url).context["form"]
    gallery = form.formsets["gallery_images"]
    data = _form_data(form)
    data[gallery.management_form.add_prefix("TOTAL_FORMS")] = 1
    data.update({f"{gallery.prefix}-0-image": foreign_image.pk, f"{gallery.prefix}-0-caption": ""})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "không thuộc thư viện ảnh của bạn" in response.content.decode()
    assert not ProductPage.objects.get(pk=own.pk).gallery_images.exists()
    assert all(
        "gallery_images" not in r.content or not r.content["gallery_images"]
        for r in own.revisions.all()
    )


def test_a_slug_staff_type_colliding_after_normalising_is_a_form_error(setup, client, coop, staff):
    client.force_login(staff)
    add_url, _form, data = _add_product_form(
        client, coop.page, "Chè Đinh", "chè-đinh-tân-cương", "I.5a"
    )
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
