"""Photos prepared for a marketplace: square, big enough, JPEG under the size cap."""

import io

import pytest
from PIL import Image

from connectors.images import ImageRules, prepare
from connectors.registry import descriptors

RULES = pytest.mark.parametrize(
    "rules", [m.image_rules for m in descriptors()], ids=[m.kind for m in descriptors()]
)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(out, "PNG")
    return out.getvalue()


@RULES
@pytest.mark.parametrize("size", [(300, 200), (1200, 3000), (4000, 4000)])
def test_any_photo_becomes_a_square_jpeg_within_the_rules(size, rules):
    data = prepare(png(*size), rules)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.width == image.height
        assert rules.min_side <= image.width <= rules.max_side
    assert len(data) <= rules.max_bytes


@RULES
def test_nothing_is_cropped_the_short_side_is_padded_white(rules):
    data = prepare(png(1000, 500), rules)
    with Image.open(io.BytesIO(data)) as image:
        top, middle = image.getpixel((500, 10)), image.getpixel((500, 500))
        assert isinstance(top, tuple) and isinstance(middle, tuple)  # RGB: one value a band
        assert top[0] > 240  # padding at the top
        assert middle[1] > 100  # the photo in the middle


def test_a_photo_that_cannot_get_small_enough_is_refused_clearly():
    noisy = Image.effect_noise((1500, 1500), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    with pytest.raises(ValueError, match="quá lớn"):
        prepare(out.getvalue(), ImageRules(min_side=500, max_side=1500, max_bytes=20_000))
