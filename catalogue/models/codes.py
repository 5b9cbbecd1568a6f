"""Counters behind stable human-readable codes (product codes, SKUs)."""

from django.db import models, transaction
from django.db.models import F


class CodeSequence(models.Model):
    key = models.CharField(max_length=64, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"

    @classmethod
    def take(cls, key: str, count: int = 1) -> range:
        """Atomically reserve the next `count` numbers for `key`; numbers are never reused."""
        with transaction.atomic():
            cls.objects.get_or_create(key=key)
            cls.objects.filter(key=key).update(last=F("last") + count)
            last = cls.objects.values_list("last", flat=True).get(key=key)
        return range(last - count + 1, last + 1)
