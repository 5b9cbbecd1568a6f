"""Public read API at /api/v1/, for other provincial systems and the mobile web.

Products are filtered by the storefront's own FilterSet through `listing.run`, so a query
string gives the same products here as on `/san-pham/`. The query parameters declared on the
operations are for the OpenAPI schema only; the checks read request.GET. Every bad parameter
is a 400 (a page past the last one a 404) with `{"detail": ..., "errors": {name: [...]}}`.
"""

import re
from typing import Annotated

from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from ninja import NinjaAPI, Path, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, SourceImageIOError

from catalogue import product_view, qr
from catalogue.api_schemas import (
    ErrorOut,
    FacetOut,
    ProducerList,
    ProducerOut,
    ProducerParams,
    ProductDetail,
    ProductFilters,
    ProductList,
    ProductListParams,
    SuggestionOut,
)
from catalogue.models import ProducerPage, ProductPage, StorefrontEntry
from catalogue.storefront import facets as facet_counts
from catalogue.storefront import filters, listing, search
from catalogue.storefront.filters import ProductFilter
from catalogue.text import plain_text

CARD_IMAGE = listing.CARD_RENDITIONS[1]  # the 480 px one
GALLERY_IMAGE = "width-1080|format-webp"  # the largest the product page makes too
SUGGEST_LIMIT, MAX_SUGGEST_LIMIT = 8, 20
MAX_QUERY = 200
MAX_ID = 2**31 - 1
MAX_PAGE = 1_000_000
PRODUCT_CODE = re.compile(r"[0-9A-Za-z-]{1,32}")
ERRORS = {400: ErrorOut, 404: ErrorOut}
cached = decorate_view(cache_control(public=True, max_age=60))


class Utf8JSON(JSONRenderer):
    """Vietnamese text as UTF-8, not as \\u escapes: smaller and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="OCOP catalogue",
    renderer=Utf8JSON(),
    version="1",
    urls_namespace="api-v1",
    description="Read-only catalogue of OCOP products and producers. Prices are whole VND.",
)

Errors = dict[str, list[str]]


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: Errors | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or {}


def _invalid(errors: Errors) -> ApiError:
    return ApiError(400, _("Tham số không hợp lệ."), errors)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    body = {"detail": exc.detail, "errors": exc.errors}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's own checks (path ids) answer in the same shape as ours, with 400."""
    errors: Errors = {}
    for error in exc.errors:
        errors.setdefault(str(error["loc"][-1]), []).append(error["msg"])
    return _api_error(request, _invalid(errors))


# Parameters ------------------------------------------------------------------------------


def _form_errors(form: forms.Form) -> Errors:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def _whole(params: QueryDict, name: str, default: int, high: int, errors: Errors) -> int:
    """A whole number from 1 to `high`, or `default` when absent; else an error."""
    text = params.get(name, "").strip()
    if not text:
        return default
    if text.isascii() and text.isdigit() and len(text) <= 12 and 1 <= int(text) <= high:
        return int(text)
    errors[name] = [_("Phải là số nguyên từ 1 đến %(high)s.") % {"high": high}]
    return default


def _paging(params: QueryDict, errors: Errors) -> tuple[int, int]:
    page = _whole(params, "page", 1, MAX_PAGE, errors)
    return page, _whole(params, "page_size", listing.PAGE_SIZE, listing.MAX_PAGE_SIZE, errors)


def _past_end(page: int) -> ApiError:
    message = _("Không có trang %(page)s.") % {"page": page}
    return ApiError(404, message, {"page": [message]})


# Products --------------------------------------------------------------------------------


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def _image_url(request: HttpRequest, image: AbstractImage | None, spec: str) -> str | None:
    """Absolute URL of a prefetched rendition; None if the original file is missing."""
    if image is None:
        return None
    try:
        return _absolute(request, image.get_rendition(spec).url)
    except SourceImageIOError:
        return None


def _product(request: HttpRequest, card: listing.Card, code: str) -> dict:
    entry = card.entry
    return {
        "code": code,
        "title": entry.title,
        "url": _absolute(request, entry.url),
        "image": _image_url(request, card.image, CARD_IMAGE),
        "stars": card.stars,
        "certified_until": entry.certified_until,
        "min_price": entry.min_price,
        "max_price": entry.max_price,
        "in_stock": entry.in_stock,
        "is_service": entry.is_service,
        "producer": {"id": entry.producer_id, "title": entry.producer_title},
        "province": {"code": entry.province_code, "name": entry.province_name},
        "commune": {"code": entry.commune_code, "name": entry.commune_name},
        "category": entry.category,
        "sector": entry.sector,
        "group": entry.group,
    }


