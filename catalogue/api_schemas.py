"""Parameters and response bodies of the public API (`catalogue.api`).

Query parameters are declared as optional strings for the OpenAPI schema only: the API
reads them from request.GET with the storefront's FilterSet (or its own small checks), so
every bad value gets the same 400 body, whichever parameter it is.
"""

import datetime

from ninja import Field, Schema

# Parameters ------------------------------------------------------------------------------


class ProductFilters(Schema):
    """The query parameters of `/san-pham/`, with the same meaning and rules."""

    q: str | None = Field(None, description="Search words, accents optional (max 200 chars).")
    category: str | None = Field(
        None, description="OCOP sector, group or set code, e.g. `I`, `I.5`, `I.5a`."
    )
    stars: str | None = Field(None, description="`3`, `4` or `5`: valid certificates only.")
    certified: str | None = Field(None, description="`1`: only products certified today.")
    province: str | None = Field(None, description="Province code, e.g. `19`.")
    commune: str | None = Field(None, description="Commune code, e.g. `05977`.")
    producer: str | None = Field(None, description="Producer id.")
    producer_type: str | None = Field(None, description="`htx`, `dn`, `tht` or `hkd`.")
    price_min: str | None = Field(None, description="Lowest price from, whole VND.")
    price_max: str | None = Field(None, description="Lowest price up to, whole VND.")
    in_stock: str | None = Field(None, description="`1`: only products that can be bought now.")
    marks: list[str] = Field(
        default_factory=list, description="Quality mark code; repeat for several (all required)."
    )
    sort: str | None = Field(
        None,
        description="`relevance` (default with q), `newest` (default), `price_asc`, "
        "`price_desc` or `stars`.",
    )


class Paging(Schema):
    page: str | None = Field(None, description="Page number, from 1 (default 1).")
    page_size: str | None = Field(None, description="Results per page, 1–100 (default 24).")


class ProductListParams(ProductFilters, Paging):
    pass


class ProducerParams(Paging):
    province: str | None = Field(None, description="Province code, e.g. `19`.")
    commune: str | None = Field(None, description="Commune code, e.g. `05977`.")


# Responses -------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by parameter name."
    )


class Place(Schema):
    code: str
    name: str


class ProducerRef(Schema):
    id: int
    title: str


class ProductOut(Schema):
    code: str = Field(description="Permanent product code, e.g. `19-00017`.")
    title: str
    url: str
    image: str | None = Field(description="480×480 WebP card image.")
    stars: int = Field(description="OCOP stars valid today; 0 when none.")
    certified_until: datetime.date | None = Field(
        description="End of the certificate the stars come from; may be past (then stars 0)."
    )
    min_price: int = Field(description="Whole VND.")
    max_price: int = Field(description="Whole VND.")
    currency: str = "VND"
    in_stock: bool
    is_service: bool = Field(description="Community tourism: booked by contact, not sold.")
    producer: ProducerRef
    province: Place
    commune: Place
    category: str
    sector: str
    group: str


class Page(Schema):
    count: int
    page: int
    pages: int
    page_size: int


class ProductList(Page):
    results: list[ProductOut]


class VariantOut(Schema):
    sku: str
    name: str
    price: int = Field(description="Whole VND.")
    compare_at_price: int | None
    weight_grams: int
    available: int = Field(description="On hand minus reserved.")


class CertificateOut(Schema):
    stars: int
    decision_number: str
    signed_on: datetime.date
    issuer: str
    valid_until: datetime.date
    valid: bool = Field(description="Valid today (not expired, not revoked).")


class MarkOut(Schema):
    code: str
    name_vi: str
    name_en: str


class ProductDetail(ProductOut):
    summary: str
    description: str = Field(description="Plain text, one paragraph per line.")
    variants: list[VariantOut]
    certificate: CertificateOut | None = Field(
        description="The newest certificate not revoked, valid or expired."
    )
    quality_marks: list[MarkOut]
    images: list[str] = Field(description="1080 px wide WebP gallery images.")
    short_url: str
    qr_svg_url: str


class ProducerOut(Schema):
    id: int
    title: str
    type: str = Field(description="`htx`, `dn`, `tht` or `hkd`.")
    commune: Place
    province: Place
    phone: str
    zalo: str
    url: str
    product_count: int = Field(description="Products listed in the storefront.")


class ProducerList(Page):
    results: list[ProducerOut]


class ChoiceOut(Schema):
    label: str
    count: int = Field(description="Results this choice gives under the other filters.")
    selected: bool
    params: str = Field(description="Query string of the listing with this choice applied.")


class FacetOut(Schema):
    name: str
    title: str
    clear_params: str | None = Field(
        description="Query string without this facet's filter; null when it is not active."
    )
    choices: list[ChoiceOut]


class SuggestionOut(Schema):
    title: str
    url: str
    producer: str
    province: str
