"""OCOP product taxonomy (148/QĐ-TTg annex I) and quality marks, loaded as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.text import NormalizedTextModel


class OcopCategory(NormalizedTextModel):
    """A sector (I–VI), group (I.1) or set (I.1a) of the OCOP taxonomy.

    Products are filed under a leaf: a set where the group has sets, else the group
    (I.6, III.1) or the sector itself (VI).
    """

    class Level(models.TextChoices):
        SECTOR = "sector", _("Ngành")
        GROUP = "group", _("Nhóm")
        SET = "set", _("Phân nhóm")

    code = models.CharField(_("mã"), max_length=8, unique=True)
    level = models.CharField(_("cấp"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=160)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=160)
    is_leaf = models.BooleanField(default=True, editable=False)
    sort_key = models.CharField(max_length=16, editable=False, db_index=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("bộ sản phẩm OCOP")
        verbose_name_plural = _("bộ sản phẩm OCOP")

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    @property
    def sector(self) -> "OcopCategory":
        node = self
        while node.parent is not None:
            node = node.parent
        return node


class QualityMark(NormalizedTextModel):
    """VietGAP, organic, HACCP, ISO 22000, geographical indication, …"""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("chứng nhận chất lượng")
        verbose_name_plural = _("chứng nhận chất lượng")

    def __str__(self) -> str:
        return self.name_vi
