from django import template
from django.utils.safestring import mark_safe

from catalogue.qr import product_qr_svg

register = template.Library()


@register.simple_tag(takes_context=True)
def product_qr(context, page, scale: int = 4) -> str:
    """`{% product_qr page %}`: inline SVG QR of the product's short URL (needs `request`)."""
    # Safe: segno escapes the title, and the markup holds nothing else from the page.
    return mark_safe(product_qr_svg(context["request"], page, scale=scale))