@api.get("/products", response={200: ProductList, **ERRORS}, tags=["products"])
@cached
def products(request: HttpRequest, params: Query[ProductListParams]) -> dict:
    """Products, filtered, sorted and paged exactly like the `/san-pham/` page."""
    errors: Errors = {}
    page_number, page_size = _paging(request.GET, errors)
    if errors:
        filterset = ProductFilter(request.GET, queryset=StorefrontEntry.objects.none())
        raise _invalid({**_form_errors(filterset.form), **errors})
    try:
        result = listing.run(
            request.GET,
            page_number=page_number,
            page_size=page_size,
            with_facets=False,
            strict_page=True,
        )
    except EmptyPage:
        raise _past_end(page_number) from None
    if result.errors:
        raise _invalid(result.errors)
    assert result.page is not None  # a listing without errors has its page
    codes = dict(
        ProductPage.objects.filter(pk__in=[card.entry.pk for card in result.cards]).values_list(
            "pk", "product_code"
        )
    )
    return {
        "count": result.total,
        "page": page_number,
        "pages": result.page.paginator.num_pages,
        "page_size": page_size,
        "results": [_product(request, card, codes[card.entry.pk]) for card in result.cards],
    }


def _gallery(page: ProductPage) -> list[AbstractImage]:
    """The product's images in order, with the card and gallery renditions (two queries)."""
    ids = [item.image_id for item in page.gallery_images.all()]
    images = (
        get_image_model().objects.filter(pk__in=ids).prefetch_renditions(CARD_IMAGE, GALLERY_IMAGE)
    )
    by_id = {image.pk: image for image in images}
    return [by_id[pk] for pk in ids if pk in by_id]


def _certificate(page: ProductPage) -> dict | None:
    certificate = page.current_certificate()
    if certificate is None:
        return None
    return {
        "stars": certificate.stars,
        "decision_number": certificate.decision_number,
        "signed_on": certificate.signed_on,
        "issuer": certificate.issuer,
        "valid_until": certificate.valid_until,
        "valid": certificate.is_valid(timezone.localdate()),
    }


def _variants(page: ProductPage) -> list[dict]:
    return [
        {
            "sku": row.variant.sku,
            "name": row.variant.name,
            "price": row.variant.price,
            "compare_at_price": row.variant.compare_at_price,
            "weight_grams": row.variant.weight_grams,
            "available": row.available,
        }
        for row in product_view.variant_rows(page)
    ]


def _live_product(code: str) -> tuple[ProductPage, StorefrontEntry]:
    if not PRODUCT_CODE.fullmatch(code):  # e.g. a NUL byte, which PostgreSQL refuses
        raise ApiError(404, _("Không có sản phẩm với mã này."))
    page = (
        ProductPage.objects.live()
        .public()
        .select_related("storefront_entry")
        .prefetch_related("variants", "certificates", "quality_marks", "gallery_images")
        .filter(product_code=code)
        .first()
    )
    entry = getattr(page, "storefront_entry", None)
    if page is None or entry is None:
        raise ApiError(404, _("Không có sản phẩm mã “%(code)s” đang giới thiệu.") % {"code": code})
    return page, entry


@api.get("/products/{code}", response={200: ProductDetail, 404: ErrorOut}, tags=["products"])
def product(request: HttpRequest, code: str) -> dict:
    """One live product by its permanent code, with variants, stock and certificate."""
    page, entry = _live_product(code)
    images = _gallery(page)
    card_image = next((image for image in images if image.pk == entry.image_id), None)
    card = listing.Card(entry, listing.shown_stars(entry, timezone.localdate()), card_image)
    return {
        **_product(request, card, page.product_code),
        "summary": page.summary,
        "description": plain_text(page.description),
        "variants": _variants(page),
        "certificate": _certificate(page),
        "quality_marks": [
            {"code": mark.code, "name_vi": mark.name_vi, "name_en": mark.name_en}
            for mark in page.quality_marks.all()
        ],
        "images": [url for image in images if (url := _image_url(request, image, GALLERY_IMAGE))],
        "short_url": qr.short_url(request, page.product_code),
        "qr_svg_url": _absolute(request, reverse("catalogue_qr_svg", args=[page.product_code])),
    }


