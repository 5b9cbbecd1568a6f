"""Counters behind stable human-readable codes (product codes, SKUs)."""

from django.db import models, transaction
from django.db.models import F


class CodeSequence(models.Model):
    key = models.CharField(max_length=64, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"

    @classmethod
    def next_value(cls, key: str) -> int:
        """Atomically take the next number for `key`; numbers are never reused."""
        with transaction.atomic():
            cls.objects.get_or_create(key=key)
            cls.objects.filter(key=key).update(last=F("last") + 1)
            return cls.objects.values_list("last", flat=True).get(key=key)
