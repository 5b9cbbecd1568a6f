"""Who may see marketplace listings: like the orders screens, decided by
`catalogue.scope.scope_for` — province staff see every listing, a producer's editors
those of their own products. Listings are written by the sync engine only: "view" is
the one action."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import policy_registry

from catalogue.models import ProducerPage
from catalogue.scope import STAFF, scope_for
from connectors.models import Channel, Listing


def may_manage_channels(user) -> bool:
    """Province staff: whoever may change channels may run, pause and watch their sync."""
    return policy_registry.get_by_type(Channel).user_has_permission(user, "change")


class ListingPermissionPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(Listing)

    def user_has_permission(self, user, action: str) -> bool:
        return action == "view" and not scope_for(user).is_empty

    def user_has_permission_for_instance(self, user, action: str, instance: Listing) -> bool:
        return self.user_has_permission(user, action) and scope_for(user).includes(
            instance.product.producer_id
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if not self.user_has_any_permission(user, actions):
            return Listing.objects.none()
        return scope_for(user).filter(Listing.objects.all(), field="product__producer")

    def users_with_any_permission(self, actions) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        editors = Q(groups__in=ProducerPage.objects.values("editors_group"))
        return users.filter(STAFF | editors).distinct()
