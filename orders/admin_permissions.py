"""Who may use the orders screens, decided by `catalogue.scope.scope_for` rather than Django
model permissions: a producer's editors group grants its own sub-orders, the province
staff group grants all of them and the exports."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from catalogue.models import ProducerPage
from catalogue.scope import STAFF, scope_for
from orders.models import SubOrder


class SubOrderPermissionPolicy(BasePermissionPolicy):
    """ "view" and "change" (status) for the user's producers; "export" for staff only.
    Nobody adds or deletes sub-orders here: checkout writes them."""

    producer_actions = frozenset({"view", "change"})

    def __init__(self):
        super().__init__(SubOrder)

    def user_has_permission(self, user, action: str) -> bool:
        scope = scope_for(user)
        if action == "export":
            return scope.all_producers
        return action in self.producer_actions and not scope.is_empty

    def user_has_permission_for_instance(self, user, action: str, instance: SubOrder) -> bool:
        return self.user_has_permission(user, action) and scope_for(user).includes(
            instance.producer_id
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if not self.user_has_any_permission(user, actions):
            return SubOrder.objects.none()
        return scope_for(user).filter(SubOrder.objects.all())

    def users_with_any_permission(self, actions) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if "export" in actions:
            return users.filter(STAFF).distinct()
        if self.producer_actions.isdisjoint(actions):
            return users.none()
        editors = Q(groups__in=ProducerPage.objects.values("editors_group"))
        return users.filter(STAFF | editors).distinct()
