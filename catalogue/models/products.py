"""OCOP product pages and their variants (the sellable units, one SKU each)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from catalogue import listeners
from catalogue.money import VndField
from catalogue.panels import ProductNotesPanel, SentBackPanel
from catalogue.text import NormalizedTextModel, normalize_text_fields
from catalogue.validators import validate_gtin

from .base import CataloguePage, GalleryImage
from .certificates import Certificate
from .codes import CodeSequence


class ProductPageQuerySet(PageQuerySet):
    def for_listing(self) -> "ProductPageQuerySet":
        """Live, public products with what a listing card shows, in a fixed number of queries."""
        return (
            self.live()
            .public()
            .select_related("producer__commune__province", "ocop_category")
            .prefetch_related(
                "variants",
                Prefetch("certificates", queryset=Certificate.objects.order_by("-signed_on")),
                Prefetch(
                    "gallery_images",
                    queryset=ProductGalleryImage.objects.select_related("image").order_by(
                        "sort_order"
                    ),
                ),
            )
            .order_by("-first_published_at", "-pk")
        )


def allocate_product_codes(province_code: str, count: int = 1) -> list[str]:
    """Next product codes in the producer's province, e.g. "20-00017"; never reused."""
    numbers = CodeSequence.take(f"product:{province_code}", count)
    return [f"{province_code}-{n:05d}" for n in numbers]


def sku_sequence_key(product_code: str) -> str:
    return f"sku:{product_code}"


def format_sku(product_code: str, number: int | str) -> str:
    return f"{product_code}-{number}"


def allocate_sku(product_code: str) -> str:
    """Next SKU of a product, e.g. "20-00017-3"; a removed variant's SKU is never reused,
    so a new variant can never inherit old stock or marketplace listings."""
    return format_sku(product_code, CodeSequence.take(sku_sequence_key(product_code))[0])


