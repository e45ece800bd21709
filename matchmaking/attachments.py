"""Checking uploaded drawings: the content must be what the extension says (PDF, PNG, JPG, DXF)."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "dxf": "image/vnd.dxf"}


def _looks_like_dxf(head: bytes) -> bool:
    if head.startswith(b"AutoCAD Binary DXF"):
        return True
    text = head.decode("latin-1").lstrip()
    lines = [line.strip() for line in text.splitlines()[:4]]
    # ASCII DXF: group code 0 then SECTION, or a leading 999 comment group.
    return (len(lines) >= 2 and lines[0] == "0" and lines[1] == "SECTION") or (lines[:1] == ["999"])


def _is_image(data: bytes, expected: set[str]) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in expected:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def check_attachment(upload) -> str:
    """Return the content type of a valid drawing, or raise ValidationError with a clear message."""
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise ValidationError(_("Upload a PDF, PNG, JPG or DXF drawing."), code="extension")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                              code="too_large")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    ok = {
        "pdf": lambda: data.startswith(b"%PDF-"),
        "png": lambda: _is_image(data, {"PNG"}),
        "jpg": lambda: _is_image(data, {"JPEG"}),
        "jpeg": lambda: _is_image(data, {"JPEG"}),
        "dxf": lambda: _looks_like_dxf(data[:256]),
    }[extension]()
    if not ok:
        raise ValidationError(
            _("This file is not a real %(kind)s: its content does not match its name.") % {"kind": extension.upper()},
            code="content")
    return CONTENT_TYPES[extension]
