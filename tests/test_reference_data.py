import pytest
from django.core.management import call_command

from catalogue.models import Commune, OcopCategory, Province, QualityMark


@pytest.mark.django_db
def test_2025_units_loaded_by_migration():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(province__name="Lạng Sơn").count() == 65
    assert Commune.objects.filter(province__name="Thái Nguyên").count() == 92
    tan_cuong = Commune.objects.get(full_name="Xã Tân Cương")
    assert tan_cuong.province.name == "Thái Nguyên"
    assert tan_cuong.folded_name == "xa tan cuong thai nguyen"


@pytest.mark.django_db
def test_reloading_units_is_idempotent_and_retires_missing_units():
    province = Province.objects.first()
    assert province is not None
    ghost = Commune.objects.create(
        code="99999", name="Ma", kind="xa", full_name="Xã Ma", province=province
    )
    call_command("load_admin_units")
    assert Commune.objects.filter(retired=False).count() == 3321
    ghost.refresh_from_db()
    assert ghost.retired


@pytest.mark.django_db
def test_taxonomy_has_six_sectors_and_leaves():
    assert OcopCategory.objects.filter(level="sector").count() == 6
    assert OcopCategory.objects.get(code="I.5a").sector.name_en == "Food"
    assert OcopCategory.objects.get(code="VI").is_leaf
    assert not OcopCategory.objects.get(code="I.5").is_leaf
    assert list(OcopCategory.objects.filter(level="sector").values_list("code", flat=True)) == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
    ]
    assert QualityMark.objects.filter(code="vietgap").exists()
