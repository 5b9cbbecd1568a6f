from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.admin_stock import stock_view
from catalogue.models import Certificate, Commune, ProductPage, Province
from catalogue.producer_home import ProducerHomePanel
from catalogue.qr_labels import qr_labels_view
from catalogue.quick_product_views import quick_product_view
from catalogue.review import queue as review_queue
from catalogue.review_views import ReviewQueuePanel, queue_rows, review_queue_view, review_view
from catalogue.scope import scope_for


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


class ProducersMenuItem(MenuItem):
    """Shown to whoever acts for at least one producer."""

    def is_shown(self, request) -> bool:
        return not scope_for(request.user).is_empty


@hooks.register("register_admin_urls")
def quick_product_urls():
    return [path("san-pham-nhanh/", quick_product_view, name="catalogue_quick_product")]


@hooks.register("register_admin_menu_item")
def quick_product_menu_item():
    return ProducersMenuItem(
        _("Thêm sản phẩm nhanh"), reverse("catalogue_quick_product"), icon_name="plus", order=50
    )


@hooks.register("construct_page_action_menu")
def submit_for_review_first(menu_items, request, context):
    """Whoever cannot publish (a producer, a helper) gets "Gửi duyệt" as the big button,
    "Lưu nháp" in the menu beside it: drafts left unsent were the usual mistake. Wagtail
    makes the first item the button (wagtail/admin/action_menu.py, PageActionMenu)."""
    names = [item.name for item in menu_items]
    if "action-publish" in names:
        return
    # While it waits for review the page is locked for them: the big button is the
    # disabled "page locked", not "Huỷ gửi duyệt" (withdraw), which stays in the menu.
    for first in ("action-submit", "action-page-locked"):
        if first in names:
            menu_items.insert(0, menu_items.pop(names.index(first)))
            return


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("duyet/", review_queue_view, name="catalogue_review_queue"),
        path("duyet/<int:page_id>/", review_view, name="catalogue_review"),
    ]


class ReviewMenuItem(MenuItem):
    """For whoever may approve (province staff), with the number waiting."""

    def is_shown(self, request) -> bool:
        return scope_for(request.user).all_producers

    def render_component(self, request):
        label = f"{self.label} ({review_queue(request.user).count()})"
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name)


@hooks.register("register_admin_menu_item")
def review_menu_item():
    return ReviewMenuItem(
        _("Duyệt sản phẩm"), reverse("catalogue_review_queue"), icon_name="tasks", order=40
    )


@hooks.register("construct_homepage_panels")
def review_queue_first(request, panels):
    """Staff get our queue first, even empty, instead of Wagtail's "awaiting your review"
    panel, which sits below everything else and hides "Duyệt" in an unlabelled menu."""
    if not scope_for(request.user).all_producers:
        return
    panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
    panels.append(ReviewQueuePanel(queue_rows(request.user)))


@hooks.register("construct_homepage_panels")
def producer_home_first(request, panels):
    """Producers and helpers (not staff, who act for all) get their cards first."""
    scope = scope_for(request.user)
    if scope.producer_ids and not scope.all_producers:
        panels.append(ProducerHomePanel(scope))


@hooks.register("insert_global_admin_css")
def admin_tap_targets_css():
    """Wagtail's controls made big enough to tap on a phone (every admin screen)."""
    href = static("catalogue/admin_tap_targets.css")
    return format_html('<link rel="stylesheet" href="{}">', href)
