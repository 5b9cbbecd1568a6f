"""The "Thêm sản phẩm nhanh" admin screen (catalogue.quick_product does the work)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin import messages as admin_messages

from catalogue.models import OcopCategory, ProducerPage
from catalogue.numbers import int_or_none
from catalogue.quick_product import (
    QuickProductForm,
    VariantFormSet,
    category_options,
    create_product,
    last_categories,
    producers_for,
)
from catalogue.scope import signed_in_user

DRAFT = "action-draft"  # the name of the small "Lưu nháp" button; the main one submits


def _chosen(request: HttpRequest, producers: QuerySet[ProducerPage]) -> ProducerPage:
    """The producer named by ?producer= (a helper's home links here so), else the first."""
    wanted = int_or_none(request.GET.get("producer"))
    chosen = producers.filter(pk=wanted).first() if wanted is not None else None
    return chosen or producers[0]


def quick_product_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    producers = producers_for(user)
    if not producers:
        raise PermissionDenied
    defaults = last_categories(producers)
    if request.method == "POST":
        form = QuickProductForm(request.POST, request.FILES, producers=producers)
        variants = VariantFormSet(request.POST, prefix="variants")
        if form.is_valid() and variants.is_valid():
            submit = DRAFT not in request.POST
            page = create_product(
                user=user,
                producer=form.cleaned_data["producer"],
                title=form.cleaned_data["title"],
                category=form.cleaned_data["ocop_category"],
                variants=variants.variants(),  # type: ignore[attr-defined]  # BaseVariantFormSet
                photos=form.cleaned_data["photos"],
                submit=submit,
            )
            text = (
                _("Đã gửi duyệt “%(title)s”. Cán bộ OCOP tỉnh sẽ xem và duyệt.")
                if submit
                else _("Đã lưu nháp “%(title)s”. Khi xong, bấm Gửi duyệt trong trang sửa.")
            )
            edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
            admin_messages.success(
                request,
                text % {"title": page.title},
                buttons=[admin_messages.button(edit, _("Sửa thêm chi tiết"))],
            )
            query = urlencode({"producer": form.cleaned_data["producer"].pk})
            return redirect(f"{reverse('catalogue_quick_product')}?{query}")
        error = _("Chưa lưu. Hãy sửa những chỗ báo đỏ.")
        if request.FILES:
            error += " " + _("Ảnh chưa được lưu: hãy chọn lại ảnh.")
        messages.error(request, error)
    else:
        producer = _chosen(request, producers)
        form = QuickProductForm(
            initial={"producer": producer, "ocop_category": defaults.get(producer.pk)},
            producers=producers,
        )
        variants = VariantFormSet(prefix="variants")
    categories = list(OcopCategory.objects.filter(is_leaf=True).select_related("parent__parent"))
    return TemplateResponse(
        request,
        "catalogue/admin/quick_product.html",
        {
            "page_title": _("Thêm sản phẩm"),
            "header_icon": "plus",
            "form": form,
            "variants": variants,
            "category_groups": category_options(categories),
            "selected_category": form["ocop_category"].value(),
            "last_categories": defaults,
            "draft_action": DRAFT,
        },
    )
