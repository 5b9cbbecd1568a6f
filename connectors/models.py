"""Marketplace channels, what each one carries, and what the sync engine last did.

A Listing binds one of our SKUs to one channel: the marketplace's ids, its state, and
what was last pushed (content fingerprint, price, stock), so a pass compares and sends
only what changed. Secrets live encrypted in `Channel.secrets` (connectors.crypto)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from connectors import crypto


class Channel(models.Model):
    class Kind(models.TextChoices):
        SHOPEE = "shopee", "Shopee"
        LAZADA = "lazada", "Lazada"

    kind = models.CharField(_("sàn"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên kênh"), max_length=120)
    slug = models.SlugField(_("mã kênh"), unique=True)
    enabled = models.BooleanField(_("đang bật"), default=True)
    base_url = models.URLField(_("địa chỉ API"), help_text=_("Địa chỉ sàn hoặc sandbox."))
    secrets = models.TextField(editable=False, blank=True)  # encrypted JSON
    token_expires_at = models.DateTimeField(_("token hết hạn"), null=True, blank=True)
    needs_reauth = models.BooleanField(_("cần cấp quyền lại"), default=False)
    # When the seller's authorisation ends (Lazada: its refresh token's end, which a
    # refresh does not extend), as far as the marketplace says.
    authorisation_expires_at = models.DateTimeField(_("cấp quyền lại trước"), null=True, blank=True)
    # The last reminder province staff were sent for that end: 14 or 3 (days before).
    authorisation_warned_days = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )
    producers = models.ManyToManyField(
        "catalogue.ProducerPage",
        blank=True,
        related_name="+",
        verbose_name=_("chủ thể"),
        help_text=_("Để trống: gian hàng chung của tỉnh, mang mọi sản phẩm OCOP."),
    )
    requires_certificate = models.BooleanField(
        _("chỉ sản phẩm có chứng nhận OCOP còn hiệu lực"), default=True
    )
    price_markup_percent = models.PositiveSmallIntegerField(
        _("cộng thêm vào giá (%)"), default=0, help_text=_("Bù phí sàn; làm tròn lên 1.000 ₫.")
    )
    stock_share_percent = models.PositiveSmallIntegerField(
        _("phần tồn kho đưa lên (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("Ví dụ 50: sàn này chỉ thấy một nửa số hàng còn bán được."),
    )
    stock_buffer = models.PositiveIntegerField(
        _("giữ lại (đơn vị)"), default=0, help_text=_("Số lượng không đưa lên sàn này.")
    )
    # The scheduler (background.schedule) runs each kind of pass this often.
    orders_interval_minutes = models.PositiveSmallIntegerField(
        _("lấy đơn từ sàn (phút)"), default=2, validators=[MinValueValidator(1)]
    )
    stock_interval_minutes = models.PositiveSmallIntegerField(
        _("đồng bộ tồn kho, giá, tin đăng (phút)"), default=5, validators=[MinValueValidator(1)]
    )
    full_interval_minutes = models.PositiveSmallIntegerField(
        _("đối soát toàn bộ với sàn (phút)"),
        default=1440,
        validators=[MinValueValidator(1)],
        help_text=_("1440 = mỗi ngày một lần, lúc nửa đêm."),
    )
    sync_paused = models.BooleanField(
        _("tạm dừng đồng bộ tự động"),
        default=False,
        help_text=_("Không chạy theo lịch; thay đổi được giữ lại và gửi khi bật lại."),
    )
    calls_per_second = models.PositiveSmallIntegerField(
        _("số lệnh gọi tối đa mỗi giây"), default=10, help_text=_("Giới hạn của sàn cho ứng dụng.")
    )
    orders_cursor = models.CharField(max_length=64, blank=True, editable=False)
    # The last push of an order change (connectors.push), and the start of the last order
    # pull that worked: while the first is later, the scheduler pulls again.
    orders_wanted_at = models.DateTimeField(null=True, blank=True, editable=False)
    orders_pulled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # One pass per channel at a time, across processes and machines: a lease row.
    lease_owner = models.CharField(max_length=64, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kênh bán")
        verbose_name_plural = _("kênh bán")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def get_secrets(self) -> dict[str, str]:
        return crypto.decrypt(self.secrets)

    def set_secrets(self, values: dict[str, str]) -> None:
        self.secrets = crypto.encrypt(values)

    def orders_wanted(self) -> bool:
        """A pushed order change no order pull has fetched yet."""
        wanted, pulled = self.orders_wanted_at, self.orders_pulled_at
        return wanted is not None and (pulled is None or pulled < wanted)

    def masked_secrets(self) -> dict[str, str]:
        return {key: crypto.mask(value) for key, value in self.get_secrets().items()}


class CategoryMapping(models.Model):
    """OCOP set → the marketplace category and the attributes that category requires."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="mappings")
    ocop_category = models.ForeignKey(
        "catalogue.OcopCategory",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"is_leaf": True},
        verbose_name=_("bộ sản phẩm OCOP"),
    )
    category_id = models.CharField(_("mã danh mục trên sàn"), max_length=32)
    attributes = models.JSONField(
        _("thuộc tính bắt buộc"),
        default=dict,
        blank=True,
        help_text=_('Ví dụ {"brand": "No brand", "origin": "Việt Nam", "logistic_id": "50021"}'),
    )

    class Meta:
        verbose_name = _("ánh xạ danh mục")
        verbose_name_plural = _("ánh xạ danh mục")
        constraints = [
            models.UniqueConstraint(fields=["channel", "ocop_category"], name="mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel.slug}: {self.ocop_category_id} → {self.category_id}"


class Listing(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Chờ đưa lên")
        LIVE = "live", _("Đang bán")
        ERROR = "error", _("Lỗi")
        DELISTED = "delisted", _("Đã gỡ")
        SKIPPED = "skipped", _("Không đăng")  # the channel does not carry it: see last_error

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="listings")
    sku = models.CharField(_("SKU"), max_length=64)
    product = models.ForeignKey(
        "catalogue.ProductPage", on_delete=models.CASCADE, related_name="listings"
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING
    )
    external_item_id = models.CharField(max_length=64, blank=True)
    external_sku_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(blank=True)
    content_fingerprint = models.CharField(max_length=64, blank=True)
    pushed_price = models.PositiveBigIntegerField(null=True, blank=True)
    pushed_stock = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    create_attempted = models.BooleanField(default=False)  # look up before creating again
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tin đăng trên sàn")
        verbose_name_plural = _("tin đăng trên sàn")
        constraints = [models.UniqueConstraint(fields=["channel", "sku"], name="listing_unique")]
        indexes = [models.Index(fields=["channel", "product"])]

    def __str__(self) -> str:
        return f"{self.channel.slug}:{self.sku} ({self.state})"


class ImageUpload(models.Model):
    """An image uploaded to a channel once and reused while its file is unchanged."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=64)
    external_id = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "image", "file_hash"], name="image_upload_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.image_id} → {self.external_id}"


class SyncRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        OK = "ok", _("Thành công")
        PARTIAL = "partial", _("Có lỗi một phần")
        FAILED = "failed", _("Thất bại")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=16)  # "pass" | "reconcile" | "dry-run"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    skipped = models.JSONField(default=list)  # dry runs: "code: why it is not carried"

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lượt đồng bộ")
        verbose_name_plural = _("lượt đồng bộ")

    def __str__(self) -> str:
        return f"{self.channel.slug} {self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    def counts_text(self) -> str:
        """ "calls 12, stock 3": what the pass did, for people."""
        return ", ".join(f"{key} {value}" for key, value in sorted(self.counts.items()))


class MarketplaceOrder(models.Model):
    """An order taken on a marketplace, with where its units are in our stock."""

    class StockState(models.TextChoices):
        RESERVED = "reserved", _("Đang giữ")
        COMMITTED = "committed", _("Đã xuất kho")
        RELEASED = "released", _("Đã trả lại kho")
        UNMATCHED = "unmatched", _("Không khớp SKU")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="orders")
    external_id = models.CharField(_("mã đơn trên sàn"), max_length=64)
    state = models.CharField(_("trạng thái"), max_length=16)
    stock_state = models.CharField(max_length=10, choices=StockState.choices)
    lines = models.JSONField(default=dict)  # {"held": {sku: n}, "shipped": {sku: n}}
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đơn từ sàn")
        verbose_name_plural = _("đơn từ sàn")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="mp_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel.slug}:{self.external_id}"


class PendingPush(models.Model):
    """A SKU whose stock (or listing) changed since the channel last pushed it, one row
    per change: the scheduler turns them into one debounced quick pass per channel
    (connectors.stock_push)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    sku = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["channel", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.sku}"


class PushNotice(models.Model):
    """A notification the marketplace pushed to the channel's webhook, kept so that the
    same one delivered again (pushes are at least once) has no second effect."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)  # what the push says happened (connectors.push)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="push_notice_unique")
        ]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.key}"
