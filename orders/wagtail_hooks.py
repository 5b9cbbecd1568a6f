from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from catalogue.scope import ProvinceStaffPermissionPolicy
from orders.admin_permissions import SubOrderPermissionPolicy
from orders.admin_views import SubOrderViewSet
from orders.dashboard import add_orders_panel
from orders.models import ShippingRule, SubOrder

# Before any view asks the registry, or Wagtail would settle on model permissions.
register_permission_policy(SubOrder, SubOrderPermissionPolicy())
register_permission_policy(ShippingRule, ProvinceStaffPermissionPolicy(ShippingRule))


class ShippingRuleViewSet(SnippetViewSet):
    model = ShippingRule
    icon = "cog"
    menu_label = _("Phí vận chuyển")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["__str__", "base_fee", "included_grams", "per_kg_fee", "free_from"]
    list_filter = ["producer", "province"]


register_snippet(ShippingRuleViewSet)


@hooks.register("register_admin_viewset")
def sub_orders_viewset():
    return SubOrderViewSet()


hooks.register("construct_homepage_panels", add_orders_panel)


@hooks.register("insert_global_admin_css")
def phone_css():
    """Orders and sub-orders as cards below 600 px (producers on cheap phones)."""
    return format_html('<link rel="stylesheet" href="{}">', static("orders/admin_phone.css"))
