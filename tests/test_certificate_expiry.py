import datetime

import pytest
from django.core import mail
from django.utils import timezone

from catalogue import certificate_expiry
from catalogue.models import (
    Certificate,
    CertificateStatus,
    ProducerPage,
    ProductPage,
    StorefrontEntry,
)
from connectors.models import Channel, Listing, PendingPush

DAY = datetime.timedelta(days=1)
NOTHING = "expired 0, notified 0, no email 0"


@pytest.fixture
def today() -> datetime.date:
    """Today's real date, passed to run() explicitly; Certificate.save() reads the clock."""
    return timezone.localdate()


@pytest.fixture
def emailed(make_producer):
    """A producer with an email address (`coop` has none)."""
    return make_producer(
        title="HTX Miến Việt Cường", commune_code="05983", email="vietcuong@example.vn"
    )


@pytest.fixture
def channel(db) -> Channel:
    return Channel.objects.create(
        kind=Channel.Kind.SHOPEE,
        name="Shopee",
        slug="shopee",
        base_url="https://partner.shopeemobile.test",
        requires_certificate=True,
    )


def _certify(product: ProductPage, valid_until: datetime.date, **fields) -> Certificate:
    values = {
        "stars": 4,
        "decision_number": "125/QĐ-UBND",
        "issuer": "UBND tỉnh Lạng Sơn",
        "signed_on": valid_until - datetime.timedelta(days=3 * 365),
        "valid_until": valid_until,
    }
    return Certificate.objects.create(product=product, **(values | fields))


def _status(certificate: Certificate) -> str:
    return Certificate.objects.values_list("status", flat=True).get(pk=certificate.pk)


def _notice_date(certificate: Certificate) -> datetime.date | None:
    return Certificate.objects.values_list("expiry_notice_sent_on", flat=True).get(
        pk=certificate.pk
    )


def test_expired_certificate_is_marked_and_its_stars_leave_the_storefront(
    coop, make_product, today
):
    product = make_product(coop.page)
    certificate = _certify(product, valid_until=today - DAY)
    assert StorefrontEntry.objects.get(product=product).stars == 4

    assert certificate_expiry.run(today) == "expired 1, notified 0, no email 0"

    assert _status(certificate) == CertificateStatus.EXPIRED
    entry = StorefrontEntry.objects.get(product=product)
    assert (entry.stars, entry.certified_until) == (0, None)
    assert ProductPage.objects.get(pk=product.pk).valid_certificate(today) is None


def test_certificate_ending_today_is_still_valid(coop, make_product, today):
    certificate = _certify(make_product(coop.page), valid_until=today)
    certificate_expiry.run(today)
    assert _status(certificate) == CertificateStatus.VALID


def test_expiry_queues_the_products_listed_skus_for_the_marketplace_sync(
    coop, make_product, channel, today
):
    expiring = make_product(coop.page)
    still_valid = make_product(coop.page, title="Chè búp Tân Cương")
    disabled = Channel.objects.create(
        kind=Channel.Kind.LAZADA,
        name="Lazada",
        slug="lazada",
        base_url="https://x.test",
        enabled=False,
    )
    listed_sku = expiring.variants.first().sku
    Listing.objects.create(
        channel=channel, sku=listed_sku, product=expiring, state=Listing.State.LIVE
    )
    Listing.objects.create(
        channel=disabled, sku=listed_sku, product=expiring, state=Listing.State.LIVE
    )
    other_sku = still_valid.variants.first().sku
    Listing.objects.create(
        channel=channel, sku=other_sku, product=still_valid, state=Listing.State.LIVE
    )
    _certify(expiring, valid_until=today - DAY)
    _certify(still_valid, valid_until=today + 400 * DAY)
    # awarding both queued both (see the next test); the expiry alone queues one
    assert PendingPush.objects.filter(channel=channel).count() == 2
    PendingPush.objects.all().delete()

    certificate_expiry.run(today)

    assert list(PendingPush.objects.values_list("channel", "sku")) == [(channel.pk, listed_sku)]


def test_awarding_renewing_and_revoking_a_certificate_queue_a_quick_pass(make_product, coop, today):
    product = make_product(coop.page)
    channel = Channel.objects.create(
        kind=Channel.Kind.SHOPEE, name="Shopee", slug="shopee", base_url="https://x.test"
    )
    sku = product.variants.first().sku
    Listing.objects.create(channel=channel, sku=sku, product=product, state=Listing.State.SKIPPED)

    def queued() -> list[str]:
        skus = list(PendingPush.objects.values_list("sku", flat=True))
        PendingPush.objects.all().delete()
        return skus

    certificate = _certify(product, valid_until=today + 400 * DAY)
    assert queued() == [sku]  # awarded
    certificate.valid_until = today + 800 * DAY
    certificate.save()
    assert queued() == [sku]  # renewed
    certificate.status = Certificate.Status.REVOKED
    certificate.save()
    assert queued() == [sku]  # revoked
    certificate.expiry_notice_sent_on = today
    certificate.save(update_fields=["expiry_notice_sent_on"])
    assert queued() == []  # the notice date changes nothing a channel shows
    certificate.delete()
    assert queued() == [sku]


