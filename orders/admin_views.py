"""Admin screen "Đơn hàng": the sub-orders a user may handle, newest first, with
filters, search, a detail page per sub-order and (staff only) CSV/XLSX export. Below
600 px each row is a card (orders/admin_phone.css): status and total first, then number,
date, buyer and items, and a full-width button to the sub-order.

Sub-orders are written by checkout and changed only through `orders.fulfilment`, so the
viewset has no add, edit or delete views."""

import django_filters
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from catalogue.admin_cards import CardColumn
from catalogue.money import format_vnd
from catalogue.scope import scope_for, scoped_producers
from catalogue.validators import normalize_mobile_vn
from orders.admin_detail import SubOrderDetailView
from orders.models import Order, PaymentMethod, SubOrder

FORMULA = ("=", "+", "-", "@", "\t", "\r")


class SubOrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SubOrder.Status.choices, empty_label=_("Tất cả")
    )
    order_status = django_filters.ChoiceFilter(
        label=_("Trạng thái đơn"),
        field_name="order__status",
        choices=Order.Status.choices,
        empty_label=_("Tất cả"),
    )
    payment_method = django_filters.ChoiceFilter(
        label=_("Thanh toán"),
        field_name="order__payment_method",
        choices=PaymentMethod.choices,
        empty_label=_("Tất cả"),
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Chủ thể"), queryset=scoped_producers, empty_label=_("Tất cả")
    )

    class Meta:
        model = SubOrder
        fields: list[str] = []  # all declared above


class OpenColumn(Column):
    """Phone cards only: a full-width button to the sub-order."""

    cell_template_name = "orders/admin/open_cell.html"


def _items(sub_order: SubOrder) -> str:
    return ", ".join(
        f"{line.quantity} × {line.product_title} ({line.variant_name})"
        for line in sub_order.lines.all()
    )


def _local_time(value):
    return timezone.localtime(value).replace(tzinfo=None)


class SubOrderIndexView(IndexView):
    page_title = _("Đơn hàng")
    table_classname = "listing phone-cards order-cards"
    detail_url_name = None
    # Turns Wagtail's search box on; search_queryset below does the searching (the
    # phone typed as people type it).
    search_fields = ["number", "order__name", "order__phone"]
    custom_field_preprocess = {
        "order.created_at": {
            IndexView.FORMAT_CSV: lambda value: f"{timezone.localtime(value):%d/%m/%Y %H:%M}",
            IndexView.FORMAT_XLSX: _local_time,
        }
    }

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not self.user_has_permission("export"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self) -> bool:
        return self.user_has_permission("export")

    def get_base_queryset(self) -> QuerySet:
        queryset = SubOrder.objects.select_related("order", "producer")
        if self.is_export:
            queryset = queryset.select_related("order__commune", "order__province")
        else:
            queryset = queryset.prefetch_related("lines")
        return scope_for(self.request.user).filter(queryset)

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        # Sub-orders of one order share its date: keep pages stable.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "number")

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        phone = normalize_mobile_vn(query)
        return queryset.filter(
            Q(number__icontains=query)
            | Q(order__name__icontains=query)
            | Q(order__phone__contains=phone or query)
        )

    def get_detail_url(self, sub_order: SubOrder) -> str:
        return reverse(self.detail_url_name, args=[sub_order.pk])

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "number",
                label=_("Số đơn"),
                sort_key="number",
                get_url=self.get_detail_url,
                classname="oc-number",
            ),
            DateColumn(
                "created_at",
                label=_("Ngày đặt"),
                accessor="order.created_at",
                sort_key="order__created_at",
                classname="oc-date",
            ),
            CardColumn("producer", label=_("Chủ thể"), accessor="producer.title"),
            CardColumn("shopper", label=_("Người nhận"), accessor="order.name"),
            CardColumn(
                "payment_method",
                label=_("Thanh toán"),
                accessor="order.get_payment_method_display",
            ),
            CardColumn(
                "order_status",
                label=_("Trạng thái đơn"),
                accessor="order.get_status_display",
            ),
            Column(
                "status",
                label=_("Trạng thái"),
                accessor="get_status_display",
                sort_key="status",
                classname="oc-status",
            ),
            Column(
                "total",
                label=_("Tổng tiền"),
                accessor=lambda s: format_vnd(s.total),
                classname="oc-total",
            ),
            CardColumn("items", label=_("Hàng"), accessor=_items, classname="card-phone oc-items"),
            OpenColumn(
                "open",
                label=_("Xem đơn"),
                accessor=self.get_detail_url,
                classname="card-phone oc-open",
            ),
        ]

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        # Shoppers type names and addresses: a cell starting with = + - @ would run as a
        # formula when staff open the CSV in Excel (the XLSX writer already stores text).
        if export_format == self.FORMAT_CSV and isinstance(value, str) and value[:1] in FORMULA:
            return "'" + value
        return value

    def stream_csv(self, queryset):
        # Excel reads a CSV as UTF-8 (Vietnamese intact) only when it starts with a BOM.
        yield "\ufeff"
        yield from super().stream_csv(queryset)


class SubOrderViewSet(ModelViewSet):
    model = SubOrder
    name = "sub_orders"
    url_prefix = "orders"
    icon = "form"
    menu_label = _("Đơn hàng")
    menu_order = 200
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = SubOrderIndexView
    filterset_class = SubOrderFilterSet
    ordering = "-order__created_at"
    list_per_page = 50
    list_export = [
        "number",
        "order.created_at",
        "producer.title",
        "order.name",
        "order.phone",
        "order.address",
        "order.get_payment_method_display",
        "order.get_status_display",
        "get_status_display",
        "items_total",
        "shipping_fee",
        "total",
        "carrier",
        "tracking_number",
    ]
    export_headings = {
        "number": _("Số đơn"),
        "order.created_at": _("Ngày đặt"),
        "producer.title": _("Chủ thể"),
        "order.name": _("Người nhận"),
        "order.phone": _("Điện thoại"),
        "order.address": _("Địa chỉ"),
        "order.get_payment_method_display": _("Thanh toán"),
        "order.get_status_display": _("Trạng thái đơn"),
        "get_status_display": _("Trạng thái"),
        "items_total": _("Tiền hàng (đồng)"),
        "shipping_fee": _("Phí vận chuyển (đồng)"),
        "total": _("Tổng cộng (đồng)"),
        "carrier": _("Đơn vị vận chuyển"),
        "tracking_number": _("Mã vận đơn"),
    }
    export_filename = "don-hang"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(detail_url_name=self.get_url_name("detail"), **kwargs)

    @property
    def detail_view(self):
        return self.construct_view(
            SubOrderDetailView,
            index_url_name=self.get_url_name("index"),
            detail_url_name=self.get_url_name("detail"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.detail_view, name="detail"),
        ]

    @property
    def url_finder_class(self):
        return type(
            "SubOrderURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("detail")},
        )

    def get_permissions_to_register(self):
        # Access comes from the producer and staff groups (admin_permissions), not from
        # model permissions, so there is nothing to tick in the group editor.
        return Permission.objects.none()
