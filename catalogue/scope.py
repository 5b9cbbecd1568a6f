"""Which producers a user acts for: province staff (and superusers) for all of them, a
producer's editors for the producers whose `editors_group` they belong to. Every admin
screen that shows producers' data (orders, stock, marketplace listings, the dashboard)
asks here, so the rule lives once, beside the roles it reads."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import ProducerPage
from catalogue.roles import PROVINCE_STAFF_GROUP

STAFF = Q(is_superuser=True) | Q(groups__name=PROVINCE_STAFF_GROUP)


@dataclass(frozen=True)
class ProducerScope:
    """The producers whose data a user may see and handle."""

    all_producers: bool
    producer_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.all_producers and not self.producer_ids

    def includes(self, producer_id: int) -> bool:
        return self.all_producers or producer_id in self.producer_ids

    def filter(self, queryset: QuerySet, field: str = "producer") -> QuerySet:
        """`queryset` narrowed to this scope; `field` leads to the ProducerPage."""
        if self.all_producers:
            return queryset
        return queryset.filter(**{f"{field}__in": self.producer_ids})


def scope_for(user: AbstractUser | AnonymousUser) -> ProducerScope:
    """Kept on the user object for the request, as Django keeps permissions."""
    cached = getattr(user, "_producer_scope", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active):
        scope = ProducerScope(False, frozenset())
    elif getattr(user, "is_superuser", False):
        scope = ProducerScope(True, frozenset())
    else:
        groups = dict(user.groups.values_list("name", "pk"))
        if PROVINCE_STAFF_GROUP in groups:
            scope = ProducerScope(True, frozenset())
        else:
            producers = ProducerPage.objects.filter(editors_group__in=groups.values())
            scope = ProducerScope(False, frozenset(producers.values_list("pk", flat=True)))
    user._producer_scope = scope  # type: ignore[union-attr]
    return scope


def scoped_producers(request: HttpRequest) -> QuerySet:
    """The producers the request's user acts for, by title: the choices of every
    "producer" filter in the admin."""
    return scope_for(request.user).filter(ProducerPage.objects.order_by("title"), field="pk")


def signed_in_user(request: HttpRequest) -> AbstractUser:
    """The admin's signed-in user (Wagtail lets no one else in), typed as such."""
    if not isinstance(request.user, AbstractUser):
        raise PermissionDenied
    return request.user


class ProvinceStaffPermissionPolicy(ModelPermissionPolicy):
    """Everything for province staff (their group holds no model permissions for the
    orders and marketplace models), otherwise Django's model permissions."""

    def user_has_permission(self, user, action: str) -> bool:
        return scope_for(user).all_producers or super().user_has_permission(user, action)

    def users_with_any_permission(self, actions) -> QuerySet:
        permitted = super().users_with_any_permission(actions).values("pk")
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(STAFF | Q(pk__in=permitted)).distinct()
