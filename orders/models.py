"""Orders: one order per checkout, split into one sub-order per producer.

Lines copy what the shopper saw (name, price, weight) so later catalogue edits never
change a placed order. Stock is held and released through `catalogue.stock` only;
`SubOrder.stock_state` records where that sub-order's units are, so every stock step
happens at most once whatever retries, webhooks and clicks arrive.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.money import VndField
from catalogue.text import NormalizedTextModel


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Thanh toán khi nhận hàng (COD)")
    CARD = "card", _("Thẻ quốc tế (Visa, Mastercard)")


class Order(NormalizedTextModel):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Chờ thanh toán")
        PLACED = "placed", _("Đã đặt (trả khi nhận hàng)")
        PAID = "paid", _("Đã thanh toán")
        PAYMENT_FAILED = "payment_failed", _("Thanh toán không thành công")
        EXPIRED = "expired", _("Hết hạn giữ hàng")
        CANCELLED = "cancelled", _("Đã huỷ")

    number = models.CharField(_("số đơn"), max_length=16, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    payment_method = models.CharField(_("thanh toán"), max_length=8, choices=PaymentMethod.choices)
    name = models.CharField(_("người nhận"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=12, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    province = models.ForeignKey(
        "catalogue.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        "catalogue.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    street = models.CharField(_("địa chỉ"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    items_total = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_total = models.PositiveBigIntegerField(_("phí vận chuyển (đồng)"))
    total = models.PositiveBigIntegerField(_("tổng cộng (đồng)"))
    payment_intent_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    hold_until = models.DateTimeField(
        _("giữ hàng đến"), null=True, blank=True, help_text=_("Chỉ với đơn chờ thanh toán thẻ.")
    )
    needs_attention = models.CharField(_("cần xử lý"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ngày đặt"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("ngày thanh toán"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(
        _("đã xoá thông tin cá nhân"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đơn hàng")
        verbose_name_plural = _("đơn hàng")
        indexes = [models.Index(fields=["status", "hold_until"])]

    def __str__(self) -> str:
        return self.number

    @property
    def address(self) -> str:
        return f"{self.street}, {self.commune.full_name}, {self.province.name}"

    def add_note(self, note: str) -> None:
        """Add a line to `needs_attention` (for staff: refunds, amount mismatches), kept
        within the column's length; the caller saves."""
        notes = [self.needs_attention, note] if self.needs_attention else [note]
        limit = Order._meta.get_field("needs_attention").max_length
        self.needs_attention = " | ".join(notes)[:limit]


