from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from background.admin_views import pause_view, run_now_view, sync_view
from background.overview_views import export_view, overview_view
from catalogue.scope import scope_for
from connectors.admin_permissions import may_manage_channels
from connectors.admin_views import CHANNEL_BUTTONS_HOOK
from connectors.models import Channel


class SyncMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_manage_channels(request.user)


class OverviewMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return scope_for(request.user).all_producers


@hooks.register("register_admin_urls")
def sync_urls():
    return [
        path("sync/", sync_view, name="background_sync"),
        path("sync/<int:pk>/pause/", pause_view, name="background_sync_pause"),
        path("sync/<int:pk>/run/", run_now_view, name="background_sync_now"),
        path("tong-quan/", overview_view, name="background_overview"),
        path("tong-quan/<slug:key>.xlsx", export_view, name="background_overview_xlsx"),
    ]


@hooks.register(CHANNEL_BUTTONS_HOOK)
def sync_now_button(channel: Channel, user) -> list[tuple[str | Promise, str]]:
    """ "Đồng bộ ngay" on each enabled channel of the "Kênh" list."""
    if not channel.enabled or not may_manage_channels(user):
        return []
    return [(_("Đồng bộ ngay"), reverse("background_sync_now", args=[channel.pk]))]


@hooks.register("register_admin_menu_item")
def sync_menu_item() -> MenuItem:
    # Next to "Kênh bán" (order 220): that group takes no items from other apps.
    return SyncMenuItem(_("Đồng bộ"), reverse("background_sync"), icon_name="rotate", order=221)


@hooks.register("register_admin_menu_item")
def overview_menu_item() -> MenuItem:
    return OverviewMenuItem(
        _("Tổng quan tỉnh"), reverse("background_overview"), icon_name="site", order=190
    )
