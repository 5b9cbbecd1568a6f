"""Notifications a marketplace pushes to a channel's webhook (Shopee's push mechanism,
Lazada's push notifications): verified with the channel's own secret, recorded once, and
an order change marks the channel's orders as wanted now. The webhook view (in
`background.webhooks`) then starts the order pull; the scheduler keeps asking for one
until a pass has started since, so a push that lands while a pass runs is not lost.

Pushes are delivered at least once (Lazada: "small amount of duplicate message is
normal"), so each is keyed by what it says happened, not by its delivery: the same
order change pushed again finds its key and changes nothing."""

import enum
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from connectors import crypto
from connectors.models import Channel, PushNotice

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # the documented pushes are a few hundred bytes


@dataclass(frozen=True)
class Notice:
    key: str  # the event, e.g. "order:2501SBX01001:READY_TO_SHIP:1764633600"
    orders: bool  # an order was created or changed: pull the channel's orders
    account: str = ""  # the shop or seller the push is about, where it says


@dataclass(frozen=True)
class Receiver:
    """How one marketplace signs and words its pushes (its package's `push.py`)."""

    # (URL the push was sent to, raw body, lower-cased headers, channel secrets) → genuine?
    verify: Callable[[str, bytes, Mapping[str, str], Mapping[str, str]], bool]
    read: Callable[[dict], Notice]  # the parsed body → what it says (ValueError: unreadable)
    account_secret: str = ""  # the secret naming the channel's shop, compared with `account`


class Outcome(enum.Enum):
    FORGED = "forged"  # no valid signature: refused, nothing recorded
    UNREADABLE = "unreadable"  # signed but not a push we can read: refused
    DUPLICATE = "duplicate"  # seen before: acknowledged, nothing done
    IGNORED = "ignored"  # genuine, but not about this channel's orders
    ORDERS = "orders"  # recorded; the channel's orders are wanted now


def content_key(kind: object, message: dict) -> str:
    """The key of a push we do not act on: its kind and its whole content."""
    return f"{kind}:{hashlib.sha256(json.dumps(message, sort_keys=True).encode()).hexdigest()}"


def webhook_path(channel: Channel) -> str:
    return reverse("marketplace_push", args=[channel.slug])


def webhook_url(channel: Channel) -> str:
    """The address to register in the marketplace's console for this channel."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + webhook_path(channel)


def receive(
    channel: Channel, receiver: Receiver, urls: list[str], body: bytes, headers: Mapping
) -> Outcome:
    """Check and record one push to `channel`'s webhook; `urls` are the addresses it may
    have been sent to (as registered, and as this request arrived)."""
    try:
        secrets = channel.get_secrets()
    except crypto.SecretsUnreadable:
        return Outcome.FORGED  # nothing to check it with; the channel screen says why
    if len(body) > MAX_BODY or not any(receiver.verify(u, body, headers, secrets) for u in urls):
        logger.warning("push to channel %s refused: signature does not match", channel.slug)
        return Outcome.FORGED
    try:
        notice = receiver.read(json.loads(body))
    except (ValueError, TypeError, KeyError, AttributeError):
        return Outcome.UNREADABLE
    mine = receiver.account_secret
    if mine and notice.account and notice.account != secrets.get(mine, ""):
        logger.info("push to channel %s is about shop %s: ignored", channel.slug, notice.account)
        return Outcome.IGNORED
    try:
        with transaction.atomic():
            PushNotice.objects.create(channel=channel, key=notice.key, received_at=timezone.now())
    except IntegrityError:
        return Outcome.DUPLICATE
    if not notice.orders:
        return Outcome.IGNORED
    Channel.objects.filter(pk=channel.pk).update(orders_wanted_at=timezone.now())
    return Outcome.ORDERS
