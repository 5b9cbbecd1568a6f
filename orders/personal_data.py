"""A shopper's personal data: what we hand them when they ask (Decree 13/2023/NĐ-CP
art. 14, Law 91/2025/QH15: the data subject may obtain their data), and its erasure (art. 16)
once an order no longer needs it. Erasing an order blanks who bought and where it went;
the amounts, lines and dates stay, because the books must keep them."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from orders.models import Order, PrivacyConsent, SubOrder

# Stored, so in the site's language whatever language the shopper's request was in.
ERASED_NAME = "(đã xoá)"
OPEN_SUB_ORDER = [
    SubOrder.Status.NEW,
    SubOrder.Status.CONFIRMED,
    SubOrder.Status.PACKED,
    SubOrder.Status.SHIPPED,
]


def finished() -> QuerySet[Order]:
    """Orders nothing more will happen to: not waiting for payment, no parcel on its way."""
    return Order.objects.exclude(status=Order.Status.AWAITING_PAYMENT).exclude(
        sub_orders__status__in=OPEN_SUB_ORDER
    )


def anonymise(order: Order, now: datetime.datetime) -> None:
    order.name = ERASED_NAME
    order.phone = order.email = order.street = order.note = ""
    order.user = None
    order.anonymised_at = now
    order.save(update_fields=["name", "phone", "email", "street", "note", "user", "anonymised_at"])


def anonymise_due(now: datetime.datetime) -> int:
    """Erase every finished order past the retention period, and those whose shopper
    asked for erasure once past the hold; the daily prune job calls this."""
    retention = now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    hold = now - datetime.timedelta(days=settings.ERASURE_HOLD_DAYS)
    due = (
        finished()
        .filter(anonymised_at=None)
        .filter(
            Q(created_at__lt=retention) | Q(erasure_requested_at__isnull=False, created_at__lt=hold)
        )
    )
    count = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=pk, anonymised_at=None).first()
            if order is not None:
                anonymise(order, now)
                count += 1
    return count


def is_admin_account(user: User) -> bool:
    """Producer and staff logins are erased by province staff, not from the shop."""
    return bool(user.is_staff or user.has_perm("wagtailadmin.access_admin"))


@transaction.atomic
def erase_account(user: User, now: datetime.datetime) -> int:
    """Delete a shopper's account. Their orders are marked for erasure, and those
    already past the hold are erased now; returns how many orders wait for it."""
    Order.objects.filter(user=user).update(erasure_requested_at=now)
    # The consent given at checkout is kept as proof; it no longer names the account.
    PrivacyConsent.objects.filter(user=user, order__isnull=False).update(user=None)
    anonymise_due(now)
    waiting = Order.objects.filter(user=user).update(user=None)
    user.delete()
    return waiting


def export(user: User) -> dict[str, Any]:
    """Everything the shop holds about `user`, as plain JSON values."""
    orders = (
        Order.objects.filter(user=user)
        .select_related("province", "commune")
        .prefetch_related("sub_orders__lines", "sub_orders__producer")
    )
    consents = PrivacyConsent.objects.filter(user=user).select_related("order")
    return {
        "tai_khoan": {
            "ten_dang_nhap": user.get_username(),
            "email": user.email,
            "ngay_tao": user.date_joined.isoformat(),
        },
        "don_hang": [_order(order) for order in orders],
        "dong_y": [
            {
                "muc_dich": consent.get_purpose_display(),
                "luc": consent.agreed_at.isoformat(),
                "ban_thong_bao": consent.notice_id,
                "don_hang": consent.order.number if consent.order else None,
            }
            for consent in consents
        ],
    }


def _order(order: Order) -> dict[str, Any]:
    return {
        "so_don": order.number,
        "ngay_dat": order.created_at.isoformat(),
        "trang_thai": order.get_status_display(),
        "nguoi_nhan": order.name,
        "dien_thoai": order.phone,
        "email": order.email,
        "dia_chi": order.address,
        "ghi_chu": order.note,
        "tong_cong_dong": order.total,
        "hang": [
            {
                "chu_the": sub_order.producer.title,
                "san_pham": line.product_title,
                "phan_loai": line.variant_name,
                "so_luong": line.quantity,
                "don_gia_dong": line.unit_price,
            }
            for sub_order in order.sub_orders.all()
            for line in sub_order.lines.all()
        ],
    }
