"""Admin screens "Kênh bán": channels with their health and a "sync now" button, category
mappings, sync runs and marketplace orders (province staff), and marketplace listings
(staff: every listing; a producer's editors: those of their own products).

Listings, sync runs and marketplace orders are written by the sync engine, so their
screens are read-only listings."""

import datetime
import json
from typing import Protocol

import django_filters
from django.contrib.auth.models import Permission
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from catalogue.admin_cards import CardBooleanColumn, CardColumn
from catalogue.models import ProductPage
from catalogue.scope import scope_for, scoped_producers
from connectors import authorisation
from connectors.admin_forms import ChannelForm
from connectors.models import CategoryMapping, Channel, Listing, MarketplaceOrder, SyncRun

ERROR_STATUSES = (SyncRun.Status.PARTIAL, SyncRun.Status.FAILED)


class _ChannelWithRuns(Protocol):
    """A channel of ChannelIndexView's queryset: its newest run (if any) prefetched."""

    latest_runs: list[SyncRun]  # Prefetch(to_attr=...)


def _last_run(channel: _ChannelWithRuns) -> str:
    if not channel.latest_runs:
        return ""
    run = channel.latest_runs[0]
    started = f"{timezone.localtime(run.started_at):%d/%m %H:%M}"
    return " · ".join(filter(None, [started, run.get_status_display(), run.counts_text()]))


def _day(field: str):
    """A date as a day (Wagtail's DateColumn says "Just now" in English for a future
    one, such as a token's end)."""

    def accessor(channel: Channel) -> str:
        moment = getattr(channel, field)
        return f"{timezone.localtime(moment):%d/%m/%Y}" if moment else ""

    return accessor


def _authorisation_end(channel: Channel) -> str:
    """The day, and how many days are left once reminders have started."""
    day = _day("authorisation_expires_at")(channel)
    left = authorisation.days_left(channel, timezone.localdate())
    if left is None or left > max(authorisation.REMIND_DAYS):
        return day
    if left < 0:
        return gettext("%(day)s (đã hết hạn)") % {"day": day}
    return ngettext("%(day)s (còn %(n)d ngày)", "%(day)s (còn %(n)d ngày)", left) % {
        "day": day,
        "n": left,
    }


class LinkColumn(Column):
    """The value as an outgoing link (empty cell when there is none)."""

    cell_template_name = "connectors/admin/link_cell.html"


CHANNEL_BUTTONS_HOOK = "connectors_channel_buttons"


class ChannelButtonsColumn(Column):
    """POST buttons that other apps add to each channel row: a function registered with
    `@hooks.register("connectors_channel_buttons")` takes (channel, user) and returns
    (label, URL) pairs (background adds "Đồng bộ ngay")."""

    cell_template_name = "connectors/admin/channel_buttons_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        user = context["request"].user
        context["buttons"] = [
            button
            for hook in hooks.get_hooks(CHANNEL_BUTTONS_HOOK)
            for button in hook(instance, user)
        ]
        context["csrf_token"] = get_token(context["request"])
        return context


# Channels


class ChannelIndexView(IndexView):
    table_classname = "listing phone-cards"  # cards below 600 px

    def get_base_queryset(self) -> QuerySet:
        # Dry runs push nothing: they are neither the last pass nor an error on the channel.
        since = timezone.now() - datetime.timedelta(hours=24)
        errors = Q(runs__started_at__gte=since, runs__status__in=ERROR_STATUSES) & ~Q(
            runs__kind="dry-run"
        )
        latest = SyncRun.objects.exclude(kind="dry-run")[:1]  # newest first (Meta)
        return Channel.objects.annotate(errors_24h=Count("runs", filter=errors)).prefetch_related(
            Prefetch("runs", queryset=latest, to_attr="latest_runs")
        )


class ChannelViewSet(ModelViewSet):
    model = Channel
    name = "marketplace_channels"
    url_prefix = "marketplaces/channels"
    icon = "site"
    menu_label = _("Kênh")
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = ChannelIndexView
    ordering = "name"  # Meta.ordering does not apply to the annotated (grouped) query
    list_display = [
        "name",
        CardColumn("kind", label=_("Sàn"), accessor="get_kind_display"),
        CardBooleanColumn("enabled", label=_("Đang bật")),
        CardColumn("last_run", label=_("Lượt đồng bộ gần nhất"), accessor=_last_run),
        CardColumn("errors_24h", label=_("Lượt lỗi trong 24 giờ")),
        CardColumn("token_expires_at", label=_("Token hết hạn"), accessor=_day("token_expires_at")),
        CardColumn(
            "authorisation_expires_at",
            label=_("Cấp quyền lại trước"),
            accessor=_authorisation_end,
        ),
        CardBooleanColumn("needs_reauth", label=_("Cần cấp quyền lại")),
        ChannelButtonsColumn("buttons", label="", accessor=lambda channel: None),
    ]

    def get_form_class(self, for_update: bool = False) -> type[ChannelForm]:
        return ChannelForm


