from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.admin_stock import stock_view
from catalogue.models import Certificate, Commune, ProductPage, Province
from catalogue.qr_labels import qr_labels_view


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("Chứng nhận OCOP")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["product", "stars", "decision_number", "signed_on", "valid_until", "status"]
    list_filter = ["status", "stars", "issuer_level"]
    search_fields = ["decision_number", "product__title"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    list_display = ["name", "code", "kind", "retired"]
    search_fields = ["name"]


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "site"
    list_display = ["full_name", "province", "code", "retired"]
    list_filter = ["province", "kind", "retired"]
    # ORM search on the folded name: "chi lang" finds "Xã Chi Lăng".
    search_fields = ["full_name", "folded_name"]


class AdministrativeUnitsGroup(SnippetViewSetGroup):
    items = (ProvinceViewSet, CommuneViewSet)
    menu_icon = "site"
    menu_label = _("Đơn vị hành chính")
    menu_order = 900


register_snippet(CertificateViewSet)
register_snippet(AdministrativeUnitsGroup)


@hooks.register("register_admin_urls")
def stock_urls():
    return [path("stock/", stock_view, name="catalogue_stock")]


@hooks.register("register_admin_menu_item")
def stock_menu_item():
    return MenuItem(_("Tồn kho"), reverse("catalogue_stock"), icon_name="list-ul", order=205)


@hooks.register("before_delete_page")
def keep_certificate_history(request, page):
    """A product with OCOP certificates is unpublished, not deleted: its certificates are
    the province's record (the database refuses too: Certificate.product is PROTECT)."""
    products = ProductPage.objects.descendant_of(page, inclusive=True)
    if Certificate.objects.filter(product__in=products).exists():
        messages.error(
            request,
            _(
                "Không xoá được: sản phẩm có giấy chứng nhận OCOP, cần giữ lịch sử. "
                "Hãy ngừng xuất bản thay vì xoá."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("register_admin_urls")
def qr_labels_urls():
    return [path("qr-labels/", qr_labels_view, name="catalogue_qr_labels")]


@hooks.register("register_admin_menu_item")
def qr_labels_menu_item():
    return MenuItem(_("In nhãn QR"), reverse("catalogue_qr_labels"), icon_name="tag", order=206)
