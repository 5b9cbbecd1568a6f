from collections.abc import Iterator

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.permissions import register_permission_policy

from catalogue.models import ProductPage
from catalogue.scope import ProvinceStaffPermissionPolicy, scope_for
from connectors.admin_permissions import ListingPermissionPolicy
from connectors.admin_views import MarketplacesGroup
from connectors.models import CategoryMapping, Channel, Listing, MarketplaceOrder, SyncRun

# Before any view asks the registry, or Wagtail would settle on model permissions.
for model in (Channel, CategoryMapping, SyncRun, MarketplaceOrder):
    register_permission_policy(model, ProvinceStaffPermissionPolicy(model))
register_permission_policy(Listing, ListingPermissionPolicy())


@hooks.register("register_admin_viewset")
def marketplaces_viewsets() -> MarketplacesGroup:
    return MarketplacesGroup()


@hooks.register("register_page_header_buttons")
def product_listings_button(page, user, view_name, next_url=None) -> Iterator[MenuItem]:
    """ "Trên sàn" in a product page's header menu: that product's listings, one row per
    channel and SKU, with their state and last error."""
    if page.specific_class is ProductPage and not scope_for(user).is_empty:
        url = reverse("marketplace_listings:index") + "?" + urlencode({"product": page.pk})
        yield MenuItem(_("Trên sàn"), url, icon_name="link-external", priority=75)
