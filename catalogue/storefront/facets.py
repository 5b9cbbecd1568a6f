"""Facet counts: for each filter, how many results each of its choices would give under
all the *other* active filters (so choosing it never leads to an empty page).

All groups are computed in ONE SQL statement (a UNION ALL of small GROUP BYs on the
narrow read model), and the result is cached per (parameters, catalogue version), so
the unfiltered landing page of a 20,000-product catalogue is not recounted per visit.
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.models import ProducerType, StorefrontEntry

from . import index, reference
from .filters import ProductFilter, valid_stars

CACHE_SECONDS = 300
# (key, label, price_min, price_max)
PRICE_BANDS = [
    ("0-99999", _("Dưới 100.000 ₫"), None, 99_999),
    ("100000-199999", _("100.000 – 200.000 ₫"), 100_000, 199_999),
    ("200000-499999", _("200.000 – 500.000 ₫"), 200_000, 499_999),
    ("500000-", _("Từ 500.000 ₫"), 500_000, None),
]
PRODUCER_LIMIT = 30


@dataclass
class Choice:
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass
class Facet:
    name: str
    title: str
    choices: list[Choice] = field(default_factory=list)


def _text(expression) -> Cast:
    return Cast(expression, CharField())


def _except(filterset: ProductFilter, *skip: str) -> QuerySet:
    """The read model filtered by every valid parameter except `skip` (and the ordering)."""
    qs = StorefrontEntry.objects.all()
    for name, value in filterset.form.cleaned_data.items():
        if name not in skip and name != "sort":
            qs = filterset.filters[name].filter(qs, value)
    return qs.order_by()


def _group(qs: QuerySet, facet: str, key, label=None) -> QuerySet:
    return (
        qs.annotate(
            facet=_text(Value(facet)),
            key=_text(key),
            label=_text(label if label is not None else Value("")),
        )
        .values_list("facet", "key", "label")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _price_band():
    return Case(
        *[
            When(min_price__lte=high, then=Value(key))
            for key, _label, _low, high in PRICE_BANDS
            if high is not None
        ],
        default=Value(PRICE_BANDS[-1][0]),
    )


def _category_level(selected: str | None) -> tuple[str, dict]:
    """Which column the category facet groups by, and the parent it is restricted to."""
    if not selected:
        return "sector", {}
    category = reference.get().categories[selected]
    if category.level == "sector":
        return "group", {"sector": selected}
    if category.level == "group":
        return "category", {"group": selected}
    return "category", {"group": category.group}


def count(filterset: ProductFilter) -> list[tuple[str, str, str, int]]:
    """Rows of (facet, key, label, count) for the bound, validated filterset."""
    data = filterset.form.cleaned_data
    column, within = _category_level(data.get("category"))
    groups = [
        _group(_except(filterset, "category").filter(**within), "category", F(column)),
        _group(_except(filterset, "stars", "certified"), "stars", valid_stars()),
        _group(_except(filterset, "certified"), "certified", valid_stars()),
        _group(
            _except(filterset, "province", "commune"),
            "province",
            F("province_code"),
            F("province_name"),
        ),
        _group(_except(filterset, "producer_type"), "producer_type", F("producer_type")),
        _group(_except(filterset, "price_min", "price_max"), "price", _price_band()),
        _group(_except(filterset, "in_stock"), "in_stock", F("in_stock")),
        _group(_except(filterset, "marks"), "marks", F("mark_rows__code")),
    ]
    if data.get("province"):
        groups.append(
            _group(_except(filterset, "commune"), "commune", F("commune_code"), F("commune_name"))
        )
    if data.get("province") or data.get("commune") or data.get("producer"):
        groups.append(
            _group(
                _except(filterset, "producer"), "producer", F("producer_id"), F("producer_title")
            )
        )
    return list(groups[0].union(*groups[1:], all=True))


def cached_count(filterset: ProductFilter) -> list[tuple[str, str, str, int]]:
    key = _cache_key(filterset)
    rows = cache.get(key)
    if rows is None:
        rows = count(filterset)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def _cache_key(filterset: ProductFilter) -> str:
    data = filterset.form.cleaned_data
    canonical = repr(sorted((k, str(v)) for k, v in data.items() if k not in ("sort",) and v))
    digest = hashlib.sha1(canonical.encode()).hexdigest()
    return f"storefront:facets:{index.version()}:{digest}"


def build(filterset: ProductFilter, params: dict[str, list[str]]) -> list[Facet]:
    """Facets with labels in the current language and the link for each choice."""
    rows = cached_count(filterset)
    by_facet: dict[str, list[tuple[str, str, int]]] = {}
    for facet, key, label, n in rows:
        by_facet.setdefault(facet, []).append((key, label, n))
    data = filterset.form.cleaned_data
    ref = reference.get()
    english = (get_language() or "vi").startswith("en")

    def link(**changes) -> str:
        query = {k: list(v) for k, v in params.items() if k != "page"}
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value if isinstance(value, list) else [str(value)]
        return "?" + urlencode(query, doseq=True) if query else "?"

    def category_name(code: str) -> str:
        c = ref.categories[code]
        return c.name_en if english else c.name_vi

    facets = []
    selected_category = data.get("category")
    category = Facet("category", str(_("Nhóm sản phẩm")))
    for key, _label, n in sorted(
        by_facet.get("category", []), key=lambda r: ref.categories[r[0]].code
    ):
        category.choices.append(
            Choice(category_name(key), n, link(category=key), key == selected_category)
        )
    facets.append(category)

    counts = {k: n for k, _l, n in by_facet.get("stars", [])}
    stars = Facet("stars", str(_("Hạng sao OCOP")))
    for value in (5, 4, 3):
        stars.choices.append(
            Choice(
                f"{value}★",
                counts.get(str(value), 0),
                link(stars=None if data.get("stars") == value else value),
                data.get("stars") == value,
            )
        )
    facets.append(stars)

    certified = {k: n for k, _l, n in by_facet.get("certified", [])}
    facets.append(
        Facet(
            "certified",
            str(_("Chứng nhận OCOP")),
            [
                Choice(
                    str(_("Còn hiệu lực")),
                    sum(n for k, n in certified.items() if k != "0"),
                    link(certified=None if data.get("certified") else 1),
                    bool(data.get("certified")),
                )
            ],
        )
    )

    facets.append(
        _simple(
            by_facet,
            "province",
            str(_("Tỉnh/thành phố")),
            data.get("province"),
            lambda key, label: label,
            lambda key: link(province=key, commune=None, producer=None),
        )
    )
    if "commune" in by_facet:
        facets.append(
            _simple(
                by_facet,
                "commune",
                str(_("Xã/phường")),
                data.get("commune"),
                lambda key, label: label,
                lambda key: link(commune=key, producer=None),
            )
        )
    if "producer" in by_facet:
        producers = _simple(
            by_facet,
            "producer",
            str(_("Chủ thể OCOP")),
            str(data.get("producer") or ""),
            lambda key, label: label,
            lambda key: link(producer=key),
        )
        producers.choices.sort(key=lambda c: (-c.count, c.label))
        producers.choices = producers.choices[:PRODUCER_LIMIT]
        facets.append(producers)
    types = dict(ProducerType.choices)
    facets.append(
        _simple(
            by_facet,
            "producer_type",
            str(_("Loại hình chủ thể")),
            data.get("producer_type"),
            lambda key, label: str(types.get(key, key)),
            lambda key: link(producer_type=key),
        )
    )

    price_counts = {k: n for k, _l, n in by_facet.get("price", [])}
    price = Facet("price", str(_("Khoảng giá")))
    for key, label, low, high in PRICE_BANDS:
        chosen = data.get("price_min") == low and data.get("price_max") == high
        price.choices.append(
            Choice(
                str(label), price_counts.get(key, 0), link(price_min=low, price_max=high), chosen
            )
        )
    facets.append(price)

    stock = {k: n for k, _l, n in by_facet.get("in_stock", [])}
    facets.append(
        Facet(
            "in_stock",
            str(_("Tình trạng")),
            [
                Choice(
                    str(_("Còn hàng")),
                    sum(n for k, n in stock.items() if k in ("1", "true", "True")),
                    link(in_stock=None if data.get("in_stock") else 1),
                    bool(data.get("in_stock")),
                )
            ],
        )
    )

    chosen_marks = list(data.get("marks") or [])
    mark_counts = {k: n for k, _l, n in by_facet.get("marks", []) if k and k != "None"}
    marks = Facet("marks", str(_("Chứng nhận chất lượng")))
    for code, (vi, en) in sorted(ref.marks.items(), key=lambda item: item[1][0]):
        selected = code in chosen_marks
        others = [m for m in chosen_marks if m != code]
        marks.choices.append(
            Choice(
                en if english else vi,
                mark_counts.get(code, 0),
                link(marks=others if selected else chosen_marks + [code]),
                selected,
            )
        )
    facets.append(marks)
    return facets


def _simple(by_facet, name, title, selected, label_of, link_of) -> Facet:
    facet = Facet(name, title)
    for key, label, n in sorted(by_facet.get(name, []), key=lambda r: r[1] or r[0]):
        facet.choices.append(Choice(label_of(key, label), n, link_of(key), key == selected))
    return facet