class ProductPage(CataloguePage):
    product_code = models.CharField(
        _("mã sản phẩm"),
        max_length=24,
        unique=True,
        editable=False,
        help_text=_("Mã cố định, không đổi khi đổi tên; dùng cho mã QR và SKU sàn."),
    )
    producer = models.ForeignKey(
        "catalogue.ProducerPage",
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="products",
    )
    ocop_category = models.ForeignKey(
        "catalogue.OcopCategory",
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"is_leaf": True},
        verbose_name=_("bộ sản phẩm OCOP"),
    )
    brand = models.CharField(_("nhãn hiệu"), max_length=120, blank=True)
    summary = models.CharField(_("mô tả ngắn"), max_length=255, blank=True)
    description = RichTextField(_("mô tả"), blank=True)
    ingredients = models.TextField(_("thành phần"), blank=True)
    net_content = models.CharField(
        _("khối lượng/thể tích tịnh"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: 200 g, 500 ml"),
    )
    packaging = models.CharField(_("quy cách đóng gói"), max_length=120, blank=True)
    shelf_life = models.CharField(_("hạn sử dụng"), max_length=60, blank=True)
    storage = models.TextField(_("bảo quản"), blank=True)
    usage = models.TextField(_("hướng dẫn sử dụng"), blank=True)
    season = models.CharField(_("mùa vụ"), max_length=60, blank=True)
    quality_marks = ParentalManyToManyField(
        "catalogue.QualityMark", blank=True, verbose_name=_("chứng nhận chất lượng")
    )
    growing_area_code = models.CharField(_("mã số vùng trồng"), max_length=60, blank=True)

    objects = PageManager.from_queryset(ProductPageQuerySet)()

    content_panels = CataloguePage.content_panels + [
        SentBackPanel(),
        ProductNotesPanel(),
        FieldPanel("product_code", read_only=True),
        FieldPanel("ocop_category"),
        FieldPanel("brand"),
        FieldPanel("summary"),
        FieldPanel("description"),
        InlinePanel("variants", label=_("phân loại hàng (biến thể)"), min_num=1),
        InlinePanel("gallery_images", label=_("ảnh sản phẩm")),
        MultiFieldPanel(
            [
                FieldPanel("ingredients"),
                FieldRowPanel([FieldPanel("net_content"), FieldPanel("packaging")]),
                FieldRowPanel([FieldPanel("shelf_life"), FieldPanel("season")]),
                FieldPanel("storage"),
                FieldPanel("usage"),
            ],
            heading=_("Thông tin sản phẩm"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("quality_marks", widget=forms.CheckboxSelectMultiple),
                FieldPanel("growing_area_code"),
            ],
            heading=_("Chất lượng"),
        ),
    ]

    search_fields = CataloguePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("producer"),
        index.FilterField("ocop_category"),
    ]

    parent_page_types = ["catalogue.ProducerPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")

    # A copy gets its own code (and, below, its own SKUs).
    exclude_fields_in_copy = ["product_code"]

    def _set_core_field_defaults(self) -> None:
        super()._set_core_field_defaults()
        self._assign_codes()

    def save_revision(self, *args, **kwargs):
        # "Save draft" skips full_clean (clean=False), so codes are given here too: a
        # variant must carry its SKU in every revision, or a revert would re-create it
        # under a new SKU and strand its stock.
        self._assign_codes()
        return super().save_revision(*args, **kwargs)

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        # After the variants and marks are written (ClusterableModel.save), in the same
        # transaction; the storefront re-reads the live row, so draft saves change nothing.
        listeners.products_changed([self.pk])
        if self.live:
            listeners.product_published(self.pk)
        return result

    def move(self, target, pos=None, user=None):
        """Staff may move a product to another producer; the producer link follows."""
        super().move(target, pos=pos, user=user)
        new_parent = self.get_parent()
        ProductPage.objects.filter(pk=self.pk).update(producer_id=new_parent.pk)
        self.producer_id = new_parent.pk
        listeners.products_changed([self.pk])

    def _assign_codes(self) -> None:
        """Producer link from the tree, the permanent product code, SKUs for new variants."""
        parent = self._tree_parent()
        if parent is None:
            return  # not placed in the tree yet; runs again on the real save
        self.producer_id = parent.pk
        stored_code = (
            ProductPage.objects.filter(pk=self.pk).values_list("product_code", flat=True).first()
            if self.pk
            else None
        )
        if stored_code:
            self.product_code = stored_code  # a revision can never change the code
        elif not self.product_code:
            self.product_code = allocate_product_codes(parent.specific.commune.province.code)[0]
        for variant in self.variants.all():
            normalize_text_fields(variant)
            # A variant copied from another product brings that product's SKU: replace it.
            if not variant.sku.startswith(format_sku(self.product_code, "")):
                variant.sku = allocate_sku(self.product_code)

    def _tree_parent(self):
        if self.path:
            return self.get_parent()
        return getattr(self, "_cached_parent_obj", None)

    def current_certificate(self):
        """The newest certificate not revoked (valid or expired), from prefetched rows."""
        for certificate in self.certificates.all():
            if certificate.status != certificate.Status.REVOKED:
                return certificate
        return None

    def valid_certificate(self, today=None):
        """The certificate that allows the OCOP stars to be shown today, or None."""
        certificate = self.current_certificate()
        if certificate is not None and certificate.is_valid(today or timezone.localdate()):
            return certificate
        return None

    @property
    def is_service(self) -> bool:
        """Sector VI (community tourism) is booked by contact, never put in a cart."""
        return self.ocop_category.code.startswith("VI")

    def first_image(self):
        for item in self.gallery_images.all():
            return item.image
        return None


class ProductVariant(NormalizedTextModel, Orderable):
    """A sellable unit, e.g. "hộp 200 g". Price is integer VND. Stock lives in StockItem."""

    product = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True, editable=False)
    name = models.CharField(_("tên phân loại"), max_length=120, help_text=_("Ví dụ: hộp 200 g"))
    price = VndField(
        _("giá (đồng)"),
        validators=[MinValueValidator(1000)],
        help_text=_("Ví dụ 150.000 hoặc 150k"),
    )
    compare_at_price = VndField(_("giá gốc (đồng)"), null=True, blank=True)
    weight_grams = models.PositiveIntegerField(
        _("khối lượng vận chuyển (g)"), help_text=_("Cả bao bì, dùng tính phí vận chuyển")
    )
    barcode = models.CharField(
        _("mã vạch (GTIN/EAN)"), max_length=14, blank=True, validators=[validate_gtin]
    )

    panels = [
        FieldPanel("sku", read_only=True),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("compare_at_price")]),
        FieldRowPanel([FieldPanel("weight_grams"), FieldPanel("barcode")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phân loại hàng")
        verbose_name_plural = _("phân loại hàng")

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.compare_at_price is not None and self.compare_at_price <= self.price:
            raise ValidationError(
                {"compare_at_price": _("Giá gốc phải cao hơn giá bán, hoặc để trống.")}
            )


class ProductGalleryImage(GalleryImage):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
