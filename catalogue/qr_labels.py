"""Admin screen "In nhãn QR": a printable A4 sheet of QR labels for a producer's products.

One GET form: tick products and the number of copies, then print the sheet below it.
Only live, public products the user may edit are offered or printed (a printed QR must
resolve), whatever ids the request carries.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from catalogue import qr
from catalogue.models import ProductPage
from catalogue.numbers import int_or_none

LABELS_PER_SHEET = 24  # 3 columns × 8 rows on A4
MAX_COPIES = 24
LIST_LIMIT = 200  # province staff see every product: the search box narrows the list
QR_SCALE = 4


@dataclass
class Label:
    product: ProductPage
    qr_svg: str
    short_url: str
    stars: int | None


def printable_products(user):
    """Live, public products of the pages this user may edit, with what a label shows."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return (
        ProductPage.objects.live()
        .public()
        .filter(pk__in=editable.values("id"))
        .select_related("producer")
        .prefetch_related("certificates")
        .order_by("producer__title", "title", "pk")
    )


def _ids(values: list[str]) -> set[int]:
    return {number for number in map(int_or_none, values) if number is not None}


def _copies(raw: str | None) -> int:
    copies = int_or_none(raw)
    if copies is None:
        return 1
    return min(max(copies, 1), MAX_COPIES)


def _labels(request, products) -> list[Label]:
    labels = []
    for product in products:
        url = qr.short_url(request, product.product_code)
        certificate = product.valid_certificate()
        label = Label(
            product=product,
            qr_svg=qr.product_qr_svg(request, product, scale=QR_SCALE),
            short_url=url.split("://", 1)[-1],  # what people type: no scheme
            stars=certificate.stars if certificate else None,
        )
        labels += [label] * _copies(request.GET.get(f"copies-{product.pk}"))
    return labels


def qr_labels_view(request):
    products = printable_products(request.user)
    query = request.GET.get("q", "").strip()
    listed = products
    if query:
        listed = listed.filter(
            Q(title__icontains=query)
            | Q(product_code__startswith=query)
            | Q(producer__title__icontains=query)
        )
    selected = _ids(request.GET.getlist("product"))
    # Ids the user may not print are dropped here, silently: filtering the allowed set.
    labels = _labels(request, products.filter(pk__in=selected)) if selected else []
    listed = list(listed[: LIST_LIMIT + 1])
    rows = [
        (product, product.pk in selected, _copies(request.GET.get(f"copies-{product.pk}")))
        for product in listed[:LIST_LIMIT]
    ]
    return TemplateResponse(
        request,
        "catalogue/admin/qr_labels.html",
        {
            "page_title": _("In nhãn QR"),
            "query": query,
            "rows": rows,
            "truncated": len(listed) > LIST_LIMIT,
            "list_limit": LIST_LIMIT,
            "max_copies": MAX_COPIES,
            "label_count": len(labels),
            "sheets": [
                labels[start : start + LABELS_PER_SHEET]
                for start in range(0, len(labels), LABELS_PER_SHEET)
            ],
        },
    )