class CategoryMappingViewSet(ModelViewSet):
    model = CategoryMapping
    name = "marketplace_mappings"
    url_prefix = "marketplaces/mappings"
    icon = "tag"
    menu_label = _("Ánh xạ danh mục")
    add_to_reference_index = False
    form_fields = ["channel", "ocop_category", "category_id", "attributes"]
    list_display = [
        "ocop_category",
        Column("channel", label=_("Kênh"), sort_key="channel__name"),
        "category_id",
        Column(
            "attributes",
            label=_("Thuộc tính"),
            accessor=lambda mapping: json.dumps(mapping.attributes, ensure_ascii=False),
        ),
    ]
    list_filter = ["channel"]
    search_fields = ["category_id", "ocop_category__code", "ocop_category__name_vi"]
    ordering = ["channel__name", "ocop_category__sort_key"]


# Read-only screens


class ReadOnlyViewSet(ModelViewSet):
    """A listing of rows the sync engine writes: no add, edit, copy or delete views."""

    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def register_admin_url_finder(self) -> None:
        """No edit view for the admin URL finder to point at."""

    def get_permissions_to_register(self):
        # Access comes from the staff and producer groups (connectors.wagtail_hooks).
        return Permission.objects.none()


def _products(request: HttpRequest) -> QuerySet:
    return scope_for(request.user).filter(ProductPage.objects.order_by("title"))


class ListingFilterSet(WagtailFilterSet):
    channel = django_filters.ModelChoiceFilter(
        label=_("Kênh"), queryset=Channel.objects.all(), empty_label=_("Tất cả")
    )
    state = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=Listing.State.choices, empty_label=_("Tất cả")
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Chủ thể"),
        field_name="product__producer",
        queryset=scoped_producers,
        empty_label=_("Tất cả"),
    )
    product = django_filters.ModelChoiceFilter(
        label=_("Sản phẩm"), queryset=_products, empty_label=_("Tất cả")
    )

    class Meta:
        model = Listing
        fields: list[str] = []  # all declared above


class ListingIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet:
        listings = Listing.objects.select_related("channel", "product")
        return scope_for(self.request.user).filter(listings, field="product__producer")


class ListingViewSet(ReadOnlyViewSet):
    model = Listing
    name = "marketplace_listings"
    url_prefix = "marketplaces/listings"
    icon = "list-ul"
    menu_label = _("Tin đăng trên sàn")
    index_view_class = ListingIndexView
    filterset_class = ListingFilterSet
    search_fields = ["sku", "product__title"]
    ordering = "-updated_at"
    list_display = [
        Column("channel", label=_("Kênh"), accessor="channel.name", sort_key="channel__name"),
        Column("sku", label=_("SKU"), sort_key="sku"),
        TitleColumn(
            "product",
            label=_("Sản phẩm"),
            accessor="product.title",
            get_url=lambda listing: reverse("wagtailadmin_pages:edit", args=[listing.product_id]),
        ),
        Column("state", label=_("Trạng thái"), accessor="get_state_display", sort_key="state"),
        Column("last_error", label=_("Lỗi gần nhất")),
        DateColumn("updated_at", label=_("Cập nhật"), sort_key="updated_at"),
        LinkColumn("url", label=_("Trên sàn")),
    ]


class SyncRunViewSet(ReadOnlyViewSet):
    model = SyncRun
    name = "marketplace_runs"
    url_prefix = "marketplaces/runs"
    icon = "history"
    menu_label = _("Lượt đồng bộ")
    list_filter = ["channel", "status"]
    list_display = [
        Column("channel", label=_("Kênh"), accessor="channel.name"),
        Column("kind", label=_("Loại")),
        Column("status", label=_("Trạng thái"), accessor="get_status_display"),
        DateColumn("started_at", label=_("Bắt đầu"), sort_key="started_at"),
        DateColumn("finished_at", label=_("Kết thúc")),
        Column("counts", label=_("Số liệu"), accessor=lambda run: run.counts_text()),
        Column("errors", label=_("Lỗi"), accessor=lambda run: "; ".join(run.errors[:3])),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=SyncRun.objects.select_related("channel"), **kwargs
        )


class MarketplaceOrderViewSet(ReadOnlyViewSet):
    model = MarketplaceOrder
    name = "marketplace_orders"
    url_prefix = "marketplaces/orders"
    icon = "form"
    menu_label = _("Đơn từ sàn")
    list_filter = ["channel", "stock_state"]
    search_fields = ["external_id"]
    list_display = [
        Column("external_id", label=_("Mã đơn trên sàn")),
        Column("channel", label=_("Kênh"), accessor="channel.name"),
        Column("state", label=_("Trạng thái")),
        Column("stock_state", label=_("Tồn kho"), accessor="get_stock_state_display"),
        Column(
            "lines",
            label=_("Hàng"),
            accessor=lambda order: ", ".join(
                f"{sku} × {qty}"
                for part in ("held", "shipped")
                for sku, qty in (order.lines or {}).get(part, {}).items()
            ),
        ),
        Column("note", label=_("Ghi chú")),
        DateColumn("created_at", label=_("Nhận lúc"), sort_key="created_at"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=MarketplaceOrder.objects.select_related("channel"), **kwargs
        )


class MarketplacesGroup(ModelViewSetGroup):
    items = (
        ChannelViewSet,
        CategoryMappingViewSet,
        ListingViewSet,
        SyncRunViewSet,
        MarketplaceOrderViewSet,
    )
    menu_label = _("Kênh bán")
    menu_icon = "globe"
    menu_order = 220
