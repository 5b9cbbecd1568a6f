"""The orders panel on the admin home: what needs a producer's attention today (new
orders, stock running low, certificates about to expire). Staff see every producer.
Each list is one query plus one count, whatever its length."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.ui.components import Component

from catalogue import stock
from catalogue.models import Certificate, ProductVariant
from catalogue.models.certificates import EXPIRY_WARNING_DAYS
from catalogue.product_view import LOW_STOCK
from catalogue.scope import ProducerScope, scope_for
from orders.fulfilment import FULFILLABLE_ORDER_STATUSES
from orders.models import SubOrder

LIST_LIMIT = 10


@dataclass(frozen=True)
class Shortlist:
    rows: list
    count: int

    @classmethod
    def of(cls, queryset: QuerySet) -> "Shortlist":
        return cls(list(queryset[:LIST_LIMIT]), queryset.count())


def new_sub_orders(scope: ProducerScope) -> Shortlist:
    """Sub-orders waiting for the producer to confirm, longest-waiting first."""
    waiting = SubOrder.objects.filter(
        status=SubOrder.Status.NEW, order__status__in=FULFILLABLE_ORDER_STATUSES
    )
    return Shortlist.of(
        scope.filter(waiting).select_related("order", "producer").order_by("order__created_at")
    )


def low_stock(scope: ProducerScope) -> Shortlist:
    """Variants of live products with LOW_STOCK or fewer units to sell (none counted is 0)."""
    variants = ProductVariant.objects.filter(product__live=True).annotate(
        units=stock.units_available()
    )
    return Shortlist.of(
        scope.filter(variants, field="product__producer")
        .filter(units__lte=LOW_STOCK)
        .select_related("product__producer")
        .order_by("units", "product__title", "sku")
    )


def expiring_certificates(scope: ProducerScope, today: datetime.date) -> Shortlist:
    """Valid certificates whose validity ends within EXPIRY_WARNING_DAYS."""
    ending = Certificate.objects.filter(
        status=Certificate.Status.VALID,
        valid_until__range=(today, today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)),
    )
    return Shortlist.of(
        scope.filter(ending, field="product__producer")
        .select_related("product__producer")
        .order_by("valid_until", "pk")
    )


class OrdersPanel(Component):
    name = "ocop_orders"
    template_name = "orders/admin/dashboard_panel.html"
    order = 50  # above Wagtail's own panels

    def __init__(self, scope: ProducerScope):
        self.scope = scope

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        return {
            "new_orders": new_sub_orders(self.scope),
            "low_stock": low_stock(self.scope),
            "certificates": expiring_certificates(self.scope, timezone.localdate()),
            "low_stock_limit": LOW_STOCK,
            "expiry_days": EXPIRY_WARNING_DAYS,
            "is_staff": self.scope.all_producers,
            "show_producer": self.scope.all_producers or len(self.scope.producer_ids) > 1,
        }


def add_orders_panel(request, panels: list) -> None:
    """`construct_homepage_panels` hook: the panel for users who handle orders."""
    scope = scope_for(request.user)
    if not scope.is_empty:
        panels.append(OrdersPanel(scope))
