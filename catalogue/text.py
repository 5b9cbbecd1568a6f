"""Vietnamese text rules: stored text is NFC, slugs are ASCII with đ→d, search folds marks."""

import html
import re
import unicodedata

from django.db import models
from django.utils.html import strip_tags

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Lower-case, strip every diacritic, map đ to d: "Chè Đinh" → "che dinh".

    đ/Đ have no Unicode decomposition, so stripping combining marks after NFD
    leaves them alone; they are mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", value.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def slugify_vi(value: str) -> str:
    """ASCII slug that keeps đ as d ("Chè Đinh Tân Cương" → "che-dinh-tan-cuong").

    Django's slugify() drops Đ entirely ("che-inh-tan-cuong").
    """
    return _SLUG_STRIP.sub("-", fold(value)).strip("-")


def normalize_text_fields(instance: models.Model) -> None:
    """NFC-normalise every character and text field of a model instance in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))


class NormalizedTextModel(models.Model):
    """Base for plain models: text is stored in NFC whatever the keyboard sent."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        super().save(*args, **kwargs)


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def plain_text(rich_text: str) -> str:
    """Rich text as plain text, one block per line (paragraphs never run together)."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich_text)))
    return nfc("\n".join(line.strip() for line in text.splitlines() if line.strip()))
