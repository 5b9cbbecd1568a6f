"""Stock is operational data: one row per SKU, outside page revisions.

It is keyed by SKU, not by a foreign key to the variant row, so publishing or
reverting a page revision (which may delete and re-create variant rows) never
touches it. All changes go through `catalogue.stock`.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class StockItem(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    on_hand = models.PositiveIntegerField(_("tồn kho"), default=0)
    reserved = models.PositiveIntegerField(_("đang giữ"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tồn kho")
        verbose_name_plural = _("tồn kho")
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.available}/{self.on_hand}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved
