import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from profiles.models import ProductPhoto
from tests.factories import ProductFactory


def _jpeg_with_exif(size=(2400, 1800)) -> bytes:
    image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x8825] = {2: (7, 0, 0)}  # GPS info
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def product(db):
    return ProductFactory()


def _upload(client, product, name, data, content_type="image/jpeg"):
    client.force_login(product.ikm.owner)
    return client.post(f"/ikm/{product.ikm.pk}/products/{product.pk}/photos/",
                       {"photo": SimpleUploadedFile(name, data, content_type=content_type)}, follow=True)


def test_real_photo_is_stored_resized_with_thumbnail_and_without_exif(client, product):
    response = _upload(client, product, "pompa.jpg", _jpeg_with_exif())

    photo = ProductPhoto.objects.get()
    stored = Image.open(photo.image.path)
    assert response.status_code == 200
    assert max(stored.size) == 1600
    assert max(Image.open(photo.thumbnail.path).size) == 320
    assert not stored.getexif()
    with open(photo.image.path, "rb") as stored_file:
        assert b"SecretCameraMaker" not in stored_file.read()


def test_text_file_renamed_jpg_is_refused_with_a_message(client, product):
    response = _upload(client, product, "foto.jpg", b"ini bukan gambar, hanya teks biasa\n" * 20)

    assert ProductPhoto.objects.count() == 0
    assert response.status_code == 200
    assert "not an image" in response.content.decode() or "bukan gambar" in response.content.decode()


def test_oversize_image_is_refused(client, product):
    big = b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 10)

    response = _upload(client, product, "besar.jpg", big)

    assert ProductPhoto.objects.count() == 0
    assert "8 MB" in response.content.decode()


def test_decompression_bomb_is_refused(client, product):
    bomb = _png((20_000, 20_000))  # 400 megapixels in a few kilobytes
    assert len(bomb) < 200_000

    response = _upload(client, product, "bom.png", bomb, "image/png")

    assert ProductPhoto.objects.count() == 0
    assert "40" in response.content.decode()


def test_another_owner_cannot_upload_to_my_product(client, product):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.post(f"/ikm/{product.ikm.pk}/products/{product.pk}/photos/",
                           {"photo": SimpleUploadedFile("x.jpg", _jpeg_with_exif((50, 50)))})

    assert response.status_code == 403
    assert ProductPhoto.objects.count() == 0
