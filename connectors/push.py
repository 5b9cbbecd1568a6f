"""Notifications a marketplace pushes to a channel's webhook (Shopee's push mechanism,
Lazada's push notifications): verified with the channel's own secret, recorded once, and
an order change marks the orders of the channel it is about as wanted now. The webhook
view (in `background.webhooks`) then starts their order pull; the scheduler keeps asking
for one until a pull has succeeded since, so a push that lands while a pass runs, or
whose pull fails, is not lost.

A marketplace registers one callback URL per app, not per shop, so the channel whose
webhook a push reached may not be the one it is about: it goes to the channels of the
same app (the same `app_secret`), narrowed to the shop it names where channels record
their shop (`account_secret`); a push about no channel of ours is acknowledged and ignored.

Pushes are delivered at least once (Lazada: "small amount of duplicate message is
normal"), so each is keyed by what it says, its delivery time left out: the same order
change pushed again finds its key and changes nothing. Once the signature is right the
answer is always 2xx (a refused genuine push is only sent again, and Shopee switches
off an app's pushes when too few succeed); one we cannot read still starts a pull."""

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
    key: str  # what the push says happened (`content_key`)
    orders: bool  # an order was created or changed: pull the orders
    account: str = ""  # the shop or seller the push is about, where it says


@dataclass(frozen=True)
class Receiver:
    """How one marketplace signs and words its pushes (its package's `push.py`)."""

    # (URL the push was sent to, raw body, headers, channel secrets) → genuine?
    verify: Callable[[str, bytes, Mapping[str, str], Mapping[str, str]], bool]
    read: Callable[[dict], Notice]  # the parsed body → what it says (any error: unreadable)
    app_secret: str  # the secret naming the app the push came through
    console: str  # where the seller's app registers its callback URL, for the channel form
    account_secret: str = ""  # the secret naming the channel's shop, compared with `account`


class Outcome(enum.Enum):
    FORGED = "forged"  # no valid signature: refused, nothing recorded
    TOO_BIG = "too big"  # far larger than any documented push: refused unread
    NO_SECRETS = "no secrets"  # the channel's secrets cannot be read: try again later
    DUPLICATE = "duplicate"  # seen before: acknowledged, nothing done
    IGNORED = "ignored"  # genuine, but not about any channel's orders
    ORDERS = "orders"  # recorded; the orders of `Received.channels` are wanted now


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    channels: tuple[Channel, ...] = ()  # whose orders to pull


def content_key(message: dict) -> str:
    """The push without its delivery time (a retry may be stamped anew), as a digest."""
    what = {key: value for key, value in message.items() if key != "timestamp"}
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def webhook_path(channel: Channel) -> str:
    return reverse("marketplace_push", args=[channel.slug])


def webhook_url(channel: Channel) -> str:
    """The address to register in the marketplace's console for this channel."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + webhook_path(channel)


def receive(
    channel: Channel, receiver: Receiver, urls: list[str], body: bytes, headers: Mapping
) -> Received:
    """Check and record one push to `channel`'s webhook; `urls` are the addresses it may
    have been signed for (as registered, and as this request arrived)."""
    if len(body) > MAX_BODY:
        return Received(Outcome.TOO_BIG)
    try:
        secrets = channel.get_secrets()
    except crypto.SecretsUnreadable:
        logger.error("push to channel %s not checked: its secrets cannot be read", channel.slug)
        return Received(Outcome.NO_SECRETS)
    if not any(receiver.verify(url, body, headers, secrets) for url in urls):
        logger.warning("push to channel %s refused: signature does not match", channel.slug)
        return Received(Outcome.FORGED)
    try:
        notice = receiver.read(json.loads(body))
    except Exception:  # noqa: BLE001 - genuine but unexpected: pull anyway, it is harmless
        logger.warning("push to channel %s not understood; pulling its orders", channel.slug)
        notice = Notice(key=hashlib.sha256(body).hexdigest(), orders=True)
    targets = _channels_about(channel, receiver, notice, secrets)
    if not targets:
        logger.info("push to channel %s is about shop %s: ignored", channel.slug, notice.account)
        return Received(Outcome.IGNORED)
    now, new = timezone.now(), []
    for target in targets:
        try:
            with transaction.atomic():
                PushNotice.objects.create(channel=target, key=notice.key, received_at=now)
        except IntegrityError:
            continue
        new.append(target)
    if not new:
        return Received(Outcome.DUPLICATE)
    if not notice.orders:
        return Received(Outcome.IGNORED)
    Channel.objects.filter(pk__in=[target.pk for target in new]).update(orders_wanted_at=now)
    return Received(Outcome.ORDERS, tuple(new))


def _channels_about(
    channel: Channel, receiver: Receiver, notice: Notice, secrets: Mapping[str, str]
) -> list[Channel]:
    """The channels of the app the push came through that it is about."""
    app = secrets.get(receiver.app_secret)
    same_app = [channel]
    for other in Channel.objects.filter(kind=channel.kind).exclude(pk=channel.pk):
        try:
            if other.get_secrets().get(receiver.app_secret) == app:
                same_app.append(other)
        except crypto.SecretsUnreadable:
            continue
    account = receiver.account_secret
    if not (account and notice.account):
        return same_app
    return [c for c in same_app if c.get_secrets().get(account) == notice.account]
