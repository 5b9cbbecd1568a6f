"""Abandoned card checkouts give their stock back when the hold runs out."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import Order
from orders.payments import release_hold


def expire_holds(now: datetime.datetime | None = None) -> int:
    """Release every card order's hold that ran out before `now`; returns how many.
    Safe to run twice or in two workers at once: each order is released under its lock."""
    now = now or timezone.now()
    due = Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, hold_until__lt=now)
    return sum(
        release_hold(order, Order.Status.EXPIRED, _("Hết thời gian giữ hàng, chưa thanh toán"))
        for order in due.only("pk")
    )
