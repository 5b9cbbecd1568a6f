"""OCOP producers ("chủ thể OCOP"): one page each, the root of its own products."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from catalogue import listeners
from catalogue.validators import validate_phone_vn

from .base import CataloguePage, GalleryImage


class ProducerType(models.TextChoices):
    COOPERATIVE = "htx", _("Hợp tác xã (HTX)")
    ENTERPRISE = "dn", _("Doanh nghiệp (DN)")
    COOPERATIVE_GROUP = "tht", _("Tổ hợp tác")
    HOUSEHOLD = "hkd", _("Hộ kinh doanh")


class ProducerPage(CataloguePage):
    """The producer's public profile and legal identity.

    `collection` (where its editors upload images) and `editors_group` are set
    once by `catalogue.producers.create_producer` and not editable here.
    """

    producer_type = models.CharField(
        _("loại hình"), max_length=8, choices=ProducerType.choices, default=ProducerType.COOPERATIVE
    )
    legal_name = models.CharField(_("tên đăng ký"), max_length=255, blank=True)
    registration_code = models.CharField(
        _("mã số thuế / đăng ký kinh doanh"), max_length=32, blank=True
    )
    representative = models.CharField(_("người đại diện"), max_length=120, blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=20, blank=True, validators=[validate_phone_vn]
    )
    zalo = models.CharField(
        _("Zalo"),
        max_length=20,
        blank=True,
        validators=[validate_phone_vn],
        help_text=_("Số điện thoại đăng ký Zalo, nếu khác số trên."),
    )
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "catalogue.Commune",
        on_delete=models.PROTECT,
        related_name="producers",
        verbose_name=_("xã/phường (sau 1/7/2025)"),
    )
    old_locality = models.CharField(
        _("địa chỉ cũ (huyện/xã trước 2025)"),
        max_length=255,
        blank=True,
        help_text=_("Giữ nguyên cách ghi cũ, ví dụ 'xã Hóa Thượng, huyện Đồng Hỷ'."),
    )
    story = RichTextField(_("câu chuyện sản phẩm"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    editors_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    content_panels = CataloguePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("producer_type"),
                FieldPanel("legal_name"),
                FieldPanel("registration_code"),
                FieldPanel("representative"),
            ],
            heading=_("Thông tin pháp lý"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("zalo")]),
                FieldPanel("email"),
                FieldPanel("address"),
                FieldPanel("commune"),
                FieldPanel("old_locality"),
            ],
            heading=_("Liên hệ và địa chỉ"),
        ),
        FieldPanel("story"),
        FieldPanel("logo"),
        InlinePanel("gallery_images", label=_("ảnh giới thiệu")),
    ]

    search_fields = CataloguePage.search_fields + [
        index.SearchField("legal_name"),
        index.SearchField("story"),
        index.FilterField("producer_type"),
    ]

    parent_page_types = ["catalogue.ProducersIndexPage"]
    subpage_types = ["catalogue.ProductPage"]

    class Meta:
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        listeners.producer_changed(self.pk)  # shown and filtered on with every product
        return result

    @property
    def province(self):
        return self.commune.province

    def clean(self) -> None:
        super().clean()
        if self.commune_id and self.commune.retired:
            raise ValidationError(
                {"commune": _("Xã/phường này không còn tồn tại; chọn đơn vị mới.")}
            )


class ProducerGalleryImage(GalleryImage):
    page = ParentalKey(ProducerPage, on_delete=models.CASCADE, related_name="gallery_images")
