"""Administrative units after the 1 July 2025 reform: 34 provinces, 3,321 communes.

Units change by resolution, so they are data (loaded by `load_admin_units`), not
code; `dataset` names the release a row came from and `retired` keeps a unit
that a later release dropped, so old producer records still resolve.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue import listeners
from catalogue.text import NormalizedTextModel, fold


class Province(NormalizedTextModel):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh-pho", _("Thành phố")

    code = models.CharField(_("mã"), max_length=2, unique=True)
    name = models.CharField(_("tên"), max_length=64)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    full_name = models.CharField(_("tên đầy đủ"), max_length=96)
    dataset = models.CharField(_("bộ dữ liệu"), max_length=32, default="2025-07")
    retired = models.BooleanField(_("đã giải thể"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        listeners.places_changed(list(self.communes.values_list("pk", flat=True)))


class Commune(NormalizedTextModel):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac-khu", _("Đặc khu")

    code = models.CharField(_("mã"), max_length=5, unique=True)
    name = models.CharField(_("tên"), max_length=64)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    full_name = models.CharField(_("tên đầy đủ"), max_length=96)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    folded_name = models.CharField(max_length=96, editable=False, db_index=True)
    dataset = models.CharField(_("bộ dữ liệu"), max_length=32, default="2025-07")
    retired = models.BooleanField(_("đã giải thể"), default=False)

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")

    def __str__(self) -> str:
        return f"{self.full_name}, {self.province.name}"

    def save(self, *args, **kwargs):
        self.folded_name = fold(f"{self.full_name} {self.province.name}")
        super().save(*args, **kwargs)
        listeners.places_changed([self.pk])
