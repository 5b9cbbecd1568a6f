"""QR codes for products: they always encode the short URL `/p/<product code>/`,
which outlives renames and moves, so printed labels never go stale."""

import io

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

BORDER = 2  # quiet zone in modules; labels and pages give a white margin around it


def short_url(request, code: str) -> str:
    """Absolute short URL of a product, e.g. "http://host/p/20-00017/"."""
    return request.build_absolute_uri(reverse("catalogue_short_url", args=[code]))


def _make(url: str) -> segno.QRCode:
    # Error correction at least M; segno raises it when that fits in the same symbol size.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int, title: str) -> str:
    """SVG markup without XML declaration, for inline HTML and for the .svg download alike
    (hence the namespace), on a white background. Width and height are in px with a
    viewBox, so CSS may resize it (as the label sheet does)."""
    buffer = io.BytesIO()
    _make(url).save(
        buffer,
        kind="svg",
        xmldecl=False,
        nl=False,
        scale=scale,
        border=BORDER,
        title=title,
        unit="px",
        light="#fff",
    )
    return buffer.getvalue().decode().replace("<svg ", '<svg role="img" ', 1)


def qr_png(url: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    _make(url).save(buffer, kind="png", scale=scale, border=BORDER)
    return buffer.getvalue()


def png_scale(url: str, width: int) -> int:
    """Module size in px giving a PNG at most `width` px wide (and at least 1 px a module)."""
    modules, _height = _make(url).symbol_size(scale=1, border=BORDER)
    return max(1, width // int(modules))


def product_qr_svg(request, page, *, scale: int) -> str:
    """The product's QR as inline SVG, titled for screen readers."""
    return qr_svg(
        short_url(request, page.product_code),
        scale=scale,
        title=_("Mã QR sản phẩm %(title)s") % {"title": page.title},
    )
