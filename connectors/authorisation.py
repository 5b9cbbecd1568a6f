"""How long the seller's authorisation of our app lasts, and reminders before it ends.

Shopee: a shop's authorisation lasts at most a year ("The seller's authorization for your
App to access their shop's data is only valid for 1 year", push-mechanism-notifications.md),
its end read from v2.shop.get_shop_info's `expire_time`; access tokens 4 h, refresh tokens
30 days and single use. Lazada: the refresh token's end (`refresh_expires_in`), which a
refresh does not extend (7 or 30 days for a test app, 30 or 180 for an online one). The
channel list shows the end; province staff are emailed REMIND_DAYS before it, once each."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.roles import PROVINCE_STAFF_GROUP
from connectors.models import Channel
from connectors.registry import descriptor

logger = logging.getLogger(__name__)

REMIND_DAYS = (14, 3)


def ends_at(channel: Channel, when: datetime.datetime | None) -> None:
    """Record the authorisation's end; a new end (the seller authorised again) starts
    its reminders afresh."""
    if when == channel.authorisation_expires_at:
        return
    channel.authorisation_expires_at, channel.authorisation_warned_days = when, None
    Channel.objects.filter(pk=channel.pk).update(
        authorisation_expires_at=when, authorisation_warned_days=None
    )


def days_left(channel: Channel, today: datetime.date) -> int | None:
    end = channel.authorisation_expires_at
    return None if end is None else (timezone.localdate(end) - today).days


def remind(today: datetime.date | None = None) -> str:
    """Email province staff about each enabled channel whose authorisation ends within
    14 days, then again within 3; returns e.g. "reminded 1, no email 0"."""
    today = today or timezone.localdate()
    staff = list(
        get_user_model()
        .objects.filter(groups__name=PROVINCE_STAFF_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    reminded = no_email = failed = 0
    last_day = today + datetime.timedelta(days=max(REMIND_DAYS) + 1)
    soon = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time()))
    for channel in Channel.objects.filter(enabled=True, authorisation_expires_at__lte=soon):
        left = days_left(channel, today)
        due = [days for days in REMIND_DAYS if left is not None and 0 <= left <= days]
        if left is None or not due or (channel.authorisation_warned_days or 99) <= min(due):
            continue
        if not staff:
            no_email += 1  # left unmarked: sent once a staff member has an address
            continue
        # Claim before sending, so two workers running at once never both send it.
        claimed = Channel.objects.filter(
            pk=channel.pk, authorisation_warned_days=channel.authorisation_warned_days
        ).update(authorisation_warned_days=min(due))
        if not claimed:
            continue
        try:
            _send(channel, today, left, staff)
        except Exception:  # noqa: BLE001 - tried again on the next run
            Channel.objects.filter(pk=channel.pk).update(
                authorisation_warned_days=channel.authorisation_warned_days
            )
            logger.exception("channel %s: authorisation reminder not sent", channel.slug)
            failed += 1
            continue
        reminded += 1
    summary = f"reminded {reminded}, no email {no_email}"
    return summary + (f", not sent {failed}" if failed else "")


def _send(channel: Channel, today: datetime.date, days: int, recipients: list[str]) -> None:
    marketplace = descriptor(channel.kind).label
    ends = today + datetime.timedelta(days=days)
    path = reverse("marketplace_channels:edit", args=[channel.pk])
    subject = _("Kênh %(channel)s: cần cấp quyền lại trên %(marketplace)s trước %(date)s") % {
        "channel": channel.name,
        "marketplace": marketplace,
        "date": f"{ends:%d/%m/%Y}",
    }
    body = render_to_string(
        "connectors/email/authorisation_ending.txt",
        {
            "channel": channel,
            "marketplace": marketplace,
            "days": days,
            "ends": ends,
            "channel_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
        },
    )
    send_mail(subject, body, None, recipients)
