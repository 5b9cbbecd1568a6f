"""The storefront's read model: one narrow row per live, public product.

Listing, filtering, facet counts and sorting read only this table (and the word index for
search), so a page over 20,000 products is a few single-table queries instead of joins
across the page tree, variants, certificates and stock. It is derived data: written only by
`catalogue.storefront.index`, rebuilt at any time with `manage.py rebuild_storefront`.
"""

import datetime

from django.db import models


def stars_shown(stars: int, certified_until: datetime.date | None, today: datetime.date) -> int:
    """The stars a listing may show today: none once the certificate's validity has ended."""
    return stars if stars and certified_until and certified_until >= today else 0


class StorefrontEntry(models.Model):
    product = models.OneToOneField(
        "catalogue.ProductPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="storefront_entry",
    )
    title = models.CharField(max_length=255)
    name_folded = models.CharField(max_length=255, help_text="title, folded, for ranking")
    url = models.CharField(max_length=512)
    image_id = models.IntegerField(null=True)
    published_at = models.DateTimeField()

    producer_id = models.IntegerField()
    producer_title = models.CharField(max_length=255)
    producer_type = models.CharField(max_length=8)
    province_code = models.CharField(max_length=8)
    province_name = models.CharField(max_length=64)
    commune_code = models.CharField(max_length=8)
    commune_name = models.CharField(max_length=96)

    sector = models.CharField(max_length=8)
    group = models.CharField(max_length=8, help_text="second level, or the sector itself")
    category = models.CharField(max_length=8, help_text="the leaf the product is filed under")

    stars = models.PositiveSmallIntegerField(default=0, help_text="0: no valid certificate")
    certified_until = models.DateField(null=True)
    min_price = models.PositiveBigIntegerField()
    max_price = models.PositiveBigIntegerField()
    in_stock = models.BooleanField(default=False)
    is_service = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-product"], name="storefront_newest"),
            models.Index(fields=["min_price"], name="storefront_price"),
            models.Index(fields=["province_code", "commune_code"], name="storefront_place"),
            models.Index(fields=["producer_id"], name="storefront_producer"),
            models.Index(fields=["sector", "group", "category"], name="storefront_category"),
            models.Index(fields=["stars", "certified_until"], name="storefront_stars"),
        ]

    def __str__(self) -> str:
        return self.title


class StorefrontMark(models.Model):
    """A quality mark (VietGAP, organic, …) a listed product carries."""

    pk = models.CompositePrimaryKey("entry", "code")
    entry = models.ForeignKey(StorefrontEntry, on_delete=models.CASCADE, related_name="mark_rows")
    code = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.code


class StorefrontWord(models.Model):
    """Inverted index for search: each folded word of a product, with the weight of the most
    important field it appears in (title > code, brand, producer > place, category > text).

    Queries are word-prefix range scans on (word, entry) on both SQLite and PostgreSQL.
    """

    pk = models.CompositePrimaryKey("word", "entry")
    word = models.CharField(max_length=40)
    entry = models.ForeignKey(StorefrontEntry, on_delete=models.CASCADE, related_name="words")
    weight = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return self.word
