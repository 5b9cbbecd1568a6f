"""Background work of the catalogue (Django Tasks API)."""

from functools import partial

from django.db import transaction
from django_tasks import task

from catalogue.models import ProductGalleryImage
from catalogue.product_view import GALLERY_RENDITIONS, OG_RENDITION
from catalogue.storefront.listing import CARD_RENDITIONS


@task()
def pregenerate_renditions(product_id: int) -> int:
    """Make the image sizes the storefront shows for a published product before the
    first shopper asks for them (on a cheap phone connection the first view must not
    wait for Pillow). Existing renditions are reused; returns how many images."""
    gallery = list(
        ProductGalleryImage.objects.filter(page_id=product_id)
        .select_related("image")
        .order_by("sort_order")
    )
    for position, item in enumerate(gallery):
        first = (*CARD_RENDITIONS, OG_RENDITION) if position == 0 else ()
        item.image.get_renditions(*GALLERY_RENDITIONS, *first)
    return len(gallery)


def pregenerate_after_commit(product_id: int) -> None:
    """Queue pregenerate_renditions once the saving transaction commits."""
    transaction.on_commit(partial(pregenerate_renditions.enqueue, product_id))
