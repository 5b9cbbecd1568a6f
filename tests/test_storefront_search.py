"""Vietnamese search on the demo catalogue: what shoppers really type, with and without
diacritics, Telex "dd" for đ, NFD input from some keyboards, and words from any field."""

import unicodedata

import pytest
from django.http import QueryDict

from catalogue.models import ProductPage
from catalogue.storefront import listing, search

pytestmark = pytest.mark.usefixtures("demo_catalogue", "db")


def titles(query: str, **params: str) -> list[str]:
    data = QueryDict(mutable=True)
    data["q"] = query
    for name, value in params.items():
        data[name] = value
    result = listing.run(data, page_size=100, with_facets=False)
    assert not result.errors, result.errors
    return [card.entry.title for card in result.cards]


CHE_DINH = "Chè Đinh Tân Cương"
MIEN_DONG = "Miến dong Tài Hoan"
HONEYS = {"Mật ong Phúc Thành", "Mật ong hương rừng Xứ Lạng", "Mật ong ngũ gia bì"}
TEAS = {
    "Chè Tôm Nõn",
    "Chè dưới tán hồi Bình Gia",
    CHE_DINH,
    "Trà TN GABA",
    "Trà móc câu hương quê",
    "Trà tôm nõn hương quê",
    "Trà xanh túi lọc Nguyên Việt",
}

# (query, first result or None, titles that must be found, titles that must not be found)
TABLE = [
    ("che tan cuong", CHE_DINH, {"Chè Tôm Nõn"}, {"Miến Việt Cường"}),
    ("Chè Tân Cương", CHE_DINH, set(), set()),
    ("CHE TAN CUONG", CHE_DINH, set(), set()),
    (unicodedata.normalize("NFD", "Chè Tân Cương"), CHE_DINH, set(), set()),
    ("chè tân", CHE_DINH, set(), set()),
    ("dinh tan cuong", CHE_DINH, set(), set()),
    ("ddinh tan cuong", CHE_DINH, set(), set()),
    ("mien dong tai hoan", MIEN_DONG, set(), {"Miến Việt Cường"}),
    ("miến ddong", MIEN_DONG, set(), set()),
    ("MIẾN DONG", MIEN_DONG, set(), set()),
    ("mien", None, {MIEN_DONG, "Miến Việt Cường"}, {CHE_DINH}),
    ("mat ong", None, HONEYS, {CHE_DINH}),
    ("mật ong xứ lạng", "Mật ong hương rừng Xứ Lạng", set(), {"Mật ong Phúc Thành"}),
    ("honey", None, HONEYS, {CHE_DINH}),
    ("na chi lang", "Na Chi Lăng", {"Na dai Đồng Mỏ"}, {MIEN_DONG}),
    ("vit quay", None, {"Vịt quay Hồng Xiêm", "Vịt quay Nguyên Xinh"}, {CHE_DINH}),
    ("gao nep", None, {"Gạo nếp cái hoa vàng Bắc Sơn", "Gạo nếp vải Ôn Lương"}, set()),
    ("nep", None, {"Gạo nếp vải Ôn Lương", "Tinh bột nghệ nếp đỏ"}, {CHE_DINH}),
    ("tra", None, {"Trà hoa vàng Bắc Kạn", "Trà TN GABA"}, {MIEN_DONG}),
    ("tea", None, TEAS, {MIEN_DONG, "Vịt quay Hồng Xiêm"}),
    ("thai nguyen", None, {"Miến Việt Cường", CHE_DINH}, {"Na Chi Lăng", "Quýt vàng Bắc Sơn"}),
    ("lạng sơn", None, {"Na Chi Lăng", "Khau nhục Trần Sinh"}, {CHE_DINH}),
    ("dong hy", None, {"Mật ong Phúc Thành", "Miến Việt Cường", "Trà TN GABA"}, {CHE_DINH}),
    ("htx hao dat", None, {CHE_DINH, "Chè Tôm Nõn"}, {"Miến Việt Cường"}),
    ("hảo đạt", None, {CHE_DINH, "Chè Tôm Nõn"}, set()),
    ("banh chung", "Bánh chưng cẩm Hồng Lý", set(), set()),
    ("khau nhuc", "Khau nhục Trần Sinh", set(), {"Vịt quay Hồng Xiêm"}),
    ("ruou", None, {"Rượu Hội Hoan", "Rượu men lá Thanh Tâm"}, {CHE_DINH}),
    ("ruou men la", "Rượu men lá Thanh Tâm", set(), set()),
    ("do uong", None, {"Rượu Hội Hoan", "Rượu men lá Thanh Tâm"}, {CHE_DINH}),
    ("tinh dau hoi", "Tinh dầu hồi Văn Quan", set(), {MIEN_DONG}),
    ("hoi", None, {"Tinh dầu hồi Văn Quan", "Chè dưới tán hồi Bình Gia", "Rượu Hội Hoan"}, set()),
    ("quyt", "Quýt vàng Bắc Sơn", set(), set()),
    ("bac son", None, {"Gạo nếp cái hoa vàng Bắc Sơn", "Quýt vàng Bắc Sơn"}, {CHE_DINH}),
    ("du lich", "Du lịch văn hóa Tày bản làng Thái Hải", set(), set()),
    ("thach", None, {"Thạch Chu Hạnh", "Thạch đen dạng bột"}, {MIEN_DONG}),
    ("mang kho", "Măng khô lục trúc MTQ", set(), set()),
    ("pho kho", "Phở khô Hoàng Quyên", set(), set()),
    ("bun gac", "Bún gấc Lệ Chi", set(), set()),
    ("gaba", "Trà TN GABA", set(), set()),
    ("tra hoa v", "Trà hoa vàng Bắc Kạn", set(), set()),
    ("  che,   TAN-cuong!! ", CHE_DINH, set(), set()),
]


@pytest.mark.parametrize(("query", "first", "found", "absent"), TABLE, ids=[r[0] for r in TABLE])
def test_search_table(query, first, found, absent):
    results = titles(query)
    assert results, f"nothing found for {query!r}"
    if first:
        assert results[0] == first, results[:5]
    assert found <= set(results), found - set(results)
    assert not (absent & set(results)), absent & set(results)


def test_table_has_thirty_queries():
    assert len(TABLE) >= 30


def test_name_matches_rank_before_other_fields():
    # "Chè Tôm Nõn" only has "Tân Cương" in its commune; the name match comes first.
    results = titles("tan cuong")
    assert results.index(CHE_DINH) < results.index("Chè Tôm Nõn")


def test_nonsense_finds_nothing_and_empty_query_lists_everything():
    assert titles("xyzzy khong co") == []
    assert len(titles("")) == ProductPage.objects.live().count()


def test_product_code_finds_the_product():
    code = ProductPage.objects.get(title=CHE_DINH).product_code
    assert titles(code.lower())[0] == CHE_DINH


def test_search_combines_with_filters():
    assert set(titles("tra", stars="5")) == {"Trà tôm nõn hương quê"}
    assert titles("mien", province="19")  # Thái Nguyên
    assert titles("mien", province="20") == []  # Lạng Sơn has no miến


def test_suggestions_complete_the_last_word():
    suggestions = [entry.title for entry in search.suggest("mien do")]
    assert suggestions[0] == MIEN_DONG
    assert search.suggest("   ") == []
