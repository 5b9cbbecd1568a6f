"""Facets beside the listing: for each filter, its choices with how many results each would
give under all the *other* active filters (so choosing one never leads to an empty page),
labelled in the shopper's language, each with the link that applies it.

The counting itself is in `facet_counts` (bitsets in memory).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.models import ProducerType

from . import facet_counts, reference
from .filters import ProductFilter

PRICE_LABELS = {
    "0-99999": _("Dưới 100.000 ₫"),
    "100000-199999": _("100.000 – 200.000 ₫"),
    "200000-499999": _("200.000 – 500.000 ₫"),
    "500000-": _("Từ 500.000 ₫"),
}
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
    clear_url: str = ""  # the listing without this facet's filter, when it is active


def _category_level(selected: str | None) -> tuple[str, str | None]:
    """Which level the category facet lists, and the parent it lists within: sectors at
    first, then the groups of the chosen sector, then the sets of the chosen group."""
    if not selected:
        return "sector", None
    category = reference.get().categories[selected]
    if category.level == "sector":
        return "group", selected
    if category.level == "group":
        return "category", selected
    return "category", category.group


def count(filterset: ProductFilter) -> list[tuple[str, str, str, int]]:
    """Rows of (facet, key, label, count) for the bound, validated filterset."""
    data = filterset.form.cleaned_data
    return facet_counts.count(data, *_category_level(data.get("category")))


def build(filterset: ProductFilter, params: dict[str, list[str]]) -> list[Facet]:
    """Facets with labels in the current language and the link for each choice."""
    return _Builder(filterset, params).facets()


class _Builder:
    def __init__(self, filterset: ProductFilter, params: dict[str, list[str]]):
        self.data = filterset.form.cleaned_data
        self.params = {name: list(values) for name, values in params.items() if name != "page"}
        self.ref = reference.get()
        self.english = (get_language() or "vi").startswith("en")
        self.counts: dict[str, dict[str, tuple[str, int]]] = {}
        for facet, key, label, n in count(filterset):
            self.counts.setdefault(facet, {})[key] = (label, n)

    def link(self, **changes) -> str:
        """This listing's query string with some parameters changed (None removes)."""
        query = dict(self.params)
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = value if isinstance(value, list) else [str(value)]
        return "?" + urlencode(query, doseq=True) if query else "?"

    def count(self, facet: str, key: str) -> int:
        return self.counts.get(facet, {}).get(key, ("", 0))[1]

    def facet(self, name: str, title, *params: str) -> Facet:
        active = any(self.params.get(p) for p in params or (name,))
        clear = self.link(**{p: None for p in params or (name,)}) if active else ""
        return Facet(name, str(title), clear_url=clear)

    def toggle(self, name: str, title, label, n: int) -> Facet:
        """A yes-only switch (certified, in stock)."""
        on = bool(self.data.get(name))
        facet = self.facet(name, title)
        facet.choices.append(Choice(str(label), n, self.link(**{name: None if on else 1}), on))
        return facet

    def keyed(self, name: str, title, selected, label_of, **also_clear) -> Facet:
        """One choice per key counted (provinces, communes, producers, producer types)."""
        facet = self.facet(name, title, name, *also_clear)
        for key, (label, n) in self.counts.get(name, {}).items():
            link = self.link(**{name: key}, **also_clear)
            facet.choices.append(Choice(label_of(key, label), n, link, key == str(selected)))
        facet.choices.sort(key=lambda c: (not c.selected, -c.count, c.label))
        return facet

    def facets(self) -> list[Facet]:
        data = self.data
        facets = [self.categories(), self.stars()]
        valid = sum(n for key, (_l, n) in self.counts.get("certified", {}).items() if key != "0")
        facets.append(self.toggle("certified", _("Chứng nhận OCOP"), _("Còn hiệu lực"), valid))
        facets.append(
            self.keyed(
                "province",
                _("Tỉnh/thành phố"),
                data.get("province"),
                lambda key, label: self.ref.provinces.get(key, key),
                commune=None,
                producer=None,
            )
        )
        if "commune" in self.counts:
            facets.append(
                self.keyed(
                    "commune",
                    _("Xã/phường"),
                    data.get("commune"),
                    lambda key, label: label,
                    producer=None,
                )
            )
        if "producer" in self.counts:
            producers = self.keyed(
                "producer", _("Chủ thể OCOP"), data.get("producer"), lambda key, label: label
            )
            producers.choices = producers.choices[:PRODUCER_LIMIT]
            facets.append(producers)
        types = dict(ProducerType.choices)
        facets.append(
            self.keyed(
                "producer_type",
                _("Loại hình chủ thể"),
                data.get("producer_type"),
                lambda key, label: str(types.get(key, key)),
            )
        )
        facets.append(self.prices())
        stocked = sum(
            n
            for key, (_l, n) in self.counts.get("in_stock", {}).items()
            if key in ("1", "true", "True")
        )
        facets.append(self.toggle("in_stock", _("Tình trạng"), _("Còn hàng"), stocked))
        facets.append(self.marks())
        return facets

    def categories(self) -> Facet:
        selected = self.data.get("category")
        facet = self.facet("category", _("Nhóm sản phẩm"))
        for key in sorted(self.counts.get("category", {}), key=self._category_order):
            category = self.ref.categories[key]
            label = category.name_en if self.english else category.name_vi
            facet.choices.append(
                Choice(label, self.count("category", key), self.link(category=key), key == selected)
            )
        return facet

    def _category_order(self, code: str) -> int:
        return list(self.ref.categories).index(code)

    def stars(self) -> Facet:
        chosen = self.data.get("stars")
        facet = self.facet("stars", _("Hạng sao OCOP"))
        for value in (5, 4, 3):
            link = self.link(stars=None if chosen == value else value)
            facet.choices.append(
                Choice(f"{value}★", self.count("stars", str(value)), link, chosen == value)
            )
        return facet

    def prices(self) -> Facet:
        facet = self.facet("price", _("Khoảng giá"), "price_min", "price_max")
        low_chosen, high_chosen = self.data.get("price_min"), self.data.get("price_max")
        for key, low, high in facet_counts.PRICE_BANDS:
            chosen = low_chosen == low and high_chosen == high
            link = self.link(price_min=low, price_max=high)
            label = str(PRICE_LABELS[key])
            facet.choices.append(Choice(label, self.count("price", key), link, chosen))
        return facet

    def marks(self) -> Facet:
        chosen = list(self.data.get("marks") or [])
        facet = self.facet("marks", _("Chứng nhận chất lượng"))
        for code, (vi, en) in sorted(self.ref.marks.items(), key=lambda item: item[1][0]):
            selected = code in chosen
            others = [m for m in chosen if m != code]
            link = self.link(marks=others if selected else [*chosen, code])
            facet.choices.append(
                Choice(en if self.english else vi, self.count("marks", code), link, selected)
            )
        return facet
