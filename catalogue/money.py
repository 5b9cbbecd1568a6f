"""Money is integer VND, shown as shoppers read it and taken as people type it.

`parse_vnd` reads what Vietnamese write for an amount: 150000, 150.000, 150,000 (groups of
three), 150k, 150 nghìn / ngàn, 1tr5 or 1,5 triệu (1.500.000), with or without "đ" / "₫" /
"đồng" / "VND". Only ASCII digits count ("²" is not a 2), and an amount with a part below
one đồng is refused: VND has no decimals. `MoneyField` is the form field of every price
input (the admin's model fields through `VndField`, the storefront's price filter)."""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.numbers import TypedIntegerField

NBSP = "\u00a0"
MAX_TYPED = 24  # characters: more is not an amount anyone types
UNITS = {"k": 1_000, "nghìn": 1_000, "ngàn": 1_000, "tr": 1_000_000, "triệu": 1_000_000}
CURRENCY = re.compile(r"(₫|đồng|đ|vnđ|vnd)$")
GROUPED = re.compile(r"[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*")
WITH_UNIT = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?(k|nghìn|ngàn|tr|triệu)([0-9]*)")
INVALID = _("Nhập số tiền bằng số, ví dụ 150.000, 150k hoặc 1tr5.")


def format_vnd(amount: int) -> str:
    """Integer VND as shoppers read it: 150000 → "150.000 ₫" (no-break space)."""
    return f"{amount:,}".replace(",", ".") + NBSP + "₫"


def parse_vnd(text: str) -> int:
    """The amount typed, in đồng; ValueError for anything that is not one."""
    typed = unicodedata.normalize("NFC", text).strip().lower()
    if len(typed) > MAX_TYPED:
        raise ValueError(text)
    typed = CURRENCY.sub("", typed).replace(" ", "").replace(NBSP, "")
    if typed.isascii() and typed.isdigit():
        return int(typed)
    if GROUPED.fullmatch(typed):
        return int(re.sub(r"[.,]", "", typed))
    if match := WITH_UNIT.fullmatch(typed):
        whole, fraction, unit, tail = match.groups()
        if fraction and tail:
            raise ValueError(text)  # "1,5tr5"
        amount = Decimal(f"{whole}.{fraction or tail or 0}") * UNITS[unit]
        if amount == amount.to_integral_value():
            return int(amount)
    raise ValueError(text)


class MoneyInput(forms.TextInput):
    """Shows a stored amount as people write it (150.000), not as 150000."""

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return super().format_value(value)


class MoneyField(TypedIntegerField):
    widget = MoneyInput
    default_error_messages = {"invalid": INVALID}

    def parse(self, text: str) -> int:
        return parse_vnd(text)


class VndField(models.PositiveBigIntegerField):
    """An amount in đồng, typed in forms with `MoneyField`."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyField, **kwargs})
