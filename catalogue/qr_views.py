"""Public short URLs of products and their QR codes (what printed labels point to)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from catalogue import qr
from catalogue.models import ProductPage

PNG_WIDTH = 600
SVG_SCALE = 10
CACHE_SECONDS = 86400


def _public_product(code: str) -> ProductPage:
    return get_object_or_404(ProductPage.objects.live().public(), product_code=code)


@require_safe
def short_url_redirect(request, code: str):
    """Follows the product wherever its page lives now (renames and moves)."""
    url = _public_product(code).get_url(request)
    if url is None:  # not under any site
        raise Http404
    return redirect(url)


def _qr_response(request, code: str, body: bytes | str, content_type: str, extension: str):
    response = HttpResponse(body, content_type=content_type)
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = f'attachment; filename="ocop-{code}.{extension}"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def qr_svg_view(request, code: str):
    markup = qr.product_qr_svg(request, _public_product(code), scale=SVG_SCALE)
    return _qr_response(request, code, markup, "image/svg+xml; charset=utf-8", "svg")


@require_safe
def qr_png_view(request, code: str):
    page = _public_product(code)
    url = qr.short_url(request, page.product_code)
    body = qr.qr_png(url, scale=qr.png_scale(url, PNG_WIDTH))
    return _qr_response(request, code, body, "image/png", "png")
