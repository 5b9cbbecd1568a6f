"""Admin screen "Tổng quan tỉnh" (province staff only): the tables of background.overview
with their charts, and each table as an XLSX download. Producers and their helpers get
Wagtail's "permission denied" (back to the dashboard with a message)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from background import overview
from background.overview_charts import ERROR_FIRST, Chart, chart, format_cell
from background.overview_xlsx import workbook
from catalogue.scope import scope_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FOLD_OVER = 6  # longer tables start folded under their chart


def _check(request: HttpRequest) -> None:
    if not scope_for(request.user).all_producers:
        raise PermissionDenied  # Wagtail's admin turns it into its "permission denied"


def _orders_charts(table: overview.Table) -> list[Chart]:
    channels = len(table.extra["channels"])
    return [
        chart(
            table,
            [1, *range(3, 3 + channels)],
            title=_("Số đơn theo tháng và kênh bán"),
        ),
        chart(table, [2], title=_("Doanh thu cửa hàng của tỉnh theo tháng")),
    ]


CHARTS: dict[str, Callable[[overview.Table], list[Chart]]] = {
    "chu-the-theo-loai-hinh": lambda t: [chart(t, [1])],
    "chu-the-theo-xa-phuong": lambda t: [
        chart(t, [2], limit=10, note=_("10 xã, phường có nhiều chủ thể nhất; đủ ở bảng dưới."))
    ],
    "san-pham-dang-ban-theo-hang-sao": lambda t: [chart(t, [1])],
    "san-pham-dang-ban-theo-nhom-ocop": lambda t: [chart(t, [1, 2, 3, 4])],
    "giay-chung-nhan-sap-het-hieu-luc": lambda t: [chart(t, [1])],
    "don-hang-va-doanh-thu-theo-thang": _orders_charts,
    "don-hang-12-thang-qua-theo-kenh-ban": lambda t: [chart(t, [1])],
    "tin-dang-tren-san-theo-kenh": lambda t: [chart(t, [1, 2, 3, 4], colours=ERROR_FIRST)],
}

GROUPS = [
    (gettext_lazy("Chủ thể OCOP"), ["chu-the-theo-loai-hinh", "chu-the-theo-xa-phuong"]),
    (
        gettext_lazy("Sản phẩm"),
        ["san-pham-dang-ban-theo-hang-sao", "san-pham-dang-ban-theo-nhom-ocop"],
    ),
    (
        gettext_lazy("Giấy chứng nhận"),
        ["giay-chung-nhan-sap-het-hieu-luc", "danh-sach-giay-chung-nhan-sap-het-hieu-luc"],
    ),
    (
        gettext_lazy("Đơn hàng"),
        ["don-hang-va-doanh-thu-theo-thang", "don-hang-12-thang-qua-theo-kenh-ban"],
    ),
    (gettext_lazy("Tin đăng trên sàn"), ["tin-dang-tren-san-theo-kenh", "tin-dang-bi-loi"]),
]


@dataclass(frozen=True)
class Section:
    key: str
    table: overview.Table
    charts: list[Chart]
    cells: list[list[tuple[str, bool]]]  # (text, is a number) per cell
    folded: bool
    cut: bool  # the screen shows the first rows only


def _section(key: str, today: datetime.date) -> Section:
    if key == "tin-dang-bi-loi":
        table = overview.listings_in_error(today, limit=overview.LISTED_ERRORS)
    else:
        table = overview.TABLES[key](today)
    kinds = [column.kind for column in table.columns]
    cells = [
        [
            (format_cell(value, kind), kind != overview.TEXT)
            for value, kind in zip(row, kinds, strict=True)
        ]
        for row in table.rows
    ]
    return Section(
        key=key,
        table=table,
        charts=CHARTS[key](table) if key in CHARTS else [],
        cells=cells,
        folded=len(table.rows) > FOLD_OVER,
        cut=key == "tin-dang-bi-loi" and len(table.rows) == overview.LISTED_ERRORS,
    )


def overview_view(request: HttpRequest) -> HttpResponse:
    _check(request)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "background/overview.html",
        {
            "page_title": _("Tổng quan tỉnh"),
            "header_icon": "site",
            "today": today,
            "groups": [
                (heading, [_section(key, today) for key in keys]) for heading, keys in GROUPS
            ],
        },
    )


def export_view(request: HttpRequest, key: str) -> HttpResponse:
    """One table, every row, as `<key>-<date>.xlsx` (the key is the title's slug)."""
    _check(request)
    if key not in overview.TABLES:
        raise Http404(_("Không có bảng này."))
    today = timezone.localdate()
    response = HttpResponse(workbook(overview.TABLES[key](today)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{key}-{today:%Y-%m-%d}.xlsx"'
    return response
