"""The "Đồng bộ" admin screen: the scheduler's and the worker's heartbeats, per channel
what is queued, failed or waiting to be pushed and when its passes run next, a switch
that pauses a channel's schedule, and the site-wide jobs. Province staff only."""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.menu import admin_menu

from background.models import Heartbeat, Slot
from connectors.models import Channel, PendingPush, SyncRun
from tests.conftest import admin_denied

URL = "/admin/sync/"
MAX_QUERIES = 25  # 21 today, whatever the number of channels


def make_channel(n: int = 1, **fields) -> Channel:
    channel = Channel(
        kind=Channel.Kind.SHOPEE,
        name=f"Shopee tỉnh {n}",
        slug=f"shopee-{n}",
        base_url="http://127.0.0.1:9",
        **fields,
    )
    channel.set_secrets({"partner_id": "2001234", "partner_key": "pk-test", "shop_id": "778899"})
    channel.save()
    return channel


@pytest.fixture
def channel(db):
    return make_channel()


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def slot(channel, job="sync:pass", due=None, **fields) -> Slot:
    due = due or timezone.now()
    return Slot.objects.create(
        key=f"{job}@{channel.pk}" if channel else job,
        job=job,
        channel=channel,
        due_at=due,
        enqueued_at=due,
        **fields,
    )


def row_of(html: str, name: str) -> str:
    """The table row of a channel, tags stripped and spaces collapsed."""
    row = next(part for part in html.split("<tr data-channel")[1:] if name in part)
    row = row.split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_staff_see_a_channel_row_with_its_pause_button(as_staff, channel):
    Heartbeat.objects.create(name="scheduler", at=ago(seconds=5))
    response = as_staff.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="listing"' in html
    assert "Shopee tỉnh 1" in html and "Tạm dừng" in html
    assert reverse("background_sync_pause", args=[channel.pk]) in html
    assert reverse("healthz") in html
    assert "expire_holds" in html and "certificates" in html and "1 ngày" in html


def test_queue_failures_and_pending_pushes_are_counted(as_staff, channel):
    other = make_channel(2)
    slot(channel, "sync:orders", due=ago(minutes=2))  # queued
    slot(channel, "sync:pass", started_at=timezone.now())  # running
    slot(channel, "sync:reconcile", due=ago(hours=1), finished_at=ago(hours=1), outcome="lost: x")
    slot(channel, "sync:pass", due=ago(hours=2), finished_at=ago(hours=2), outcome="error: E")
    slot(channel, "sync:pass", due=ago(hours=3), finished_at=ago(hours=3), outcome="ok")
    slot(channel, "sync:pass", due=ago(hours=30), finished_at=ago(hours=30), outcome="error: E")
    slot(other, "sync:pass", due=ago(hours=1), finished_at=ago(hours=1), outcome="error: E")
    SyncRun.objects.create(channel=channel, kind="pass", status=SyncRun.Status.FAILED)
    old = SyncRun.objects.create(channel=channel, kind="pass", status=SyncRun.Status.FAILED)
    SyncRun.objects.filter(pk=old.pk).update(started_at=ago(days=2))
    SyncRun.objects.create(channel=channel, kind="dry-run", status=SyncRun.Status.FAILED)
    for sku in ("A", "B", "C"):
        PendingPush.objects.create(channel=channel, sku=sku, created_at=timezone.now())

    html = as_staff.get(URL).content.decode()
    row = row_of(html, "Shopee tỉnh 1")
    # queued / running, failures in 24 h (1 run + 2 slots), pending pushes
    assert "1 / 1 3 3" in row, row
    assert "Thất bại" in row  # the last (non dry-run) pass
    assert "0 / 0 1 0" in row_of(html, "Shopee tỉnh 2")


def test_next_runs_are_shown_only_for_scheduled_channels(as_staff, channel):
    make_channel(2, sync_paused=True)
    make_channel(3, enabled=False)
    html = as_staff.get(URL).content.decode()
    assert re.search(r"\d\d:\d\d · \d\d:\d\d · \d\d/\d\d \d\d:\d\d", row_of(html, "tỉnh 1"))
    for name in ("tỉnh 2", "tỉnh 3"):
        assert not re.search(r"\d\d:\d\d", row_of(html, name)), row_of(html, name)
    assert "Chạy lại" in row_of(html, "tỉnh 2")


def test_the_pause_switch_flips_only_sync_paused(as_staff, channel):
    url = reverse("background_sync_pause", args=[channel.pk])
    Channel.objects.filter(pk=channel.pk).update(name="Renamed meanwhile")
    response = as_staff.post(url, {"paused": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Đã tạm dừng" in response.content.decode()
    channel.refresh_from_db()
    assert channel.sync_paused and channel.name == "Renamed meanwhile"
    assert "Chạy lại" in row_of(response.content.decode(), "Renamed meanwhile")

    as_staff.post(url, {"paused": "0"})
    channel.refresh_from_db()
    assert not channel.sync_paused
    as_staff.post(url)  # no state given: toggles
    channel.refresh_from_db()
    assert channel.sync_paused


def test_the_pause_switch_accepts_only_post(as_staff, channel):
    response = as_staff.get(reverse("background_sync_pause", args=[channel.pk]))
    assert response.status_code == 405
    channel.refresh_from_db()
    assert not channel.sync_paused


def test_a_producer_is_denied(as_coop, channel):
    assert admin_denied(as_coop.get(URL))
    response = as_coop.post(reverse("background_sync_pause", args=[channel.pk]), {"paused": "1"})
    assert admin_denied(response)
    channel.refresh_from_db()
    assert not channel.sync_paused


def menu_labels(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    with translation.override("vi"):
        return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def test_the_menu_item_is_shown_to_staff_only(staff, coop):
    assert "Đồng bộ" in menu_labels(staff)
    assert "Đồng bộ" not in menu_labels(coop.user)


def busy_channel(n: int) -> Channel:
    channel = make_channel(n)
    slot(channel, "sync:orders")
    slot(channel, "sync:pass", due=ago(hours=1), finished_at=ago(hours=1), outcome="lost: x")
    SyncRun.objects.create(channel=channel, kind="pass", status=SyncRun.Status.FAILED)
    PendingPush.objects.create(channel=channel, sku="A", created_at=timezone.now())
    return channel


def test_queries_do_not_grow_with_the_number_of_channels(as_staff, django_assert_max_num_queries):
    busy_channel(1)
    slot(None, "expire_holds", due=ago(minutes=1), finished_at=ago(seconds=30), outcome="ok")
    as_staff.get(URL)  # warm up: session, user, site
    with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(MAX_QUERIES):
        assert "Shopee tỉnh 1" in as_staff.get(URL).content.decode()
    for n in range(2, 6):
        busy_channel(n)
    with CaptureQueriesContext(connection) as five, django_assert_max_num_queries(MAX_QUERIES):
        assert "Shopee tỉnh 5" in as_staff.get(URL).content.decode()
    assert len(five) == len(one), (len(one), len(five))
