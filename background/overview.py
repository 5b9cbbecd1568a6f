"""The figures of "Tổng quan tỉnh" (province staff): producers, products, certificates,
orders and marketplace listings, one small function per table.

Every table is counted in the database (GROUP BY), one or two queries each, whatever the
size of the catalogue; the same ORM aggregates on SQLite and PostgreSQL. Months are the
province's (settings.TIME_ZONE, Asia/Ho_Chi_Minh): an order at 23:30 on 31 May, Hanoi
time, is May's even though it is 16:30 UTC."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.query import PageQuerySet

from catalogue.models import Certificate, ProducerPage, ProducerType, ProductPage
from catalogue.storefront import reference
from connectors.models import Channel, Listing, MarketplaceOrder
from orders.fulfilment import FULFILLABLE_ORDER_STATUSES
from orders.models import SubOrder

MONTHS = 12  # orders and revenue over the last twelve months, this one included
EXPIRY_BANDS = (30, 60, 90)  # days
STARS = (5, 4, 3)
LISTED_ERRORS = 50  # on the screen; the XLSX file has them all

# Column kinds: how a cell is shown and written to XLSX.
TEXT, COUNT, MONEY, DATE = "text", "count", "money", "date"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT


@dataclass
class Table:
    """Rows of plain values (int for counts and money, None where nothing is known)."""

    title: str
    columns: list[Column]
    rows: list[tuple]
    note: str = ""
    extra: dict = field(default_factory=dict)  # what a chart needs beyond the rows


def _counts(pages: PageQuerySet, **keys) -> dict[tuple, int]:
    """Live pages counted per combination of `keys` (expressions, or field names as
    F()), in one GROUP BY query: {(key values…): count}."""
    rows = (
        pages.live()
        .order_by()  # pages come ordered by tree path, which would split the groups
        .annotate(**{f"key_{name}": expression for name, expression in keys.items()})
        .values(*(f"key_{name}" for name in keys))
        .annotate(n=Count("pk"))
        .values_list(*(f"key_{name}" for name in keys), "n")
    )
    return {tuple(row[:-1]): row[-1] for row in rows}


def producers_by_type(today: datetime.date) -> Table:
    counts = _counts(ProducerPage.objects.all(), type=F("producer_type"))
    return Table(
        _("Chủ thể theo loại hình"),
        [Column(_("Loại hình")), Column(_("Số chủ thể"), COUNT)],
        [(label, counts.get((value,), 0)) for value, label in ProducerType.choices],
    )


def producers_by_commune(today: datetime.date) -> Table:
    rows = (
        ProducerPage.objects.live()
        .values("commune__full_name", "commune__province__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__full_name")
        .values_list("commune__full_name", "commune__province__name", "n")
    )
    return Table(
        _("Chủ thể theo xã, phường"),
        [Column(_("Xã/phường")), Column(_("Tỉnh/thành phố")), Column(_("Số chủ thể"), COUNT)],
        list(rows),
    )


def _shown_stars(today: datetime.date) -> Coalesce:
    """The stars a product shows today: its newest certificate not revoked, if still
    valid (as ProductPage.valid_certificate), else 0."""
    newest = (
        Certificate.objects.filter(product=OuterRef("pk"))
        .exclude(status=Certificate.Status.REVOKED)
        .order_by("-signed_on", "-pk")
        .annotate(
            shown=Case(
                When(status=Certificate.Status.VALID, valid_until__gte=today, then=F("stars")),
                default=Value(0),
            )
        )
        .values("shown")[:1]
    )
    return Coalesce(Subquery(newest, output_field=IntegerField()), 0)


def _star_label(stars: int) -> str:
    return _("%(stars)s sao") % {"stars": stars} if stars else _("Chưa có sao còn hiệu lực")


def products_by_stars(today: datetime.date) -> Table:
    counts = _counts(ProductPage.objects.all(), stars=_shown_stars(today))
    return Table(
        _("Sản phẩm đang bán theo hạng sao"),
        [Column(_("Hạng sao")), Column(_("Số sản phẩm"), COUNT)],
        [(_star_label(stars), counts.get((stars,), 0)) for stars in (*STARS, 0)],
        note=_("Sao của giấy chứng nhận mới nhất còn hiệu lực hôm nay."),
    )


def products_by_group(today: datetime.date) -> Table:
    """Per OCOP group (I.1 …; a sector without groups, VI, stands for itself), split by
    the stars shown today."""
    group = Case(
        When(ocop_category__level="set", then=F("ocop_category__parent__code")),
        default=F("ocop_category__code"),
    )
    counts: dict[str, dict[int, int]] = {}
    by_group = _counts(ProductPage.objects.all(), group=group, stars=_shown_stars(today))
    for (code, stars), n in by_group.items():
        counts.setdefault(code, {})[stars] = n
    categories = reference.get().categories
    rows = []
    for code, category in categories.items():  # in the taxonomy's order
        if code in counts:
            by_stars = counts[code]
            cells = [by_stars.get(stars, 0) for stars in (*STARS, 0)]
            rows.append((f"{code} {category.name_vi}", *cells, sum(cells)))
    return Table(
        _("Sản phẩm đang bán theo nhóm OCOP"),
        [
            Column(_("Nhóm sản phẩm")),
            *(Column(_star_label(stars), COUNT) for stars in (*STARS, 0)),
            Column(_("Tổng"), COUNT),
        ],
        rows,
    )


def _expiring(today: datetime.date):
    """Valid certificates ending within the longest band, unless the product already has
    a later valid one (renewed: nothing to do)."""
    renewed = Certificate.objects.filter(
        product=OuterRef("product"),
        status=Certificate.Status.VALID,
        valid_until__gt=OuterRef("valid_until"),
    )
    return Certificate.objects.filter(
        status=Certificate.Status.VALID,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=EXPIRY_BANDS[-1]),
    ).exclude(Exists(renewed))


def certificates_expiring(today: datetime.date) -> Table:
    bands = []
    start = 0
    for days in EXPIRY_BANDS:
        window = (today + datetime.timedelta(days=start), today + datetime.timedelta(days=days))
        bands.append((start, days, Q(valid_until__range=window)))
        start = days + 1
    counts = _expiring(today).aggregate(
        **{f"d{days}": Count("pk", filter=q) for _start, days, q in bands}
    )
    return Table(
        _("Giấy chứng nhận sắp hết hiệu lực"),
        [Column(_("Hết hiệu lực trong")), Column(_("Số giấy chứng nhận"), COUNT)],
        [
            (_("%(start)s–%(end)s ngày tới") % {"start": start, "end": days}, counts[f"d{days}"])
            for start, days, _q in bands
        ],
        note=_("Không tính giấy đã được cấp mới (sản phẩm có giấy còn hiệu lực lâu hơn)."),
    )


def certificates_expiring_list(today: datetime.date) -> Table:
    rows = (
        _expiring(today)
        .order_by("valid_until", "pk")
        .values_list(
            "product__title", "product__producer__title", "stars", "decision_number", "valid_until"
        )
    )
    return Table(
        _("Danh sách giấy chứng nhận sắp hết hiệu lực"),
        [
            Column(_("Sản phẩm")),
            Column(_("Chủ thể")),
            Column(_("Hạng sao"), COUNT),
            Column(_("Số quyết định")),
            Column(_("Hiệu lực đến"), DATE),
            Column(_("Còn (ngày)"), COUNT),
        ],
        [(*row, (row[4] - today).days) for row in rows],
    )


def _months(today: datetime.date) -> list[datetime.date]:
    """The first day of each of the last MONTHS months, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _i in range(MONTHS):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _since(first_month: datetime.date) -> datetime.datetime:
    """Midnight of a month's first day in the province's time zone."""
    return datetime.datetime.combine(
        first_month, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


def _month_key(moment: datetime.datetime) -> datetime.date:
    return datetime.date(moment.year, moment.month, 1)


def _shop_months(since: datetime.datetime) -> dict[datetime.date, tuple[int, int]]:
    """Our shop: orders placed (COD) or paid, and the goods value of their sub-orders not
    cancelled (shipping is the carrier's, not the producers' revenue)."""
    month = TruncMonth("order__created_at", tzinfo=timezone.get_default_timezone())
    rows = (
        SubOrder.objects.filter(
            order__status__in=FULFILLABLE_ORDER_STATUSES, order__created_at__gte=since
        )
        .exclude(status=SubOrder.Status.CANCELLED)
        .annotate(month=month)
        .values("month")
        .annotate(orders=Count("order", distinct=True), revenue=Sum("items_total"))
        .values_list("month", "orders", "revenue")
    )
    return {_month_key(moment): (orders, revenue) for moment, orders, revenue in rows}


def _marketplace_months(since: datetime.datetime) -> dict[tuple[datetime.date, int], int]:
    """Marketplace orders not cancelled, by the month we first saw them, per channel."""
    month = TruncMonth("created_at", tzinfo=timezone.get_default_timezone())
    rows = (
        MarketplaceOrder.objects.filter(created_at__gte=since)
        .exclude(state="cancelled")
        .annotate(month=month)
        .values("month", "channel_id")
        .annotate(n=Count("pk"))
        .values_list("month", "channel_id", "n")
    )
    return {(_month_key(moment), channel): n for moment, channel, n in rows}


MARKETPLACE_NOTE = gettext_lazy(
    "Sàn không gửi giá trị đơn về hệ thống nên chỉ đếm số đơn (không tính đơn đã huỷ); "
    "doanh thu là tiền hàng của các đơn trên cửa hàng của tỉnh."
)


def orders_by_month(today: datetime.date) -> Table:
    months = _months(today)
    since = _since(months[0])
    shop = _shop_months(since)
    market = _marketplace_months(since)
    channels = list(Channel.objects.order_by("name").values_list("pk", "name"))
    rows = []
    for first in months:
        orders, revenue = shop.get(first, (0, 0))
        per_channel = [market.get((first, pk), 0) for pk, _name in channels]
        rows.append((f"{first:%m/%Y}", orders, revenue, *per_channel, orders + sum(per_channel)))
    return Table(
        _("Đơn hàng và doanh thu theo tháng"),
        [
            Column(_("Tháng")),
            Column(_("Cửa hàng: số đơn"), COUNT),
            Column(_("Cửa hàng: doanh thu"), MONEY),
            *(Column(_("%(name)s: số đơn") % {"name": name}, COUNT) for _pk, name in channels),
            Column(_("Tổng số đơn"), COUNT),
        ],
        rows,
        note=str(MARKETPLACE_NOTE),
        extra={"channels": [name for _pk, name in channels]},
    )


def orders_by_channel(today: datetime.date) -> Table:
    since = _since(_months(today)[0])
    shop = _shop_months(since).values()
    market: dict[int, int] = {}
    for (_month, channel), n in _marketplace_months(since).items():
        market[channel] = market.get(channel, 0) + n
    rows: list[tuple] = [
        (
            _("Cửa hàng của tỉnh"),
            sum(orders for orders, _revenue in shop),
            sum(revenue for _orders, revenue in shop),
        )
    ]
    for pk, name in Channel.objects.order_by("name").values_list("pk", "name"):
        rows.append((name, market.get(pk, 0), None))
    return Table(
        _("Đơn hàng 12 tháng qua theo kênh bán"),
        [Column(_("Kênh")), Column(_("Số đơn"), COUNT), Column(_("Doanh thu"), MONEY)],
        rows,
        note=str(MARKETPLACE_NOTE),
    )


def listings_by_channel(today: datetime.date) -> Table:
    """Per enabled channel, its listings in each state."""
    states = [Listing.State.ERROR, Listing.State.LIVE, Listing.State.PENDING, Listing.State.SKIPPED]
    channels = (
        Channel.objects.filter(enabled=True)
        .annotate(
            **{state.value: Count("listings", filter=Q(listings__state=state)) for state in states}
        )
        .order_by("name")
        .values_list("name", *(state.value for state in states))
    )
    return Table(
        _("Tin đăng trên sàn theo kênh"),
        [Column(_("Kênh")), *(Column(str(state.label), COUNT) for state in states)],
        list(channels),
    )


def listings_in_error(today: datetime.date, limit: int | None = None) -> Table:
    errors = (
        Listing.objects.filter(state=Listing.State.ERROR, channel__enabled=True)
        .order_by("channel__name", "product__title", "sku")
        .values_list(
            "channel__name", "sku", "product__title", "product__producer__title", "last_error"
        )
    )
    rows = list(errors[:limit] if limit else errors)
    return Table(
        _("Tin đăng bị lỗi"),
        [
            Column(_("Kênh")),
            Column(_("SKU")),
            Column(_("Sản phẩm")),
            Column(_("Chủ thể")),
            Column(_("Lỗi gần nhất")),
        ],
        rows,
    )


TableFunction = Callable[[datetime.date], Table]

# The URL key of each table's XLSX export: its title as a slug (tests check it).
TABLES: dict[str, TableFunction] = {
    "chu-the-theo-loai-hinh": producers_by_type,
    "chu-the-theo-xa-phuong": producers_by_commune,
    "san-pham-dang-ban-theo-hang-sao": products_by_stars,
    "san-pham-dang-ban-theo-nhom-ocop": products_by_group,
    "giay-chung-nhan-sap-het-hieu-luc": certificates_expiring,
    "danh-sach-giay-chung-nhan-sap-het-hieu-luc": certificates_expiring_list,
    "don-hang-va-doanh-thu-theo-thang": orders_by_month,
    "don-hang-12-thang-qua-theo-kenh-ban": orders_by_channel,
    "tin-dang-tren-san-theo-kenh": listings_by_channel,
    "tin-dang-bi-loi": listings_in_error,
}
