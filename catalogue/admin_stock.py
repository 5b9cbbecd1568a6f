"""Admin screen "Tồn kho": producers count and set stock without moderation.

Stock is operational data: a change here is immediate, makes no page revision
and needs no approval. A user sees and changes only the SKUs of products they
may edit. Below 600 px the table is a list of cards (admin_phone.css), one number box
with − / + (admin_stock.js, optional) and a save button per SKU.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from catalogue import stock
from catalogue.models import ProductVariant
from catalogue.numbers import QuantityField


class StockForm(forms.Form):
    sku = forms.CharField(max_length=64)
    on_hand = QuantityField(max_value=10_000_000, label=_("Tồn kho"))
    expected_on_hand = forms.IntegerField(min_value=0)


def editable_variants(user):
    """Variants of the product pages this user may edit."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return (
        ProductVariant.objects.filter(product_id__in=pages.values("id"))
        .select_related("product")
        .order_by("product__title", "sort_order")
    )


def _invalid_message(sku: str, form: StockForm) -> str:
    errors = form.errors.get("on_hand")
    if not errors:
        return _("Số lượng không hợp lệ: nhập một số nguyên từ 0.")
    return _("%(sku)s: %(error)s Tồn kho chưa đổi.") % {"sku": sku, "error": errors[0]}


def stock_view(request):
    variants = editable_variants(request.user)
    if request.method == "POST":
        sku = request.POST.get("sku", "")
        if not variants.filter(sku=sku).exists():
            raise PermissionDenied
        form = StockForm(request.POST)
        if not form.is_valid():
            # Shown again with what was typed and the reason under that box, not only at
            # the top of a long list of cards.
            refused = {"sku": sku, "typed": request.POST.get("on_hand", "")}
            refused["message"] = _invalid_message(sku, form)
            messages.error(request, refused["message"])
            return _stock_page(request, variants, refused)
        try:
            stock.set_on_hand(
                sku, form.cleaned_data["on_hand"], expected=form.cleaned_data["expected_on_hand"]
            )
        except stock.StockError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã cập nhật tồn kho %(sku)s.") % {"sku": sku})
        return redirect("catalogue_stock")
    return _stock_page(request, variants)


def _stock_page(
    request: HttpRequest, variants: QuerySet[ProductVariant], refused: dict | None = None
) -> TemplateResponse:
    rows = list(variants)
    levels = stock.levels([variant.sku for variant in rows])
    return TemplateResponse(
        request,
        "catalogue/admin/stock.html",
        {
            "page_title": _("Tồn kho"),
            "header_icon": "list-ul",
            "rows": [(variant, levels.get(variant.sku)) for variant in rows],
            "refused": refused or {},
        },
    )
