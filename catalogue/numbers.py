"""Whole numbers taken from a request (an id in ?producer=, a count): only ASCII digits
and at most MAX_DIGITS of them, so "²" (which `str.isdigit()` accepts and `int()`
refuses) or a 5,000-digit value is "not a number", never an exception.

`QuantityField` reads a count of units as people type it: "1.000" and "1,000" are a
thousand (Django's IntegerField drops ".000" and reads 1), "1 000" too."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 18  # fits a 64-bit database integer
GROUPED = re.compile(r"[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*")
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def int_or_none(text: object) -> int | None:
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_DIGITS:
        return None
    return int(text)


def parse_quantity(text: str) -> int:
    """Units typed as 25, 1000, 1.000, 1,000 or 1 000; ValueError for anything else."""
    typed = SPACES.sub("", unicodedata.normalize("NFC", text))
    if GROUPED.fullmatch(typed):
        typed = re.sub(r"[.,]", "", typed)
    number = int_or_none(typed)
    if number is None:
        raise ValueError(text)
    return number


class TypedIntegerField(forms.IntegerField):
    """A whole number typed in a text box and read by `parse` (ValueError: not one). Not
    type=number, which refuses "1.000" in the browser and, in some, sends "1"."""

    widget = forms.TextInput

    def parse(self, text: str) -> int:
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        try:
            return self.parse(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        return {**attrs, "autocomplete": "off"}


class QuantityField(TypedIntegerField):
    """A count of units (stock), never negative, with the phone's number keyboard."""

    default_error_messages = {
        "invalid": _("Nhập số lượng bằng chữ số, ví dụ 25 hoặc 1.000."),
        "negative": _("Số lượng không được âm."),
        "max_value": _("Số lượng nhiều nhất là %(limit_value)s."),
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)

    def parse(self, text: str) -> int:
        typed = text.strip()
        if typed.startswith(("-", "−")) and typed[1:].strip():
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return parse_quantity(typed)

    def widget_attrs(self, widget):
        return {"inputmode": "numeric", **super().widget_attrs(widget)}
