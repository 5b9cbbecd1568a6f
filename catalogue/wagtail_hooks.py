from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.admin_api import ChoosableDocumentsAPI, ChoosableImagesAPI
from catalogue.admin_stock import stock_view
from catalogue.login_locks import login_locks_view
from catalogue.login_views import login_card_view, new_password_view, new_producer_view
from catalogue.logins import NEW_PASSWORD_ACTION, is_producer_login
from catalogue.models import Certificate, Commune, ProducerPage, ProductPage, Province
from catalogue.producer_home import ProducerHomePanel
from catalogue.qr_labels import qr_labels_view
from catalogue.quick_product_views import quick_product_view
from catalogue.review import queue as review_queue
from catalogue.review_views import ReviewQueuePanel, queue_rows, review_queue_view, review_view
from catalogue.scope import scope_for
from catalogue.visibility import shown_pages


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


@hooks.register("construct_page_chooser_queryset")
def choosers_show_public_or_own_pages(pages, request):
    return shown_pages(pages, request.user)


@hooks.register("construct_admin_api", order=100)  # after wagtail.images' and .documents'
def admin_api_keeps_to_choosable_files(router):
    router.register_endpoint("images", ChoosableImagesAPI)
    router.register_endpoint("documents", ChoosableDocumentsAPI)


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


LOGIN_CARD, NEW_PASSWORD = "catalogue_login_card", "catalogue_new_password"


@hooks.register("register_admin_urls")
def producer_login_urls():
    return [
        path("chu-the/moi/", new_producer_view, name="catalogue_new_producer"),
        path("chu-the/<int:producer_id>/the-dang-nhap/", login_card_view, name=LOGIN_CARD),
        path("chu-the/<int:producer_id>/mat-khau-moi/", new_password_view, name=NEW_PASSWORD),
    ]


@hooks.register("register_log_actions")
def new_password_log_action(actions):
    actions.register_action(
        NEW_PASSWORD_ACTION,
        _("Đặt mật khẩu mới"),
        _("Đã đặt mật khẩu mới cho tài khoản của chủ thể"),
    )


class StaffMenuItem(MenuItem):
    """Shown to province staff (and superusers) only."""

    def is_shown(self, request) -> bool:
        return scope_for(request.user).all_producers


@hooks.register("register_admin_menu_item")
def new_producer_menu_item():
    return StaffMenuItem(
        _("Tạo chủ thể OCOP"), reverse("catalogue_new_producer"), icon_name="user", order=45
    )


@hooks.register("register_page_listing_more_buttons")
@hooks.register("register_page_header_buttons")
def login_card_button(page, user, view_name=None, next_url=None):
    """Staff reach any producer's login card from the producer in the page explorer
    (helpers from their home cards)."""
    if page.specific_class is ProducerPage and scope_for(user).all_producers:
        url = reverse(LOGIN_CARD, args=[page.pk])
        yield Button(_("Thẻ đăng nhập"), url, icon_name="key", priority=55)


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
def login_locks_urls():
    return [path("khoa-dang-nhap/", login_locks_view, name="catalogue_login_locks")]


@hooks.register("register_settings_menu_item")
def login_locks_menu_item():
    return StaffMenuItem(
        _("Đăng nhập bị khoá"), reverse("catalogue_login_locks"), icon_name="lock", order=900
    )


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("duyet/", review_queue_view, name="catalogue_review_queue"),
        path("duyet/<int:page_id>/", review_view, name="catalogue_review"),
    ]


class ReviewMenuItem(StaffMenuItem):
    """For whoever may approve (province staff), with the number waiting."""

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
        panels.append(ProducerHomePanel(scope, helper=not is_producer_login(request.user)))


@hooks.register("insert_global_admin_css")
def phone_css():
    """Admin tables as cards below 600 px (producers on cheap phones), the stock screen's
    number boxes, and Wagtail's sidebar placeholder out of the way without JavaScript."""
    return format_html('<link rel="stylesheet" href="{}">', static("catalogue/admin_phone.css"))


@hooks.register("insert_global_admin_css")
def admin_tap_targets_css():
    """Wagtail's controls made big enough to tap on a phone (every admin screen)."""
    href = static("catalogue/admin_tap_targets.css")
    return format_html('<link rel="stylesheet" href="{}">', href)
