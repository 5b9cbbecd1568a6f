"""Product photos prepared to a marketplace's rules from the Wagtail originals: square
(white padding, nothing cropped), at least `min_side` pixels, JPEG under `max_bytes`.
Each marketplace's rules are in its descriptor (`connectors/<kind>/__init__.py`)."""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps


@dataclass(frozen=True)
class ImageRules:
    min_side: int
    max_side: int
    max_bytes: int


def prepare(data: bytes, rules: ImageRules) -> bytes:
    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    side = min(max(image.width, image.height, rules.min_side), rules.max_side)
    image.thumbnail((side, side))
    square = Image.new("RGB", (side, side), "white")
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    for quality in (90, 80, 70, 60, 50):
        out = io.BytesIO()
        square.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= rules.max_bytes:
            return out.getvalue()
    raise ValueError("Ảnh vẫn quá lớn sau khi nén; hãy dùng ảnh khác.")
