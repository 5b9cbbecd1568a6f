"""OCOP certificates: decisions issued by the province or ministry, kept by province staff.

Certificates are not page content: a cooperative cannot award itself stars, and
reverting a product page never brings back a revoked certificate. The history
of a product is all its certificates, newest first.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from catalogue import listeners
from catalogue.dates import add_months
from catalogue.text import NormalizedTextModel

VALIDITY_MONTHS = 36
EXPIRY_NOTICE_DAYS = 30  # the producer is told this many days before the certificate ends
EXPIRY_WARNING_DAYS = 90  # the admin lists certificates ending within this many days


# A save touching one of these may change whether a channel carries the product.
LISTING_FIELDS = {"status", "valid_until", "signed_on", "stars", "decision_number", "product"}


class IssuerLevel(models.TextChoices):
    NATIONAL = "national", _("Bộ (5 sao)")
    PROVINCIAL = "provincial", _("UBND tỉnh")
    DISTRICT = "district", _("UBND huyện (trước 7/2025)")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRED = "expired", _("Hết hiệu lực")
    REVOKED = "revoked", _("Bị thu hồi")


def stars_for_score(score: Decimal) -> int | None:
    """Star band of a score out of 100 (148/QĐ-TTg): 50–69 → 3, 70–89 → 4, 90+ → 5."""
    if score >= 90:
        return 5
    if score >= 70:
        return 4
    if score >= 50:
        return 3
    return None


class Certificate(NormalizedTextModel):
    Status = CertificateStatus

    product = models.ForeignKey(
        "catalogue.ProductPage",
        on_delete=models.PROTECT,  # certificates are history: delete them first, on purpose
        related_name="certificates",
        verbose_name=_("sản phẩm"),
    )
    stars = models.PositiveSmallIntegerField(
        _("hạng sao"), choices=[(3, "3★"), (4, "4★"), (5, "5★")]
    )
    score = models.DecimalField(
        _("điểm"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    decision_number = models.CharField(
        _("số quyết định"), max_length=64, help_text=_("Ví dụ: 1234/QĐ-UBND")
    )
    signed_on = models.DateField(_("ngày ký"))
    issuer = models.CharField(
        _("cơ quan cấp"), max_length=160, help_text=_("Ghi đúng như trên quyết định.")
    )
    issuer_level = models.CharField(
        _("cấp công nhận"),
        max_length=16,
        choices=IssuerLevel.choices,
        default=IssuerLevel.PROVINCIAL,
    )
    valid_until = models.DateField(
        _("hiệu lực đến"), blank=True, help_text=_("Để trống: 36 tháng kể từ ngày ký.")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    note = models.TextField(_("ghi chú"), blank=True)
    expiry_notice_sent_on = models.DateField(
        _("đã báo sắp hết hiệu lực ngày"), null=True, blank=True, editable=False
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bản scan quyết định"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("product"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("stars"), FieldPanel("score")]),
                FieldRowPanel([FieldPanel("decision_number"), FieldPanel("signed_on")]),
                FieldRowPanel([FieldPanel("issuer"), FieldPanel("issuer_level")]),
                FieldRowPanel([FieldPanel("valid_until"), FieldPanel("status")]),
            ],
            heading=_("Quyết định công nhận"),
        ),
        FieldPanel("document"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "decision_number"], name="certificate_unique_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.decision_number} ({self.signed_on:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if self.signed_on and not self.valid_until:
            self.valid_until = add_months(self.signed_on, VALIDITY_MONTHS)
        if self.signed_on and self.valid_until and self.valid_until <= self.signed_on:
            errors["valid_until"] = _("Ngày hết hiệu lực phải sau ngày ký.")
        if self.stars == 5 and self.issuer_level != IssuerLevel.NATIONAL:
            errors["issuer_level"] = _("Sản phẩm 5 sao do Bộ công nhận.")
        if self.score is not None and self.stars:
            band = stars_for_score(self.score)
            # A provincial score of 90+ is "potential 5-star": 4★ until the ministry rules.
            potential_five = band == 5 and self.stars == 4
            if band != self.stars and not potential_five:
                errors["score"] = _("Điểm %(score)s không khớp hạng %(stars)s sao.") % {
                    "score": self.score,
                    "stars": self.stars,
                }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.signed_on and not self.valid_until:
            self.valid_until = add_months(self.signed_on, VALIDITY_MONTHS)
        notice_window_end = timezone.localdate() + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
        if self.expiry_notice_sent_on and self.valid_until > notice_window_end:
            self.expiry_notice_sent_on = None  # extended: the new end date gets its own notice
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        self._announce(listing_may_change=fields is None or bool(LISTING_FIELDS & set(fields)))

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._announce(listing_may_change=True)
        return result

    def _announce(self, listing_may_change: bool) -> None:
        """Stars on the storefront follow the certificate (award, renewal, expiry,
        revocation), and so do channels that carry only certified products (not for a
        save of the expiry notice date)."""
        listeners.products_changed([self.product_id])
        if listing_may_change:
            listeners.certificates_changed({self.product_id})

    def is_valid(self, today: datetime.date) -> bool:
        return self.status == CertificateStatus.VALID and self.valid_until >= today
