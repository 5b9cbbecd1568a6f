import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import Certificate, ProductPage
from catalogue.validators import validate_gtin, validate_phone_vn


def test_product_code_and_skus_assigned_on_creation(coop, make_product):
    product = make_product(coop.page)
    assert product.product_code == "20-00001"
    assert [v.sku for v in product.variants.all()] == ["20-00001-1", "20-00001-2"]
    assert product.producer_id == coop.page.pk
    assert product.slug == "che-dinh-tan-cuong"


def test_product_code_never_changes_with_title_slug_or_revisions(coop, make_product):
    product = make_product(coop.page)
    first = product.save_revision()
    product.title, product.slug = "Chè Đinh đặc biệt", "che-dinh-dac-biet"
    product.product_code = "HACKED"
    product.save_revision().publish()
    product.refresh_from_db()
    assert product.product_code == "20-00001"
    assert product.slug == "che-dinh-dac-biet"
    first.publish()  # revert to the old revision
    product.refresh_from_db()
    assert product.product_code == "20-00001"


def test_new_variant_never_reuses_a_removed_sku(coop, make_product):
    product = make_product(coop.page)
    removed = product.variants.get(sku="20-00001-2")
    product.variants.remove(removed)
    product.save_revision().publish()
    product = ProductPage.objects.get(pk=product.pk)
    product.variants.add(product.variants.model(name="Túi 1 kg", price=650_000, weight_grams=1100))
    product.save_revision().publish()
    assert sorted(v.sku for v in ProductPage.objects.get(pk=product.pk).variants.all()) == [
        "20-00001-1",
        "20-00001-3",
    ]


def test_text_is_stored_nfc_and_slug_maps_d(coop, make_product):
    product = make_product(coop.page, title=unicodedata.normalize("NFD", "Đặc sản Đồng Mỏ"))
    assert product.title == "Đặc sản Đồng Mỏ"
    assert unicodedata.is_normalized("NFC", product.title)
    assert product.slug == "dac-san-dong-mo"
    revision_title = product.latest_revision.content["title"]
    assert unicodedata.is_normalized("NFC", revision_title)


def test_unicode_slug_typed_by_editor_becomes_ascii(coop, make_product):
    product = make_product(coop.page)
    product.slug = "chè-đinh"
    product.save_revision().publish()
    product.refresh_from_db()
    assert product.slug == "che-dinh"


def _certificate(product, **overrides):
    values = dict(
        product=product,
        stars=4,
        score=Decimal("75.5"),
        decision_number="1234/QĐ-UBND",
        signed_on=datetime.date(2023, 6, 15),
        issuer="UBND tỉnh Lạng Sơn",
        issuer_level="provincial",
    )
    values.update(overrides)
    return Certificate(**values)


def test_certificate_valid_36_months_and_stars_only_while_valid(coop, make_product):
    product = make_product(coop.page)
    certificate = _certificate(product)
    certificate.full_clean()
    certificate.save()
    assert certificate.valid_until == datetime.date(2026, 6, 15)
    product = ProductPage.objects.for_listing().get(pk=product.pk)
    assert product.valid_certificate(datetime.date(2026, 6, 15)) == certificate
    assert product.valid_certificate(datetime.date(2026, 6, 16)) is None
    assert product.current_certificate() == certificate


def test_revoked_certificate_is_history_not_current(coop, make_product):
    product = make_product(coop.page)
    old = _certificate(product, signed_on=datetime.date(2020, 1, 10), decision_number="1/QĐ")
    old.save()
    _certificate(product, status="revoked", signed_on=datetime.date(2024, 1, 1)).save()
    product = ProductPage.objects.for_listing().get(pk=product.pk)
    assert product.current_certificate() == old
    assert product.certificates.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"stars": 5, "score": Decimal("92")}, "issuer_level"),
        ({"stars": 3, "score": Decimal("75")}, "score"),
        ({"valid_until": datetime.date(2020, 1, 1)}, "valid_until"),
    ],
)
def test_certificate_rules(coop, make_product, overrides, field):
    with pytest.raises(ValidationError) as error:
        _certificate(make_product(coop.page), **overrides).full_clean()
    assert field in error.value.message_dict


def test_potential_five_star_score_allowed_on_four_star(coop, make_product):
    _certificate(make_product(coop.page), stars=4, score=Decimal("91.14")).full_clean()


def test_barcode_and_phone_validators():
    validate_gtin("8934563138165")
    with pytest.raises(ValidationError):
        validate_gtin("8934563138166")
    with pytest.raises(ValidationError):
        validate_gtin("12345")
    with pytest.raises(ValidationError):
        validate_gtin("1234567²")  # str.isdigit() takes "²", int() does not
    validate_phone_vn("0912 345 678")
    validate_phone_vn("+84912345678")
    with pytest.raises(ValidationError):
        validate_phone_vn("12345")


def test_draft_saved_without_clean_still_gives_new_variants_a_sku(coop, make_product):
    product = make_product(coop.page)
    product.variants.add(product.variants.model(name="Túi 1 kg", price=650_000, weight_grams=1100))
    revision = product.save_revision(clean=False)  # what the admin's "Save draft" does
    skus = [v["sku"] for v in revision.content["variants"]]
    assert skus == ["20-00001-1", "20-00001-2", "20-00001-3"]


def test_copied_product_gets_its_own_code_and_skus(coop, make_product):
    product = make_product(coop.page)
    copy = product.copy(update_attrs={"title": "Chè Đinh (bản sao)", "slug": "che-dinh-ban-sao"})
    copy = ProductPage.objects.get(pk=copy.pk)
    assert copy.product_code == "20-00002"
    assert [v.sku for v in copy.variants.all()] == ["20-00002-1", "20-00002-2"]
    assert [v.sku for v in product.variants.all()] == ["20-00001-1", "20-00001-2"]


def test_moving_a_product_moves_its_producer_link_not_its_code(coop, other_coop, make_product):
    product = make_product(coop.page)
    product.move(other_coop.page, pos="last-child")
    product = ProductPage.objects.get(pk=product.pk)
    assert product.producer_id == other_coop.page.pk
    assert product.product_code == "20-00001"
