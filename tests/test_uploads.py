"""Bad uploads get a clear message in the admin and store nothing."""

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from tests.conftest import PASSWORD


def _png(width: int, height: int, padding: int = 0) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue() + b"\0" * padding


def _stored_files() -> set[str]:
    root = settings.MEDIA_ROOT / "original_images"
    return set(os.listdir(root)) if root.exists() else set()


@pytest.fixture
def upload(coop, client):
    client.login(username=coop.user.username, password=PASSWORD)

    def post(name: str, data: bytes, collection=None):
        return client.post(
            reverse("wagtailimages:add"),
            {
                "title": name,
                "file": SimpleUploadedFile(name, data),
                "collection": (collection or coop.collection).pk,
            },
        )

    return post


def test_real_image_into_own_collection_is_stored(upload, coop):
    response = upload("na.png", _png(64, 64))
    assert response.status_code == 302
    assert Image.objects.get().collection == coop.collection


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.png", _png(64, 64, padding=40 * 1024 * 1024), "tối đa 10,0"),
        ("not-an-image.jpg", b"this is a text file, not a photo" * 10, "không phải ảnh"),
        ("bomb.png", _png(7000, 7000), "điểm ảnh"),  # "quá nhiều điểm ảnh"
        ("script.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "jpg, jpeg, png, webp"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_stored(upload, name, data, message):
    before = _stored_files()
    response = upload(name, data)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get("file", []))
    assert message.lower() in errors.lower(), errors
    assert not Image.objects.exists()
    assert _stored_files() == before


def test_cannot_upload_into_another_producers_collection(upload, coop, other_coop):
    """With one permitted collection the form has no collection choice at all:
    a forged collection id is ignored and the image lands in the editor's own."""
    upload("na.png", _png(64, 64), collection=other_coop.collection)
    assert not Image.objects.filter(collection=other_coop.collection).exists()
    assert Image.objects.get().collection == coop.collection
