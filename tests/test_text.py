import unicodedata

import pytest

from catalogue.money import format_vnd
from catalogue.text import fold, nfc, slugify_vi


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Chè Đinh Tân Cương", "che-dinh-tan-cuong"),
        ("Miến dong Tài Hoan", "mien-dong-tai-hoan"),
        ("Rượu men lá Thanh Tâm", "ruou-men-la-thanh-tam"),
        ("ĐẶC SẢN  Lạng Sơn!", "dac-san-lang-son"),
        (unicodedata.normalize("NFD", "Thạch đen dạng bột"), "thach-den-dang-bot"),
    ],
)
def test_slugs_keep_d_for_dj(title, slug):
    assert slugify_vi(title) == slug


def test_fold_strips_marks_and_maps_d():
    assert fold("Chè Tân Cương") == fold("CHE TAN CUONG") == "che tan cuong"
    assert fold(unicodedata.normalize("NFD", "Hoà Thuỷ")) == "hoa thuy" == fold("Hòa Thủy")


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Lạng Sơn")
    assert decomposed != "Lạng Sơn" and nfc(decomposed) == "Lạng Sơn"


def test_vnd_format_uses_dot_grouping_and_no_break_space():
    assert format_vnd(150000) == "150.000\u00a0₫"
    assert format_vnd(1250000) == "1.250.000\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"