class SubOrder(models.Model):
    """One producer's part of an order: what that producer packs and ships."""

    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        PACKED = "packed", _("Đã đóng gói")
        SHIPPED = "shipped", _("Đang giao")
        DELIVERED = "delivered", _("Đã giao")
        CANCELLED = "cancelled", _("Đã huỷ")

    class StockState(models.TextChoices):
        RESERVED = "reserved", _("Đang giữ")
        COMMITTED = "committed", _("Đã xuất kho")
        RELEASED = "released", _("Đã trả lại kho")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sub_orders")
    number = models.CharField(_("số đơn"), max_length=20, unique=True)
    producer = models.ForeignKey(
        "catalogue.ProducerPage",
        on_delete=models.PROTECT,
        related_name="sub_orders",
        verbose_name=_("chủ thể"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    stock_state = models.CharField(
        _("kho"), max_length=12, choices=StockState.choices, default=StockState.RESERVED
    )
    items_total = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_fee = models.PositiveBigIntegerField(_("phí vận chuyển (đồng)"))
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"))
    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=60, blank=True)
    tracking_number = models.CharField(_("mã vận đơn"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-order__created_at", "number"]
        verbose_name = _("đơn của chủ thể")
        verbose_name_plural = _("đơn của chủ thể")

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> int:
        return self.items_total + self.shipping_fee


def sku_quantities(sub_orders) -> dict[str, int]:
    """SKU → quantity over the lines of `sub_orders` (a queryset or list), in one query."""
    quantities: dict[str, int] = {}
    lines = OrderLine.objects.filter(sub_order__in=sub_orders).values_list("sku", "quantity")
    for sku, quantity in lines:
        quantities[sku] = quantities.get(sku, 0) + quantity
    return quantities


class OrderLine(models.Model):
    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(_("SKU"), max_length=64)
    product = models.ForeignKey(
        "catalogue.ProductPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_title = models.CharField(_("sản phẩm"), max_length=255)
    variant_name = models.CharField(_("phân loại"), max_length=120)
    unit_price = models.PositiveBigIntegerField(_("đơn giá (đồng)"))
    quantity = models.PositiveIntegerField(_("số lượng"))
    weight_grams = models.PositiveIntegerField(_("khối lượng 1 đơn vị (g)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("dòng hàng")
        verbose_name_plural = _("dòng hàng")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """The history of an order: status changes (who, when), payments, stock steps."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    sub_order = models.ForeignKey(
        SubOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nhật ký đơn hàng")
        verbose_name_plural = _("nhật ký đơn hàng")

    def __str__(self) -> str:
        return f"{self.order_id} {self.from_status}→{self.to_status}"


class PaymentEvent(models.Model):
    """Every Stripe webhook event received, once: the unique id makes a second delivery
    of the same event a no-op."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Đã áp dụng")
        ALREADY = "already", _("Đã xử lý trước đó")
        UNKNOWN_ORDER = "unknown_order", _("Không có đơn hàng")
        IGNORED = "ignored", _("Không cần xử lý")
        MISMATCH = "mismatch", _("Số tiền hoặc tiền tệ không khớp")

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=64)
    payment_intent_id = models.CharField(max_length=64, blank=True, db_index=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="payment_events"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class ShippingRule(NormalizedTextModel):
    """Shipping fee for one producer's parcel: base fee for the first `included_grams`,
    then `per_kg_fee` per started kilogram. The most specific rule wins: producer and
    province, then producer, then province, then the general rule."""

    producer = models.ForeignKey(
        "catalogue.ProducerPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("chủ thể"),
        help_text=_("Để trống: áp dụng cho mọi chủ thể."),
    )
    province = models.ForeignKey(
        "catalogue.Province",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("giao đến tỉnh"),
        help_text=_("Để trống: áp dụng cho mọi tỉnh."),
    )
    base_fee = VndField(_("phí cơ bản (đồng)"))
    included_grams = models.PositiveIntegerField(_("khối lượng trong phí cơ bản (g)"))
    per_kg_fee = VndField(_("mỗi kg thêm (đồng)"))
    free_from = VndField(_("miễn phí từ (đồng tiền hàng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("phí vận chuyển")
        verbose_name_plural = _("phí vận chuyển")

    def __str__(self) -> str:
        scope = [str(s) for s in (self.producer, self.province) if s] or [str(_("Mặc định"))]
        return " · ".join(map(str, scope))

    def clean(self) -> None:
        same_scope = ShippingRule.objects.filter(
            producer=self.producer_id, province=self.province_id
        ).exclude(pk=self.pk)
        if same_scope.exists():
            raise ValidationError(_("Đã có một quy tắc cho đúng chủ thể và tỉnh này."))


class LookupThrottle(models.Model):
    """Wrong order-lookup tries for one order number or one phone, in a window that
    starts at the first (orders/lookup_limit.py). In the database, so every web
    process counts together, with or without Redis."""

    key = models.CharField(max_length=120, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class PrivacyConsent(models.Model):
    """A shopper agreed to the personal-data notice (Decree 13/2023/NĐ-CP art. 11: consent
    is shown and recorded): when, for what, and the exact text, as the Wagtail revision of
    the privacy page that was live then (orders/consent.py)."""

    class Purpose(models.TextChoices):
        ORDER = "order", _("Đặt hàng")
        ACCOUNT = "account", _("Tạo tài khoản")

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="consent"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
    )
    notice = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.agreed_at:%Y-%m-%d %H:%M}"
