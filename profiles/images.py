"""Checking and storing uploaded photos and logos with Pillow.

An upload is accepted only if Pillow can fully decode it as JPEG, PNG or WebP, it is at most
MAX_UPLOAD_BYTES and MAX_PIXELS; it is then re-encoded (which drops EXIF and anything hidden after the
image data), resized to MAX_EDGE and given a thumbnail.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_EDGE = 1600
THUMB_EDGE = 320
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def process_uploaded_image(upload, *, basename: str = "photo") -> ProcessedImage:
    """Validate an uploaded file as a real, reasonably sized image and return clean JPEG versions.

    Raises ValidationError with a message for the person who uploaded it.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                              code="too_large")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                              code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP photo."), code="format")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (at most %(mp)d megapixels).") % {"mp": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
        # verify() leaves the image unusable; open again to decode every pixel.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
                              code="not_image") from None
    main = image.copy()
    main.thumbnail((MAX_EDGE, MAX_EDGE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    return ProcessedImage(
        image=_encode(main, f"{basename}.jpg"),
        thumbnail=_encode(thumb, f"{basename}-thumb.jpg"),
        width=main.width,
        height=main.height,
    )
