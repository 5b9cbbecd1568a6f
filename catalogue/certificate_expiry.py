"""The daily OCOP certificate job: expire certificates past their date, and tell each
producer EXPIRY_NOTICE_DAYS before theirs ends. Safe to run any number of times a day,
and by two workers at once: each step only picks up what is not done yet."""

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Certificate, CertificateStatus
from catalogue.models.certificates import EXPIRY_NOTICE_DAYS

logger = logging.getLogger(__name__)


def run(today: datetime.date | None = None) -> str:
    """Expire, then notify; returns a one-line summary like 'expired 2, notified 3, no email 0'."""
    today = today or timezone.localdate()
    expired = expire(today)
    notified, no_email, failed = notify(today)
    summary = f"expired {expired}, notified {notified}, no email {no_email}"
    return summary + (f", not sent {failed}" if failed else "")


def expire(today: datetime.date) -> int:
    """Mark VALID certificates whose validity ended before today as EXPIRED; the storefront
    drops the stars and the marketplace sync looks at the products again."""
    with transaction.atomic():
        certificates = list(
            Certificate.objects.select_for_update().filter(
                status=CertificateStatus.VALID, valid_until__lt=today
            )
        )
        for certificate in certificates:  # each save tells the storefront and marketplaces
            certificate.status = CertificateStatus.EXPIRED
            certificate.save(update_fields=["status", "updated_at"])
    return len(certificates)


def notify(today: datetime.date) -> tuple[int, int, int]:
    """Email the producer of each VALID certificate ending within EXPIRY_NOTICE_DAYS, once.

    Returns (notified, skipped for lack of an email address, failed to send: tried again
    on the next run). A certificate whose product
    already has a later valid one (renewed) needs no notice.
    """
    renewed = Certificate.objects.filter(
        product=OuterRef("product"),
        status=CertificateStatus.VALID,
        valid_until__gt=OuterRef("valid_until"),
    )
    due = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            valid_until__gt=today,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS),
            expiry_notice_sent_on__isnull=True,
        )
        .exclude(Exists(renewed))
        .select_related("product__producer")
        .order_by("pk")
    )
    notified = no_email = failed = 0
    for certificate in due:
        producer = certificate.product.producer
        if producer is None or not producer.email:
            no_email += 1  # left unmarked: the notice goes out once an address is added
            continue
        # Claim before sending, so two workers running at once never both send it.
        claimed = Certificate.objects.filter(
            pk=certificate.pk, expiry_notice_sent_on__isnull=True
        ).update(expiry_notice_sent_on=today)
        if not claimed:
            continue
        try:
            _send_notice(certificate, producer.email)
        except Exception:  # noqa: BLE001 - one bad address must not stop the others' notices
            # Not sent: release the claim so the next run tries again.
            Certificate.objects.filter(pk=certificate.pk).update(expiry_notice_sent_on=None)
            logger.exception("certificate %s: expiry notice not sent", certificate.pk)
            failed += 1
            continue
        notified += 1
    return notified, no_email, failed


def _send_notice(certificate: Certificate, email: str) -> None:
    product = certificate.product
    subject = _("Giấy chứng nhận OCOP của %(product)s hết hiệu lực ngày %(date)s") % {
        "product": product.title,
        "date": f"{certificate.valid_until:%d/%m/%Y}",
    }
    body = render_to_string(
        "catalogue/email/certificate_expiring.txt",
        {"certificate": certificate, "product": product, "producer": product.producer},
    )
    send_mail(subject, body, None, [email])
