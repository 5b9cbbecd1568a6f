"""Shipping fee per producer's parcel, from the rules staff set in the admin."""

from math import ceil

from django.conf import settings
from django.db.models import Q

from orders.models import ShippingRule


def _default_rule() -> ShippingRule:
    return ShippingRule(**settings.ORDERS_DEFAULT_SHIPPING)


def fee(rule: ShippingRule, weight_grams: int, items_total: int) -> int:
    """Base fee covers `included_grams`; each started kilogram beyond adds `per_kg_fee`."""
    if rule.free_from is not None and items_total >= rule.free_from:
        return 0
    extra_kg = ceil(max(0, weight_grams - rule.included_grams) / 1000)
    return rule.base_fee + extra_kg * rule.per_kg_fee


def rules_for(producer_ids: set[int], province_id: int) -> dict[int, ShippingRule]:
    """The most specific rule for each producer's parcel to `province_id`, in one query:
    producer+province, then producer, then province, then the general rule."""
    candidates = ShippingRule.objects.filter(
        Q(producer_id__in=producer_ids) | Q(producer__isnull=True),
        Q(province_id=province_id) | Q(province__isnull=True),
    )
    by_scope = {(rule.producer_id, rule.province_id): rule for rule in candidates}
    default = _default_rule()
    return {
        producer_id: next(
            (
                by_scope[scope]
                for scope in (
                    (producer_id, province_id),
                    (producer_id, None),
                    (None, province_id),
                    (None, None),
                )
                if scope in by_scope
            ),
            default,
        )
        for producer_id in producer_ids
    }
