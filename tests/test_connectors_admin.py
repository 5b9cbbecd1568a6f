"""The "Kênh bán" admin: province staff manage channels (secrets stored encrypted and
never shown), run a pass on demand and read the runs; a producer's editors see only the
marketplace listings of their own products."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.menu import admin_menu

from connectors import calls
from connectors.models import Channel, Listing, SyncRun
from tests.conftest import admin_denied
from tests.ports import free_port

PARTNER_KEY = "pk-test-a1b2c3d4e5f6-3f9a"
SECRETS = {"partner_id": "2001234", "partner_key": PARTNER_KEY, "shop_id": "778899"}


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def channel(db):
    channel = Channel(
        kind=Channel.Kind.SHOPEE, name="Shopee tỉnh", slug="shopee", base_url=_closed_port_url()
    )
    channel.set_secrets(SECRETS)
    channel.save()
    return channel


def _form(**changes) -> dict:
    data = {
        "kind": "shopee",
        "name": "Shopee Thái Nguyên",
        "slug": "shopee-tn",
        "enabled": "on",
        "base_url": "https://partner.test-stable.shopeemobile.com",
        "requires_certificate": "on",
        "price_markup_percent": "5",
        "stock_buffer": "1",
        "stock_share_percent": "100",
        "orders_interval_minutes": "2",
        "stock_interval_minutes": "5",
        "full_interval_minutes": "1440",
        "calls_per_second": "10",
        **{f"secret_{key}": value for key, value in SECRETS.items()},
    }
    data.update(changes)
    return data


def test_staff_creates_a_channel_whose_secrets_are_stored_encrypted(as_staff, coop):
    response = as_staff.post(
        reverse("marketplace_channels:add"),
        _form(producers=[coop.page.pk], orders_interval_minutes="3", sync_paused="on"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(slug="shopee-tn")
    assert (channel.orders_interval_minutes, channel.stock_interval_minutes) == (3, 5)
    assert channel.full_interval_minutes == 1440 and channel.sync_paused
    assert PARTNER_KEY not in channel.secrets and "2001234" not in channel.secrets
    assert channel.get_secrets() == SECRETS
    assert list(channel.producers.all()) == [coop.page]
    assert channel.price_markup_percent == 5

    edit = as_staff.get(reverse("marketplace_channels:edit", args=[channel.pk]))
    html = edit.content.decode()
    assert edit.status_code == 200
    assert PARTNER_KEY not in html and "2001234" not in html and "778899" not in html
    assert "••••3f9a" in html  # the mask, enough to recognise the key
    assert "app_secret" not in html  # only the Shopee keys on a Shopee channel
    index = as_staff.get(reverse("marketplace_channels:index")).content.decode()
    assert "Shopee Thái Nguyên" in index and PARTNER_KEY not in index


def test_an_empty_secret_field_keeps_the_stored_value(as_staff, channel):
    url = reverse("marketplace_channels:edit", args=[channel.pk])
    data = _form(slug="shopee", secret_partner_key="", secret_shop_id="", secret_partner_id="")
    data["secret_access_token"] = "tok-new-0001-abcd"
    data["kind"] = "lazada"  # ignored: another marketplace is another channel
    response = as_staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    channel.refresh_from_db()
    assert channel.kind == Channel.Kind.SHOPEE
    assert channel.get_secrets() == {**SECRETS, "access_token": "tok-new-0001-abcd"}
    assert channel.name == "Shopee Thái Nguyên"


def test_a_new_channel_needs_the_keys_that_sign_calls(as_staff):
    response = as_staff.post(reverse("marketplace_channels:add"), _form(secret_partner_key=""))
    assert response.status_code == 200
    assert "Cần nhập khoá này" in response.content.decode()
    assert not Channel.objects.exists()


def submenu_labels(rf, user) -> list[str]:
    reverse("wagtailadmin_home")  # loads the URLconf, which registers the viewsets' menus
    request = rf.get("/admin/")
    request.user = user
    with translation.override("vi"):
        items = admin_menu.menu_items_for_request(request)
        group = next(item for item in items if str(item.label) == "Kênh bán")
        return [str(item.label) for item in group.menu.menu_items_for_request(request)]


def test_one_menu_groups_the_screens_a_user_may_open(rf, staff, coop):
    assert submenu_labels(rf, staff) == [
        "Kênh",
        "Ánh xạ danh mục",
        "Tin đăng trên sàn",
        "Lượt đồng bộ",
        "Đơn từ sàn",
    ]
    assert submenu_labels(rf, coop.user) == ["Tin đăng trên sàn"]


def test_a_producer_cannot_open_the_staff_screens(as_coop, channel):
    for url in (
        reverse("marketplace_channels:index"),
        reverse("marketplace_channels:add"),
        reverse("marketplace_channels:edit", args=[channel.pk]),
        reverse("marketplace_mappings:index"),
        reverse("marketplace_runs:index"),
        reverse("marketplace_orders:index"),
    ):
        assert admin_denied(as_coop.get(url)), url
    assert admin_denied(as_coop.post(reverse("background_sync_now", args=[channel.pk])))
    assert not SyncRun.objects.exists()


@pytest.fixture
def listings(shop, channel):
    tea = shop["tea"].variants.first()
    noodles = shop["noodles"].variants.get()
    return {
        "mine": Listing.objects.create(
            channel=channel,
            sku=tea.sku,
            product=shop["tea"],
            state=Listing.State.LIVE,
            url="https://shopee.vn/product/1/2",
        ),
        "theirs": Listing.objects.create(
            channel=channel,
            sku=noodles.sku,
            product=shop["noodles"],
            state=Listing.State.ERROR,
            last_error="Thiếu ảnh",
        ),
    }


def test_a_producer_sees_only_the_listings_of_its_own_products(as_coop, listings):
    url = reverse("marketplace_listings:index")
    html = as_coop.get(url).content.decode()
    assert listings["mine"].sku in html and "https://shopee.vn/product/1/2" in html
    assert listings["theirs"].sku not in html and "Thiếu ảnh" not in html
    html = as_coop.get(url, {"q": "Miến"}).content.decode()
    assert "Miến dong Việt Cường" not in html and listings["mine"].sku not in html


def test_staff_see_every_listing_and_filter_them(as_staff, listings, shop):
    url = reverse("marketplace_listings:index")
    html = as_staff.get(url).content.decode()
    assert listings["mine"].sku in html and listings["theirs"].sku in html
    html = as_staff.get(url, {"state": "error"}).content.decode()
    assert listings["theirs"].sku in html and listings["mine"].sku not in html
    html = as_staff.get(url, {"product": shop["tea"].pk}).content.decode()
    assert listings["mine"].sku in html and listings["theirs"].sku not in html
    html = as_staff.get(url, {"q": "Miến"}).content.decode()
    assert listings["theirs"].sku in html and listings["mine"].sku not in html


def test_the_product_editor_links_to_its_listings(as_coop, shop):
    html = as_coop.get(reverse("wagtailadmin_pages:edit", args=[shop["tea"].pk])).content
    expected = f"{reverse('marketplace_listings:index')}?product={shop['tea'].pk}"
    assert expected in html.decode()


def test_the_channel_form_gives_the_webhook_to_register_with_the_marketplace(as_staff, channel):
    html = as_staff.get(reverse("marketplace_channels:edit", args=[channel.pk])).content.decode()
    assert "http://testserver/webhooks/shopee/" in html
    assert "Push Mechanism của ứng dụng trên Shopee Open Platform Console" in html


def test_the_product_editor_says_which_channels_do_not_carry_it_and_why(as_coop, shop, channel):
    tea = shop["tea"]
    edit = reverse("wagtailadmin_pages:edit", args=[tea.pk])
    assert "Trên sàn thương mại điện tử" not in as_coop.get(edit).content.decode()
    for variant in tea.variants.all():  # every SKU of it, one reason: said once
        Listing.objects.create(
            channel=channel,
            sku=variant.sku,
            product=tea,
            state=Listing.State.SKIPPED,
            last_error="Chưa có giấy chứng nhận OCOP",
        )
    html = as_coop.get(edit).content.decode()
    assert "Trên sàn thương mại điện tử" in html
    assert html.count("Shopee tỉnh — Không đăng: Chưa có giấy chứng nhận OCOP") == 1
    Channel.objects.filter(pk=channel.pk).update(enabled=False)  # a channel switched off
    assert "Chưa có giấy chứng nhận OCOP" not in as_coop.get(edit).content.decode()


def test_sync_now_runs_a_pass_and_the_runs_screen_shows_it(
    as_staff, channel, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(calls, "BACKOFF_BASE", 0)  # the closed port fails at once
    with django_capture_on_commit_callbacks(execute=True):
        response = as_staff.post(reverse("background_sync_now", args=[channel.pk]), follow=True)
    assert "Đã yêu cầu đồng bộ kênh “Shopee tỉnh”" in response.content.decode()
    run = SyncRun.objects.get(channel=channel)
    assert run.status in (SyncRun.Status.FAILED, SyncRun.Status.PARTIAL)
    assert run.finished_at is not None and run.errors

    html = as_staff.get(reverse("marketplace_runs:index")).content.decode()
    assert "Shopee tỉnh" in html and run.get_status_display() in html
    assert run.errors[0][:20] in html
    # the channel list shows the pass and counts it among the last day's errors; a later
    # dry run is neither
    SyncRun.objects.create(channel=channel, kind="dry-run", status=SyncRun.Status.FAILED)
    response = as_staff.get(reverse("marketplace_channels:index"))
    [row] = response.context["object_list"]
    assert row.errors_24h == 1 and row.latest_runs == [run]
    html = response.content.decode()
    assert run.get_status_display() in html and PARTNER_KEY not in html
    # the row's "Đồng bộ ngay" button (added by background through the channel-buttons hook)
    assert f'action="{reverse("background_sync_now", args=[channel.pk])}"' in html
    assert "Đồng bộ ngay" in html


def test_sync_now_accepts_only_post(as_staff, channel):
    response = as_staff.get(reverse("background_sync_now", args=[channel.pk]))
    assert response.status_code == 405
    assert not SyncRun.objects.exists()


def test_the_channel_list_gives_the_days_token_and_authorisation_end(as_staff, channel):
    """A day, not Wagtail's "Just now" (English, and wrong for a future date)."""
    ends = timezone.make_aware(datetime.datetime(2027, 3, 31, 12))
    channel.token_expires_at = ends - datetime.timedelta(days=90)
    channel.authorisation_expires_at = ends
    channel.save()
    page = as_staff.get(reverse("marketplace_channels:index")).content.decode()
    assert "Cấp quyền lại trước" in page
    assert "31/12/2026" in page and "31/03/2027" in page
    assert "Just now" not in page
