"""Thêm sản phẩm nhanh: one screen makes what the full editor makes, or nothing."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import PageLogEntry, PageSubscription, WorkflowState

from catalogue.models import OcopCategory, ProductPage, StockItem
from catalogue.producers import add_editor
from tests.conftest import PASSWORD, admin_denied
from tests.test_permissions import _submit_new_product

URL = reverse("catalogue_quick_product")


def _jpeg(name: str = "anh.jpg", size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 150, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _data(producer, category="I.2b", variants=(("", "150.000", "12", "300"),), **extra) -> dict:
    data = {
        "producer": producer.pk,
        "title": "Mật ong Quảng Lạc",
        "ocop_category": OcopCategory.objects.get(code=category).pk,
        "variants-TOTAL_FORMS": len(variants),
        "variants-INITIAL_FORMS": 0,
        "variants-MIN_NUM_FORMS": 1,
        "variants-MAX_NUM_FORMS": 20,
    }
    for n, (name, price, stock, weight) in enumerate(variants):
        data.update(
            {
                f"variants-{n}-name": name,
                f"variants-{n}-price": price,
                f"variants-{n}-stock": stock,
                f"variants-{n}-weight_grams": weight,
            }
        )
    return {**data, **extra}


def _counts() -> tuple[int, int, int, int]:
    return (
        ProductPage.objects.count(),
        Image.objects.count(),
        StockItem.objects.count(),
        WorkflowState.objects.count(),
    )


@pytest.fixture
def as_coop_quick(client, coop):
    assert client.login(username=coop.user.username, password=PASSWORD)
    return client


def test_one_screen_sends_a_product_with_photos_price_and_stock_for_review(as_coop_quick, coop):
    data = _data(coop.page, photos=[_jpeg("mat-ong-1.jpg"), _jpeg("mat-ong-2.jpg")])
    response = as_coop_quick.post(URL, data)
    assert response.status_code == 302 and response.url == f"{URL}?producer={coop.page.pk}"

    product = ProductPage.objects.get(title="Mật ong Quảng Lạc")
    assert (product.live, product.producer_id, product.slug) == (
        False,
        coop.page.pk,
        "mat-ong-quang-lac",
    )
    [variant] = product.variants.all()
    assert (variant.name, variant.price, variant.weight_grams) == ("Tiêu chuẩn", 150_000, 300)
    assert StockItem.objects.get(sku=variant.sku).on_hand == 12  # not "Hết hàng" at birth
    photos = [item.image for item in product.gallery_images.all()]
    assert [p.title for p in photos] == ["Mật ong Quảng Lạc 1", "Mật ong Quảng Lạc 2"]
    assert {p.collection_id for p in photos} == {coop.collection.pk}
    assert all(p.file_size and p.file_hash for p in photos)
    state = WorkflowState.objects.get(object_id=str(product.pk))
    assert (state.status, state.requested_by) == (WorkflowState.STATUS_IN_PROGRESS, coop.user)
    assert product.latest_revision.user == coop.user
    followed = as_coop_quick.get(response.url)
    assert "Đã gửi duyệt “Mật ong Quảng Lạc”" in followed.content.decode()


def test_it_makes_what_the_full_editor_makes(as_coop_quick, coop):
    """Same page state, revisions, log entries, subscription and workflow as Wagtail's
    add view with "Gửi duyệt"."""
    as_coop_quick.post(URL, _data(coop.page))
    quick = ProductPage.objects.get(title="Mật ong Quảng Lạc")
    variant = ("Tiêu chuẩn", "150.000", "300")
    _submit_new_product(as_coop_quick, coop.page, "Mật ong rừng", "", variant)
    full = ProductPage.objects.get(title="Mật ong rừng")

    def shape(page: ProductPage) -> tuple:
        state = WorkflowState.objects.get(object_id=str(page.pk))
        return (
            page.live,
            page.has_unpublished_changes,
            page.owner_id,
            page.revisions.count(),
            sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
            PageSubscription.objects.filter(page=page, user=page.owner).count(),
            state.status,
            state.current_task_state.task.name,
            [(v.name, v.price, v.weight_grams) for v in page.variants.all()],
        )

    assert shape(quick) == shape(full)


def test_save_draft_starts_no_review(as_coop_quick, coop):
    as_coop_quick.post(URL, _data(coop.page, **{"action-draft": "1"}))
    product = ProductPage.objects.get(title="Mật ong Quảng Lạc")
    assert not product.live
    assert not WorkflowState.objects.filter(object_id=str(product.pk)).exists()


@pytest.mark.parametrize(
    ("variants", "extra", "message"),
    [
        ([("", "²", "1", "300")], {}, "Nhập số tiền bằng số, ví dụ 150.000, 150k hoặc 1tr5."),
        ([("", "150k", "²", "300")], {}, "Nhập số lượng bằng chữ số, ví dụ 25 hoặc 1.000."),
        ([("", "150k", "-3", "300")], {}, "Số lượng không được âm."),
        (
            [("", "150k", "1", "300"), ("", "200k", "1", "500")],
            {},
            "Có nhiều phân loại: hãy đặt tên cho từng loại.",
        ),
        (
            [("Hộp", "150k", "1", "300"), ("Hộp", "200k", "1", "500")],
            {},
            "Hai phân loại trùng tên.",
        ),
        ([("", "150k", "1", "300")], {"title": "  "}, "Cần điền mục này."),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(as_coop_quick, coop, variants, extra, message):
    before = _counts()
    response = as_coop_quick.post(URL, _data(coop.page, variants=variants, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Chưa lưu. Hãy sửa những chỗ báo đỏ." in response.content.decode()
    assert _counts() == before


def test_a_photo_too_big_is_refused_and_nothing_is_stored(as_coop_quick, coop):
    big = SimpleUploadedFile("to.png", b"\x89PNG" + b"\0" * (11 * 1024 * 1024))
    before = _counts()
    response = as_coop_quick.post(URL, _data(coop.page, photos=[_jpeg(), big]))
    body = response.content.decode()
    assert "Ảnh chưa được lưu: hãy chọn lại ảnh." in body
    assert _counts() == before


def test_another_producers_page_cannot_be_chosen(as_coop_quick, coop, other_coop):
    before = _counts()
    response = as_coop_quick.post(URL, _data(other_coop.page))
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn có trong danh sách." in response.content.decode()
    assert _counts() == before


def test_the_category_defaults_to_the_producers_last_one(as_coop_quick, coop, make_product):
    make_product(coop.page, title="Miến dong", category="I.3c")
    form = as_coop_quick.get(URL).context["form"]
    assert form["ocop_category"].value() == OcopCategory.objects.get(code="I.3c").pk


def test_a_helper_picks_the_producer_and_a_bad_id_is_ignored(
    client, django_user_model, coop, other_coop
):
    helper = django_user_model.objects.create_user("hotro", password=PASSWORD)
    add_editor(helper, [coop.page, other_coop.page])
    client.login(username="hotro", password=PASSWORD)
    form = client.get(URL, {"producer": other_coop.page.pk}).context["form"]
    assert form["producer"].value() == other_coop.page.pk
    assert list(form.fields["producer"].queryset) == [coop.page, other_coop.page]
    for bad in ("²", "9" * 5000, "x"):
        assert client.get(URL, {"producer": bad}).status_code == 200
    client.post(URL, _data(other_coop.page))
    assert ProductPage.objects.get(title="Mật ong Quảng Lạc").producer_id == other_coop.page.pk


def test_someone_acting_for_no_producer_is_turned_away(client, django_user_model, structure):
    user = django_user_model.objects.create_user("khach", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="khach", password=PASSWORD)
    assert admin_denied(client.get(URL))
