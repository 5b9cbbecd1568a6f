"""Validators for Vietnamese phone numbers and product barcodes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"^(?:0|\+84)[1-9]\d{8,9}$", re.ASCII)


def validate_phone_vn(value: str) -> None:
    """A Vietnamese phone number: 0xxx or +84xxx, 10–11 digits, separators allowed."""
    if not _PHONE.match(_PHONE_SEPARATORS.sub("", value)):
        raise ValidationError(
            _("Số điện thoại không hợp lệ: %(value)s (ví dụ 0912 345 678)"),
            params={"value": value},
            code="phone",
        )


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_gtin(value: str) -> None:
    """GTIN-8/12/13/14 (EAN/UPC barcode) with a correct check digit."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (8, 12, 13, 14):
        raise ValidationError(_("Mã vạch phải gồm 8, 12, 13 hoặc 14 chữ số."), code="gtin_format")
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(_("Mã vạch sai số kiểm tra (chữ số cuối)."), code="gtin_check")


# Mobile networks' prefixes after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x.
_MOBILE = re.compile(r"^0[35789]\d{8}$", re.ASCII)


def normalize_mobile_vn(value: str) -> str:
    """ "+84 912.345.678" → "0912345678" (the form shippers and SMS gateways expect)."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_mobile_vn(value: str) -> None:
    """A Vietnamese mobile number (10 digits, 03/05/07/08/09), separators and +84 allowed."""
    if not _MOBILE.match(normalize_mobile_vn(value)):
        raise ValidationError(
            _("Số di động không hợp lệ: %(value)s (10 số, ví dụ 0912 345 678)"),
            params={"value": value},
            code="mobile",
        )
