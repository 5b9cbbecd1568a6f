"""Placeholder product images for demo and synthetic data: clearly not photos."""

import hashlib
import io
import textwrap
from functools import cache

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Collection

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)
SECTOR_COLOURS = {
    "I": (46, 125, 50),
    "II": (21, 101, 192),
    "III": (106, 27, 154),
    "IV": (191, 54, 12),
    "V": (0, 121, 107),
    "VI": (69, 90, 100),
}


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def placeholder_png(title: str, sector: str, size: int = 800) -> bytes:
    """A coloured square with the product name and "ẢNH MINH HỌA" across it."""
    base = SECTOR_COLOURS.get(sector, (80, 80, 80))
    shade = int(hashlib.sha1(title.encode()).hexdigest()[:2], 16) % 40
    colour = tuple(min(255, c + shade) for c in base)
    image = PILImage.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, size - 24, size - 24), outline=(255, 255, 255), width=4)
    y = size // 3
    for line in textwrap.wrap(title, width=16)[:4]:
        draw.text((size // 2, y), line, font=_font(size // 12), fill="white", anchor="mm")
        y += size // 10
    draw.text(
        (size // 2, size - 80),
        "ẢNH MINH HỌA · PLACEHOLDER",
        font=_font(size // 28),
        fill=(255, 255, 255),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def create_placeholder_image(title: str, sector: str, collection: Collection) -> Image:
    data = placeholder_png(title, sector)
    return Image.objects.create(
        title=f"{title} (ảnh minh họa)",
        file=ImageFile(
            io.BytesIO(data),
            name=f"placeholder-{hashlib.sha1(title.encode()).hexdigest()[:10]}.png",
        ),
        collection=collection,
    )
