"""The one FilterSet behind `/san-pham/` and `/api/v1/products`: same parameters, same rules.

It filters the storefront read model (StorefrontEntry). Every parameter is optional;
a value it cannot read is a form error (the page shows it, the API answers 400).
"""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import ProducerType, StorefrontEntry, StorefrontMark
from catalogue.money import MoneyField

from . import reference, search

MAX_PRICE = 1_000_000_000


class FlagField(forms.Field):
    """A yes-only switch: `1`/`true`/`on` turns the filter on; empty or `0`/`false` leaves
    it off; anything else is an error (not silently ignored)."""

    TRUE, FALSE = {"1", "true", "on", "yes"}, {"", "0", "false", "off", "no"}

    def to_python(self, value):
        text = str(value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return None
        raise forms.ValidationError(_("Giá trị không hợp lệ: dùng 1 hoặc 0."), code="invalid")


class FlagFilter(django_filters.Filter):
    field_class = FlagField


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only: ids have no decimals."""

    field_class = forms.IntegerField


class MoneyFilter(django_filters.NumberFilter):
    """An amount in đồng, typed as people type it (150.000, 150k)."""

    field_class = MoneyField


def valid_stars() -> Case:
    """Stars that may be shown today: 0 once the certificate's validity has ended."""
    return Case(
        When(stars__gt=0, certified_until__gte=timezone.localdate(), then=F("stars")),
        default=Value(0),
        output_field=IntegerField(),
    )


def _category_choices():
    return [(code, f"{code} {c.name_vi}") for code, c in reference.get().categories.items()]


def province_choices() -> list[tuple[str, str]]:
    return list(reference.get().provinces.items())


def commune_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _province) in reference.get().communes.items()]


def _mark_choices():
    return [(code, vi) for code, (vi, _en) in reference.get().marks.items()]


class ProductFilterForm(forms.Form):
    def clean(self):
        super().clean()
        data = self.cleaned_data
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("Giá đến phải lớn hơn hoặc bằng giá từ."))
        return data


class SortFilter(django_filters.ChoiceFilter):
    """Ordering; declared last so it sees what the search filter matched."""

    RELEVANCE, NEWEST, PRICE_ASC, PRICE_DESC, STARS = (
        "relevance",
        "newest",
        "price_asc",
        "price_desc",
        "stars",
    )
    CHOICES = [
        (RELEVANCE, _("Phù hợp nhất")),
        (NEWEST, _("Mới nhất")),
        (PRICE_ASC, _("Giá tăng dần")),
        (PRICE_DESC, _("Giá giảm dần")),
        (STARS, _("Hạng sao")),
    ]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, **kwargs)

    def filter(self, qs, value):
        query_words = search.query_words(self.parent.form.cleaned_data.get("q") or "")
        if not value:
            value = self.RELEVANCE if query_words else self.NEWEST
        if value == self.RELEVANCE and query_words:
            return qs.annotate(rank=search.rank(query_words)).order_by(
                "-rank", "-stars", "-published_at", "-pk"
            )
        if value == self.PRICE_ASC:
            return qs.order_by("min_price", "-pk")
        if value == self.PRICE_DESC:
            return qs.order_by("-min_price", "-pk")
        if value == self.STARS:
            return qs.annotate(shown_stars=valid_stars()).order_by(
                "-shown_stars", "-published_at", "-pk"
            )
        return qs.order_by("-published_at", "-pk")


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"), method="filter_q", max_length=200, strip=True
    )
    category = django_filters.ChoiceFilter(
        label=_("Ngành/nhóm/bộ sản phẩm"), choices=_category_choices, method="filter_category"
    )
    stars = django_filters.TypedChoiceFilter(
        label=_("Hạng sao"),
        choices=[("3", "3★"), ("4", "4★"), ("5", "5★")],
        coerce=int,
        method="filter_stars",
    )
    certified = FlagFilter(label=_("Chứng nhận còn hiệu lực"), method="filter_certified")
    province = django_filters.ChoiceFilter(
        label=_("Tỉnh/thành phố"), choices=province_choices, field_name="province_code"
    )
    commune = django_filters.ChoiceFilter(
        label=_("Xã/phường"), choices=commune_choices, field_name="commune_code"
    )
    producer = IntegerFilter(label=_("Chủ thể"), field_name="producer_id", min_value=1)
    producer_type = django_filters.ChoiceFilter(
        label=_("Loại hình chủ thể"), choices=ProducerType.choices
    )
    price_min = MoneyFilter(
        label=_("Giá từ (đồng)"),
        field_name="min_price",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_PRICE,
    )
    price_max = MoneyFilter(
        label=_("Giá đến (đồng)"),
        field_name="min_price",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_PRICE,
    )
    in_stock = FlagFilter(label=_("Còn hàng"), method="filter_in_stock")
    marks = django_filters.MultipleChoiceFilter(
        label=_("Chứng nhận chất lượng"), choices=_mark_choices, method="filter_marks"
    )
    sort = SortFilter(label=_("Sắp xếp"))

    class Meta:
        model = StorefrontEntry
        fields: list[str] = []
        form = ProductFilterForm

    def filter_q(self, qs, name, value):
        query_words = search.query_words(value)
        if not query_words:
            return qs
        return search.matching(qs, query_words)

    def filter_category(self, qs, name, value):
        # A group that is itself a leaf (I.6) is stored as both group and category.
        return qs.filter(**{reference.get().categories[value].column: value})

    def filter_stars(self, qs, name, value):
        return qs.filter(stars=value, certified_until__gte=timezone.localdate())

    def filter_certified(self, qs, name, value):
        return qs.filter(stars__gt=0, certified_until__gte=timezone.localdate())

    def filter_in_stock(self, qs, name, value):
        return qs.filter(in_stock=True)

    def filter_marks(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(pk__in=StorefrontMark.objects.filter(code__in=value).values("entry_id"))