def test_notice_is_sent_once_30_days_before_and_not_at_31(emailed, make_product, today):
    at_30 = _certify(make_product(emailed.page), valid_until=today + 30 * DAY)
    at_31 = _certify(
        make_product(emailed.page, title="Miến dong Việt Cường", category="I.1a"),
        valid_until=today + 31 * DAY,
    )

    assert certificate_expiry.run(today) == "expired 0, notified 1, no email 0"

    [message] = mail.outbox
    date = f"{at_30.valid_until:%d/%m/%Y}"
    assert message.to == ["vietcuong@example.vn"]
    assert message.subject == (
        f"Giấy chứng nhận OCOP của Chè Đinh Tân Cương hết hiệu lực ngày {date}"
    )
    for detail in ("Chè Đinh Tân Cương", "4 sao", "125/QĐ-UBND", date, "đánh giá lại", "gỡ"):
        assert detail in message.body
    assert (_notice_date(at_30), _notice_date(at_31)) == (today, None)

    assert certificate_expiry.run(today) == NOTHING
    assert len(mail.outbox) == 1

    # A day later the other one is 30 days away; the first is not sent again.
    assert certificate_expiry.run(today + DAY) == "expired 0, notified 1, no email 0"
    assert len(mail.outbox) == 2
    assert "Miến dong Việt Cường" in mail.outbox[1].subject


def test_producer_without_email_is_counted_and_notified_once_an_address_is_added(
    coop, make_product, today
):
    certificate = _certify(make_product(coop.page), valid_until=today + 10 * DAY)

    assert certificate_expiry.run(today) == "expired 0, notified 0, no email 1"
    assert mail.outbox == [] and _notice_date(certificate) is None

    ProducerPage.objects.filter(pk=coop.page.pk).update(email="haodat@example.vn")
    assert certificate_expiry.run(today) == "expired 0, notified 1, no email 0"
    assert [m.to for m in mail.outbox] == [["haodat@example.vn"]]


def test_second_run_the_same_day_changes_nothing(emailed, make_product, channel, today):
    expiring = make_product(emailed.page)
    Listing.objects.create(channel=channel, sku=expiring.variants.first().sku, product=expiring)
    expired = _certify(expiring, valid_until=today - DAY)
    _certify(
        make_product(emailed.page, title="Miến dong Việt Cường", category="I.1a"),
        valid_until=today + 5 * DAY,
    )
    PendingPush.objects.all().delete()  # the awards' own quick pass (tested above)
    assert certificate_expiry.run(today) == "expired 1, notified 1, no email 0"
    updated_at = Certificate.objects.get(pk=expired.pk).updated_at

    assert certificate_expiry.run(today) == NOTHING

    assert len(mail.outbox) == 1
    assert PendingPush.objects.count() == 1
    assert Certificate.objects.get(pk=expired.pk).updated_at == updated_at


def test_revoked_certificates_are_not_touched(emailed, make_product, channel, today):
    past = make_product(emailed.page)
    soon = make_product(emailed.page, title="Miến dong Việt Cường", category="I.1a")
    Listing.objects.create(channel=channel, sku=past.variants.first().sku, product=past)
    revoked_past = _certify(past, valid_until=today - DAY, status=CertificateStatus.REVOKED)
    revoked_soon = _certify(soon, valid_until=today + 5 * DAY, status=CertificateStatus.REVOKED)
    PendingPush.objects.all().delete()  # recording them queued a quick pass (tested above)

    assert certificate_expiry.run(today) == NOTHING

    assert _status(revoked_past) == _status(revoked_soon) == CertificateStatus.REVOKED
    assert _notice_date(revoked_soon) is None
    assert mail.outbox == [] and not PendingPush.objects.exists()


def test_no_notice_when_the_product_already_has_a_renewed_certificate(emailed, make_product, today):
    product = make_product(emailed.page)
    old = _certify(product, valid_until=today + 20 * DAY)
    _certify(product, valid_until=today + 3 * 365 * DAY, decision_number="88/QĐ-UBND")

    assert certificate_expiry.run(today) == NOTHING
    assert mail.outbox == [] and _notice_date(old) is None


def test_extending_a_noticed_certificate_clears_the_notice(emailed, make_product, today):
    certificate = _certify(make_product(emailed.page), valid_until=today + 20 * DAY)
    certificate_expiry.run(today)
    certificate.refresh_from_db()
    assert certificate.expiry_notice_sent_on == today

    certificate.note = "Bổ sung hồ sơ"
    certificate.save()
    assert _notice_date(certificate) == today  # an edit within the window keeps it

    certificate.valid_until = today + 3 * 365 * DAY
    certificate.save()
    assert _notice_date(certificate) is None


def test_a_failed_send_is_tried_again_and_does_not_stop_the_others(
    emailed, make_product, today, monkeypatch
):
    first = _certify(make_product(emailed.page), valid_until=today + 20 * DAY)
    second = _certify(
        make_product(emailed.page, title="Chè Tân Cương túi"), valid_until=today + 25 * DAY
    )
    real_send, calls = certificate_expiry.send_mail, []

    def refused_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionRefusedError  # e.g. the SMTP server refused this recipient
        return real_send(*args, **kwargs)

    monkeypatch.setattr(certificate_expiry, "send_mail", refused_once)
    summary = certificate_expiry.run(today)
    assert summary == "expired 0, notified 1, no email 0, not sent 1"
    assert _notice_date(first) is None and _notice_date(second) == today

    monkeypatch.undo()
    assert certificate_expiry.run(today) == "expired 0, notified 1, no email 0"
    assert len(mail.outbox) == 2
