"""Telling the marketplaces about a change without one pass per change.

A stock change records a (channel, SKU) row, in the same transaction as the change, for
every enabled channel that lists the SKU. The scheduler (background.schedule) turns a
channel's rows into one quick pass when changes have been quiet for QUIET, or when the
first has waited MAX_WAIT, so 100 edits in a minute make one pass. A pass deletes
exactly the rows it read after pulling orders, so a change made while it runs waits for
the next pass instead of being lost."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min
from django.utils import timezone

from catalogue.models import ProductVariant
from connectors.base import chunks
from connectors.models import Channel, Listing, PendingPush

QUIET = datetime.timedelta(seconds=10)
MAX_WAIT = datetime.timedelta(seconds=60)
CHUNK = 500  # SKUs or ids per IN (...) list


def skus_changed(skus: Iterable[str]) -> None:
    """Record the SKUs for a quick pass on every enabled channel that lists them."""
    skus = sorted(set(skus))
    now = timezone.now()
    rows = []
    for chunk in chunks(skus, CHUNK):
        pairs = (
            Listing.objects.filter(sku__in=chunk, channel__enabled=True)
            .values_list("channel_id", "sku")
            .distinct()
        )
        rows += [PendingPush(channel_id=c, sku=s, created_at=now) for c, s in pairs]
    PendingPush.objects.bulk_create(rows)


def products_changed(product_ids: Iterable[int]) -> None:
    """Every SKU of the products (their listing must be looked at again, e.g. delisted
    after the OCOP certificate expired)."""
    skus_changed(
        ProductVariant.objects.filter(product_id__in=list(product_ids)).values_list(
            "sku", flat=True
        )
    )


@dataclass(frozen=True)
class Pending:
    ids: list[int]
    skus: set[str]


def take(channel: Channel) -> Pending:
    """What the channel has waiting now; `done()` deletes exactly these rows."""
    rows = list(PendingPush.objects.filter(channel=channel).values_list("pk", "sku"))
    return Pending([pk for pk, _ in rows], {sku for _, sku in rows})


def product_ids(pending: Pending) -> set[int]:
    ids: set[int] = set()
    for chunk in chunks(sorted(pending.skus), CHUNK):
        ids.update(
            ProductVariant.objects.filter(sku__in=chunk).values_list("product_id", flat=True)
        )
    return ids


def done(pending: Pending) -> None:
    for chunk in chunks(pending.ids, CHUNK):
        PendingPush.objects.filter(pk__in=chunk).delete()


def due_channels(now: datetime.datetime) -> set[int]:
    """Channels whose waiting changes should be pushed now (debounced)."""
    waiting = PendingPush.objects.values("channel").annotate(
        first=Min("created_at"), last=Max("created_at")
    )
    return {
        row["channel"]
        for row in waiting
        if now - row["last"] >= QUIET or now - row["first"] >= MAX_WAIT
    }
