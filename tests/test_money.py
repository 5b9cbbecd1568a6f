"""Money typed as people type it (150.000, 150k, 1tr5) → integer VND, in every price
input: the product's variants and the shipping rules in the admin, the storefront's
price filter."""

import pytest
from django import forms
from django.urls import reverse

from catalogue.money import MoneyField, MoneyInput, VndField, parse_vnd
from orders.models import ShippingRule

TYPED = [
    ("150000", 150_000),
    ("150.000", 150_000),
    ("150,000", 150_000),
    ("1.500.000", 1_500_000),
    ("150k", 150_000),
    ("150 K", 150_000),
    ("150 nghìn", 150_000),
    ("150 ngàn", 150_000),
    ("1tr5", 1_500_000),
    ("1,5 triệu", 1_500_000),
    ("1tr250", 1_250_000),
    ("2 triệu", 2_000_000),
    ("1k5", 1_500),
    ("150.000 đ", 150_000),
    ("150.000₫", 150_000),
    ("150000 VND", 150_000),
    (" 25k ", 25_000),
]
NOT_MONEY = ["²", "١٥٠", "１５０", "abc", "150,5", "1.50.000", "-5", "1e6", "1,5tr5", "9" * 30]


@pytest.mark.parametrize("typed, amount", TYPED)
def test_amounts_are_read_as_vietnamese_write_them(typed, amount):
    assert parse_vnd(typed) == amount
    assert MoneyField().clean(typed) == amount


@pytest.mark.parametrize("typed", NOT_MONEY)
def test_anything_else_gets_a_clear_vietnamese_message(typed):
    with pytest.raises(ValueError):
        parse_vnd(typed)
    field = MoneyField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages == ["Nhập số tiền bằng số, ví dụ 150.000, 150k hoặc 1tr5."]


def test_a_stored_amount_is_shown_back_as_people_write_it():
    html = MoneyInput().render("price", 150_000)
    assert 'value="150.000"' in html and 'type="text"' in html


def test_staff_type_shipping_fees_the_way_they_say_them(as_staff):
    form = {"base_fee": "25k", "included_grams": "500", "per_kg_fee": "5.000", "free_from": "1tr"}
    response = as_staff.post(reverse("wagtailsnippets_orders_shippingrule:add"), form)
    assert response.status_code == 302
    rule = ShippingRule.objects.get()
    assert (rule.base_fee, rule.per_kg_fee, rule.free_from) == (25_000, 5_000, 1_000_000)
    edit = reverse("wagtailsnippets_orders_shippingrule:edit", args=[rule.pk])
    assert 'value="25.000"' in as_staff.get(edit).content.decode()
    refused = as_staff.post(edit, {**form, "base_fee": "²"})
    assert refused.status_code == 200
    assert "Nhập số tiền bằng số, ví dụ 150.000, 150k hoặc 1tr5." in refused.content.decode()
    rule.refresh_from_db()
    assert rule.base_fee == 25_000  # nothing changed


def test_a_product_variants_price_takes_the_same_field():
    from catalogue.models import ProductVariant

    for name in ("price", "compare_at_price"):
        model_field = ProductVariant._meta.get_field(name)
        assert isinstance(model_field, VndField)
        field = model_field.formfield()
        assert isinstance(field, MoneyField) and field.clean("150.000") == 150_000
