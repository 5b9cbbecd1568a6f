"""Keep private products off the storefront.

Wagtail's privacy setting (password, login, groups) writes a PageViewRestriction without
saving any page, so no catalogue service sees it; this is the one place the read model
listens to a model signal. A restriction on a producer or an index hides every product
below it.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

from catalogue.models import ProductPage

from . import index


def _refresh_below(sender, instance: PageViewRestriction, **kwargs) -> None:
    products = ProductPage.objects.descendant_of(instance.page, inclusive=True)
    index.refresh_products(products.values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_refresh_below, sender=PageViewRestriction, dispatch_uid="storefront-privacy")
    post_delete.connect(
        _refresh_below, sender=PageViewRestriction, dispatch_uid="storefront-privacy-delete"
    )
