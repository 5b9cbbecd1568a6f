"""At most LIMIT wrong order lookups per order number and per phone in WINDOW: the check,
the lookup and the count happen under the counters' row locks in one transaction, so
parallel guesses neither slip past the limit nor lose a count."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from orders.models import LookupThrottle, Order

LIMIT = 10
WINDOW = datetime.timedelta(minutes=10)


class TooManyTries(Exception):
    pass


def keys(number: str, phone: str) -> list[str]:
    """Counted per order number and per phone, not per address: behind a proxy every
    shopper has the same address, and guessing needs one of the two fixed."""
    return [f"number:{number}"[:120], f"phone:{phone}"[:120]]


def look_up(number: str, phone: str, find: Callable[[], Order | None]) -> Order | None:
    """`find()` if neither counter is at the limit (else TooManyTries); a miss counts."""
    now = timezone.now()
    wanted = sorted(keys(number, phone))  # always locked in the same order: no deadlock
    with transaction.atomic():
        for key in wanted:
            LookupThrottle.objects.get_or_create(key=key, defaults={"window_ends": now + WINDOW})
        rows = list(
            LookupThrottle.objects.select_for_update().filter(key__in=wanted).order_by("key")
        )
        if any(row.window_ends > now and row.failures >= LIMIT for row in rows):
            raise TooManyTries
        order = find()
        if order is None:
            for row in rows:
                counted = LookupThrottle.objects.filter(pk=row.pk)
                if row.window_ends > now:
                    counted.update(failures=F("failures") + 1)
                else:  # the last window is over: this miss starts a new one
                    counted.update(failures=1, window_ends=now + WINDOW)
        return order


def prune(now: datetime.datetime) -> int:
    """Forget counters whose window is over, skipping any a lookup holds right now."""
    with transaction.atomic():
        over = LookupThrottle.objects.select_for_update(skip_locked=True).filter(
            window_ends__lt=now
        )
        deleted, _ = LookupThrottle.objects.filter(
            pk__in=list(over.values_list("pk", flat=True))
        ).delete()
    return deleted