# Producers -------------------------------------------------------------------------------


class ProducerFilterForm(forms.Form):
    province = forms.ChoiceField(
        required=False, choices=lambda: [("", ""), *filters.province_choices()]
    )
    commune = forms.ChoiceField(
        required=False, choices=lambda: [("", ""), *filters.commune_choices()]
    )


def _producers() -> QuerySet:
    listed = (
        StorefrontEntry.objects.filter(producer_id=OuterRef("pk"))
        .order_by()
        .values("producer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ProducerPage.objects.live()
        .public()
        .select_related("commune__province")
        .annotate(product_count=Coalesce(Subquery(listed), 0))
        .order_by("title", "pk")
    )


def _producer(request: HttpRequest, producer: ProducerPage) -> dict:
    commune = producer.commune
    return {
        "id": producer.pk,
        "title": producer.title,
        "type": producer.producer_type,
        "commune": {"code": commune.code, "name": commune.full_name},
        "province": {"code": commune.province.code, "name": commune.province.name},
        "phone": producer.phone,
        "zalo": producer.zalo,
        "url": _absolute(request, producer.get_url(request) or producer.url_path),
        "product_count": producer.product_count,
    }


@api.get("/producers", response={200: ProducerList, **ERRORS}, tags=["producers"])
@cached
def producers(request: HttpRequest, params: Query[ProducerParams]) -> dict:
    """Live producers by name, optionally in one province or commune."""
    form = ProducerFilterForm(request.GET)
    errors = {} if form.is_valid() else _form_errors(form)
    page_number, page_size = _paging(request.GET, errors)
    if errors:
        raise _invalid(errors)
    qs = _producers()
    if form.cleaned_data["province"]:
        qs = qs.filter(commune__province__code=form.cleaned_data["province"])
    if form.cleaned_data["commune"]:
        qs = qs.filter(commune__code=form.cleaned_data["commune"])
    paginator = Paginator(qs, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        raise _past_end(page_number) from None
    return {
        "count": paginator.count,
        "page": page_number,
        "pages": paginator.num_pages,
        "page_size": page_size,
        "results": [_producer(request, producer) for producer in page.object_list],
    }


@api.get("/producers/{producer_id}", response={200: ProducerOut, **ERRORS}, tags=["producers"])
def producer(request: HttpRequest, producer_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict:
    found = _producers().filter(pk=producer_id).first()
    if found is None:
        raise ApiError(404, _("Không có chủ thể OCOP số %(id)s.") % {"id": producer_id})
    return _producer(request, found)


# Facets and suggestions ------------------------------------------------------------------


@api.get("/facets", response={200: list[FacetOut], 400: ErrorOut}, tags=["products"])
@cached
def facets(request: HttpRequest, params: Query[ProductFilters]) -> list[dict]:
    """For each filter, its choices and how many products each gives with the others."""
    filterset = ProductFilter(request.GET, queryset=StorefrontEntry.objects.all())
    if not filterset.is_valid():
        raise _invalid(_form_errors(filterset.form))
    return [
        {
            "name": facet.name,
            "title": facet.title,
            "clear_params": facet.clear_url.removeprefix("?") if facet.clear_url else None,
            "choices": [
                {
                    "label": choice.label,
                    "count": choice.count,
                    "selected": choice.selected,
                    "params": choice.url.removeprefix("?"),
                }
                for choice in facet.choices
            ],
        }
        for facet in facet_counts.build(filterset, dict(request.GET.lists()))
    ]


@api.get("/suggest", response={200: list[SuggestionOut], 400: ErrorOut}, tags=["products"])
@cached
def suggest(
    request: HttpRequest,
    q: Annotated[str, Query(description="What has been typed; accents optional.")] = "",
    limit: Annotated[str | None, Query(description="1–20 (default 8).")] = None,
) -> list[dict]:
    """Autocomplete: the best few products for what has been typed (accents optional)."""
    errors: Errors = {}
    size = _whole(request.GET, "limit", SUGGEST_LIMIT, MAX_SUGGEST_LIMIT, errors)
    if len(q) > MAX_QUERY:
        errors["q"] = [_("Tối đa %(n)s ký tự.") % {"n": MAX_QUERY}]
    if errors:
        raise _invalid(errors)
    return [
        {
            "title": entry.title,
            "url": _absolute(request, entry.url),
            "producer": entry.producer_title,
            "province": entry.province_name,
        }
        for entry in search.suggest(q, size)
    ]
