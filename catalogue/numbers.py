"""Whole numbers taken from a request (an id in ?producer=, a count): only ASCII digits
and at most MAX_DIGITS of them, so "²" (which `str.isdigit()` accepts and `int()`
refuses) or a 5,000-digit value is "not a number", never an exception."""

MAX_DIGITS = 18  # fits a 64-bit database integer


def int_or_none(text: object) -> int | None:
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_DIGITS:
        return None
    return int(text)
