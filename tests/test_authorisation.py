"""How long a seller's authorisation lasts (Shopee: a year, read from get_shop_info;
Lazada: the refresh token's end), shown on the channel list, and province staff
reminded 14 and 3 days before it ends."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from connectors import authorisation
from connectors.models import Channel
from tests.markets import make_channel, sync


def test_a_pass_learns_when_the_shops_authorisation_ends(market, demo_catalogue, db):
    channel = make_channel(market)
    assert channel.authorisation_expires_at is None
    assert sync(channel).status == "ok"
    channel.refresh_from_db()
    if market.kind == "shopee":  # v2.shop.get_shop_info's expire_time: a year after consent
        year = timezone.now() + datetime.timedelta(days=365)
        assert channel.authorisation_expires_at is not None
        assert abs(channel.authorisation_expires_at - year) < datetime.timedelta(minutes=5)
    else:  # Lazada says it only with a token refresh (test_sync_engine checks that one)
        assert channel.authorisation_expires_at is None


@pytest.fixture
def ending(db):
    channel = Channel(kind="shopee", name="Shopee HTX Hảo Đạt", slug="shopee-hd", base_url="x")
    channel.set_secrets({"partner_id": "1", "partner_key": "k", "shop_id": "2"})
    channel.save()
    return channel


def _ends_in(channel: Channel, days: int, today: datetime.date) -> None:
    end = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    authorisation.ends_at(channel, end + datetime.timedelta(days=days))


def test_staff_are_reminded_fourteen_and_three_days_before_once_each(ending, staff):
    staff.email = "canbo@ocop.langson.gov.vn"
    staff.save()
    today = timezone.localdate()
    _ends_in(ending, 20, today)
    assert authorisation.remind(today) == "reminded 0, no email 0"
    later = today + datetime.timedelta(days=6)  # 14 days left
    assert authorisation.remind(later) == "reminded 1, no email 0"
    assert authorisation.remind(later) == "reminded 0, no email 0"  # once
    assert authorisation.remind(later + datetime.timedelta(days=5)) == "reminded 0, no email 0"
    assert authorisation.remind(today + datetime.timedelta(days=17)) == "reminded 1, no email 0"
    first, second = mail.outbox
    assert first.to == ["canbo@ocop.langson.gov.vn"]
    end = f"{timezone.localdate(ending.authorisation_expires_at):%d/%m/%Y}"
    assert first.subject == f"Kênh Shopee HTX Hảo Đạt: cần cấp quyền lại trên Shopee trước {end}"
    assert "sẽ hết hạn sau 14 ngày" in first.body and "sau 3 ngày" in second.body
    url = reverse("marketplace_channels:edit", args=[ending.pk])
    assert url in first.body
    # The seller authorised again: the new end gets its own reminders.
    _ends_in(ending, 14, today + datetime.timedelta(days=400))
    assert authorisation.remind(today + datetime.timedelta(days=400)) == "reminded 1, no email 0"


def test_a_reminder_waits_for_a_staff_address(ending, staff):
    today = timezone.localdate()
    _ends_in(ending, 3, today)
    assert authorisation.remind(today) == "reminded 0, no email 1"
    staff.email = "canbo@ocop.langson.gov.vn"
    staff.save()
    assert authorisation.remind(today) == "reminded 1, no email 0"
    assert len(mail.outbox) == 1


def test_the_channel_list_counts_the_days_left_once_reminders_start(as_staff, ending):
    today = timezone.localdate()
    _ends_in(ending, 3, today)
    page = as_staff.get(reverse("marketplace_channels:index")).content.decode()
    end = today + datetime.timedelta(days=3)
    assert f"{end:%d/%m/%Y} (còn 3 ngày)" in page


def test_new_tokens_typed_in_the_channel_form_start_a_new_authorisation(as_staff, ending):
    _ends_in(ending, 3, timezone.localdate())
    Channel.objects.filter(pk=ending.pk).update(authorisation_warned_days=3, needs_reauth=True)
    form = {
        "name": ending.name,
        "slug": ending.slug,
        "enabled": "on",
        "base_url": "https://partner.shopeemobile.com",
        "requires_certificate": "on",
        "price_markup_percent": "0",
        "stock_buffer": "0",
        "stock_share_percent": "100",
        "orders_interval_minutes": "2",
        "stock_interval_minutes": "5",
        "full_interval_minutes": "1440",
        "calls_per_second": "10",
        "secret_access_token": "new-access",
        "secret_refresh_token": "new-refresh",
    }
    response = as_staff.post(reverse("marketplace_channels:edit", args=[ending.pk]), form)
    assert response.status_code == 302
    ending.refresh_from_db()
    assert ending.authorisation_expires_at is None and ending.authorisation_warned_days is None
    assert not ending.needs_reauth
    assert ending.get_secrets()["refresh_token"] == "new-refresh"
