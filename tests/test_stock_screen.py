"""The "Tồn kho" screen reads a quantity the way people type it ("1.000" is a thousand),
refuses anything else with a Vietnamese message and writes nothing, and lets nobody set
another producer's stock."""

import pytest
from django.urls import reverse

from catalogue import stock
from catalogue.numbers import QuantityField, parse_quantity
from catalogue.quick_product import VariantForm

URL = "catalogue_stock"
TYPED = [("25", 25), ("0", 0), ("1.000", 1000), ("1,000", 1000), ("1 000", 1000),
         (" 1.000.000 ", 1_000_000)]  # fmt: skip
NOT_QUANTITIES = ["²", "abc", "1.00", "1,5", "1e3", "١٢", "", "9" * 30]


@pytest.mark.parametrize("typed, units", TYPED)
def test_quantities_are_read_as_people_type_them(typed, units):
    assert parse_quantity(typed) == units
    assert QuantityField().clean(typed) == units


@pytest.mark.parametrize("typed", [*NOT_QUANTITIES, "-3"])
def test_what_is_not_a_quantity_is_refused(typed):
    with pytest.raises(ValueError):
        parse_quantity(typed)


def test_the_field_says_in_vietnamese_what_is_wrong():
    field = QuantityField(max_value=100)
    for typed, words in (("²", "bằng chữ số"), ("-3", "không được âm"), ("101", "nhiều nhất")):
        with pytest.raises(Exception) as error:
            field.clean(typed)
        assert words in str(error.value)


@pytest.fixture
def skus(shop):
    return shop["tea"].variants.first().sku, shop["noodles"].variants.get().sku


def post(client, sku: str, typed: str, expected: int = 10):
    data = {"sku": sku, "on_hand": typed, "expected_on_hand": str(expected)}
    return client.post(reverse(URL), data, follow=True)


def test_one_thousand_typed_with_a_dot_is_a_thousand(as_coop, skus):
    response = post(as_coop, skus[0], "1.000")
    assert f"Đã cập nhật tồn kho {skus[0]}." in response.content.decode()
    assert stock.get(skus[0]).on_hand == 1000


@pytest.mark.parametrize(
    "typed, words",
    [("²", "Nhập số lượng bằng chữ số"), ("-3", "không được âm"), ("abc", "bằng chữ số")],
)
def test_a_wrong_quantity_gets_a_message_and_changes_nothing(as_coop, skus, typed, words):
    response = post(as_coop, skus[0], typed)
    html = response.content.decode()
    assert response.status_code == 200 and words in html and "Tồn kho chưa đổi." in html
    assert stock.get(skus[0]).on_hand == 10
    # under the box typed in, which keeps what was typed
    assert f'value="{typed}" aria-invalid="true"' in html
    assert '<p class="stock-error" id="on-hand-error">' in html


def test_another_producers_sku_is_refused_even_with_a_wrong_quantity(as_coop, skus):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    for typed in ("5", "²"):
        response = as_coop.post(
            reverse(URL), {"sku": skus[1], "on_hand": typed, "expected_on_hand": "10"}
        )
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert stock.get(skus[1]).on_hand == 10


def test_the_screen_shows_number_boxes_for_the_phone_keyboard(as_coop, skus):
    html = as_coop.get(reverse(URL)).content.decode()
    assert 'inputmode="numeric"' in html and 'type="number"' not in html
    assert "stock-cards" in html and "catalogue/admin_phone.css" in html
    assert skus[0] in html and skus[1] not in html


def test_the_quick_product_form_reads_its_starting_stock_the_same_way():
    form = VariantForm({"price": "150.000", "stock": "1.000", "weight_grams": "300"})
    assert form.is_valid() and form.cleaned_data["stock"] == 1000
    form = VariantForm({"price": "150.000", "stock": "²", "weight_grams": "300"})
    assert not form.is_valid() and "bằng chữ số" in form.errors["stock"][0]
